package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.RetainerPath;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live timers. Node keeps every scheduled Timeout in a {@code TimersList} per delay
 * ({@code timerListMap[ms]}), a circular list linked through {@code _idleNext}/{@code _idlePrev}
 * ({@code lib/internal/timers.js}); clearTimeout/clearInterval unlinks it. So the Timeouts on those
 * lists are the live ones, each keeping its {@code _onTimeout} callback and the callback's scope. A
 * repeating timer has a number in {@code _repeat} (no edge in the snapshot); a one-shot timer has
 * {@code null} there (an edge to an oddball). Many live timers running one function is the shape
 * of setInterval called per session or per request and never cleared.
 */
final class Timers {
    private Timers() {}

    private static final class Group {
        int count;
        int intervals;
        long bytes;
        int callback = -1;
        int list = -1;
        final List<Integer> samples = new ArrayList<>();
        final List<Integer> callbacks = new ArrayList<>();
    }

    static void find(Heap h, List<Finding> out, List<String> checked) {
        HeapSnapshot s = h.s;
        if (h.timersList < 0) {
            checked.add("timers: no Node timer lists in the snapshot");
            return;
        }
        Map<Integer, Group> groups = new LinkedHashMap<>();
        int live = 0;
        int lists = 0;
        int n = s.nodeCount();
        for (int li = 0; li < h.timerLists.size(); li++) {
            int v = h.timerLists.get(li);
            lists++;
            int cur = h.property(v, h.idleNext);
            for (int steps = 0; cur >= 0 && cur != v && steps < n && s.nameIndex(cur) == h.timeout; steps++) {
                live++;
                int cb = h.property(cur, h.onTimeout);
                if (cb >= 0 && s.type(cb) == NodeType.CLOSURE) {
                    int sfi = h.sharedInfo(cb);
                    Group gr = groups.computeIfAbsent(sfi >= 0 ? sfi : -2 - cb, k -> new Group());
                    gr.count++;
                    gr.bytes += h.g.retainedSize(cur);
                    if (h.edge(cur, EdgeType.PROPERTY, h.repeat) < 0) {
                        gr.intervals++;
                    }
                    if (gr.callback < 0) {
                        gr.callback = cb;
                        gr.list = v;
                    }
                    gr.callbacks.add(cb);
                    if (gr.samples.size() < 5) {
                        gr.samples.add(cur);
                    }
                }
                cur = h.property(cur, h.idleNext);
            }
        }
        int biggest = 0;
        int reported = 0;
        for (Group gr : groups.values()) {
            biggest = Math.max(biggest, gr.count);
            if (gr.count < h.o.minTimers()) {
                continue;
            }
            Boolean own = h.ownCode(gr.callback);
            if (own != null && own && gr.count < (long) h.o.minTimers() * h.o.internalFactor()) {
                continue;
            }
            report(h, gr, out);
            reported++;
        }
        checked.add("timers: " + Heap.count(live) + " live timers in " + lists + " timer lists, " + groups.size()
                + " callback functions, at most " + Heap.count(biggest) + " timers for one function; " + reported
                + " reported (threshold " + h.o.minTimers() + ")");
    }

    private static void report(Heap h, Group gr, List<Finding> out) {
        HeapSnapshot s = h.s;
        boolean repeating = gr.intervals * 2 >= gr.count;
        String kind = repeating ? "setInterval" : "setTimeout";
        String delay = delay(h, gr.list);
        int sample = gr.samples.get(0);
        List<RetainerPath.Step> path = h.path(sample);
        List<Finding.Fact> facts = new ArrayList<>();
        facts.add(Finding.Fact.count("timers", gr.count));
        facts.add(Finding.Fact.text("kind", gr.intervals == gr.count ? "repeating (setInterval)"
                : gr.intervals == 0 ? "one-shot (setTimeout), pending" : gr.intervals + " repeating, "
                + (gr.count - gr.intervals) + " one-shot"));
        if (delay != null) {
            facts.add(Finding.Fact.text("delay", delay + " ms (the TimersList they are on)"));
        }
        facts.add(Finding.Fact.text("callback", h.function(gr.callback)));
        List<String> keeps = h.captured(gr.callback, 4);
        if (!keeps.isEmpty()) {
            facts.add(Finding.Fact.list("captures", keeps));
        }
        List<Long> ids = new ArrayList<>();
        for (int t : gr.samples) {
            ids.add(s.id(t));
        }
        String fn = h.label(gr.callback);
        String keepsText = keeps.isEmpty() ? "" : ", each keeping " + keeps.get(0).substring(0, keeps.get(0).indexOf(" → "));
        String title = Heap.count(gr.count) + " live " + kind + " timers run " + fn + (delay == null ? "" : " every "
                + delay + " ms") + keepsText;
        if (!repeating) {
            title = Heap.count(gr.count) + " pending setTimeout timers will run " + fn
                    + (delay == null ? "" : " after " + delay + " ms") + keepsText;
        }
        String fix = repeating
                ? "setInterval is called again and again (per session, per request) and the timers are never cleared; each"
                + " keeps its callback and everything the callback captures. Keep the handle and call clearInterval(handle)"
                + " when the work ends (e.g. when the session or connection closes). timer.unref() does not free memory."
                : "Many one-shot timers are pending at once, each keeping its callback and what it captures until it fires."
                + " If they are deadlines for work that already finished, clearTimeout(handle) when the work ends; if the"
                + " delay is long, keep one timer that sweeps expired entries instead of one per entry.";
        out.add(new Finding("timers", title, gr.bytes, gr.count, s.id(sample), h.g.className(sample), h.render(path), path,
                h.locate(gr.callback), facts, ids, fix));
        for (int cb : gr.callbacks) {
            h.claimed.set(cb);
            int ctx = h.internalEdge(cb, h.context);
            if (ctx >= 0) {
                h.claimed.set(ctx);
            }
        }
    }

    /** The delay of a TimersList: its key in Node's timerListMap (the element edge that reaches it). */
    private static String delay(Heap h, int list) {
        int e = h.g.pathEdge(list);
        if (e < 0) {
            return null;
        }
        int t = h.s.edgeType(e);
        if (t == EdgeType.ELEMENT) {
            return Integer.toUnsignedString(h.s.edgeNameOrIndex(e));
        }
        if (t == EdgeType.PROPERTY) {
            String name = h.s.edgeName(e);
            return name.chars().allMatch(Character::isDigit) && !name.isEmpty() ? name : null;
        }
        return null;
    }
}
