package dev.leakhound.report.html;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.watch.GcEvent;
import dev.leakhound.inspector.watch.Memwatch;
import dev.leakhound.inspector.watch.Sample;
import dev.leakhound.inspector.watch.Watcher;
import dev.leakhound.report.WatchReport;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * {@code watch --html FILE}: keeps what the watch sees in a {@link WatchRecord} (bounded) and passes every
 * event on to the next listener. Rewrites the page every {@code every} samples (atomically, through
 * {@link HtmlFiles}), so a watch that is killed still leaves a page of what it saw until then; {@link #end}
 * and {@link #write} make the final one.
 */
public final class WatchHtmlRecorder implements Watcher.Listener {
    private final WatchRecord record;
    private final Watcher.Listener next;
    private final Path file;
    private final int every;
    private final Consumer<String> problems;
    private boolean failed;

    /**
     * @param every    rewrite the page every this many samples
     * @param problems told once when a rewrite while watching fails (the final write says it again)
     */
    public WatchHtmlRecorder(Watcher.Listener next, WatchRecord record, Path file, int every, Consumer<String> problems) {
        this.next = next;
        this.record = record;
        this.file = file;
        this.every = every;
        this.problems = problems;
    }

    /** Rewrites every max(10, 30 s / interval) samples. */
    public static int rewriteEvery(double intervalSeconds) {
        return Math.max(10, (int) Math.ceil(30 / intervalSeconds));
    }

    /** Writes the page now. @throws LeakhoundException when it cannot be written */
    public void write() {
        HtmlFiles.write(file, w -> WatchHtml.write(record, w));
    }

    /** How the watch ended, with the counts of {@code watch --json}'s end line. */
    public void end(String reason, Watcher.Result r) {
        record.end(reason, r.samples(), r.fullGcs(), r.incrementalGcs(), r.leaks());
    }

    @Override
    public void onSample(Sample s) {
        record.sample(s.timeMillis(), s.mem("rss"), s.mem("heapTotal"), s.mem("heapUsed"), s.mem("external"),
                s.mem("arrayBuffers"), s.droppedGcs());
        for (GcEvent g : s.gcs()) {
            record.gc(g.kind().label(), g.pauseMillis());
        }
        next.onSample(s);
        if (record.samples() % every == 0 && !failed) {
            try {
                write();
            } catch (LeakhoundException e) {
                failed = true; // said once; the final write will say it again
                problems.accept(e.getMessage());
            }
        }
    }

    @Override
    public void onStats(Memwatch.Stats st) {
        record.stats(new WatchRecord.Stats(st.timeMillis(), st.numFullGc(), st.numIncGc(), st.heapCompactions(),
                st.usageTrend(), st.estimatedBase(), st.currentBase(), st.min(), st.max()));
        next.onStats(st);
    }

    @Override
    public void onLeak(Memwatch.Leak l) {
        record.leak(new WatchRecord.Leak(l.startMillis(), l.endMillis(), l.growth(), WatchReport.leakReason(l)));
        next.onLeak(l);
    }

    @Override
    public void onSnapshot(SnapshotResult r) {
        record.snapshot(new WatchRecord.Snapshot(System.currentTimeMillis(), r.file().toString(), r.bytes(), r.nodeCount()));
        next.onSnapshot(r);
    }

    @Override
    public void onNotice(String message) {
        next.onNotice(message);
    }
}
