package dev.leakhound.core.snapshot;

import dev.leakhound.core.LeakhoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotRedactorTest {
    @TempDir
    Path dir;

    private static final byte[] KEY = "a key of sixteen bytes or more".getBytes(StandardCharsets.US_ASCII);

    static Path fixture(String name) {
        return Path.of(System.getProperty("leakhound.root", "..")).toAbsolutePath().normalize()
                .resolve("testdata/snapshots").resolve(name);
    }

    private SnapshotRedactor.Result redact(Path in, Path out, RedactLevel level) {
        return SnapshotRedactor.redact(in, out, level, KEY, ProgressListener.NONE, ReadOptions.defaults());
    }

    /** How each string index is used in {@code s}, computed from the parsed snapshot (the oracle). */
    private record Uses(boolean[] value, boolean[] structural, boolean[] property) {
        static Uses of(HeapSnapshot s) {
            return of(s, "");
        }

        /** With the names of {@code json}'s trace_function_infos (V8's fields: name and script_name of six). */
        static Uses of(HeapSnapshot s, String json) {
            int n = s.strings().size();
            boolean[] v = new boolean[n];
            boolean[] st = new boolean[n];
            boolean[] p = new boolean[n];
            for (int i = 0; i < s.nodeCount(); i++) {
                int t = s.type(i);
                boolean isValue = NodeType.isString(t) || t == NodeType.NUMBER || t == NodeType.REGEXP
                        || t >= NodeType.FIRST_UNKNOWN;
                (isValue ? v : st)[s.nameIndex(i)] = true;
            }
            for (int e = 0; e < s.edgeCount(); e++) {
                int t = s.edgeType(e);
                if (t == EdgeType.PROPERTY || t == EdgeType.CONTEXT) {
                    p[s.edgeNameOrIndex(e)] = true;
                } else if (EdgeType.nameIsString(t)) {
                    st[s.edgeNameOrIndex(e)] = true;
                }
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"trace_function_infos\":\\[([0-9,\\s]*)]")
                    .matcher(json);
            if (m.find() && !m.group(1).isBlank()) {
                assertThat(json).contains("\"trace_function_info_fields\":[\"function_id\",\"name\",\"script_name\",");
                String[] values = m.group(1).split(",");
                for (int k = 0; k < values.length; k++) {
                    if (k % 6 == 1 || k % 6 == 2) {
                        st[Integer.parseInt(values[k].strip())] = true;
                    }
                }
            }
            return new Uses(v, st, p);
        }

        /** The rule of {@link SnapshotRedactor}, written out again. */
        boolean kept(int i, String text, RedactLevel level) {
            if (text.isEmpty()) {
                return true;
            }
            switch (level) {
                case FULL:
                    return i == 0 && text.equals("<dummy>");
                case BASIC:
                    if (structural[i] || property[i]) {
                        return true;
                    }
                    break;
                default:
                    if (structural[i] || property[i] && SnapshotRedactor.isKnownProperty(text)) {
                        return true;
                    }
            }
            return i == 0 && text.equals("<dummy>") || List.of("(concatenated string)", "(sliced string)", "heap number",
                    "symbol", "bigint").contains(text);
        }
    }

    /** Same graph, and every string either the original or its replacement, as the rule says. */
    private static void assertRedacted(HeapSnapshot a, HeapSnapshot b, RedactLevel level, String seed) {
        assertRedacted(a, b, level, seed, "");
    }

    private static void assertRedacted(HeapSnapshot a, HeapSnapshot b, RedactLevel level, String seed, String json) {
        assertThat(b.nodeCount()).as(seed).isEqualTo(a.nodeCount());
        assertThat(b.edgeCount()).as(seed).isEqualTo(a.edgeCount());
        for (int i = 0; i < a.nodeCount(); i++) {
            if (a.type(i) != b.type(i) || a.nameIndex(i) != b.nameIndex(i) || a.id(i) != b.id(i)
                    || a.selfSize(i) != b.selfSize(i) || a.firstEdge(i) != b.firstEdge(i)) {
                throw new AssertionError(seed + ": node " + i + " differs");
            }
        }
        for (int e = 0; e < a.edgeCount(); e++) {
            if (a.edgeType(e) != b.edgeType(e) || a.edgeNameOrIndex(e) != b.edgeNameOrIndex(e) || a.edgeTo(e) != b.edgeTo(e)) {
                throw new AssertionError(seed + ": edge " + e + " differs");
            }
        }
        assertThat(b.locations().size()).as(seed).isEqualTo(a.locations().size());
        assertThat(b.strings().size()).as(seed).isEqualTo(a.strings().size());
        Uses u = Uses.of(a, json);
        for (int i = 0; i < a.strings().size(); i++) {
            String was = a.strings().get(i);
            String now = b.strings().get(i);
            if (u.kept(i, was, level)) {
                assertThat(now).as("%s: string %d kept", seed, i).isEqualTo(was);
            } else {
                assertThat(now).as("%s: string %d (%s) replaced", seed, i, was).startsWith(SnapshotRedactor.PREFIX)
                        .hasSize(a.strings().byteLength(i) >= SnapshotRedactor.CUT ? SnapshotRedactor.CUT : 25);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"node14.heapsnapshot.gz", "node20.heapsnapshot.gz", "node20-alloc-tracking.heapsnapshot.gz",
        "node20-numeric-values.heapsnapshot.gz", "node24.heapsnapshot.gz", "node24-alloc-tracking.heapsnapshot.gz"})
    void basicKeepsTheGraphAndEveryNameAndReplacesTheValues(String name) throws IOException {
        Path in = fixture(name);
        Path out = dir.resolve("r.heapsnapshot");
        SnapshotRedactor.Result r = redact(in, out, RedactLevel.BASIC);
        HeapSnapshot a = SnapshotParser.read(in);
        HeapSnapshot b = SnapshotParser.read(out);
        byte[] orig = new java.util.zip.GZIPInputStream(Files.newInputStream(in)).readAllBytes();
        assertRedacted(a, b, RedactLevel.BASIC, name, new String(orig, StandardCharsets.ISO_8859_1));
        assertThat(r.strings()).isEqualTo(a.strings().size());
        assertThat(r.replaced()).isPositive();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        // up to the strings section, the file is the original byte for byte
        byte[] red = Files.readAllBytes(out);
        int at = indexOf(orig, "\"strings\":[".getBytes(StandardCharsets.US_ASCII));
        assertThat(at).isPositive();
        assertThat(java.util.Arrays.equals(orig, 0, at, red, 0, at)).isTrue();
    }

    @Test
    void fullReplacesEveryStringAndGzipOutIsGzip() throws IOException {
        Path in = fixture("node20.heapsnapshot.gz");
        Path out = dir.resolve("r.heapsnapshot.gz");
        redact(in, out, RedactLevel.FULL);
        byte[] head = new byte[2];
        try (var s = Files.newInputStream(out)) {
            assertThat(s.read(head)).isEqualTo(2);
        }
        assertThat(head).containsExactly(0x1f, 0x8b);
        assertRedacted(SnapshotParser.read(in), SnapshotParser.read(out), RedactLevel.FULL, "node20 full");
    }

    @Test
    void namesKeepsClassNamesAndTheNamesAnalysisReadsAndReplacesTheOtherPropertyAndVariableNames() throws IOException {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 0);
        int global = b.node(NodeType.OBJECT, "global", 40);
        int map = b.node(NodeType.OBJECT, "Map", 32);
        int key = b.node(NodeType.STRING, "map-key-7f3a9c2e1b", 48);
        int token = b.node(NodeType.STRING, "tok-5d1e8f2a0c", 48);
        int fn = b.node(NodeType.CLOSURE, "handler", 64);
        int ctx = b.node(NodeType.OBJECT, "system / Context", 24);
        int emitter = b.node(NodeType.OBJECT, "EventEmitter", 24);
        int dict = b.node(NodeType.OBJECT, "Object", 24);
        b.edge(root, EdgeType.SHORTCUT, "1", global);
        b.edge(global, EdgeType.PROPERTY, "Map", map);             // a global named after a class
        b.edge(global, EdgeType.PROPERTY, "handler", fn);
        b.edge(global, EdgeType.PROPERTY, "emitter", emitter);
        b.edge(global, EdgeType.PROPERTY, "sessions", dict);
        b.edge(map, EdgeType.INTERNAL, "table", key);
        b.edge(fn, EdgeType.INTERNAL, "context", ctx);
        b.edge(ctx, EdgeType.CONTEXT, "apiToken", token);
        b.edge(emitter, EdgeType.PROPERTY, "_events", dict);
        b.edge(dict, EdgeType.PROPERTY, "tok-5d1e8f2a0c", map);    // a secret used as a property key
        Path in = dir.resolve("in.heapsnapshot");
        Files.write(in, new SnapshotJson().bytes(b.build()));
        HeapSnapshot basic = SnapshotParser.read(redactTo(in, "basic.heapsnapshot", RedactLevel.BASIC));
        HeapSnapshot names = SnapshotParser.read(redactTo(in, "names.heapsnapshot", RedactLevel.NAMES));
        assertThat(basic.name(key)).startsWith(SnapshotRedactor.PREFIX);         // a Map key is a value
        assertThat(basic.name(token)).isEqualTo("tok-5d1e8f2a0c");                // also a property name: kept at basic
        assertThat(basic.edgeName(basic.firstEdge(ctx))).isEqualTo("apiToken");
        assertThat(names.name(token)).startsWith(SnapshotRedactor.PREFIX);        // ...and replaced at names
        assertThat(names.edgeName(names.firstEdge(ctx))).startsWith(SnapshotRedactor.PREFIX);
        assertThat(names.name(map)).isEqualTo("Map");
        assertThat(names.edgeName(names.firstEdge(global))).isEqualTo("Map");
        assertThat(names.edgeName(names.firstEdge(global) + 1)).isEqualTo("handler");   // a function's name too
        assertThat(names.edgeName(names.firstEdge(global) + 2)).startsWith(SnapshotRedactor.PREFIX);
        assertThat(names.edgeName(names.firstEdge(emitter))).isEqualTo("_events");
        assertThat(names.edgeName(names.firstEdge(fn))).isEqualTo("context");
        for (String s : new String[] {"map-key-7f3a9c2e1b", "tok-5d1e8f2a0c", "apiToken", "sessions"}) {
            assertThat(new String(Files.readAllBytes(dir.resolve("names.heapsnapshot")), StandardCharsets.UTF_8))
                    .doesNotContain(s);
        }
    }

    private Path redactTo(Path in, String name, RedactLevel level) {
        Path out = dir.resolve(name);
        redact(in, out, level);
        return out;
    }

    static LongStream seeds() {
        return LongStream.range(0, 60).map(i -> 0x5EEDL * 31 + i);
    }

    private static final String ALPHABET = "abcXYZ019 _-/\\\"\n\t\u00e9\u4e2d\u0001";

    private static String randomText(Random r, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /**
     * Random graphs whose strings are used as values, names or both, written in V8's key order or another: the
     * copy keeps the graph, each string is kept or replaced as the rule says, equal strings get equal replacements,
     * and the text of no replaced token is left anywhere in the file, raw or JSON-escaped.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void randomSnapshotsAreRedactedByTheRule(long seed) throws IOException {
        Random r = new Random(seed);
        String at = "seed " + seed;
        List<String> pool = new ArrayList<>();
        for (int i = 0, n = 5 + r.nextInt(30); i < n; i++) {
            int len = r.nextInt(10) == 0 ? 1000 + r.nextInt(100) : 1 + r.nextInt(40);
            pool.add("T" + seed + "x" + i + "y" + randomText(r, len));
        }
        int[] types = {NodeType.STRING, NodeType.CONCATENATED_STRING, NodeType.SLICED_STRING, NodeType.NUMBER,
            NodeType.REGEXP, NodeType.OBJECT, NodeType.CLOSURE, NodeType.CODE, NodeType.HIDDEN, NodeType.NATIVE,
            NodeType.ARRAY, NodeType.SYMBOL};
        int[] edgeTypes = {EdgeType.CONTEXT, EdgeType.ELEMENT, EdgeType.PROPERTY, EdgeType.INTERNAL, EdgeType.HIDDEN,
            EdgeType.SHORTCUT, EdgeType.WEAK};
        SnapshotBuilder b = new SnapshotBuilder();
        int nodes = 2 + r.nextInt(60);
        b.node(NodeType.SYNTHETIC, "", 0);
        for (int i = 1; i < nodes; i++) {
            int t = types[r.nextInt(types.length)];
            b.node(t, pool.get(r.nextInt(pool.size())), r.nextInt(100));
        }
        for (int from = 0; from < nodes; from++) {
            for (int k = 0, m = r.nextInt(4); k < m; k++) {
                int t = edgeTypes[r.nextInt(edgeTypes.length)];
                int to = r.nextInt(nodes);
                if (EdgeType.nameIsString(t)) {
                    b.edge(from, t, pool.get(r.nextInt(pool.size())), to);
                } else {
                    b.edge(from, t, r.nextInt(10), to);
                }
            }
        }
        HeapSnapshot a = b.build();
        SnapshotJson json = new SnapshotJson();
        switch (r.nextInt(3)) {
            case 0 -> json.stringsFirst = true;
            case 1 -> json.nodesBeforeHeader = true;
            default -> { }
        }
        if (r.nextBoolean()) {
            json.indent = "\n  ";
        }
        Path in = dir.resolve("g.heapsnapshot");
        Files.write(in, json.bytes(a));
        RedactLevel level = RedactLevel.values()[r.nextInt(3)];
        Path out = dir.resolve("g-out.heapsnapshot");
        redact(in, out, level);
        HeapSnapshot red = SnapshotParser.read(out);
        assertRedacted(a, red, level, at + " " + level);
        // equal strings, equal replacements: a second copy with the same key is the same file
        Path again = dir.resolve("g-again.heapsnapshot");
        redact(in, again, level);
        assertThat(Files.readAllBytes(again)).as(at).isEqualTo(Files.readAllBytes(out));
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < red.strings().size(); i++) {
            Integer before = seen.put(red.strings().get(i), i);
            assertThat(before).as("%s: strings %s and %d replaced alike", at, before, i).isNull();
        }
        // no replaced text survives: look for its distinctive head, raw and as V8 escapes it
        byte[] bytes = Files.readAllBytes(out);
        Uses u = Uses.of(a);
        for (int i = 2; i < a.strings().size(); i++) {
            String s = a.strings().get(i);
            if (!u.kept(i, s, level)) {
                String head = s.substring(0, s.indexOf('y') + 1);
                assertThat(indexOf(bytes, head.getBytes(StandardCharsets.UTF_8))).as("%s: %s left", at, head).isNegative();
                String quoted = SnapshotJson.quote(s);
                assertThat(indexOf(bytes, quoted.getBytes(StandardCharsets.UTF_8))).as(at).isNegative();
            }
        }
    }

    @Test
    void errorsAreOneLineAndLeaveNoFile() throws IOException {
        Path in = dir.resolve("in.heapsnapshot");
        Files.write(in, new SnapshotJson().bytes(SnapshotParserTest.sample()));
        assertThatThrownBy(() -> redact(in, in, RedactLevel.BASIC)).isInstanceOf(LeakhoundException.class)
                .hasMessageContaining("is the input file; refusing to overwrite it");
        assertThatThrownBy(() -> redact(in, dir.resolve("../" + dir.getFileName() + "/./in.heapsnapshot"), RedactLevel.BASIC))
                .hasMessageContaining("is the input file");
        assertThatThrownBy(() -> redact(dir.resolve("missing"), dir.resolve("o"), RedactLevel.BASIC))
                .isInstanceOf(LeakhoundException.class).hasMessage(dir.resolve("missing") + ": no such file");
        assertThatThrownBy(() -> redact(in, dir.resolve("no/such/o"), RedactLevel.BASIC))
                .hasMessageContaining("cannot write: no such directory");
        assertThatThrownBy(() -> redact(in, dir, RedactLevel.BASIC)).hasMessageContaining("is a directory");
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> redact(text, dir.resolve("o"), RedactLevel.BASIC))
                .isInstanceOf(SnapshotFormatException.class).hasMessageContaining("not a V8 heap snapshot");
        // a member this version does not know may hold text: refused, not copied
        String json = new SnapshotJson().write(SnapshotParserTest.sample());
        Path extra = dir.resolve("extra.heapsnapshot");
        Files.writeString(extra, json.replace("\"samples\":[]", "\"samples\":[],\"notes\":[\"password=hunter2\"]"));
        assertThatThrownBy(() -> redact(extra, dir.resolve("o"), RedactLevel.BASIC))
                .hasMessageContaining("unknown top-level member 'notes'");
        Path textInSamples = dir.resolve("samples.heapsnapshot");
        Files.writeString(textInSamples, json.replace("\"samples\":[]", "\"samples\":[1,\"hunter2\"]"));
        assertThatThrownBy(() -> redact(textInSamples, dir.resolve("o"), RedactLevel.BASIC))
                .hasMessageContaining("expected only numbers in 'samples'");
        Path cut = dir.resolve("cut.heapsnapshot");
        Files.writeString(cut, json.substring(0, json.length() - 5));
        assertThatThrownBy(() -> redact(cut, dir.resolve("o"), RedactLevel.BASIC))
                .isInstanceOf(SnapshotFormatException.class).hasMessageContaining("truncated");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(f -> f.equals("o") || f.endsWith(".part"));
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
