package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.ExampleSnapshots;
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
        snapshots = ExampleSnapshots.one(tmp, all, 3000);
    }

    static synchronized Run run(String name) {
        return runs.computeIfAbsent(name, n -> {
            HeapSnapshot s = SnapshotParser.read(snapshots.get(n), ProgressListener.NONE);
            HeapGraph g = HeapGraph.build(s);
            return new Run(g, IdIndex.of(s), Diagnosis.run(g, LOW, null, null),
                    Diagnosis.run(g, DiagnosisOptions.defaults(), null, null));
        });
    }

    static Finding only(Diagnosis d, FindingKind kind) {
        List<Finding> f = d.findings().stream().filter(x -> x.kind() == kind).toList();
        assertThat(f).as("%s findings in %s", kind, d.findings()).hasSize(1);
        return f.get(0);
    }

    @SuppressWarnings("unchecked")
    static <T extends Finding.Detail> T detail(Finding f, Class<T> type) {
        assertThat(f.detail()).isInstanceOf(type);
        return (T) f.detail();
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
        Finding f = only(r.defaults(), FindingKind.LISTENERS);
        Finding.Listeners l = detail(f, Finding.Listeners.class);
        assertThat(l.event()).isEqualTo("config-changed");
        assertThat(l.emitterName()).isEqualTo("eventBus");
        assertThat(l.emitter().className()).isEqualTo("EventBus");
        assertThat(l.listeners()).isGreaterThan(50).isEqualTo(f.count());
        assertThat(l.functions()).singleElement().satisfies(fc -> {
            assertThat(fc.count()).isEqualTo(l.listeners());
            assertThat(fc.function().label()).isEqualTo("onConfigChanged()");
            assertThat(fc.function().location()).isEqualTo(f.location());
        });
        assertThat(l.otherFunctions()).isZero();
        assertThat(f.location().file()).endsWith("listeners-per-request.js");
        assertThat(f.location().line()).isEqualTo(ExampleSnapshots.lineOf("listeners-per-request.js", "function onConfigChanged"));
        assertThat(l.captures().get(0).variable()).isEqualTo("ctx");
        assertThat(l.captures().get(0).target().className()).isEqualTo("RequestContext");
        assertThat(l.warned()).isTrue();
        assertThat(f.pathText()).contains("eventBus._events[\"config-changed\"] -> Array @" + f.id());
        assertThat(f.bytes()).isGreaterThan(f.count() * 1024);   // each keeps a ~1 KB RequestContext
        samplesAre(r, f, "Function");
        assertThat(r.g().snapshot().name(r.ids().ordinalOf(f.sampleIds().get(0)))).isEqualTo("onConfigChanged");
    }

    @Test
    void listenersAddedPerReconnect() throws Exception {
        Run r = run("reconnect-listeners");
        Finding f = only(r.defaults(), FindingKind.LISTENERS);
        Finding.Listeners l = detail(f, Finding.Listeners.class);
        assertThat(l.event()).isEqualTo("shutdown");
        assertThat(l.emitterName()).isEqualTo("appEvents");
        assertThat(f.location().line()).isEqualTo(ExampleSnapshots.lineOf("reconnect-listeners.js", "function closeOnShutdown"));
        assertThat(l.captures()).extracting(Finding.Captured::variable).contains("session", "socket");
        assertThat(l.captures()).filteredOn(c -> c.variable().equals("session"))
                .extracting(c -> c.target().className()).containsExactly("ClientSession");
    }

    @Test
    void intervalsNeverCleared() throws Exception {
        Run r = run("intervals-never-cleared");
        Finding f = only(r.defaults(), FindingKind.TIMERS);
        Finding.Timers t = detail(f, Finding.Timers.class);
        assertThat(f.count()).isGreaterThan(50).isEqualTo(t.timers());
        assertThat(t.repeating()).isEqualTo(t.timers());
        assertThat(t.delayMs()).isEqualTo(30_000);
        assertThat(t.callback().label()).isEqualTo("pollSession()");
        assertThat(f.location().line()).isEqualTo(ExampleSnapshots.lineOf("intervals-never-cleared.js", "function pollSession"));
        assertThat(t.captures().get(0).variable()).isEqualTo("session");
        assertThat(t.captures().get(0).target().className()).isEqualTo("PollingSession");
        assertThat(f.bytes()).isGreaterThan(f.count() * 2048);   // each keeps a ~2 KB PollingSession
        samplesAre(r, f, "Timeout");
    }

    @Test
    void replaceThingClosureChain() throws Exception {
        Run r = run("closure-context");
        Finding f = only(r.defaults(), FindingKind.CLOSURE_CHAIN);
        Finding.ClosureChain c = detail(f, Finding.ClosureChain.class);
        assertThat(f.count()).isGreaterThanOrEqualTo(10).isEqualTo(c.links());
        assertThat(c.variable()).isEqualTo("originalThing");
        assertThat(c.linkTarget().className()).isEqualTo("Object");
        assertThat(c.scopeFunction()).isEqualTo("replaceThing");
        assertThat(c.link()).startsWith("::originalThing.someMethod");
        assertThat(c.holders().get(0).function().label()).isEqualTo("someMethod()");
        assertThat(f.location().line()).isEqualTo(ExampleSnapshots.lineOf("closure-context.js", "someMethod: function"));
        // every link holds a 20 KB longStr
        assertThat(c.bytesPerLink()).isGreaterThan(19_000L);
        samplesAre(r, f, "system / Context");
    }

    @Test
    void closuresPushedToAnArray() throws Exception {
        Run r = run("closures-in-array");
        Finding c = only(r.low(), FindingKind.COLLECTION);
        Finding.Collection col = detail(c, Finding.Collection.class);
        assertThat(col.holderName()).isEqualTo("pendingCallbacks");
        assertThat(col.collectionKind()).isEqualTo(dev.leakhound.analysis.nodejs.Collections.Kind.ARRAY);
        assertThat(col.byClass().get(0).className()).isEqualTo("Function");
        Finding s = only(r.low(), FindingKind.CLOSURE_SCOPE);
        Finding.ClosureScope sc = detail(s, Finding.ClosureScope.class);
        assertThat(sc.scopeFunction()).isEqualTo("acceptJob");
        assertThat(sc.variables().get(0).name()).isEqualTo("job");
        assertThat(sc.variables().get(0).className()).isEqualTo("JobPayload");
        assertThat(s.location().line()).isEqualTo(ExampleSnapshots.lineOf("closures-in-array.js", "pendingCallbacks.push("));
    }

    @Test
    void arraysThatOnlyGrow() throws Exception {
        Finding g = only(run("global-array").low(), FindingKind.COLLECTION);
        Finding.Collection gc = detail(g, Finding.Collection.class);
        assertThat(gc.holderName()).isEqualTo("leakArray");
        assertThat(gc.collectionKind()).isEqualTo(dev.leakhound.analysis.nodejs.Collections.Kind.ARRAY);
        assertThat(g.pathText()).startsWith("global.leakArray -> Array @");
        assertThat(gc.byClass().get(0).className()).isEqualTo("RequestRecord");
        samplesAre(run("global-array"), g, "RequestRecord");

        Finding a = only(run("audit-log").low(), FindingKind.COLLECTION);
        assertThat(detail(a, Finding.Collection.class).holderName()).isEqualTo("auditEntries");
        assertThat(detail(a, Finding.Collection.class).byClass().get(0).className()).isEqualTo("AuditEntry");

        Finding q = only(run("slow-consumer-queue").low(), FindingKind.COLLECTION);
        assertThat(detail(q, Finding.Collection.class).holderName()).isEqualTo("jobQueue");
        assertThat(detail(q, Finding.Collection.class).collectionKind()).isEqualTo(dev.leakhound.analysis.nodejs.Collections.Kind.ARRAY);
    }

    @Test
    void mapsThatOnlyGrow() throws Exception {
        Finding m = only(run("memoize-cache").low(), FindingKind.COLLECTION);
        Finding.Collection mc = detail(m, Finding.Collection.class);
        assertThat(mc.holderName()).isEqualTo("renderProfile::cache");
        assertThat(mc.collectionKind()).isEqualTo(dev.leakhound.analysis.nodejs.Collections.Kind.MAP);
        assertThat(mc.sampleKeys()).isNotEmpty().allMatch(k -> k.startsWith("\"user:") || k.startsWith("(concatenated string)"));
        assertThat(mc.byClass().get(0).className()).isEqualTo("RenderedFragment");
        assertThat(m.count()).isGreaterThan(50).isEqualTo(mc.entries());

        Run r = run("http-map-of-requests");
        Finding h = r.low().findings().stream().filter(x -> x.kind() == FindingKind.COLLECTION).findFirst().orElseThrow();
        Finding.Collection hc = detail(h, Finding.Collection.class);
        assertThat(hc.holderName()).isEqualTo("requests");
        assertThat(hc.collectionKind()).isEqualTo(dev.leakhound.analysis.nodejs.Collections.Kind.MAP);
        assertThat(hc.numericKeys()).isTrue();
        assertThat(hc.sampleKeys()).isEmpty();
        assertThat(hc.byClass().get(0).className()).isEqualTo("PendingRequest");
    }

    @Test
    void duplicateStringsFromParsedPayloads() throws Exception {
        // each order body carries comment: 'x'.repeat(600); JSON.parse makes a new copy per request
        Finding d = only(run("http-map-of-requests").low(), FindingKind.DUPLICATE_STRINGS);
        Finding.DuplicateStrings ds = detail(d, Finding.DuplicateStrings.class);
        Finding.Duplicate top = ds.top().get(0);
        assertThat(top.text()).startsWith("\"xxxxxxxxxx");
        assertThat(top.holderName()).contains("order.comment");
        assertThat(top.wastedBytes()).isEqualTo((top.copies() - 1) * top.eachBytes());
        assertThat(d.bytes()).isGreaterThan(50 * 600).isEqualTo(ds.wastedBytes());
        samplesAre(run("http-map-of-requests"), d, "(string)");
    }

    @Test
    void buffersKeptOutsideTheHeap() throws Exception {
        Run r = run("buffers-kept");
        Finding f = only(r.low(), FindingKind.EXTERNAL_MEMORY);
        Finding.ExternalMemory e = detail(f, Finding.ExternalMemory.class);
        assertThat(e.singleOwner()).isFalse();
        assertThat(e.owner().className()).isEqualTo("ChunkRecord");
        assertThat(e.via()).isEqualTo(".data");
        assertThat(e.holderName()).isEqualTo("retainedChunks");
        assertThat(e.container().className()).isEqualTo("Array");
        long stores = e.stores();
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
    }

    /**
     * A full bounded cache and a growing Map look alike in one snapshot: with thresholds below its size
     * the LRU's Map is reported as a large collection, and the fix says how to tell the two apart.
     */
    @Test
    void aFullBoundedCacheIsOnlyALargeCollection() {
        Diagnosis d = run("bounded-lru-cache").low();
        Finding f = only(d, FindingKind.COLLECTION);
        Finding.Collection c = detail(f, Finding.Collection.class);
        assertThat(c.holderName()).isEqualTo("pageCache.entries");
        assertThat(c.collectionKind()).isEqualTo(dev.leakhound.analysis.nodejs.Collections.Kind.MAP);
        assertThat(c.entries()).isEqualTo(2000);
        assertThat(d.findings()).extracting(Finding::kind).containsOnly(FindingKind.COLLECTION);
    }

    /** Node's own listeners, timers, scopes and collections are never reported in any example. */
    @Test
    void nodeInternalsAreNeverReported() {
        for (String name : LEAKING) {
            for (Finding f : run(name).low().findings()) {
                if (f.location() != null) {
                    assertThat(f.location().isUserCode()).as(name + ": " + f).isTrue();
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
