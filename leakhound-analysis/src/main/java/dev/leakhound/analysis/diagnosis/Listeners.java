package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.RetainerPath;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * EventEmitters with many listeners for one event. Node keeps an emitter's listeners in
 * {@code emitter._events[event]}: the function itself for one listener, an Array of them for more
 * ({@code events.js}); {@code once()} wraps a listener in a bound {@code onceWrapper} whose state
 * holds it as {@code .listener}; and when the count passed maxListeners Node set {@code warned} on the
 * Array and printed MaxListenersExceededWarning. An event with more listeners than Node's default
 * maxListeners (10) is the shape of listeners added per request or per reconnect and never removed.
 */
final class Listeners {
    private Listeners() {}

    static void find(Heap h, List<Finding> out, List<String> checked) {
        HeapSnapshot s = h.s;
        if (h.events < 0) {
            checked.add("listeners: no EventEmitter._events in the snapshot");
            return;
        }
        int emitters = 0;
        int eventCount = 0;
        int maxCount = 0;
        int reported = 0;
        for (int i = 0; i + 1 < h.emitters.size(); i += 2) {
            int v = h.emitters.get(i);
            int ev = h.emitters.get(i + 1);
            {
                emitters++;
                for (int f = s.firstEdge(ev), fend = s.endEdge(ev); f < fend; f++) {
                    if (s.edgeType(f) != EdgeType.PROPERTY || s.edgeNameOrIndex(f) == h.proto) {
                        continue;
                    }
                    int l = s.edgeTo(f);
                    int count;
                    if (s.type(l) == NodeType.CLOSURE) {
                        count = 1;
                    } else if (h.named(l, h.array) && s.type(l) == NodeType.OBJECT) {
                        count = 0;
                        for (int x = s.firstEdge(l), xend = s.endEdge(l); x < xend; x++) {
                            if (s.edgeType(x) == EdgeType.ELEMENT) {
                                count++;
                            }
                        }
                    } else {
                        continue;
                    }
                    eventCount++;
                    maxCount = Math.max(maxCount, count);
                    if (count >= h.o.minListeners() && report(h, v, ev, f, l, count, out)) {
                        reported++;
                    }
                }
            }
        }
        checked.add("listeners: " + Heap.count(emitters) + " emitters, " + Heap.count(eventCount)
                + " events with listeners, at most " + maxCount + " listeners for one event; " + reported
                + " reported (threshold " + h.o.minListeners() + ", more than Node's default maxListeners)");
    }

    private static boolean report(Heap h, int emitter, int events, int eventEdge, int holder, int count,
                                  List<Finding> out) {
        HeapSnapshot s = h.s;
        List<Integer> listeners = new ArrayList<>();
        if (s.type(holder) == NodeType.CLOSURE) {
            listeners.add(holder);
        } else {
            for (int x = s.firstEdge(holder), end = s.endEdge(holder); x < end; x++) {
                if (s.edgeType(x) == EdgeType.ELEMENT) {
                    listeners.add(s.edgeTo(x));
                }
            }
        }
        // the functions: listeners of one function share its SharedFunctionInfo
        Map<Integer, int[]> byFunction = new HashMap<>();
        Map<Integer, Integer> sampleOf = new HashMap<>();
        for (int l : listeners) {
            int f = h.unwrapListener(l);
            int key = s.type(f) == NodeType.CLOSURE ? Math.max(h.sharedInfo(f), -1) : -2 - f;
            byFunction.computeIfAbsent(key, k -> new int[1])[0]++;
            sampleOf.putIfAbsent(key, f);
        }
        List<Map.Entry<Integer, int[]>> fns = new ArrayList<>(byFunction.entrySet());
        fns.sort((a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0]));
        int main = sampleOf.get(fns.get(0).getKey());
        Boolean own = h.ownCode(main);
        boolean internal = own != null ? own : h.isInternal(emitter);
        if (internal && count < (long) h.o.minListeners() * h.o.internalFactor()) {
            return false;
        }
        String event = s.edgeName(eventEdge);
        List<RetainerPath.Step> emitterPath = h.path(emitter);
        String emitterName = h.holderName(emitterPath);
        List<RetainerPath.Step> path = h.path(holder);
        long bytes = h.g.retainedSize(holder);

        List<Finding.Fact> facts = new ArrayList<>();
        facts.add(Finding.Fact.text("emitter", h.ref(emitter) + (emitterPath.isEmpty() ? "" : "  " + h.render(emitterPath))));
        facts.add(Finding.Fact.text("event", event));
        facts.add(Finding.Fact.count("listeners", count));
        List<String> fnLines = new ArrayList<>();
        for (int i = 0; i < fns.size() && i < 3; i++) {
            fnLines.add(Heap.count(fns.get(i).getValue()[0]) + " × " + h.function(sampleOf.get(fns.get(i).getKey())));
        }
        if (fns.size() > 3) {
            fnLines.add("… " + (fns.size() - 3) + " other functions");
        }
        facts.add(Finding.Fact.list("functions", fnLines));
        List<String> keeps = h.captured(main, 4);
        if (!keeps.isEmpty()) {
            facts.add(Finding.Fact.list("captures", keeps));
        }
        if (h.edge(holder, EdgeType.PROPERTY, h.warned) >= 0) {
            facts.add(Finding.Fact.text("warning", "Node printed MaxListenersExceededWarning for this event"));
        }
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < listeners.size() && i < 5; i++) {
            samples.add(s.id(listeners.get(i)));
        }
        for (int l : listeners) {
            h.claimed.set(l);
            int f = h.unwrapListener(l);
            h.claimed.set(f);
            int ctx = h.internalEdge(f, h.context);
            if (ctx >= 0) {
                h.claimed.set(ctx);
            }
        }
        h.claimed.set(holder);
        String fnName = h.label(main);
        String title = Heap.count(count) + " listeners for '" + event + "' on " + Heap.q(emitterName) + " ("
                + h.g.className(emitter) + " @" + s.id(emitter) + "), " + (fns.size() == 1 ? "all " + fnName : fnName
                + " and others") + "; Node's default maxListeners is 10";
        String fix = "Listeners are added to " + Heap.q(emitterName) + " for '" + event + "' again and again (per request,"
                + " per connection or reconnect) and never removed, so each one and everything its closure captures stays"
                + " alive. Remove the listener when its work ends (emitter.off('" + event + "', fn) with the same function),"
                + " use once() if it should run once, or register one shared listener at start-up.";
        out.add(new Finding("listeners", title, bytes, count, s.id(holder), h.g.className(holder), h.render(path), path,
                h.locate(main), facts, samples, fix));
        return true;
    }
}
