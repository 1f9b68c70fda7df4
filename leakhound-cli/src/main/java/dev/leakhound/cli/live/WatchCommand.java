package dev.leakhound.cli.live;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.inspector.metrics.MetricsServer;
import dev.leakhound.inspector.metrics.PromMetrics;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.watch.GcEvent;
import dev.leakhound.inspector.watch.GcKind;
import dev.leakhound.inspector.watch.GcSampler;
import dev.leakhound.inspector.watch.Memwatch;
import dev.leakhound.inspector.watch.Sample;
import dev.leakhound.inspector.watch.Watcher;
import dev.leakhound.report.html.HtmlFiles;
import dev.leakhound.report.html.WatchHtml;
import dev.leakhound.report.html.WatchRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code leakhound watch TARGET}: memory, GC activity and memwatch's stats/leak events of a live process. */
@Command(name = "watch",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Watches a live Node.js process's memory and GCs, with node-memwatch's stats and leak events.",
            "Samples process.memoryUsage(), V8 heap and heap-space statistics and GC activity, one line per sample",
            "(or JSON lines); emits memwatch's 'stats' after each full GC and 'leak' after N consecutive full GCs",
            "that each end with a larger heap. leakhound installs a small GC recorder in the target and removes it",
            "when it ends."
        },
        showEndOfOptionsDelimiterInUsageHelp = true,
        footer = {"", "Examples:",
            "  leakhound watch --pid 4242 --interval 5",
            "  leakhound watch --json --metrics-port 9464 -- node server.js",
            "  leakhound watch --snapshot-on-leak snaps/ --inspect 127.0.0.1:9229"})
public final class WatchCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Time between samples (default ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--json", description = "Print JSON lines (type: sample, stats, leak, snapshot, end) instead of text.")
    boolean json;

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

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write a self-contained HTML page (memory and GC charts, memwatch events) to FILE when the watch ends,"
                    + " rewritten as it goes so a killed watch leaves one too.")
    Path html;

    @Spec
    CommandSpec spec;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
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
        if (html != null) {
            HtmlFiles.checkTarget(html);
        }
        PromMetrics metrics = metricsPort == null ? null : new PromMetrics();
        MetricsServer server = null;
        int exit = 0;
        Target t = target.open(err);
        try {
            if (t.kind() != Target.Kind.LAUNCHED) {
                err.println("leakhound: attached to " + t.describe());
            }
            if (metrics != null) {
                metrics.setNodeVersion(t.nodeVersion());
                server = MetricsServer.start(metricsPort, metrics);
                err.println("leakhound: Prometheus metrics at http://127.0.0.1:" + server.port() + "/metrics");
            }
            Watcher.Listener printer = new Printer(out, err, json);
            HtmlRecorder page = null;
            if (html != null) {
                page = new HtmlRecorder(printer, new WatchRecord(t.describe(), interval, System.currentTimeMillis()), html,
                        Math.max(10, (int) Math.ceil(30 / interval)), err);
                printer = page;
            }
            Watcher w = new Watcher(t, cfg, printer, metrics);
            boolean[] ctrlC = {false};
            java.util.concurrent.CountDownLatch summarized = new java.util.concurrent.CountDownLatch(1);
            Thread hook = new Thread(() -> {
                ctrlC[0] = true;
                w.stop();
                try {
                    summarized.await(3, java.util.concurrent.TimeUnit.SECONDS); // let the summary print
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            Watcher.Result r;
            try {
                r = w.run();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down
                }
            }
            String reason = ctrlC[0] ? "stopped" : r.endReason();
            boolean connected = t.isConnected();
            t.close(); // removes the GC recorder while the target is still there
            if (json) {
                out.println(Json.write(JsonObj.of("type", "end", "reason", reason, "samples", r.samples(),
                        "num_full_gc", r.fullGcs(), "num_inc_gc", r.incrementalGcs(), "leaks", r.leaks())));
            }
            out.flush();
            if (page != null) {
                page.record.end(reason, r.samples(), r.fullGcs(), r.incrementalGcs(), r.leaks());
                try {
                    page.write();
                    err.println("leakhound: HTML report written to " + html);
                } catch (LeakhoundException e) {
                    err.println("leakhound: " + e.getMessage());
                    exit = 2;
                }
            }
            err.printf(Locale.ROOT, "leakhound: watch ended: %s (%d samples, %d full GCs, %d leak events%s); GC recorder %s%n",
                    reason, r.samples(), r.fullGcs(), r.leaks(),
                    r.snapshots().isEmpty() ? "" : ", " + r.snapshots().size() + " snapshots",
                    connected ? "removed from the target" : "gone with the target");
            err.flush();
            summarized.countDown();
        } finally {
            t.close(); // idempotent
            if (server != null) {
                server.close();
            }
        }
        return exit;
    }

    /**
     * Keeps what the watch sees for the HTML page (bounded: see {@link WatchRecord}) and passes every
     * event on. Rewrites the page every {@code every} samples (atomically, through {@link HtmlFiles}),
     * so a watch that is killed still leaves a page of what it saw until then.
     */
    static final class HtmlRecorder implements Watcher.Listener {
        final WatchRecord record;
        private final Watcher.Listener next;
        private final Path file;
        private final int every;
        private final PrintWriter err;
        private boolean failed;

        HtmlRecorder(Watcher.Listener next, WatchRecord record, Path file, int every, PrintWriter err) {
            this.next = next;
            this.record = record;
            this.file = file;
            this.every = every;
            this.err = err;
        }

        void write() {
            HtmlFiles.write(file, w -> WatchHtml.write(record, w));
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
                    err.println("leakhound: " + e.getMessage());
                    err.flush();
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
            record.leak(new WatchRecord.Leak(l.startMillis(), l.endMillis(), l.growth(), l.reason()));
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

    /** Renders watch events as text lines or JSON lines. */
    static final class Printer implements Watcher.Listener {
        private final PrintWriter out;
        private final PrintWriter err;
        private final boolean json;

        Printer(PrintWriter out, PrintWriter err, boolean json) {
            this.out = out;
            this.err = err;
            this.json = json;
        }

        @Override
        public void onSample(Sample s) {
            Map<GcKind, double[]> gc = new EnumMap<>(GcKind.class); // count, total pause ms
            for (GcEvent g : s.gcs()) {
                double[] a = gc.computeIfAbsent(g.kind(), k -> new double[2]);
                a[0]++;
                a[1] += g.pauseMillis();
            }
            if (json) {
                JsonObj o = JsonObj.of("type", "sample", "time", Instant.ofEpochMilli(s.timeMillis()).toString());
                for (String k : new String[] {"rss", "heapTotal", "heapUsed", "external", "arrayBuffers"}) {
                    o.put(k, s.mem(k));
                }
                o.put("heap", s.heap());
                List<Object> spaces = new ArrayList<>();
                for (Sample.Space sp : s.spaces()) {
                    spaces.add(JsonObj.of("space", sp.name(), "size", sp.size(), "used", sp.used(),
                            "available", sp.available(), "physical", sp.physical()));
                }
                o.put("spaces", spaces);
                JsonObj g = new JsonObj();
                gc.forEach((k, a) -> g.put(k.label(), JsonObj.of("count", (long) a[0], "pause_ms", round3(a[1]))));
                o.put("gc", g);
                if (s.droppedGcs() > 0) {
                    o.put("dropped_gcs", s.droppedGcs());
                }
                out.println(Json.write(o));
            } else {
                StringBuilder sb = new StringBuilder();
                sb.append(TIME.format(Instant.ofEpochMilli(s.timeMillis())))
                        .append(String.format(Locale.ROOT, "  rss %7.1f MB  heap %7.1f / %7.1f MB  external %6.1f MB",
                                s.mem("rss") / 1e6, s.mem("heapUsed") / 1e6, s.mem("heapTotal") / 1e6, s.mem("external") / 1e6));
                if (gc.isEmpty()) {
                    sb.append("  gc -");
                } else {
                    sb.append("  gc");
                    String sep = " ";
                    for (Map.Entry<GcKind, double[]> e : gc.entrySet()) {
                        sb.append(sep).append(String.format(Locale.ROOT, "%d %s %.1f ms", (long) e.getValue()[0],
                                e.getKey().label(), e.getValue()[1]));
                        sep = ", ";
                    }
                }
                out.println(sb);
            }
            out.flush();
        }

        @Override
        public void onStats(Memwatch.Stats st) {
            if (json) {
                out.println(Json.write(JsonObj.of("type", "stats", "time", Instant.ofEpochMilli(st.timeMillis()).toString(),
                        "num_full_gc", st.numFullGc(), "num_inc_gc", st.numIncGc(), "heap_compactions", st.heapCompactions(),
                        "usage_trend", st.usageTrend(), "estimated_base", st.estimatedBase(), "current_base", st.currentBase(),
                        "min", st.min(), "max", st.max())));
            } else {
                out.println(TIME.format(Instant.ofEpochMilli(st.timeMillis())) + String.format(Locale.ROOT,
                        "  stats  num_full_gc=%d num_inc_gc=%d heap_compactions=%d usage_trend=%s estimated_base=%d"
                                + " current_base=%d min=%d max=%d",
                        st.numFullGc(), st.numIncGc(), st.heapCompactions(), trend(st.usageTrend()), st.estimatedBase(),
                        st.currentBase(), st.min(), st.max()));
            }
            out.flush();
        }

        @Override
        public void onLeak(Memwatch.Leak l) {
            if (json) {
                out.println(Json.write(JsonObj.of("type", "leak", "start", Instant.ofEpochMilli(l.startMillis()).toString(),
                        "end", Instant.ofEpochMilli(l.endMillis()).toString(), "growth", l.growth(), "reason", l.reason())));
            } else {
                out.println(TIME.format(Instant.ofEpochMilli(l.endMillis())) + "  LEAK   " + l.reason() + "  growth=" + l.growth());
            }
            out.flush();
        }

        @Override
        public void onSnapshot(SnapshotResult r) {
            if (json) {
                out.println(Json.write(JsonObj.of("type", "snapshot", "file", r.file().toString(), "bytes", r.bytes(),
                        "nodes", r.nodeCount(), "edges", r.edgeCount(), "paused_ms", r.paused().toMillis())));
            } else {
                out.println(TIME.format(Instant.now()) + "  " + SnapshotCommand.summary(r));
            }
            out.flush();
        }

        @Override
        public void onNotice(String message) {
            err.println("leakhound: " + message);
            err.flush();
        }

        private static String trend(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }

        private static double round3(double d) {
            return Math.round(d * 1000) / 1000.0;
        }
    }
}
