package dev.leakhound.report;

import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.hunt.Hunt;
import dev.leakhound.inspector.live.Target;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Renders what {@code leakhound check} does while it runs, on stderr ("leakhound: ..."): the plan and each
 * snapshot. The verdict is find-leaks' report with the scenario's rounds ({@link LeakReportRenderer}).
 */
public final class CheckProgress implements Hunt.Listener {
    private final PrintWriter err;
    private final String scenario;
    private final int warmup;
    private final int iterations;

    public CheckProgress(PrintWriter err, String scenario, int warmup, int iterations) {
        this.err = err;
        this.scenario = scenario;
        this.warmup = warmup;
        this.iterations = iterations;
    }

    @Override
    public void started(Target t, Hunt.Plan p) {
        err.printf(Locale.ROOT, "leakhound: checking %s in %s: %d warm-up calls, then %d rounds of %d calls, a heap snapshot"
                + " after each (a full GC first)%n", scenario, t.describe(), warmup, p.snapshots() - 1, iterations);
        err.flush();
    }

    @Override
    public void snapshotTaken(int index, int count, SnapshotResult r) {
        err.printf(Locale.ROOT, "leakhound: snapshot %d/%d: %.1f MB, %,d nodes%n", index, count, r.bytes() / 1e6, r.nodeCount());
        err.flush();
    }
}
