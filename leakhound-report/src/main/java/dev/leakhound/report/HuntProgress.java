package dev.leakhound.report;

import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.hunt.Hunt;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.load.HttpLoad;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Renders what {@code leakhound hunt} does while it hunts, on stderr ("leakhound: ..."): the plan, each
 * snapshot, and what the load did. The verdict is find-leaks' report ({@link LeakReportRenderer}).
 */
public final class HuntProgress implements Hunt.Listener {
    private final PrintWriter err;

    public HuntProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void started(Target t, Hunt.Plan p) {
        double warm = p.warmup().toMillis() / 1000.0;
        double interval = p.interval().toMillis() / 1000.0;
        err.printf(Locale.ROOT, "leakhound: hunting in %s: %d snapshots %.0f s apart after %.0f s of warm-up"
                + " (about %.0f s); each snapshot pauses its JavaScript%n", t.describe(), p.snapshots(), interval, warm,
                p.total().toMillis() / 1000.0);
        err.flush();
    }

    @Override
    public void snapshotTaken(int index, int count, SnapshotResult r) {
        err.printf(Locale.ROOT, "leakhound: snapshot %d/%d: %.1f MB, %,d nodes; target paused %.2f s%n", index,
                count, r.bytes() / 1e6, r.nodeCount(), r.paused().toNanos() / 1e9);
        err.flush();
    }

    /** Allocation tracking is on (--track-allocations): it stays on until the last snapshot. */
    public void trackingAllocations(boolean fromStartUp) {
        err.println("leakhound: " + trackingNotice(fromStartUp));
        err.flush();
    }

    /** The line that says allocation tracking is on, and how (see AllocationTracking for the two ways). */
    static String trackingNotice(boolean fromStartUp) {
        return fromStartUp
                ? "allocation tracking on since start-up (node --track-heap-objects): V8 records the stack of every"
                        + " allocation (the target runs slower)"
                : "allocation tracking on through the inspector from now on: V8 records the stack of each allocation"
                        + " but forgets it for objects that move later, and collects garbage every 50 ms (the target runs much"
                        + " slower); a process started by leakhound (-- node app.js) keeps every stack";
    }

    /** What the load did; nothing when there was none (or it did not report). */
    public void load(HttpLoad.LoadReport lr) {
        if (lr != null) {
            err.printf(Locale.ROOT, "leakhound: load: %,d requests sent, %,d answered OK, %,d errors%n",
                    lr.sent(), lr.ok(), lr.errors());
            err.flush();
        }
    }

    /** Where the snapshots were kept (--keep), after the text report on stdout. */
    public static void kept(PrintWriter out, Path dir) {
        out.println();
        out.println("Snapshots kept in " + dir);
    }
}
