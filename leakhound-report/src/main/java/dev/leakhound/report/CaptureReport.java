package dev.leakhound.report;

import dev.leakhound.inspector.capture.SnapshotCapture;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.live.Target;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Renders {@code leakhound snapshot}: what leakhound does to the target on stderr ("leakhound: ..."), the
 * progress of the capture on a terminal, and the result line on stdout. The result line
 * ({@link #summary}) is also {@code watch}'s line for a snapshot taken on a leak.
 */
public final class CaptureReport {
    private final PrintWriter out;
    private final PrintWriter err;

    public CaptureReport(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** "attached to node v20..., pid ..." for a target leakhound did not start (a launch says so itself). */
    public void attached(Target t) {
        if (t.kind() != Target.Kind.LAUNCHED) {
            notice("attached to " + t.describe());
        }
    }

    /** Allocation tracking is on until the snapshot, from start-up or through the inspector. */
    public void trackingAllocations(boolean fromStartUp) {
        notice(HuntProgress.trackingNotice(fromStartUp));
    }

    public void waiting(double seconds) {
        notice(String.format(Locale.ROOT, "waiting %.1f s before the capture", seconds));
    }

    public void capturing(boolean gcFirst) {
        notice("taking a heap snapshot" + (gcFirst ? " after a full GC" : "")
                + "; the target's JavaScript is paused until it is fully written");
    }

    /** Progress rewritten in place on one line: for a terminal. {@link #done} clears it. */
    public SnapshotCapture.Progress progressLine() {
        return (done, total, bytes) -> {
            if (bytes > 0) {
                err.printf(Locale.ROOT, "\rleakhound: snapshot: %.1f MB written   ", bytes / 1e6);
            } else if (total > 0) {
                err.printf(Locale.ROOT, "\rleakhound: snapshot: walking the heap %d%%   ", done * 100 / total);
            }
            err.flush();
        };
    }

    /** The capture's result on stdout; {@code progressShown}: clear the progress line first. */
    public void done(SnapshotResult r, boolean progressShown) {
        if (progressShown) {
            err.print("\r" + " ".repeat(48) + "\r");
            err.flush();
        }
        out.println(summary(r));
        out.flush();
    }

    /** "wrote FILE: 23.4 MB, 346,194 nodes, 971,701 edges; target paused 2.33 s (+ 0.10 s full GC before)". */
    public static String summary(SnapshotResult r) {
        return String.format(Locale.ROOT, "wrote %s: %.1f MB, %,d nodes, %,d edges; target paused %.2f s%s",
                r.file(), r.bytes() / 1e6, r.nodeCount(), r.edgeCount(), r.paused().toNanos() / 1e9,
                r.gc().isZero() ? "" : String.format(Locale.ROOT, " (+ %.2f s full GC before)", r.gc().toNanos() / 1e9));
    }

    /**
     * A capture's result as JSON fields, into an open object: {@code file, bytes, nodes, edges, pausedMillis,
     * gcMillis} (gcMillis 0 without a full GC first).
     */
    public static void fields(SnapshotResult r, Json j) {
        j.field("file", r.file().toString()).field("bytes", r.bytes()).field("nodes", r.nodeCount())
                .field("edges", r.edgeCount()).field("pausedMillis", r.paused().toMillis()).field("gcMillis", r.gc().toMillis());
    }

    private void notice(String message) {
        err.println("leakhound: " + message);
        err.flush();
    }
}
