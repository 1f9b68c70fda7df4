package dev.leakhound.analysis.diagnosis;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.graph.IdIndex;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.SnapshotParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detectors on real snapshots of the example apps (one snapshot each, 3 s after start): each
 * pattern's detector fires on its example with the evidence the example's code explains, and the
 * healthy examples get no finding. Detectors that rest on size run with min-bytes 100 KB, because
 * 3 seconds of leaking is a few hundred KB (the default, 4 MB, is checked separately); the shape
 * detectors (listeners, timers, closure chains) fire with their defaults.
 */
class ExamplesDiagnosisTest {
    static final List<String> LEAKING = List.of("listeners-per-request", "reconnect-listeners", "intervals-never-cleared",
            "closure-context", "closures-in-array", "global-array", "http-map-of-requests", "memoize-cache", "audit-log",
            "slow-consumer-queue", "buffers-kept");
    static final List<String> HEALTHY = List.of("bounded-lru-cache", "listeners-removed", "timers-cleared", "drained-queue",
            "weak-refs", "healthy-http-server", "short-lived-garbage");
    static final DiagnosisOptions LOW = DiagnosisOptions.defaults().withMinBytes(100 * 1024);

    @TempDir
    static Path tmp;
    static Map<String, Path> snapshots;
    static final Map<String, Run> runs = new HashMap<>();

    record Run(HeapGraph g, IdIndex ids, Diagnosis low, Diagnosis defaults) {}

    @BeforeAll
    static void takeSnapshots() throws Exception {
        java.util.List<String> all = new java.util.ArrayList<>(LEAKING);
        all.addAll(HEALTHY);
        snapshots = ExampleSnapshots.take(tmp, all);
    }

    static synchronized Run run(String name) {
        return runs.computeIfAbsent(name, n -> {
            HeapSnapshot s = SnapshotParser.read(snapshots.get(n), ProgressListener.NONE);
            HeapGraph g = HeapGraph.build(s);
            return new Run(g, IdIndex.of(s), Diagnosis.run(g, LOW, null), Diagnosis.run(g, DiagnosisOptions.defaults(), null));
        });
    }

    static Finding only(Diagnosis d, String kind) {
        List<Finding> f = d.findings().stream().filter(x -> x.kind().equals(kind)).toList();
        assertThat(f).as("%s findings in %s", kind, d.findings().stream().map(Finding::title).toList()).hasSize(1);
        return f.get(0);
    }

    static Object fact(Finding f, String name) {
        return f.evidence().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no fact '" + name + "' in " + f.evidence())).value();
    }

    @SuppressWarnings("unchecked")
    static List<String> list(Finding f, String name) {
        return (List<String>) fact(f, name);
    }

    /** Each sample id is a node of the snapshot with this class. */
    static void samplesAre(Run r, Finding f, String className) {
        assertThat(f.sampleIds()).isNotEmpty();
        for (long id : f.sampleIds()) {
            int v = r.ids().ordinalOf(id);
            assertThat(v).as("sample @%d", id).isGreaterThanOrEqualTo(0);
            assertThat(r.g().className(v)).isEqualTo(className);
        }
    }

    @Test
    void listenersAddedPerRequest() throws Exception {
        Run r = run("listeners-per-request");
        Finding f = only(r.defaults(), "listeners");
        assertThat(f.title()).contains("'config-changed'").contains("`eventBus`").contains("EventBus");
        assertThat(fact(f, "event")).isEqualTo("config-changed");
        assertThat((Long) fact(f, "listeners")).isGreaterThan(50).isEqualTo(f.count());
        assertThat(list(f, "functions")).singleElement().asString().endsWith("× onConfigChanged() at " + f.location());
        assertThat(f.location().file()).endsWith("listeners-per-request.js");
        assertThat(f.location().line()).isEqualTo(ExampleSnapshots.lineOf("listeners-per-request.js", "function onConfigChanged"));
        assertThat(list(f, "captures").get(0)).startsWith("ctx → RequestContext @");
        assertThat(fact(f, "warning")).asString().contains("MaxListenersExceededWarning");
        assertThat(f.pathText()).contains("eventBus._events[\"config-changed\"] -> Array @" + f.id());
        assertThat(f.bytes()).isGreaterThan(f.count() * 1024);   // each keeps a ~1 KB RequestContext
        samplesAre(r, f, "Function");
        assertThat(r.g().snapshot().name(r.ids().ordinalOf(f.sampleIds().get(0)))).isEqualTo("onConfigChanged");
    }

    @Test
    void listenersAddedPerReconnect() throws Exception {
        Run r = run("reconnect-listeners");
        Finding f = only(r.defaults(), "listeners");
        assertThat(fact(f, "event")).isEqualTo("shutdown");
        assertThat(f.title()).contains("`appEvents`");
        assertThat(f.location().line()).isEqualTo(ExampleSnapshots.lineOf("reconnect-listeners.js", "function closeOnShutdown"));
        assertThat(String.join("\n", list(f, "captures"))).contains("session → ClientSession @").contains("socket → ");
    }

    @Test
    void intervalsNeverCleared() throws Exception {
        Run r = run("intervals-never-cleared");
        Finding f = only(r.defaults(), "timers");
        assertThat(f.count()).isGreaterThan(50);
        assertThat(fact(f, "kind")).isEqualTo("repeating (setInterval)");
        assertThat(fact(f, "delay")).asString().startsWith("30000 ms");
        assertThat(fact(f, "callback")).asString().startsWith("pollSession() at ");
        assertThat(f.location().line()).isEqualTo(ExampleSnapshots.lineOf("intervals-never-cleared.js", "function pollSession"));
        assertThat(list(f, "captures").get(0)).startsWith("session → PollingSession @");
        assertThat(f.title()).contains("setInterval").contains("pollSession()").contains("every 30000 ms");
        assertThat(f.bytes()).isGreaterThan(f.count() * 2048);   // each keeps a ~2 KB PollingSession
        samplesAre(r, f, "Timeout");
    }

    @Test
    void replaceThingClosureChain() throws Exception {
        Run r = run("closure-context");
        Finding f = only(r.defaults(), "closure-chain");
        assertThat(f.count()).isGreaterThanOrEqualTo(10);
        assertThat(fact(f, "linking variable")).asString().startsWith("originalThing → Object @");
        assertThat(fact(f, "scope")).asString().startsWith("replaceThing()'s scope");
        assertThat(fact(f, "link")).asString().startsWith("::originalThing.someMethod");
        assertThat(list(f, "held by").get(0)).contains("someMethod() at ");
        assertThat(f.location().line()).isEqualTo(ExampleSnapshots.lineOf("closure-context.js", "someMethod: function"));
        // every link holds a 20 KB longStr
        assertThat((Long) fact(f, "per link")).isGreaterThan(19_000L);
        samplesAre(r, f, "system / Context");
    }

    @Test
    void closuresPushedToAnArray() throws Exception {
        Run r = run("closures-in-array");
        Finding c = only(r.low(), "collection");
        assertThat(c.title()).startsWith("`pendingCallbacks` (Array)");
        assertThat(list(c, "entries by class").get(0)).startsWith("Function ×");
        Finding s = only(r.low(), "closure-scope");
        assertThat(fact(s, "scope")).asString().startsWith("acceptJob()'s scope");
        assertThat(list(s, "variables").get(0)).startsWith("job → JobPayload ×");
        assertThat(s.location().line()).isEqualTo(ExampleSnapshots.lineOf("closures-in-array.js", "pendingCallbacks.push("));
    }

    @Test
    void arraysThatOnlyGrow() throws Exception {
        Finding g = only(run("global-array").low(), "collection");
        assertThat(g.title()).startsWith("`leakArray` (Array)");
        assertThat(g.pathText()).startsWith("global.leakArray -> Array @");
        assertThat(list(g, "entries by class").get(0)).startsWith("RequestRecord ×");
        assertThat(fact(g, "if it is a queue")).asString().contains("find-leaks");
        samplesAre(run("global-array"), g, "RequestRecord");

        Finding a = only(run("audit-log").low(), "collection");
        assertThat(a.title()).startsWith("`auditEntries` (Array)");
        assertThat(list(a, "entries by class").get(0)).startsWith("AuditEntry ×");

        Finding q = only(run("slow-consumer-queue").low(), "collection");
        assertThat(q.title()).startsWith("`jobQueue` (Array)");
        assertThat(q.fix()).contains("queue").contains("find-leaks");
        assertThat(run("slow-consumer-queue").low().notes().get(0)).contains("queue").contains("second snapshot")
                .contains("leakhound find-leaks");
    }

    @Test
    void mapsThatOnlyGrow() throws Exception {
        Finding m = only(run("memoize-cache").low(), "collection");
        assertThat(m.title()).startsWith("`renderProfile::cache` (Map)");
        assertThat(list(m, "sample keys")).allMatch(k -> k.startsWith("\"user:") || k.startsWith("(concatenated string)"));
        assertThat(list(m, "entries by class").get(0)).startsWith("RenderedFragment ×");
        assertThat(m.count()).isGreaterThan(50);

        Run r = run("http-map-of-requests");
        Finding h = r.low().findings().stream().filter(x -> x.kind().equals("collection")).findFirst().orElseThrow();
        assertThat(h.title()).startsWith("`requests` (Map)");
        assertThat(fact(h, "sample keys")).asString().startsWith("numbers");
        assertThat(list(h, "entries by class").get(0)).startsWith("PendingRequest ×");
    }

    @Test
    void duplicateStringsFromParsedPayloads() throws Exception {
        // each order body carries comment: 'x'.repeat(600); JSON.parse makes a new copy per request
        Finding d = only(run("http-map-of-requests").low(), "duplicate-strings");
        String top = list(d, "top duplicates").get(0);
        assertThat(top).startsWith("\"xxxxxxxxxx").contains("order.comment");
        assertThat(d.title()).contains("\"xxxxxxxxxx");
        assertThat(d.bytes()).isGreaterThan(50 * 600);
        samplesAre(run("http-map-of-requests"), d, "(string)");
    }

    @Test
    void buffersKeptOutsideTheHeap() throws Exception {
        Run r = run("buffers-kept");
        Finding f = only(r.low(), "external-memory");
        assertThat(f.title()).contains("ChunkRecord objects (.data) in `retainedChunks` (Array)");
        assertThat(fact(f, "owners")).asString().startsWith("ChunkRecord");
        long stores = (Long) fact(f, "backing stores");
        assertThat(stores).isGreaterThan(50);
        assertThat(f.bytes()).isGreaterThanOrEqualTo(stores * 4096);
        // independently: the backing stores with a ChunkRecord among their dominators
        HeapSnapshot s = r.g().snapshot();
        long sum = 0;
        for (int v = 0; v < s.nodeCount(); v++) {
            if (s.type(v) == NodeType.NATIVE && s.name(v).equals("system / JSArrayBufferData")) {
                for (int d = r.g().idom(v), i = 0; d >= 0 && i < 8; d = r.g().idom(d), i++) {
                    if (r.g().className(d).equals("ChunkRecord")) {
                        sum += s.selfSize(v);
                        break;
                    }
                }
            }
        }
        assertThat(f.bytes()).isEqualTo(sum);
        samplesAre(r, f, "ChunkRecord");
    }

    @ParameterizedTest
    @ValueSource(strings = {"listeners-removed", "timers-cleared", "drained-queue", "weak-refs", "healthy-http-server",
        "short-lived-garbage"})
    void healthyExamplesGetNoFindingEvenWithLowThresholds(String name) {
        Diagnosis d = run(name).low();
        assertThat(d.findings()).as(name).isEmpty();
        assertThat(d.suspects()).as(name).isEmpty();
        assertThat(d.healthy()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bounded-lru-cache", "listeners-removed", "timers-cleared", "drained-queue", "weak-refs",
        "healthy-http-server", "short-lived-garbage"})
    void healthyExamplesLookHealthyWithDefaults(String name) {
        Diagnosis d = run(name).defaults();
        assertThat(d.healthy()).as(name + ": " + d.findings()).isTrue();
        assertThat(d.verdict()).contains("looks healthy");
    }

    /**
     * A full bounded cache and a growing Map look alike in one snapshot: with thresholds below its size
     * the LRU's Map is reported as a large collection, and the fix says how to tell the two apart.
     */
    @Test
    void aFullBoundedCacheIsOnlyALargeCollection() {
        Diagnosis d = run("bounded-lru-cache").low();
        Finding f = only(d, "collection");
        assertThat(f.title()).startsWith("`pageCache.entries` (Map) holds 2,000 entries");
        assertThat(f.fix()).contains("find-leaks");
        assertThat(d.findings()).extracting(Finding::kind).containsOnly("collection");
    }

    /** Node's own listeners, timers, scopes and collections are never reported in any example. */
    @Test
    void nodeInternalsAreNeverReported() {
        for (String name : LEAKING) {
            for (Finding f : run(name).low().findings()) {
                if (f.location() != null) {
                    assertThat(f.location().isUserCode()).as(name + ": " + f.title()).isTrue();
                }
                assertThat(f.pathText()).as(name).doesNotContain("BuiltinModule");
            }
        }
    }

    /** Findings are ranked by bytes at stake. */
    @Test
    void findingsAreRankedByBytes() {
        for (String name : LEAKING) {
            assertThat(run(name).low().findings()).extracting(Finding::bytes).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        }
    }

    @Test
    void sampleIdsOfEveryFindingExist() {
        for (String name : LEAKING) {
            Run r = run(name);
            for (Finding f : r.low().findings()) {
                for (long id : f.sampleIds()) {
                    int v = r.ids().ordinalOf(id);
                    assertThat(v).as(name + " " + f.kind() + " @" + id).isGreaterThanOrEqualTo(0);
                    assertThat(r.g().snapshot().type(v)).isNotEqualTo(NodeType.SYNTHETIC);
                }
            }
        }
    }
}
