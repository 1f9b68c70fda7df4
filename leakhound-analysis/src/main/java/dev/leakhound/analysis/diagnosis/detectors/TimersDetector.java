package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Claims;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisContext;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.analysis.nodejs.NodeTimers;
import dev.leakhound.core.graph.HeapGraph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live timers that accumulate: at least {@code minTimers} live Timeouts running one callback function
 * (found on Node's timer lists, {@link NodeTimers}), with evidence that they pile up rather than come
 * and go. Repeating timers (setInterval called per session or per request and never cleared) are that
 * evidence on their own. One-shot timers fire and go, so a server with requests in flight always has
 * some pending: they are reported only when their delay is long ({@link #LONG_DELAY_MS} or more, a
 * timer per cache entry, say) or they keep {@code minBytes} alive. Node's own callbacks need
 * {@code internalFactor} times as many. Reads no claims; claims the callbacks and their scopes.
 */
public final class TimersDetector implements Detector {
    /** One-shot timers this long or longer are kept pending long enough to accumulate (10 minutes). */
    public static final long LONG_DELAY_MS = 10 * 60 * 1000;

    private static final class Group {
        int count;
        int repeating;
        long bytes;
        int callback = -1;
        /** The longest delay of the timer lists its timers are on (-1: unknown). */
        long delay = -1;
        final List<Integer> samples = new ArrayList<>();
        final List<Integer> callbacks = new ArrayList<>();
    }

    @Override
    public FindingKind kind() {
        return FindingKind.TIMERS;
    }

    @Override
    public Result detect(DiagnosisContext c, Claims claimed) {
        DiagnosisOptions o = c.options();
        NodeTimers timers = new NodeTimers(c.v8());
        if (!timers.present()) {
            return Result.none(new Check.Timers(false, 0, 0, 0, 0, 0, o.minTimers()));
        }
        HeapGraph g = c.graph();
        Map<Integer, Group> groups = new LinkedHashMap<>();
        long live = 0;
        int[] lists = c.scan().timerLists();
        for (int list : lists) {
            long listDelay = NodeTimers.delay(g, list);
            live += timers.forEachLive(list, timeout -> {
                int cb = timers.callback(timeout);
                if (cb < 0) {
                    return;
                }
                Group gr = groups.computeIfAbsent(c.v8().functionKey(cb), k -> new Group());
                gr.count++;
                gr.bytes += g.retainedSize(timeout);
                if (timers.repeats(timeout)) {
                    gr.repeating++;
                }
                if (gr.callback < 0) {
                    gr.callback = cb;
                }
                gr.delay = Math.max(gr.delay, listDelay);
                gr.callbacks.add(cb);
                if (gr.samples.size() < 5) {
                    gr.samples.add(timeout);
                }
            });
        }
        Claims mine = claimed.forDetector();
        List<Finding> out = new ArrayList<>();
        long most = 0;
        for (Group gr : groups.values()) {
            most = Math.max(most, gr.count);
            if (gr.count < o.minTimers()) {
                continue;
            }
            Boolean own = c.locator().ownCode(gr.callback);
            if (own != null && own && gr.count < (long) o.minTimers() * o.internalFactor()) {
                continue;
            }
            long delay = gr.delay;
            boolean intervals = gr.repeating * 2 >= gr.count;
            if (!intervals && delay < LONG_DELAY_MS && gr.bytes < o.minBytes()) {
                continue;   // one-shot timers that fire soon and keep little: normal churn
            }
            out.add(report(c, gr, delay));
            for (int cb : gr.callbacks) {
                mine.add(cb);
                mine.add(c.v8().contextOf(cb));
            }
        }
        return new Result(out, new Check.Timers(true, live, lists.length, groups.size(), most, out.size(), o.minTimers()),
                mine.added());
    }

    private static Finding report(DiagnosisContext c, Group gr, long delay) {
        List<Long> ids = new ArrayList<>();
        for (int t : gr.samples) {
            ids.add(c.snapshot().id(t));
        }
        Finding.Timers detail = new Finding.Timers(gr.count, gr.repeating, delay, c.function(gr.callback),
                c.captured(gr.callback, 4));
        return c.finding(FindingKind.TIMERS, gr.bytes, gr.count, gr.samples.get(0), c.locator().of(gr.callback), ids, detail);
    }
}
