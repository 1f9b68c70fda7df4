package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.source.SourceLocator;
import org.junit.jupiter.api.Test;

import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.APP;
import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.APP_FILE;
import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.NODE_TIMERS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whose code a node is ({@link SourceLocator}): a closure's script ({@code shared -> script -> URL}), an
 * object's constructor position, else the nearest such node up the shortest path, at most
 * {@link SourceLocator#PROVENANCE_STEPS} (64) steps. The detectors' "Node's own needs internalFactor times
 * more" rests on it.
 */
class ProvenanceTest {

    /** global.processTimers, a node:internal/timers closure, whose scope's {@code head} starts a list of {@code n} Nodes. */
    private static final class Deep {
        final NodeHeap h = new NodeHeap();
        final int closure;
        final int context;
        final int[] nodes;

        Deep(int n, String url) {
            NodeHeap.Fn fn = h.function("processTimers", url, 500);
            context = h.context(h.scopeInfo("getTimerCallbacks", "head"), h.nativeContext);
            closure = h.prop(h.global, "processTimers", h.closure(fn, context));
            nodes = new int[n + 1];   // nodes[j]: j + 1 steps below the closure
            int at = context;
            String via = "head";
            for (int j = 1; j <= n; j++) {
                nodes[j] = at == context ? h.variable(context, via, h.obj("Node", 16)) : h.prop(at, via, h.obj("Node", 16));
                at = nodes[j];
                via = "next";
            }
        }

        SourceLocator locator() {
            return new SourceLocator(h.graph());
        }
    }

    @Test
    void positionsAndOwnCode() {
        NodeHeap h = new NodeHeap();
        NodeHeap.Fn handler = h.function("handler", APP, 12);
        NodeHeap.Fn internal = h.function("listOnTimeout", NODE_TIMERS, 3);
        int app = h.prop(h.global, "handler", h.closure(handler, -1));
        int node = h.prop(h.global, "listOnTimeout", h.closure(internal, -1));
        int session = h.onGlobal("session", "Session", 64);
        h.b.location(session, handler.scriptId(), 30, 2);   // a Session constructed by server.js's class
        int plain = h.onGlobal("plain", "Object", 8);
        int ctx = h.prop(h.global, "ctx", h.context(h.scopeInfo("f"), h.module));
        SourceLocator l = new SourceLocator(h.graph());

        assertThat(l.of(app)).isEqualTo(new SourceLocator.Location(APP_FILE, 13, 5));
        assertThat(l.of(session)).isEqualTo(new SourceLocator.Location(APP_FILE, 31, 3));
        assertThat(l.of(plain)).isNull();
        assertThat(l.scriptOfClosure(node)).isEqualTo(NODE_TIMERS);
        assertThat(l.ownCode(app)).isFalse();
        assertThat(l.ownCode(node)).isTrue();
        assertThat(l.ownCode(session)).isFalse();
        assertThat(l.ownCode(plain)).isNull();   // says nothing: the path decides
        assertThat(l.ownCode(ctx)).isNull();     // V8's own objects say nothing either
        assertThat(SourceLocator.isUserFile("/app/server.js")).isTrue();
        assertThat(SourceLocator.isUserFile("node:events")).isFalse();
        assertThat(SourceLocator.isUserFile("internal/timers")).isFalse();
        assertThat(SourceLocator.isUserFile("evalmachine.<anonymous>")).isFalse();
        assertThat(SourceLocator.isUserFile("")).isFalse();
    }

    /** The nearest node that tells decides: a node: closure 63 steps up does, one 64 steps up is out of reach. */
    @Test
    void provenanceIsFoundWithinSixtyFourStepsUpThePath() {
        assertThat(SourceLocator.PROVENANCE_STEPS).isEqualTo(64);
        Deep d = new Deep(80, NODE_TIMERS);
        assertThat(d.h.graph().pathParent(d.nodes[1])).isEqualTo(d.context);
        assertThat(d.locator().isInternal(d.context)).isTrue();
        assertThat(d.locator().isInternal(d.nodes[1])).isTrue();
        assertThat(d.locator().isInternal(d.nodes[62])).isTrue();    // the closure is 63 steps up
        assertThat(d.locator().isInternal(d.nodes[63])).isFalse();   // 64 steps up: not looked at
        assertThat(d.locator().isInternal(d.nodes[80])).isFalse();
        // the application's closure at the same place makes everything below it the application's
        Deep app = new Deep(10, APP);
        assertThat(app.locator().isInternal(app.nodes[10])).isFalse();
    }

    /**
     * The answer for a node does not depend on what was asked before: asking about a node 31 steps below the
     * closure first (internal) must not make one 64 steps below internal through the remembered answer.
     */
    @Test
    void provenanceDoesNotDependOnTheOrderOfQuestions() {
        Deep d = new Deep(120, NODE_TIMERS);
        SourceLocator fresh = d.locator();
        boolean alone63 = fresh.isInternal(d.nodes[63]);
        boolean alone100 = fresh.isInternal(d.nodes[100]);
        SourceLocator l = d.locator();
        assertThat(l.isInternal(d.nodes[30])).isTrue();
        assertThat(l.isInternal(d.nodes[62])).isTrue();   // within reach through the remembered answer too
        assertThat(l.isInternal(d.nodes[63])).isEqualTo(alone63).isFalse();
        assertThat(l.isInternal(d.nodes[90])).isFalse();
        assertThat(l.isInternal(d.nodes[100])).isEqualTo(alone100).isFalse();
        // remembered "nothing tells" answers stay right too: a node above one known to be out of reach
        SourceLocator l2 = d.locator();
        assertThat(l2.isInternal(d.nodes[100])).isFalse();
        assertThat(l2.isInternal(d.nodes[40])).isTrue();
        assertThat(l2.isInternal(d.nodes[63])).isFalse();
    }

    /** Through a detector: a collection 63 steps below Node's closure is Node's (needs 10x); 64 steps below, the app's. */
    @Test
    void theCapDecidesTheInternalFactorOfADetector() {
        DiagnosisOptions o = DiagnosisOptions.defaults().withMinEntries(150);
        for (int depth : new int[] {61, 62}) {
            Deep d = new Deep(depth, NODE_TIMERS);
            int queue = d.h.prop(d.nodes[depth], "queue", d.h.obj("Array", 16));   // depth + 2 steps below the closure
            for (int i = 0; i < 150; i++) {
                d.h.element(queue, i, d.h.obj("Task", 10));
            }
            boolean internal = depth + 2 <= 63;
            assertThat(d.locator().isInternal(queue)).isEqualTo(internal);
            assertThat(d.h.detect(new CollectionsDetector(), o).findings()).as("queue %d steps below", depth + 2)
                    .hasSize(internal ? 0 : 1);
        }
    }
}
