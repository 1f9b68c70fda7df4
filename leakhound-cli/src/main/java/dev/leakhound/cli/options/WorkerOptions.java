package dev.leakhound.cli.options;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.NodeWorkers.Worker;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.workers.WorkerSelector;
import dev.leakhound.inspector.workers.Workers;
import dev.leakhound.report.WorkersReport;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * {@code --worker ID|URL|all} (a picocli mixin for the live commands that look at one heap: snapshot, watch,
 * hunt, profile): work on a worker thread's heap instead of the main thread's, through the
 * inspector's NodeWorker domain ({@link Workers}).
 */
public final class WorkerOptions {
    @Option(names = "--worker", paramLabel = "ID|URL|all",
            description = "Work on a worker thread's heap instead of the main thread's: its id (`leakhound workers` lists them),"
                    + " its script (file URL, path or file name), or all (snapshot only: one file per worker).")
    String worker;

    /** Whether --worker was given. */
    public boolean given() {
        return worker != null;
    }

    /** The parsed --worker (null when not given); a bad value fails here, before anything starts. */
    public WorkerSelector selector() {
        return worker == null ? null : WorkerSelector.parse(worker);
    }

    /** For a command that works on one heap: fails on --worker all before anything starts. */
    public void checkOne(String command) {
        WorkerSelector s = selector();
        if (s != null && s.kind() == WorkerSelector.Kind.ALL) {
            throw new LeakhoundException("--worker all is for snapshot; " + command + " works on one worker: give its id"
                    + " (leakhound workers lists them)");
        }
    }

    /**
     * With --worker: points {@code t} at the worker it names (one) and says so on {@code err}; returns it.
     * Without: leaves the main thread and returns null.
     */
    public Worker focusOne(Target t, PrintWriter err) {
        WorkerSelector s = selector();
        if (s == null) {
            return null;
        }
        Workers ws = Workers.open(t);
        Worker w = ws.selectOne(s);
        ws.focus(w);
        WorkersReport.focused(t, w, err);
        return w;
    }
}
