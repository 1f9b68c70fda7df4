package dev.leakhound.cli.live;

import dev.leakhound.cli.options.OutputOptions;
import dev.leakhound.cli.options.TargetOptions;
import dev.leakhound.cli.options.WorkerOptions;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cleanup.CleanupRegistry;
import dev.leakhound.inspector.live.ProcFs;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.metrics.MetricsServer;
import dev.leakhound.inspector.metrics.PromMetrics;
import dev.leakhound.inspector.watch.Fleet;
import dev.leakhound.inspector.watch.GcSampler;
import dev.leakhound.inspector.watch.Watcher;
import dev.leakhound.report.FleetReport;
import dev.leakhound.report.WatchReport;
import dev.leakhound.report.html.WatchHtmlRecorder;
import dev.leakhound.report.html.WatchRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code leakhound watch TARGET}: memory, GC activity and memwatch's stats/leak events of a live process. */
@Command(name = "watch",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Watches a live Node.js process's memory and GCs, with node-memwatch's stats and leak events.",
            "Samples process.memoryUsage(), V8 heap and heap-space statistics and GC activity, one line per sample;"
                    + " emits memwatch's 'stats' after each full GC and 'leak' after N consecutive full GCs that each end"
                    + " with a larger heap. leakhound installs a small GC recorder in the target and removes it when it ends.",
            "--json prints JSON lines (type: sample, stats, leak, snapshot, end) instead of text. --html FILE writes a page"
                    + " with memory and GC charts and memwatch's events when the watch ends, rewritten as it goes so that a"
                    + " killed watch leaves one too.",
            "--all (or --pid given more than once) follows several processes, as a host agent does: one line per process"
                    + " and reading, and with --metrics-port one Prometheus endpoint whose series carry pid and command labels;"
                    + " processes that exit are dropped with their series.",
            "--worker ID watches a worker thread: its heap and GCs (rss and other process figures stay the whole process's)."
        },
        showEndOfOptionsDelimiterInUsageHelp = true,
        footer = {"", "Examples:",
            "  leakhound watch --pid 4242 --interval 5",
            "  leakhound watch --json --metrics-port 9464 -- node server.js",
            "  leakhound watch --snapshot-on-leak snaps/ --inspect 127.0.0.1:9229",
            "  leakhound watch --all --metrics-port 9464 --interval 15"})
public final class WatchCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Mixin
    WorkerOptions workers;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Time between samples (default ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics (prom-client's names) at http://127.0.0.1:PORT/metrics (0: a free port).")
    Integer metricsPort;

    @Option(names = "--snapshot-on-leak", paramLabel = "DIR",
            description = "On a leak event, take a heap snapshot into DIR (pauses the target; rate-limited).")
    Path snapshotDir;

    @Option(names = "--snapshot-min-gap", paramLabel = "SECONDS", defaultValue = "600",
            description = "At least this long between two leak snapshots (default ${DEFAULT-VALUE}).")
    double snapshotMinGap;

    @Option(names = "--max-snapshots", paramLabel = "N", defaultValue = "3",
            description = "At most N leak snapshots (default ${DEFAULT-VALUE}).")
    int maxSnapshots;

    @Option(names = "--leak-gcs", paramLabel = "N", defaultValue = "5",
            description = "Consecutive growing full GCs that make a leak event (memwatch: ${DEFAULT-VALUE}).")
    int leakGcs;

    @Option(names = "--gc-every", paramLabel = "SECONDS",
            description = "Force a full GC this often (HeapProfiler.collectGarbage), for targets whose full GCs are rare."
                    + " Each one pauses the target.")
    Double gcEvery;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop after this long (default: until the target exits or Ctrl-C).")
    Double duration;

    @Option(names = "--gc-source", paramLabel = "auto|observer", defaultValue = "auto",
            description = "How the target records GCs: auto (v8.GCProfiler when available) or observer (PerformanceObserver).")
    String gcSource;

    @Option(names = "--all",
            description = "Follow every Node.js process of the machine, also those started later (/proc scanned each --interval):"
                    + " /proc figures for all, heap and GC figures for those whose inspector is already open on loopback;"
                    + " no process is signalled (name one with --pid for that). With --metrics-port, one endpoint whose"
                    + " series carry pid and command labels.")
    boolean all;

    @Option(names = "--match", paramLabel = "REGEX",
            description = "With --all: only the processes whose command line contains a match of REGEX (e.g. server\\.js).")
    String match;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        WatchReport report = new WatchReport(spec.commandLine().getOut(), spec.commandLine().getErr(), output.json());
        if (interval <= 0 || leakGcs < 1 || maxSnapshots < 0 || snapshotMinGap < 0
                || (gcEvery != null && gcEvery <= 0) || (duration != null && duration <= 0)) {
            throw new LeakhoundException("--interval, --gc-every and --duration must be positive, --leak-gcs at least 1");
        }
        GcSampler.Mode mode = switch (gcSource) {
            case "auto" -> GcSampler.Mode.AUTO;
            case "observer" -> GcSampler.Mode.OBSERVER;
            default -> throw new LeakhoundException("--gc-source must be auto or observer");
        };
        Watcher.Config cfg = Watcher.Config.defaults()
                .withInterval(TargetOptions.seconds(interval))
                .withLeakGcs(leakGcs)
                .withDuration(duration == null ? null : TargetOptions.seconds(duration))
                .withGcEvery(gcEvery == null ? null : TargetOptions.seconds(gcEvery))
                .withSnapshots(snapshotDir, TargetOptions.seconds(snapshotMinGap), maxSnapshots)
                .withSlowAfter(TargetOptions.seconds(Math.max(5, 2 * interval)))
                .withMode(mode);
        if (all || target.pids().size() > 1) {
            return fleet(cfg);
        }
        if (match != null) {
            throw new LeakhoundException("--match goes with --all");
        }
        output.checkHtmlTarget();
        workers.checkOne("watch");
        PromMetrics metrics = metricsPort == null ? null : new PromMetrics();
        MetricsServer server = null;
        int exit = 0;
        Target t = target.open(spec.commandLine().getErr());
        try {
            workers.focusOne(t, spec.commandLine().getErr());
            report.attached(t);
            if (metrics != null) {
                metrics.setNodeVersion(t.nodeVersion());
                server = MetricsServer.start(metricsPort, metrics);
                report.metricsServed(server.port());
            }
            WatchHtmlRecorder page = output.html() == null ? null : new WatchHtmlRecorder(report,
                    new WatchRecord(t.describe(), interval, System.currentTimeMillis()), output.html(),
                    WatchHtmlRecorder.rewriteEvery(interval), report::problem);
            Watcher w = new Watcher(t, cfg, page != null ? page : report, metrics);
            // Ctrl-C: stop watching, and let the end of the watch (recorder removed, page, summary) happen first
            AtomicBoolean stopped = new AtomicBoolean();
            CountDownLatch summarized = new CountDownLatch(1);
            CleanupRegistry.Registration onExit = CleanupRegistry.jvm().register(CleanupRegistry.Phase.STOP_WORK,
                    "stop the watch", () -> {
                        stopped.set(true);
                        w.stop();
                        try {
                            summarized.await(3, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt(); // exiting anyway
                        }
                    });
            try {
                Watcher.Result r = w.run();
                String reason = stopped.get() ? "stopped" : r.endReason();
                boolean connected = t.isConnected();
                t.close(); // removes the GC recorder while the target is still there
                report.end(reason, r);
                if (page != null) {
                    page.end(reason, r);
                    try {
                        page.write();
                        report.htmlWritten(output.html());
                    } catch (LeakhoundException e) {
                        report.problem(e.getMessage());
                        exit = 2;
                    }
                }
                report.summary(reason, r, connected);
            } finally {
                summarized.countDown();
                onExit.close();
            }
        } finally {
            t.close(); // idempotent
            if (server != null) {
                server.close();
            }
        }
        return exit;
    }

    /** watch --all, or several --pid: every process on its own, one metrics endpoint for all. */
    private int fleet(Watcher.Config cfg) {
        if (target.inspectOrCommand()) {
            throw new LeakhoundException("--all and several --pid follow processes by pid: --inspect and -- COMMAND do not go with them");
        }
        if (workers.given()) {
            throw new LeakhoundException("--worker watches a worker of one process: it does not go with --all or several --pid");
        }
        if (snapshotDir != null || output.html() != null) {
            throw new LeakhoundException("--snapshot-on-leak and --html watch one process: they do not go with --all or several --pid");
        }
        if (!ProcFs.available()) {
            throw new LeakhoundException("--all and several --pid need Linux /proc (not found here)");
        }
        for (long p : target.pids()) {
            if (p <= 0 || !ProcFs.exists(p)) {
                throw new LeakhoundException("--pid " + p + ": no such process");
            }
        }
        FleetReport report = new FleetReport(spec.commandLine().getOut(), spec.commandLine().getErr(), output.json());
        Pattern pattern;
        try {
            pattern = match == null ? null : Pattern.compile(match);
        } catch (PatternSyntaxException e) {
            throw new LeakhoundException("--match " + match + ": not a regular expression (" + e.getDescription() + ")");
        }
        Fleet fleet = new Fleet(new Fleet.Config(cfg.interval(), all, pattern, target.pids(), cfg.duration(), cfg,
                target.options(spec.commandLine().getErr())), report);
        MetricsServer server = metricsPort == null ? null : MetricsServer.start(metricsPort, fleet::render);
        CountDownLatch ended = new CountDownLatch(1);
        CleanupRegistry.Registration onExit = CleanupRegistry.jvm().register(CleanupRegistry.Phase.STOP_WORK,
                "stop the watch", () -> {
                    fleet.stop();
                    try {
                        ended.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // exiting anyway
                    }
                });
        try {
            if (server != null) {
                report.metricsServed(server.port());
            }
            report.end(fleet.run());   // run() drops every process before it returns
        } finally {
            ended.countDown();
            onExit.close();
            fleet.close();
            if (server != null) {
                server.close();
            }
        }
        return 0;
    }
}
