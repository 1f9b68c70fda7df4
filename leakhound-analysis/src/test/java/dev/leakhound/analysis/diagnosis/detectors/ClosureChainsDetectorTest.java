package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Claims;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.analysis.nodejs.ChainLinks;
import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.APP;
import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.APP_FILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The closure-chain rule on Meteor's "replaceThing" (2013):
 * <pre>
 * var theThing = null;
 * var replaceThing = function () {
 *   var originalThing = theThing;
 *   var unused = function () { if (originalThing) console.log("hi"); };
 *   theThing = { payload: new Payload(), someMethod: function () {} };
 * };
 * </pre>
 * Every call's scope (one Context of replaceThing's ScopeInfo) keeps {@code originalThing}, the previous
 * thing, whose {@code someMethod} keeps the previous call's scope: a chain linked through
 * {@code ::originalThing.someMethod}.
 */
class ClosureChainsDetectorTest {
    static final DiagnosisOptions DEFAULTS = DiagnosisOptions.defaults();
    /** Per link: thing 56 + its Payload 1000 + someMethod's closure 32; each scope is 40. */
    static final long THING = 56 + 1000 + 32;

    /** A replaceThing heap of {@code calls} calls; {@code extraHops} plain objects between a scope's variable and the thing. */
    private static final class ReplaceThing {
        final NodeHeap h = new NodeHeap();
        final NodeHeap.Fn someMethod = h.function("someMethod", APP, 7);
        final int scope = h.scopeInfo("replaceThing", "originalThing");
        final int[] contexts;
        final int[] things;

        ReplaceThing(int calls, int extraHops, boolean ring) {
            contexts = new int[calls];
            things = new int[calls];
            int previous = -1;
            for (int i = 0; i < calls; i++) {
                contexts[i] = h.context(scope, h.module);
                if (previous >= 0) {
                    h.variable(contexts[i], "originalThing", hops(previous, extraHops));
                }
                things[i] = h.obj("Object", 56);
                h.prop(things[i], "payload", h.obj("Payload", 1000));
                h.prop(things[i], "someMethod", h.closure(someMethod, contexts[i]));
                previous = things[i];
            }
            if (ring) {   // the first call's originalThing is the last thing: no head
                h.variable(contexts[0], "originalThing", hops(things[calls - 1], extraHops));
            }
            h.variable(h.module, "theThing", things[calls - 1]);
        }

        ReplaceThing(int calls) {
            this(calls, 0, false);
        }

        private int hops(int target, int extraHops) {
            int to = target;
            for (int k = 0; k < extraHops; k++) {
                int box = h.obj("Box", 0);
                h.prop(box, "thing", to);
                to = box;
            }
            return to;
        }

        Detector.Result detect(DiagnosisOptions o, Claims claims) {
            return h.detect(new ClosureChainsDetector(), o, claims);
        }

        Detector.Result detect() {
            return detect(DEFAULTS, Claims.none());
        }
    }

    /**
     * Twelve calls: a chain of 12 scopes headed by the last call's. The head retains every scope (12 x 40) and
     * the 11 earlier things (11 x 1,088): 12,448 bytes, 1,037 a link.
     */
    @Test
    void replaceThingIsAChainOfTwelve() {
        ReplaceThing t = new ReplaceThing(12);
        NodeHeap h = t.h;
        Detector.Result r = t.detect();
        // contexts: the module's and the 12 calls'; scope groups: 2
        assertThat(r.check()).isEqualTo(new Check.ClosureChains(13, 2, 12, 1, 10));
        assertThat(r.findings()).hasSize(1);
        Finding f = r.findings().get(0);
        int head = t.contexts[11];
        long bytes = 12 * 40 + 11 * THING;
        assertThat(bytes).isEqualTo(12_448);
        assertThat(f.kind()).isEqualTo(FindingKind.CLOSURE_CHAIN);
        assertThat(f.bytes()).isEqualTo(bytes);
        assertThat(f.count()).isEqualTo(12);
        assertThat(f.id()).isEqualTo(h.id(head));
        assertThat(f.className()).isEqualTo("system / Context");
        assertThat(f.pathText()).isEqualTo("global.main::theThing.someMethod -> system / Context @" + h.id(head));
        assertThat(f.location()).isEqualTo(t.someMethod.location(APP_FILE));
        assertThat(f.sampleIds()).containsExactly(h.id(t.contexts[11]), h.id(t.contexts[10]), h.id(t.contexts[9]),
                h.id(t.contexts[8]), h.id(t.contexts[7]));
        Finding.ClosureChain d = (Finding.ClosureChain) f.detail();
        assertThat(d).isEqualTo(new Finding.ClosureChain(12, "replaceThing", h.id(t.scope), "originalThing",
                new Finding.NodeRef(h.id(t.things[10]), "Object", "Object"), "::originalThing.someMethod",
                java.util.List.of(new Finding.FunctionCount(12,
                        new Finding.FunctionRef("someMethod()", t.someMethod.location(APP_FILE)))),
                "someMethod()", 1_037));

        // claims: every scope of the chain, and the ScopeInfo (the closure-scope rule leaves that function alone)
        BitSet claims = new BitSet();
        for (int c : t.contexts) {
            claims.set(c);
        }
        claims.set(t.scope);
        assertThat(r.claims()).isEqualTo(claims);
    }

    /** minChain (10) is inclusive: a chain of 10 is reported, one of 9 is only counted. */
    @Test
    void shorterThanMinChainIsNotReported() {
        assertThat(new ReplaceThing(10).detect().findings()).extracting(Finding::count).containsExactly(10L);
        Detector.Result nine = new ReplaceThing(9).detect();
        assertThat(nine.findings()).isEmpty();
        // groups of fewer than minChain contexts are not even linked by the scan: longest stays 0
        assertThat(nine.check()).isEqualTo(new Check.ClosureChains(10, 2, 0, 0, 10));
        assertThat(new ReplaceThing(9).detect(DEFAULTS.withMinChain(9), Claims.none()).findings()).hasSize(1);
    }

    /** Scopes linked in a ring have no head: not a chain (no growth from one end), only the longest figure. */
    @Test
    void aRingIsNotAChain() {
        Detector.Result r = new ReplaceThing(12, 0, true).detect();
        assertThat(r.findings()).isEmpty();
        assertThat(r.check()).isEqualTo(new Check.ClosureChains(13, 2, 12, 0, 10));
    }

    /**
     * A claimed scope (an earlier finding explains it) is no link: claiming the 5th of 12 splits the chain into
     * 8 (12th..5th) and 4 (4th..1st), both below minChain.
     */
    @Test
    void aClaimedScopeBreaksTheChain() {
        ReplaceThing t = new ReplaceThing(12);
        BitSet earlier = new BitSet();
        earlier.set(t.contexts[4]);
        Detector.Result r = t.detect(DEFAULTS, Claims.none().plus(earlier));
        assertThat(r.findings()).isEmpty();
        assertThat(r.check()).isEqualTo(new Check.ClosureChains(13, 2, 8, 0, 10));
    }

    /**
     * A link is at most {@link ChainLinks#LINK_DEPTH} (4) edges: through one more object
     * ({@code ::originalThing.thing.someMethod}, 4 edges) the chain is found; through two (5 edges) it is not.
     */
    @Test
    void linksAreAtMostFourEdges() {
        assertThat(ChainLinks.LINK_DEPTH).isEqualTo(4);
        Finding f = new ReplaceThing(12, 1, false).detect().findings().get(0);
        assertThat(((Finding.ClosureChain) f.detail()).link()).isEqualTo("::originalThing.thing.someMethod");
        assertThat(((Finding.ClosureChain) f.detail()).linkTarget().className()).isEqualTo("Box");
        assertThat(new ReplaceThing(12, 2, false).detect().findings()).isEmpty();
    }

    /** A scan linked for longer chains than the options ask for cannot answer: the rule refuses it. */
    @Test
    void aScanForLongerChainsIsRefused() {
        ReplaceThing t = new ReplaceThing(12);
        dev.leakhound.core.graph.HeapGraph g = t.h.graph();
        var context = new dev.leakhound.analysis.diagnosis.DiagnosisContext(g, DEFAULTS.withMinChain(5),
                dev.leakhound.analysis.diagnosis.NodeScan.of(g, 10));
        assertThatThrownBy(() -> new ClosureChainsDetector().detect(context, Claims.none()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
