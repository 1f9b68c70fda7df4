package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.APP;
import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.APP_FILE;
import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.NODE_NET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listeners rule on hand-built emitters: {@code emitter._events[event]} is the listener itself or an
 * Array of them; once() listeners are bound {@code onceWrapper}s whose state holds {@code .listener}.
 */
class ListenersDetectorTest {
    static final DiagnosisOptions DEFAULTS = DiagnosisOptions.defaults();

    /** Listeners of one function, each a closure over its own scope holding a 1000-byte Payload. */
    private static int[] listeners(NodeHeap h, NodeHeap.Fn fn, int n, List<Integer> payloads, List<Integer> contexts) {
        int scope = h.scopeInfo("handleRequest", "payload");
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int ctx = h.context(scope, h.module);
            int payload = h.variable(ctx, "payload", h.obj("Payload", 1000));
            out[i] = h.closure(fn, ctx);
            if (payloads != null) {
                payloads.add(payload);
            }
            if (contexts != null) {
                contexts.add(ctx);
            }
        }
        return out;
    }

    /**
     * bus._events: "data" -> Array of 12 onData closures (reported: 12 >= 11), "end" -> Array of 10 (not:
     * below 11), "close" -> one function (not: one listener). The Array retains 16 + 12 x (closure 32 +
     * context 40 + Payload 1000) = 12,880 bytes; the functions' code is held elsewhere.
     */
    @Test
    void reportsAnEventWithMoreListenersThanMaxListenersAndNothingElse() {
        NodeHeap h = new NodeHeap();
        NodeHeap.Emitter bus = h.emitter("bus", "EventEmitter");
        NodeHeap.Fn onData = h.function("onData", APP, 10);
        List<Integer> payloads = new ArrayList<>();
        List<Integer> contexts = new ArrayList<>();
        int[] data = listeners(h, onData, 12, payloads, contexts);
        int array = h.listen(bus, "data", data);
        h.listen(bus, "end", listeners(h, h.function("onEnd", APP, 20), 10, null, null));
        h.listen(bus, "close", h.closure(h.function("onClose", APP, 30), -1));

        Detector.Result r = h.detect(new ListenersDetector(), DEFAULTS);

        assertThat(r.check()).isEqualTo(new Check.Listeners(true, 1, 3, 12, 1, 11));
        assertThat(r.findings()).hasSize(1);
        Finding f = r.findings().get(0);
        long arrayId = h.id(array);
        assertThat(f.kind()).isEqualTo(FindingKind.LISTENERS);
        assertThat(f.bytes()).isEqualTo(16 + 12 * (32 + 40 + 1000));
        assertThat(f.count()).isEqualTo(12);
        assertThat(f.id()).isEqualTo(arrayId);
        assertThat(f.className()).isEqualTo("Array");
        assertThat(f.pathText()).isEqualTo("global.bus._events.data -> Array @" + arrayId);
        assertThat(f.location()).isEqualTo(onData.location(APP_FILE));
        assertThat(f.sampleIds()).containsExactly(h.id(data[0]), h.id(data[1]), h.id(data[2]), h.id(data[3]), h.id(data[4]));

        Finding.Listeners d = (Finding.Listeners) f.detail();
        assertThat(d.emitter()).isEqualTo(new Finding.NodeRef(h.id(bus.node()), "EventEmitter", "EventEmitter"));
        assertThat(d.emitterName()).isEqualTo("bus");
        assertThat(d.emitterPath()).isEqualTo("global.bus -> EventEmitter @" + h.id(bus.node()));
        assertThat(d.event()).isEqualTo("data");
        assertThat(d.listeners()).isEqualTo(12);
        assertThat(d.functions()).containsExactly(
                new Finding.FunctionCount(12, new Finding.FunctionRef("onData()", onData.location(APP_FILE))));
        assertThat(d.otherFunctions()).isZero();
        assertThat(d.captures()).containsExactly(new Finding.Captured("payload",
                new Finding.NodeRef(h.id(payloads.get(0)), "Payload", "Payload"), 1000));
        assertThat(d.warned()).isFalse();

        // claims: the listeners, their scopes and the Array (so no later rule reports them again)
        BitSet claims = new BitSet();
        for (int l : data) {
            claims.set(l);
        }
        contexts.subList(0, 12).forEach(claims::set);
        claims.set(array);
        assertThat(r.claims()).isEqualTo(claims);
    }

    /** minListeners is inclusive: 11 listeners are reported, 10 are not; Node's {@code warned} flag is read. */
    @Test
    void thresholdIsInclusiveAndWarnedIsRead() {
        for (int n : new int[] {10, 11}) {
            NodeHeap h = new NodeHeap();
            NodeHeap.Emitter bus = h.emitter("bus", "EventEmitter");
            int array = h.listen(bus, "data", listeners(h, h.function("onData", APP, 10), n, null, null));
            h.prop(array, "warned", h.trueValue);
            List<Finding> found = h.detect(new ListenersDetector(), DEFAULTS).findings();
            if (n == 10) {
                assertThat(found).isEmpty();
            } else {
                assertThat(found).hasSize(1);
                assertThat(((Finding.Listeners) found.get(0).detail()).warned()).isTrue();
            }
        }
    }

    /**
     * once(): 12 bound onceWrappers whose state holds an onClose closure, plus 3 plain onEnd listeners, on one
     * event. Listeners count by the wrapped function: 12 onClose, 3 onEnd. Bytes: Array 16 + 12 x (bound 32 +
     * state 64 + onClose closure 32 + its scope 40) + 3 x onEnd closure 32 = 2,128 (Node's onceWrapper closure
     * is shared and held elsewhere).
     */
    @Test
    void onceWrappersCountAsTheFunctionTheyWrap() {
        NodeHeap h = new NodeHeap();
        NodeHeap.Emitter socket = h.emitter("socket", "Socket");
        int onceWrapper = h.hold(h.closure(h.function("onceWrapper", "node:events", 470), -1));
        NodeHeap.Fn onClose = h.function("onClose", APP, 40);
        NodeHeap.Fn onEnd = h.function("onEnd", APP, 50);
        int scope = h.scopeInfo("connect", "attempt");
        int[] all = new int[15];
        int[] wrapped = new int[12];
        int[] wrappedContexts = new int[12];
        for (int i = 0; i < 12; i++) {
            wrappedContexts[i] = h.context(scope, h.module);
            wrapped[i] = h.closure(onClose, wrappedContexts[i]);
            all[i] = h.onceWrapper(onceWrapper, wrapped[i]);
        }
        for (int i = 12; i < 15; i++) {
            all[i] = h.closure(onEnd, -1);
        }
        int array = h.listen(socket, "close", all);

        Detector.Result r = h.detect(new ListenersDetector(), DEFAULTS);
        Finding f = r.findings().get(0);
        assertThat(f.bytes()).isEqualTo(16 + 12 * (32 + 64 + 32 + 40) + 3 * 32);
        assertThat(f.count()).isEqualTo(15);
        assertThat(f.location()).isEqualTo(onClose.location(APP_FILE));
        Finding.Listeners d = (Finding.Listeners) f.detail();
        assertThat(d.functions()).containsExactly(
                new Finding.FunctionCount(12, new Finding.FunctionRef("onClose()", onClose.location(APP_FILE))),
                new Finding.FunctionCount(3, new Finding.FunctionRef("onEnd()", onEnd.location(APP_FILE))));
        assertThat(d.captures()).isEmpty();   // onClose's scope holds no variable

        BitSet claims = new BitSet();
        for (int i = 0; i < 15; i++) {
            claims.set(all[i]);
        }
        for (int i = 0; i < 12; i++) {
            claims.set(wrapped[i]);
            claims.set(wrappedContexts[i]);
        }
        claims.set(array);
        assertThat(r.claims()).isEqualTo(claims);
    }

    /** Node's own listeners (node: code) need internalFactor (10) x minListeners: 12 are not reported, 110 are. */
    @Test
    void nodeInternalListenersNeedTenTimesAsMany() {
        for (int n : new int[] {12, 109, 110}) {
            NodeHeap h = new NodeHeap();
            NodeHeap.Emitter server = h.emitter("server", "Server");
            h.listen(server, "connection", listeners(h, h.function("onconnection", NODE_NET, 1500), n, null, null));
            List<Finding> found = h.detect(new ListenersDetector(), DEFAULTS).findings();
            assertThat(found).as("%d listeners of node:net", n).hasSize(n >= 110 ? 1 : 0);
        }
    }

    /**
     * Closures without a SharedFunctionInfo each count as their own function (the top three are listed, the
     * rest counted), and the emitter's provenance decides: one whose constructor is located in node:net is
     * Node's own (12 listeners not enough), an application emitter's are reported.
     */
    @Test
    void withoutFunctionInfoEachClosureIsItsOwnFunctionAndTheEmitterDecidesProvenance() {
        for (String url : new String[] {NODE_NET, APP}) {
            NodeHeap h = new NodeHeap();
            NodeHeap.Fn located = h.function("Socket", url, 300);   // its closure tells the script id's URL
            h.prop(h.global, "Socket", h.closure(located, -1));
            NodeHeap.Emitter socket = h.emitter("socket", "Socket");
            h.b.location(socket.node(), located.scriptId(), 300, 0);
            int[] anonymous = new int[12];
            for (int i = 0; i < 12; i++) {
                anonymous[i] = h.b.node(dev.leakhound.core.snapshot.NodeType.CLOSURE, "", NodeHeap.CLOSURE);
            }
            h.listen(socket, "data", anonymous);
            List<Finding> found = h.detect(new ListenersDetector(), DEFAULTS).findings();
            if (url.equals(NODE_NET)) {
                assertThat(found).isEmpty();
                continue;
            }
            Finding.Listeners d = (Finding.Listeners) found.get(0).detail();
            assertThat(d.functions()).extracting(Finding.FunctionCount::count).containsExactly(1L, 1L, 1L);
            assertThat(d.functions().get(0).function()).isEqualTo(new Finding.FunctionRef("(anonymous)()", null));
            assertThat(d.otherFunctions()).isEqualTo(9);
            assertThat(found.get(0).location()).isNull();
        }
    }

    /** A snapshot without any {@code _events} has nothing to check. */
    @Test
    void noEmittersNoCheck() {
        NodeHeap h = new NodeHeap();
        h.onGlobal("plain", "Object", 10);
        Detector.Result r = h.detect(new ListenersDetector(), DEFAULTS);
        assertThat(r.findings()).isEmpty();
        assertThat(r.check()).isEqualTo(new Check.Listeners(false, 0, 0, 0, 0, 11));
        assertThat(r.claims().isEmpty()).isTrue();
    }
}
