package dev.leakhound.report;

import dev.leakhound.inspector.capture.Headroom;
import dev.leakhound.inspector.capture.NearHeapLimit;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Renders {@code leakhound arm}: what the process will do and where the file will appear on stdout, and
 * warnings (not enough disk or memory where the snapshot will be written) on stderr.
 */
public final class ArmReport {
    private final PrintWriter out;
    private final PrintWriter err;

    public ArmReport(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    public void print(NearHeapLimit.Armed a) {
        String snapshots = a.count() == 1 ? "1 heap snapshot" : a.count() + " heap snapshots";
        String head = switch (a.outcome()) {
            case ARMED -> "armed pid " + a.pid() + " (node " + a.nodeVersion() + "): it will write " + snapshots;
            case ALREADY_ARMED -> "pid " + a.pid() + " (node " + a.nodeVersion() + ") was already armed by leakhound: it will write "
                    + snapshots;
            case SET_AT_START -> "pid " + a.pid() + " (node " + a.nodeVersion() + ") was started with --heapsnapshot-near-heap-limit="
                    + a.count() + ", which Node keeps (nothing changed): it will write " + snapshots;
        };
        out.println(head + " when its heap nears its limit (" + Format.bytes(a.heapUsed()) + " used of "
                + Format.bytes(a.heapLimit()) + " now)");
        out.println("  file:   " + a.folder() + "/" + a.filePattern());
        out.println("          (" + (a.fromFlag() ? "its --diagnostic-dir" : "its working directory")
                + ", fixed at start-up; Node prints \"Wrote snapshot to FILE\" on the process's stderr, mode 0600)");
        out.println("  size:   about " + Format.bytes(a.fileEstimate()) + " per snapshot ("
                + String.format(Locale.ROOT, "%.1f", NearHeapLimit.FILE_FACTOR) + " x the heap limit)"
                + (a.diskFree() >= 0 ? "; " + Format.bytes(a.diskFree()) + " free there now" : ""));
        out.println("  memory: writing it needs about " + Format.bytes(a.memoryEstimate()) + " beyond the heap ("
                + Headroom.factorText() + " x the heap, measured)"
                + (a.memory().free() < 0 ? ""
                : "; " + a.memory().cgroup().map(l -> "its cgroup " + l.dir() + " allows " + Format.bytes(l.limit())
                        + ", ").orElse("") + "free now: " + Format.bytes(a.memory().free())));
        out.println("  the process stays armed until it exits; leakhound need not keep running."
                + " Read the file with `leakhound analyze FILE` (one) or `leakhound find-leaks` (several).");
        out.flush();
        if (a.diskFree() >= 0 && a.diskFree() < a.fileEstimate()) {
            warn("the snapshot may not fit on disk: about " + Format.bytes(a.fileEstimate()) + " needed, "
                    + Format.bytes(a.diskFree()) + " free in " + a.folder());
        }
        long room = a.roomAtLimit();
        long suggested = a.suggestedMaxOldSpaceMb();
        String restart = suggested > 0 ? "; restarted with --max-old-space-size=" + suggested + " it would leave room to write"
                + " the snapshot within that limit" : "";
        if (a.cgroupBelowHeapLimit()) {
            warn("its cgroup limit (" + Format.bytes(a.memory().cgroup().get().limit()) + ") is below what it may reach before"
                    + " its heap nears its limit (" + Format.bytes(a.heapLimit()) + " of heap, " + Format.bytes(Math.max(0, a.rss() - a.heapUsed()))
                    + " outside it now): the kernel is likely to kill it first, and then no snapshot is written" + restart);
        } else if (a.memory().free() >= 0 && room < a.memoryEstimate()) {
            warn("when the heap reaches its limit the process may be killed for lack of memory while it writes the snapshot"
                    + " (needs about " + Format.bytes(a.memoryEstimate()) + ", " + (room > 0 ? "about " + Format.bytes(room)
                    + " would be left" : "nothing would be left") + ")" + restart);
        }
    }

    private void warn(String message) {
        err.println("leakhound: warning: " + message);
        err.flush();
    }
}
