package dev.leakhound.cli.live;

import dev.leakhound.cli.options.TargetOptions;
import dev.leakhound.cli.options.WorkerOptions;
import dev.leakhound.inspector.cdp.NodeWorkers.Worker;
import dev.leakhound.inspector.workers.WorkerSelector;
import dev.leakhound.inspector.workers.Workers;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.AllocationTracking;
import dev.leakhound.inspector.capture.SnapshotCapture;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.report.CaptureReport;
import dev.leakhound.report.WorkersReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code leakhound snapshot TARGET [-o FILE] [--gc]}: capture a heap snapshot of a live process, streamed to disk. */
@Command(name = "snapshot",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Takes a heap snapshot of a live Node.js process over its inspector and streams it to disk.",
            "The file is written to a temporary name, owner-only (0600), and renamed when complete: a failed capture leaves no file.",
            "The target's JavaScript is paused for the whole capture.",
            "--worker: a worker thread's heap instead of the main thread's (leakhound workers lists them)."
        },
        showEndOfOptionsDelimiterInUsageHelp = true,
        footer = {"", "Examples:",
            "  leakhound snapshot                  (node --inspect listening on 127.0.0.1:9229)",
            "  leakhound snapshot --pid 4242 -o app.heapsnapshot",
            "  leakhound snapshot --delay 10 -- node server.js",
            "  leakhound snapshot --worker 1 -o worker.heapsnapshot      (a worker thread's heap; see leakhound workers)",
            "  leakhound snapshot --worker all   (one file per worker: Heap.<date>.<time>.<pid>.worker<id>.heapsnapshot)"})
public final class SnapshotCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write (default Heap.<date>.<time>.<pid>.heapsnapshot in the current directory).")
    Path output;

    @Mixin
    WorkerOptions workers;

    @Option(names = "--gc", description = "Run a full garbage collection first (HeapProfiler.collectGarbage).")
    boolean gc;

    @Option(names = "--track-allocations",
            description = "Track allocations until the snapshot (use with --delay): the snapshot then carries allocation "
                    + "stacks (analyze shows its Allocation view). A command given after -- is started with node "
                    + "--track-heap-objects; a process attached to is tracked from then on through the inspector.")
    boolean trackAllocations;

    @Option(names = "--delay", paramLabel = "SECONDS", defaultValue = "0",
            description = "Wait this long after attaching before capturing (useful with -- COMMAND).")
    double delay;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Give up when the target sends nothing for this long during the capture (default ${DEFAULT-VALUE}).")
    double idleTimeout;

    @Spec
    CommandSpec spec;

    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd.HHmmss").withZone(ZoneId.systemDefault());

    @Override
    public Integer call() {
        CaptureReport report = new CaptureReport(spec.commandLine().getOut(), spec.commandLine().getErr());
        if (delay < 0 || idleTimeout <= 0) {
            throw new LeakhoundException("--delay must be >= 0 and --idle-timeout > 0");
        }
        WorkerSelector selector = workers.selector();   // a bad --worker fails before anything starts
        if (selector != null && trackAllocations) {
            throw new LeakhoundException("--track-allocations tracks the main thread's allocations; it cannot be used with"
                    + " --worker (hunt --worker --track-allocations tracks a worker's)");
        }
        List<String> nodeOptions = trackAllocations ? List.of(AllocationTracking.NODE_FLAG) : List.of();
        try (Target t = target.open(spec.commandLine().getErr(), null, nodeOptions);
             AllocationTracking tracking = trackAllocations ? AllocationTracking.start(t.session()) : AllocationTracking.none()) {
            report.attached(t);
            if (trackAllocations) {
                report.trackingAllocations(tracking.mode() == AllocationTracking.Mode.FROM_START_UP);
            }
            if (delay > 0) {
                report.waiting(delay);
                try {
                    t.finished().get(Math.round(delay * 1000), TimeUnit.MILLISECONDS);
                    throw new LeakhoundException("the target exited during --delay; no snapshot taken");
                } catch (TimeoutException expected) {
                    // still running: go on
                } catch (InterruptedException | ExecutionException e) {
                    throw new LeakhoundException("interrupted during --delay");
                }
            }
            if (selector != null) {
                snapshotWorkers(t, Workers.open(t), selector, report);
                return 0;
            }
            Path file = output != null ? output
                    : Path.of("Heap." + NAME_TIME.format(Instant.now()) + "." + t.pid() + ".heapsnapshot");
            capture(t, file, report);
        }
        return 0;
    }

    private void capture(Target t, Path file, CaptureReport report) {
        t.checkHeadroom();   // before saying it is taking one
        report.capturing(gc);
        boolean tty = System.console() != null;
        SnapshotResult r = t.takeSnapshot(file, new SnapshotCapture.Options(gc,
                TargetOptions.seconds(idleTimeout), tty ? report.progressLine() : null));
        report.done(r, tty);
    }

    /**
     * --worker: one snapshot per worker named, each in its own session. One worker by id or script: -o FILE
     * as given; all (or a script several run): the worker id goes into every name ({@link #workerFile}).
     */
    private void snapshotWorkers(Target t, Workers ws, WorkerSelector selector, CaptureReport report) {
        List<Worker> chosen = ws.select(selector);
        boolean several = selector.kind() == WorkerSelector.Kind.ALL || chosen.size() > 1;
        String time = NAME_TIME.format(Instant.now());
        for (Worker w : chosen) {
            ws.focus(w);
            WorkersReport.capturing(t, w, spec.commandLine().getErr());
            Path file = output == null ? Path.of("Heap." + time + "." + t.pid() + ".worker" + w.id() + ".heapsnapshot")
                    : several ? workerFile(output, w.id()) : output;
            capture(t, file, report);
        }
    }

    /** "dir/app.heapsnapshot" for worker 2: "dir/app.worker2.heapsnapshot" (the id before the extension, if any). */
    static Path workerFile(Path output, String id) {
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String named = dot > 0 ? name.substring(0, dot) + ".worker" + id + name.substring(dot) : name + ".worker" + id;
        return output.resolveSibling(named);
    }
}
