package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Claims;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.APP;
import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.APP_FILE;
import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.NODE_NET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The closure-scope rule: the Contexts of one function's ScopeInfo whose variables together hold
 * minBytes on their own, each context counted once (none nested under another of the group).
 */
class ClosureScopesDetectorTest {
    static final long MIB = 1 << 20;
    static final DiagnosisOptions DEFAULTS = DiagnosisOptions.defaults();   // minBytes 4 MiB

    /**
     * {@code n} calls of handler(), each leaving a respond() closure (in global.pending) over a scope whose
     * variable {@code big} holds a Blob of {@code blob} bytes.
     */
    private static final class Handler {
        final NodeHeap h = new NodeHeap();
        final NodeHeap.Fn respond;
        final int scope = h.scopeInfo("handler", "big");
        final int[] contexts;
        final int[] blobs;

        Handler(int n, long blob, String url) {
            respond = h.function("respond", url, 60);
            int pending = h.onGlobal("pending", "Array", 16);
            contexts = new int[n];
            blobs = new int[n];
            for (int i = 0; i < n; i++) {
                contexts[i] = h.context(scope, h.module);
                blobs[i] = h.variable(contexts[i], "big", h.obj("Blob", blob));
                h.element(pending, i, h.closure(respond, contexts[i]));
            }
        }

        Handler(int n, long blob) {
            this(n, blob, APP);
        }

        Detector.Result detect(DiagnosisOptions o, Claims claims) {
            return h.detect(new ClosureScopesDetector(), o, claims);
        }

        Detector.Result detect() {
            return detect(DEFAULTS, Claims.none());
        }
    }

    /** Five scopes each holding a 1 MiB Blob: 5 MiB at stake (the contexts' own 40 bytes are not counted). */
    @Test
    void fiveScopesHoldingAMegabyteEach() {
        Handler t = new Handler(5, MIB);
        NodeHeap h = t.h;
        Detector.Result r = t.detect();
        // contexts: the module's and the five; one candidate group (the module's is module-level)
        assertThat(r.check()).isEqualTo(new Check.ClosureScopes(6, 1, 1, 4 * MIB));
        Finding f = r.findings().get(0);
        long first = h.id(t.contexts[0]);
        assertThat(f.kind()).isEqualTo(FindingKind.CLOSURE_SCOPE);
        assertThat(f.bytes()).isEqualTo(5 * MIB);
        assertThat(f.count()).isEqualTo(5);
        assertThat(f.id()).isEqualTo(first);   // all retain the same: the first is the biggest
        assertThat(f.className()).isEqualTo("system / Context");
        assertThat(f.pathText()).isEqualTo("global.pending[0] -> system / Context @" + first);
        assertThat(f.location()).isEqualTo(t.respond.location(APP_FILE));
        assertThat(f.sampleIds()).containsExactly(h.id(t.contexts[0]), h.id(t.contexts[1]), h.id(t.contexts[2]),
                h.id(t.contexts[3]), h.id(t.contexts[4]));
        assertThat(f.detail()).isEqualTo(new Finding.ClosureScope("handler", h.id(t.scope), 5,
                List.of(new Finding.Variable("big", "Blob", 5, 5 * MIB)), "big",
                List.of(new Finding.FunctionCount(5, new Finding.FunctionRef("respond()", t.respond.location(APP_FILE)))),
                "respond()"));
        BitSet claims = new BitSet();
        for (int c : t.contexts) {
            claims.set(c);
        }
        assertThat(r.claims()).isEqualTo(claims);
    }

    /** minBytes is inclusive and counts what the variables hold: 5 MiB is reported at 5 MiB, not at 5 MiB + 1. */
    @Test
    void belowMinBytesNothingIsReported() {
        assertThat(new Handler(3, MIB).detect().findings()).isEmpty();
        assertThat(new Handler(3, MIB).detect().check()).isEqualTo(new Check.ClosureScopes(4, 0, 0, 4 * MIB));
        assertThat(new Handler(5, MIB).detect(DEFAULTS.withMinBytes(5 * MIB), Claims.none()).findings()).hasSize(1);
        // the contexts retain 5 MiB + 5 x 40 (a candidate), but their variables hold 5 MiB: not enough
        Detector.Result above = new Handler(5, MIB).detect(DEFAULTS.withMinBytes(5 * MIB + 1), Claims.none());
        assertThat(above.findings()).isEmpty();
        assertThat(above.check()).isEqualTo(new Check.ClosureScopes(6, 1, 0, 5 * MIB + 1));
    }

    /** A module's top-level scope (its enclosing context is not a function's) is never a closure-scope finding. */
    @Test
    void moduleScopesAreNotReported() {
        NodeHeap h = new NodeHeap();
        h.variable(h.module, "cache", h.obj("Blob", 64 * MIB));
        Detector.Result r = h.detect(new ClosureScopesDetector(), DEFAULTS);
        assertThat(r.findings()).isEmpty();
        assertThat(r.check()).isEqualTo(new Check.ClosureScopes(1, 0, 0, 4 * MIB));
    }

    /** What another object also holds is not the scope's: five scopes sharing one 8 MiB Config held by global.config. */
    @Test
    void valuesHeldElsewhereAreNotTheScopes() {
        NodeHeap h = new NodeHeap();
        int config = h.onGlobal("config", "Config", 8 * MIB);
        NodeHeap.Fn respond = h.function("respond", APP, 60);
        int scope = h.scopeInfo("handler", "config");
        int pending = h.onGlobal("pending", "Array", 16);
        for (int i = 0; i < 5; i++) {
            int ctx = h.context(scope, h.module);
            h.variable(ctx, "config", config);
            h.element(pending, i, h.closure(respond, ctx));
        }
        assertThat(h.detect(new ClosureScopesDetector(), DEFAULTS).findings()).isEmpty();
    }

    /** Node's own functions need internalFactor (10) x minBytes: 5 MiB no, 40 MiB (40 scopes) yes. */
    @Test
    void nodeInternalScopesNeedTenTimesTheBytes() {
        assertThat(new Handler(5, MIB, NODE_NET).detect().findings()).isEmpty();
        assertThat(new Handler(39, MIB, NODE_NET).detect().findings()).isEmpty();
        assertThat(new Handler(40, MIB, NODE_NET).detect().findings()).extracting(Finding::bytes).containsExactly(40 * MIB);
    }

    /**
     * Claims: claimed contexts (a listener's scope) and claimed values are left out (two of five claimed leave
     * 3 MiB: not reported); a claimed ScopeInfo (a closure chain's) keeps the whole group out, not even a candidate.
     */
    @Test
    void claimedContextsValuesAndScopesAreLeftOut() {
        Handler t = new Handler(5, MIB);
        BitSet two = new BitSet();
        two.set(t.contexts[0]);
        two.set(t.blobs[1]);
        Detector.Result r = t.detect(DEFAULTS.withMinBytes(3 * MIB + 1), Claims.none().plus(two));
        assertThat(r.findings()).isEmpty();
        Finding three = t.detect(DEFAULTS.withMinBytes(3 * MIB), Claims.none().plus(two)).findings().get(0);
        assertThat(three.bytes()).isEqualTo(3 * MIB);
        assertThat(three.count()).isEqualTo(4);   // context 1 is still a member; its Blob is claimed
        assertThat(((Finding.ClosureScope) three.detail()).variables())
                .containsExactly(new Finding.Variable("big", "Blob", 3, 3 * MIB));

        BitSet scope = new BitSet();
        scope.set(t.scope);
        Detector.Result chained = t.detect(DEFAULTS, Claims.none().plus(scope));
        assertThat(chained.findings()).isEmpty();
        assertThat(chained.check()).isEqualTo(new Check.ClosureScopes(6, 0, 0, 4 * MIB));
    }

    /**
     * Nested scopes of one function are counted once, however deep: walk() keeps, in its scope, a Blob of 1 MiB
     * and {@code next}, 38 plain objects (16 bytes each) down to a visit() closure over the next call's scope,
     * three calls deep. Each inner scope is 40 dominator steps below the one before (closure, 38 objects, the
     * context), deeper than the 32 steps the old code climbed: it counted the inner scopes again (3 contexts,
     * 6 MiB + 2,040). Counted once: one context, its variables holding all but its own 40 bytes.
     */
    @Test
    void nestedScopesDeeperThan32StepsAreCountedOnce() {
        int depth = 40;
        NodeHeap h = new NodeHeap();
        NodeHeap.Fn visit = h.function("visit", APP, 5);
        int scope = h.scopeInfo("walk", "big", "next");
        int[] contexts = new int[3];
        int holder = h.global;
        String via = "tree";
        for (int level = 0; level < 3; level++) {
            contexts[level] = h.context(scope, h.module);
            h.prop(holder, via, h.closure(visit, contexts[level]));
            h.variable(contexts[level], "big", h.obj("Blob", MIB));
            if (level < 2) {
                holder = h.variable(contexts[level], "next", h.obj("Node", 16));
                for (int k = 1; k < depth - 2; k++) {
                    holder = h.prop(holder, "child", h.obj("Node", 16));
                }
                via = "visit";
            }
        }
        var g = h.graph();
        int steps = 0;
        for (int d = contexts[1]; d != contexts[0]; d = g.idom(d)) {
            steps++;
        }
        assertThat(steps).isEqualTo(depth);

        Detector.Result r = h.detect(new ClosureScopesDetector(), DEFAULTS.withMinBytes(MIB));
        assertThat(r.findings()).hasSize(1);
        Finding f = r.findings().get(0);
        long level = 40 + MIB;                  // a scope and its Blob
        long link = 38 * 16 + 32;               // next's 38 Nodes and the visit() closure
        long all = 3 * level + 2 * link;        // what the outer scope retains
        assertThat(g.retainedSize(contexts[0])).isEqualTo(all);
        assertThat(f.bytes()).isEqualTo(all - 40).isEqualTo(3 * MIB + 1_360);
        assertThat(f.count()).isEqualTo(1);
        assertThat(f.id()).isEqualTo(h.id(contexts[0]));
        Finding.ClosureScope d = (Finding.ClosureScope) f.detail();
        assertThat(d.contexts()).isEqualTo(1);
        assertThat(d.variables()).containsExactly(new Finding.Variable("next", "Node", 1, 2 * MIB + 1_360),
                new Finding.Variable("big", "Blob", 1, MIB));
        assertThat(d.mainVariable()).isEqualTo("next");
        assertThat(r.claims().cardinality()).isEqualTo(1);
    }
}
