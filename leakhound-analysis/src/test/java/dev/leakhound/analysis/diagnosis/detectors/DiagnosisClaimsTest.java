package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Claims;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.Diagnosis;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.NodeType;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The orchestrator ({@link Diagnosis#run}): the detectors' order, the claims each hands to those after it,
 * the {@link Claims} views, determinism, and the ranking of findings.
 */
class DiagnosisClaimsTest {
    static final long MIB = 1 << 20;
    static final DiagnosisOptions DEFAULTS = DiagnosisOptions.defaults();

    private static Diagnosis run(NodeHeap h, DiagnosisOptions o) {
        return Diagnosis.run(h.graph(), o, null, null);
    }

    private static List<FindingKind> kinds(Diagnosis d) {
        return d.findings().stream().map(Finding::kind).toList();
    }

    // ---- the Claims views ----

    @Test
    void claimsViewsSeeEarlierClaimsPlusTheirOwnAndPlusDoesNotMutate() {
        Claims none = Claims.none();
        assertThat(none.has(3)).isFalse();
        assertThat(none.has(-1)).isFalse();
        assertThat(none.added().isEmpty()).isTrue();
        assertThatThrownBy(() -> none.add(3)).isInstanceOf(IllegalStateException.class);

        Claims first = none.forDetector();
        first.add(3);
        first.add(-1);   // "no node": ignored
        assertThat(first.has(3)).isTrue();
        assertThat(none.has(3)).isFalse();
        BitSet firstClaims = first.added();
        assertThat(firstClaims.stream().boxed().toList()).containsExactly(3);
        firstClaims.set(99);   // a copy
        assertThat(first.has(99)).isFalse();
        firstClaims.clear(99);

        Claims afterFirst = none.plus(firstClaims);
        assertThat(afterFirst.has(3)).isTrue();
        assertThat(none.has(3)).isFalse();   // plus made a new one
        firstClaims.set(42);
        assertThat(afterFirst.has(42)).isFalse();   // and kept no reference to its argument
        assertThatThrownBy(() -> afterFirst.add(5)).isInstanceOf(IllegalStateException.class);

        Claims second = afterFirst.forDetector();
        second.add(7);
        assertThat(second.has(3)).isTrue();    // earlier claims
        assertThat(second.has(7)).isTrue();    // its own
        assertThat(afterFirst.has(7)).isFalse();
        assertThat(second.added().stream().boxed().toList()).containsExactly(7);   // only its own

        Claims afterSecond = afterFirst.plus(second.added());
        assertThat(afterSecond.has(3)).isTrue();
        assertThat(afterSecond.has(7)).isTrue();
        assertThat(afterFirst.has(7)).isFalse();
    }

    // ---- order and claims between detectors ----

    @Test
    void detectorsRunInTheirDeclaredOrderAndEachLeavesACheck() {
        assertThat(Diagnosis.detectors()).extracting(Detector::kind).containsExactly(FindingKind.LISTENERS,
                FindingKind.TIMERS, FindingKind.CLOSURE_CHAIN, FindingKind.COLLECTION, FindingKind.EXTERNAL_MEMORY,
                FindingKind.CLOSURE_SCOPE, FindingKind.DUPLICATE_STRINGS);
        Diagnosis d = run(new NodeHeap(), DEFAULTS);
        assertThat(d.checks()).extracting(c -> c.getClass().getSimpleName()).containsExactly("Scan", "Suspects",
                "Listeners", "Timers", "ClosureChains", "Collections", "ExternalMemory", "ClosureScopes",
                "DuplicateStrings");
        assertThat(d.findings()).isEmpty();
        assertThat(d.omittedFindings()).isZero();
    }

    /** 12 listeners, each over a scope holding 1 MiB: a listeners finding; their scopes are not also a closure-scope one. */
    @Test
    void aListenersScopeIsNotAlsoAClosureScope() {
        NodeHeap h = new NodeHeap();
        NodeHeap.Emitter bus = h.emitter("bus", "EventEmitter");
        NodeHeap.Fn onData = h.function("onData", APP, 10);
        int scope = h.scopeInfo("subscribe", "payload");
        int[] ls = new int[12];
        for (int i = 0; i < 12; i++) {
            int ctx = h.context(scope, h.module);
            h.variable(ctx, "payload", h.obj("Payload", MIB));
            ls[i] = h.closure(onData, ctx);
        }
        h.listen(bus, "data", ls);
        // alone, the closure-scope rule reports those 12 scopes
        assertThat(h.detect(new ClosureScopesDetector(), DEFAULTS).findings()).extracting(Finding::bytes)
                .containsExactly(12 * MIB);
        Diagnosis d = run(h, DEFAULTS);
        assertThat(kinds(d)).containsExactly(FindingKind.LISTENERS);
        assertThat(d.findings().get(0).bytes()).isEqualTo(16 + 12 * (32 + 40 + MIB));
        assertThat(d.checks().get(7)).isEqualTo(new Check.ClosureScopes(13, 1, 0, 4 * MIB));
    }

    /** Ten intervals each capturing 1 MiB: a timers finding; the callbacks' scopes are claimed. */
    @Test
    void aTimersScopeIsNotAlsoAClosureScope() {
        NodeHeap h = new NodeHeap();
        NodeHeap.Fn poll = h.function("poll", APP, 10);
        int scope = h.scopeInfo("startPolling", "session");
        int list = h.timerList(1000);
        for (int i = 0; i < 10; i++) {
            int ctx = h.context(scope, h.module);
            h.variable(ctx, "session", h.obj("Session", MIB));
            h.timeout(list, h.closure(poll, ctx), true);
        }
        assertThat(h.detect(new ClosureScopesDetector(), DEFAULTS).findings()).hasSize(1);
        assertThat(kinds(run(h, DEFAULTS))).containsExactly(FindingKind.TIMERS);
    }

    /**
     * A replaceThing chain of 12 scopes, each thing holding 1 MiB: a closure-chain finding, whose ScopeInfo claim
     * keeps the closure-scope rule off replaceThing's scopes (not even a candidate).
     */
    @Test
    void aChainsScopeInfoClaimKeepsTheScopeRuleOffThatFunction() {
        NodeHeap h = new NodeHeap();
        NodeHeap.Fn someMethod = h.function("someMethod", APP, 7);
        int scope = h.scopeInfo("replaceThing", "originalThing");
        int previous = -1;
        for (int i = 0; i < 12; i++) {
            int ctx = h.context(scope, h.module);
            if (previous >= 0) {
                h.variable(ctx, "originalThing", previous);
            }
            int thing = h.obj("Object", 56);
            h.prop(thing, "payload", h.obj("Payload", MIB));
            h.prop(thing, "someMethod", h.closure(someMethod, ctx));
            previous = thing;
        }
        h.variable(h.module, "theThing", previous);
        List<Finding> alone = h.detect(new ClosureScopesDetector(), DEFAULTS).findings();
        assertThat(alone).extracting(Finding::kind).containsExactly(FindingKind.CLOSURE_SCOPE);
        assertThat(((Finding.ClosureScope) alone.get(0).detail()).scopeInfoId()).isEqualTo(h.id(scope));

        Diagnosis d = run(h, DEFAULTS);
        assertThat(kinds(d)).containsExactly(FindingKind.CLOSURE_CHAIN);
        assertThat(d.checks().get(7)).isEqualTo(new Check.ClosureScopes(13, 0, 0, 4 * MIB));
    }

    /** 150 listeners in one Array: a listeners finding; the Array, claimed, is not also a large collection. */
    @Test
    void aListenerArrayIsNotAlsoACollection() {
        NodeHeap h = new NodeHeap();
        NodeHeap.Emitter bus = h.emitter("bus", "EventEmitter");
        NodeHeap.Fn onData = h.function("onData", APP, 10);
        int[] ls = new int[150];
        for (int i = 0; i < ls.length; i++) {
            ls[i] = h.closure(onData, -1);
        }
        int array = h.listen(bus, "data", ls);
        DiagnosisOptions o = DEFAULTS.withMinEntries(100);
        assertThat(h.detect(new CollectionsDetector(), o).findings()).extracting(Finding::id).containsExactly(h.id(array));
        Diagnosis d = run(h, o);
        assertThat(kinds(d)).containsExactly(FindingKind.LISTENERS);
        assertThat(d.checks().get(5)).isEqualTo(new Check.Collections(0, 100, 0, 0, 100, 4 * MIB));
    }

    // ---- ranking and determinism ----

    /**
     * Findings rank by bytes, then kind id, then object id. Two collections P and Q retain 1,516 each (P met
     * first but with the higher id), a collection C and a listener Array L 368 each (the listeners rule runs
     * first and L has the lower id, but "collection" sorts before "listeners"): Q, P, C, L. With maxFindings 3, L
     * is cut and counted.
     */
    @Test
    void findingsRankByBytesThenKindThenId() {
        NodeHeap h = new NodeHeap();
        int p = h.prop(h.global, "p", h.b.node(NodeType.OBJECT, "Array", 1_000_003, 16));
        int q = h.prop(h.global, "q", h.b.node(NodeType.OBJECT, "Array", 1_000_001, 16));
        for (int i = 0; i < 150; i++) {
            h.element(p, i, h.obj("Item", 10));
            h.element(q, i, h.obj("Item", 10));
        }
        NodeHeap.Emitter bus = h.emitter("bus", "EventEmitter");
        NodeHeap.Fn onTick = h.function("onTick", APP, 3);
        int[] ls = new int[11];
        for (int i = 0; i < ls.length; i++) {
            ls[i] = h.closure(onTick, -1);
        }
        int l = h.listen(bus, "tick", ls);
        int c = h.onGlobal("c", "Array", 68);
        for (int i = 0; i < 100; i++) {
            h.element(c, i, h.obj("Item", 3));
        }
        assertThat(h.id(l)).isLessThan(h.id(c));   // so only the kind puts C first
        DiagnosisOptions o = DEFAULTS.withMinEntries(100);

        Diagnosis d = run(h, o);
        assertThat(d.findings()).extracting(Finding::id).containsExactly(1_000_001L, 1_000_003L, h.id(c), h.id(l));
        assertThat(d.findings()).extracting(Finding::bytes).containsExactly(1_516L, 1_516L, 368L, 368L);
        assertThat(kinds(d)).containsExactly(FindingKind.COLLECTION, FindingKind.COLLECTION, FindingKind.COLLECTION,
                FindingKind.LISTENERS);

        Diagnosis cut = run(h, o.withMaxFindings(3));
        assertThat(cut.findings()).isEqualTo(d.findings().subList(0, 3));
        assertThat(cut.omittedFindings()).isEqualTo(1);
    }

    /** One of each finding kind, in one heap. */
    private static NodeHeap everything() {
        NodeHeap h = new NodeHeap();
        // listeners: 12 over scopes of 1 MiB
        NodeHeap.Emitter bus = h.emitter("bus", "EventEmitter");
        NodeHeap.Fn onData = h.function("onData", APP, 10);
        int listenerScope = h.scopeInfo("subscribe", "payload");
        int[] ls = new int[12];
        for (int i = 0; i < ls.length; i++) {
            int ctx = h.context(listenerScope, h.module);
            h.variable(ctx, "payload", h.obj("Payload", MIB));
            ls[i] = h.closure(onData, ctx);
        }
        h.listen(bus, "data", ls);
        // timers: 10 intervals
        NodeHeap.Fn poll = h.function("poll", APP, 20);
        int list = h.timerList(1000);
        for (int i = 0; i < 10; i++) {
            h.timeout(list, h.closure(poll, -1), true);
        }
        // a closure chain of 12
        NodeHeap.Fn someMethod = h.function("someMethod", APP, 30);
        int chainScope = h.scopeInfo("replaceThing", "originalThing");
        int previous = -1;
        for (int i = 0; i < 12; i++) {
            int ctx = h.context(chainScope, h.module);
            if (previous >= 0) {
                h.variable(ctx, "originalThing", previous);
            }
            int thing = h.obj("Object", 56);
            h.prop(thing, "someMethod", h.closure(someMethod, ctx));
            previous = thing;
        }
        h.variable(h.module, "theThing", previous);
        // a collection of 150
        int requests = h.onGlobal("requests", "Array", 16);
        for (int i = 0; i < 150; i++) {
            h.element(requests, i, h.obj("Request", 100));
        }
        // external memory: 5 MiB
        int image = h.onGlobal("image", "Image", 80);
        int view = h.prop(image, "data", h.obj("Uint8Array", 64));
        h.internal(view, "backing_store", h.b.node(NodeType.NATIVE, "system / JSArrayBufferData", 5 * MIB));
        // closure scopes: 5 of 1 MiB
        NodeHeap.Fn respond = h.function("respond", APP, 40);
        int handlerScope = h.scopeInfo("handler", "big");
        int pending = h.onGlobal("pending", "Array", 16);
        for (int i = 0; i < 5; i++) {
            int ctx = h.context(handlerScope, h.module);
            h.variable(ctx, "big", h.obj("Blob", MIB));
            h.element(pending, i, h.closure(respond, ctx));
        }
        // duplicate strings: 5 copies of 2 MiB
        int copies = h.onGlobal("copies", "Array", 16);
        for (int i = 0; i < 5; i++) {
            h.element(copies, i, h.string("the same text", 2 * MIB));
        }
        return h;
    }

    /** Two runs on one graph, and a run on the same heap built again, give equal records (timings aside). */
    @Test
    void runsAreDeterministic() {
        DiagnosisOptions o = DEFAULTS.withMinEntries(150);
        NodeHeap h = everything();
        HeapGraph g = h.graph();
        Diagnosis first = Diagnosis.run(g, o, null, null);
        Diagnosis second = Diagnosis.run(g, o, null, null);
        Diagnosis rebuilt = Diagnosis.run(everything().graph(), o, null, null);
        assertThat(first.findings()).extracting(Finding::kind).containsExactlyInAnyOrder(FindingKind.values());
        for (Diagnosis other : List.of(second, rebuilt)) {
            assertThat(other.findings()).isEqualTo(first.findings());
            assertThat(other.suspects()).isEqualTo(first.suspects());
            assertThat(other.checks()).isEqualTo(first.checks());
            assertThat(other.heapBytes()).isEqualTo(first.heapBytes());
            assertThat(other.suspectThreshold()).isEqualTo(first.suspectThreshold());
            assertThat(other.omittedFindings()).isEqualTo(first.omittedFindings());
            assertThat(new Diagnosis(other.options(), other.heapBytes(), other.suspectThreshold(), other.suspects(),
                    other.findings(), other.omittedFindings(), other.checks(), first.timings())).isEqualTo(first);
        }
        // ranked by bytes
        List<Long> bytes = first.findings().stream().map(Finding::bytes).toList();
        assertThat(bytes).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }
}
