package dev.leakhound.cli;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.SnapshotParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * analyze's diagnosis and the path, inspect and dominators commands, through {@link Cli#execute},
 * on a snapshot of a small real Node.js program: 150 Sessions in global.cache.items, 30 of them each
 * captured by a listener on one emitter (more than maxListeners), and an interval per 12 of them.
 */
class DiagnosisCommandsTest {
    static final String PROGRAM = String.join("\n",
            "const v8 = require('v8');",
            "const { EventEmitter } = require('events');",
            "class Session { constructor(i) { this.id = i; this.blob = Buffer.alloc(4000, `session-${i}-`).toString('latin1'); } }",
            "global.cache = { items: [] };",
            "for (let i = 0; i < 150; i++) global.cache.items.push(new Session(i));",
            "const bus = new EventEmitter();",
            "bus.setMaxListeners(1000);",
            "for (let i = 0; i < 30; i++) {",
            "  const s = global.cache.items[i];",
            "  bus.on('tick', function onTick() { s.seen = true; });",
            "}",
            "global.bus = bus;",
            "for (let i = 0; i < 12; i++) {",
            "  const s = global.cache.items[i];",
            "  setInterval(function refresh() { s.n = (s.n || 0) + 1; }, 60000).unref();",
            "}",
            "v8.writeHeapSnapshot(process.argv[2]);",
            "");

    @TempDir
    static Path tmp;
    static Path snapshot;
    static HeapGraph graph;

    @BeforeAll
    static void takeSnapshot() throws Exception {
        Path js = tmp.resolve("app.js");
        Files.writeString(js, PROGRAM);
        snapshot = tmp.resolve("app.heapsnapshot");
        Process p = new ProcessBuilder("node", js.toString(), snapshot.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        graph = HeapGraph.build(SnapshotParser.read(snapshot, ProgressListener.NONE));
    }

    record Result(int exit, String out, String err) {}

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The first node of a class whose shortest path is {@code prefix...}. */
    static int find(String className, String pathPrefix) {
        HeapSnapshot s = graph.snapshot();
        for (int v = 0; v < s.nodeCount(); v++) {
            if (graph.className(v).equals(className)
                    && RetainerPath.render(graph, RetainerPath.shortest(graph, v)).startsWith(pathPrefix)) {
                return v;
            }
        }
        throw new AssertionError("no " + className + " at " + pathPrefix);
    }

    @Test
    void analyzePrintsTheDiagnosisWithEvidence() {
        Result r = cli("analyze", snapshot.toString(), "--top", "3");
        assertThat(r.exit()).isZero();
        String out = r.out();
        assertThat(out).contains("Diagnosis\n").contains("Leak suspects (Eclipse MAT's method")
                .contains("Node.js leak patterns (by bytes at stake)");
        assertThat(out).contains("[listeners] 30 listeners for 'tick' on `bus` (EventEmitter @")
                .contains("30 × onTick() at " + tmp.resolve("app.js") + ":10:");
        assertThat(out).contains("[timers] 12 live setInterval timers run refresh() every 60000 ms");
        assertThat(out).contains("  Checked\n").contains("Note: Growth is not visible in one snapshot");
        // the sizes are small: nothing rests on size with the default 4 MB
        assertThat(out).doesNotContain("[collection]");
        Result low = cli("analyze", snapshot.toString(), "--min-bytes", "100KB", "--min-listeners", "40");
        assertThat(low.out()).contains("[collection] `cache.items` (Array) holds 150 entries, mostly Session")
                .doesNotContain("[listeners]");
    }

    @Test
    void analyzeJsonHasADiagnosisMember() {
        Result r = cli("analyze", snapshot.toString(), "--json", "--min-timers", "13");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\"diagnosis\" : {").contains("\"healthy\" : false").contains("\"kind\" : \"listeners\"")
                .contains("\"event\" : \"tick\"").contains("\"minTimers\" : 13").doesNotContain("\"kind\" : \"timers\"");
        Result none = cli("analyze", snapshot.toString(), "--json", "--no-diagnosis");
        assertThat(none.out()).doesNotContain("\"diagnosis\"");
    }

    @Test
    void analyzeRejectsBadThresholds() {
        Result r = cli("analyze", snapshot.toString(), "--min-bytes", "lots");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("leakhound: --min-bytes: 'lots' is not a size (e.g. 4MB, 512KB, 1048576)");
        Result p = cli("analyze", snapshot.toString(), "--suspect-percent", "0");
        assertThat(p.exit()).isEqualTo(2);
        assertThat(p.err()).startsWith("leakhound: --suspect-percent");
    }

    @Test
    void pathListsTheShortestRetainerPathsFirst() {
        int session = find("Session", "global.cache.items[");
        long id = graph.snapshot().id(session);
        int shortest = RetainerPath.shortest(graph, session).size();
        Result r = cli("path", snapshot.toString(), "@" + id, "-k", "3");
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Retainer paths to Session @" + id + " (Session), shortest first, weak edges excluded");
        assertThat(lines.get(1)).matches("  1\\. global\\.cache\\.items\\[\\d+\\] -> Session @" + id + " {3}\\[" + shortest + " edges\\]");
        assertThat(lines).hasSizeGreaterThanOrEqualTo(4);
        // the same without the @, as JSON
        Result j = cli("path", snapshot.toString(), Long.toString(id), "-k", "2", "--json");
        assertThat(j.exit()).isZero();
        assertThat(j.out()).contains("\"id\" : " + id).contains("\"length\" : " + shortest).contains("\"text\" : \"global.cache.items[");
    }

    @Test
    void inspectShowsClassSizesEdgesAndSource() {
        int fn = find("Function", "global.bus._events.tick[0]");
        long id = graph.snapshot().id(fn);
        Result r = cli("inspect", snapshot.toString(), "@" + id);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("onTick() @" + id + "\n").contains("  class          Function")
                .contains("  source         " + tmp.resolve("app.js") + ":10:")
                .contains("  path           global.bus._events.tick[0] -> onTick() @" + id)
                .contains("Edges (").contains("{context}").contains("Retainers (");
        Result j = cli("inspect", snapshot.toString(), "@" + id, "--json");
        assertThat(j.out()).contains("\"class\" : \"Function\"").contains("\"line\" : 10").contains("\"edges\" : [")
                .contains("\"retainedBytes\"");
    }

    @Test
    void dominatorsShowsTheSubtreeBiggestFirst() {
        int items = find("Array", "global.cache.items ->");
        long id = graph.snapshot().id(items);
        Result r = cli("dominators", snapshot.toString(), "@" + id, "--depth", "1", "--top", "5");
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("Dominator tree below Array @" + id);
        assertThat(lines.get(3)).contains("Array @" + id);
        assertThat(lines.subList(4, 9)).allMatch(l -> l.contains("Session @"));
        assertThat(lines.get(9)).contains("… ").contains(" more");
        Result root = cli("dominators", snapshot.toString(), "--depth", "2", "--json");
        assertThat(root.exit()).isZero();
        assertThat(root.out()).contains("\"root\" : {").contains("\"children\" : [");
    }

    @Test
    void unknownOrMalformedIdsAreOneLineErrors() {
        for (String cmd : List.of("path", "inspect", "dominators")) {
            Result r = cli(cmd, snapshot.toString(), "@4294967295");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("leakhound: no object @4294967295 in " + snapshot + "\n");
            Result bad = cli(cmd, snapshot.toString(), "@12x");
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).isEqualTo("leakhound: '@12x' is not an object id (expected @123 or 123)\n");
        }
    }
}
