package dev.leakhound.analysis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed fixtures (testdata/snapshots: Node 14 to 24, exposeInternals, numeric values,
 * allocation tracking) read and analyzed end to end, checked against an independent reader
 * (Jackson's streaming parser, nothing shared with leakhound's scanner) and against the objects
 * the fixture program is known to hold.
 */
class FixtureSnapshotsTest {

    static Stream<Path> fixtures() throws IOException {
        Path dir = ExampleSnapshots.root().resolve("testdata/snapshots");
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> p.toString().endsWith(".heapsnapshot.gz")).sorted().forEach(out::add);
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(6);
        return out.stream();
    }

    /** What a plain scan with a general JSON parser finds. */
    record PlainScan(long nodes, long edges, long selfTotal, Map<String, Long> objectNameCounts, List<String> strings) {}

    static PlainScan plainScan(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file));
             JsonParser p = new JsonFactory().createParser(in)) {
            List<String> nodeFields = new ArrayList<>();
            List<String> nodeTypes = new ArrayList<>();
            List<Long> nodes = new ArrayList<>();
            long edgeValues = 0;
            List<String> strings = new ArrayList<>();
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.getCurrentName();
                p.nextToken();
                switch (key) {
                    case "snapshot": {
                        Map<?, ?> header = (Map<?, ?>) readValue(p);
                        Map<?, ?> meta = (Map<?, ?>) header.get("meta");
                        for (Object f : (List<?>) meta.get("node_fields")) {
                            nodeFields.add((String) f);
                        }
                        for (Object t : (List<?>) ((List<?>) meta.get("node_types")).get(0)) {
                            nodeTypes.add((String) t);
                        }
                        break;
                    }
                    case "nodes":
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            nodes.add(p.getLongValue());
                        }
                        break;
                    case "edges":
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            edgeValues++;
                        }
                        break;
                    case "strings":
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            strings.add(p.getText());
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
            int stride = nodeFields.size();
            int typeAt = nodeFields.indexOf("type");
            int nameAt = nodeFields.indexOf("name");
            int sizeAt = nodeFields.indexOf("self_size");
            long total = 0;
            Map<String, Long> names = new HashMap<>();
            for (int i = 0; i < nodes.size(); i += stride) {
                total += nodes.get(i + sizeAt);
                String type = nodeTypes.get(nodes.get(i + typeAt).intValue());
                if (type.equals("object") && nodes.get(i + sizeAt) > 0) {
                    names.merge(strings.get(nodes.get(i + nameAt).intValue()), 1L, Long::sum);
                }
            }
            return new PlainScan(nodes.size() / stride, edgeValues / 3, total, names, strings);
        }
    }

    /** A whole JSON value as Map, List, String or Long (for the small header only). */
    static Object readValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Object> m = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.getCurrentName();
                p.nextToken();
                m.put(k, readValue(p));
            }
            return m;
        }
        if (t == JsonToken.START_ARRAY) {
            List<Object> l = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                l.add(readValue(p));
            }
            return l;
        }
        return t == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue() : p.getText();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void readsAndAgreesWithAnIndependentScan(Path file) throws IOException {
        HeapSnapshot s = SnapshotParser.read(file);
        PlainScan plain = plainScan(file);
        assertThat((long) s.nodeCount()).isEqualTo(plain.nodes());
        assertThat((long) s.edgeCount()).isEqualTo(plain.edges());
        assertThat(s.totalSelfSize()).isEqualTo(plain.selfTotal());
        assertThat(s.strings().size()).isEqualTo(plain.strings().size());
        for (int i = 0; i < plain.strings().size(); i += 97) {
            assertThat(s.strings().get(i)).isEqualTo(plain.strings().get(i));
        }

        HeapGraph g = HeapGraph.build(s);
        // every node ends up in the dominator tree, so the root retains everything
        assertThat(g.retainedSize(s.rootOrdinal())).isEqualTo(plain.selfTotal());
        // the class summary counts what a plain scan counts (object classes, size > 0)
        Map<String, ClassSummary.Row> rows = new HashMap<>();
        for (ClassSummary.Row r : ClassSummary.compute(g)) {
            rows.put(r.name(), r);
        }
        for (var e : plain.objectNameCounts().entrySet()) {
            if (e.getKey().startsWith("<")) {
                continue;   // DOM-like names are normalized; Node has none of these
            }
            assertThat(rows.get(e.getKey())).as(e.getKey()).isNotNull();
            assertThat(rows.get(e.getKey()).count()).as(e.getKey()).isGreaterThanOrEqualTo(e.getValue());
        }
        assertThat(rows.get("FixtureItem").count()).isEqualTo(100);
        assertThat(rows.get("FixtureMapValue").count()).isEqualTo(10);
        // a class's retained size counts each object once, never more than the heap
        for (ClassSummary.Row r : rows.values()) {
            assertThat(r.retainedSize()).isLessThanOrEqualTo(plain.selfTotal()).isGreaterThanOrEqualTo(r.shallowSize());
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void knownObjectsHaveTheirPathsDistancesAndDominators(Path file) {
        HeapSnapshot s = SnapshotParser.read(file);
        HeapGraph g = HeapGraph.build(s);
        boolean internals = file.getFileName().toString().contains("expose-internals");
        int item = firstOfClass(g, "FixtureItem");
        String path = RetainerPath.render(g, RetainerPath.shortest(g, item));
        if (internals) {
            // no user roots: distances and paths come from the GC roots
            assertThat(g.userRootCount()).isZero();
        } else {
            assertThat(g.userRootCount()).isPositive();
            assertThat(path).startsWith("global.fixtureHolder.items[").endsWith(" -> FixtureItem @" + s.id(item));
            assertThat(g.distance(item)).isEqualTo(4);
        }
        // capturedSecret is a closure variable: a context edge
        boolean captured = false;
        for (int e = 0; e < s.edgeCount() && !captured; e++) {
            captured = s.edgeType(e) == EdgeType.CONTEXT && s.edgeName(e).equals("capturedSecret");
        }
        assertThat(captured).isTrue();
        // strings survive decoding: the hostile ones verbatim, a non-ASCII one as Unicode
        assertThat(hasString(s, "<script>alert(1)</script>")).isTrue();
        assertThat(hasString(s, "\"><img src=x onerror=alert(1)>")).isTrue();
        assertThat(hasStringStartingWith(s, "fixture-unicode: caf\u00e9 \u00fcber \u65e5\u672c\u8a9e")).isTrue();
        // a WeakMap value is kept by its key, not by the map's table (DevTools' rule)
        int weakValue = firstOfClass(g, "FixtureWeakValue");
        int holder = g.pathParent(g.pathParent(item));   // items array -> fixtureHolder
        if (!internals) {
            assertThat(g.className(holder)).isEqualTo("Object");
            assertThat(g.idom(weakValue)).isEqualTo(holder);
        }
    }

    static int firstOfClass(HeapGraph g, String name) {
        HeapSnapshot s = g.snapshot();
        for (int v = 0; v < s.nodeCount(); v++) {
            if (s.type(v) == NodeType.OBJECT && g.className(v).equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no " + name);
    }

    static boolean hasString(HeapSnapshot s, String text) {
        for (int i = 0; i < s.strings().size(); i++) {
            if (s.strings().get(i).equals(text)) {
                return true;
            }
        }
        return false;
    }

    static boolean hasStringStartingWith(HeapSnapshot s, String text) {
        for (int i = 0; i < s.strings().size(); i++) {
            if (s.strings().get(i).startsWith(text)) {
                return true;
            }
        }
        return false;
    }
}
