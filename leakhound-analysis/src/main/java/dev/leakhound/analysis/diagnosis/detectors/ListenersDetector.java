package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Claims;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisContext;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.analysis.nodejs.EventListeners;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EventEmitters with more listeners for one event than {@code minListeners} (11: more than Node's
 * default maxListeners, 10): the shape of listeners added per request or per reconnect and never
 * removed. Listeners whose code is Node's own need {@code internalFactor} times as many. Reads no
 * claims; claims the listeners, their functions and scopes, and the listener array.
 */
public final class ListenersDetector implements Detector {
    @Override
    public FindingKind kind() {
        return FindingKind.LISTENERS;
    }

    @Override
    public Result detect(DiagnosisContext c, Claims claimed) {
        EventListeners listeners = new EventListeners(c.v8());
        if (!listeners.present()) {
            return Result.none(new Check.Listeners(false, 0, 0, 0, 0, c.options().minListeners()));
        }
        HeapSnapshot s = c.snapshot();
        Claims mine = claimed.forDetector();
        List<Finding> out = new ArrayList<>();
        int[] emitters = c.scan().emitters();
        long events = 0;
        long most = 0;
        for (int i = 0; i + 1 < emitters.length; i += 2) {
            int emitter = emitters[i];
            int eventsObject = emitters[i + 1];
            for (int f = s.firstEdge(eventsObject), end = s.endEdge(eventsObject); f < end; f++) {
                if (!listeners.isEventEdge(f)) {
                    continue;
                }
                int holder = s.edgeTo(f);
                int count = listeners.listenerCount(holder);
                if (count < 0) {
                    continue;
                }
                events++;
                most = Math.max(most, count);
                if (count >= c.options().minListeners()) {
                    Finding finding = report(c, listeners, emitter, f, holder, count, mine);
                    if (finding != null) {
                        out.add(finding);
                    }
                }
            }
        }
        return new Result(out, new Check.Listeners(true, emitters.length / 2, events, most, out.size(),
                c.options().minListeners()), mine.added());
    }

    private static Finding report(DiagnosisContext c, EventListeners listeners, int emitter, int eventEdge, int holder,
                                  int count, Claims mine) {
        HeapSnapshot s = c.snapshot();
        int[] fns = listeners.listeners(holder);
        // the functions: listeners of one function share its SharedFunctionInfo
        Map<Integer, int[]> byFunction = new LinkedHashMap<>();   // key -> {count, sample function}
        for (int l : fns) {
            int f = listeners.unwrap(l);
            byFunction.computeIfAbsent(c.v8().functionKey(f), k -> new int[] {0, f})[0]++;
        }
        List<int[]> ranked = new ArrayList<>(byFunction.values());
        ranked.sort((a, b) -> Integer.compare(b[0], a[0]));
        int main = ranked.get(0)[1];
        Boolean own = c.locator().ownCode(main);
        boolean internal = own != null ? own : c.isInternal(emitter);
        if (internal && count < (long) c.options().minListeners() * c.options().internalFactor()) {
            return null;
        }
        List<RetainerPath.Step> emitterPath = c.path(emitter);
        List<Finding.FunctionCount> functions = new ArrayList<>();
        for (int i = 0; i < ranked.size() && i < 3; i++) {
            functions.add(new Finding.FunctionCount(ranked.get(i)[0], c.function(ranked.get(i)[1])));
        }
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < fns.length && i < 5; i++) {
            samples.add(s.id(fns[i]));
        }
        for (int l : fns) {
            mine.add(l);
            int f = listeners.unwrap(l);
            mine.add(f);
            mine.add(c.v8().contextOf(f));
        }
        mine.add(holder);
        Finding.Listeners detail = new Finding.Listeners(c.ref(emitter), c.holderName(emitterPath),
                emitterPath.isEmpty() ? "" : c.render(emitterPath), s.edgeName(eventEdge), count, functions,
                Math.max(0, ranked.size() - 3), c.captured(main, 4), listeners.warned(holder));
        return c.finding(FindingKind.LISTENERS, c.graph().retainedSize(holder), count, holder,
                c.locator().of(main), samples, detail);
    }
}
