package dev.leakhound.report;

import dev.leakhound.analysis.memory.MemoryPoint;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.watch.GcEvent;
import dev.leakhound.inspector.watch.GcKind;
import dev.leakhound.inspector.watch.Memwatch;
import dev.leakhound.inspector.watch.Sample;
import dev.leakhound.inspector.watch.Watcher;

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

/**
 * Renders {@code leakhound watch}: one line per sample, memwatch event and leak snapshot on stdout, as text
 * or as JSON lines ({@code type}: sample, stats, leak, snapshot, end); notices and the closing summary on
 * stderr, prefixed "leakhound: ". memwatch's leak {@code reason} string is rendered here from the numbers of
 * {@link Memwatch.Leak}.
 */
public final class WatchReport implements Watcher.Listener {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    public WatchReport(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    private MemoryPoint firstPoint;
    private MemoryPoint lastPoint;

    // ---- before the watch

    /** "attached to node v20..., pid ..." for a target leakhound did not start (a launch says so itself). */
    public void attached(Target t) {
        if (t.kind() != Target.Kind.LAUNCHED) {
            notice("attached to " + t.describe());
        }
    }

    public void metricsServed(int port) {
        notice("Prometheus metrics at http://127.0.0.1:" + port + "/metrics");
    }

    // ---- events

    @Override
    public void onSample(Sample s) {
        MemoryPoint p = MemoryPoint.of(s.timeMillis(), s.memory(), s.heap(), s.spacesUsed(), s.status());
        if (firstPoint == null) {
            firstPoint = p;
        }
        lastPoint = p;
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
            o.put("code", p.code());
            for (String k : new String[] {"RssAnon", "RssFile", "RssShmem"}) {
                if (s.status().containsKey(k)) {
                    o.put(Character.toLowerCase(k.charAt(0)) + k.substring(1), s.status().get(k));
                }
            }
            if (p.outsideV8() >= 0) {
                o.put("nativeOutsideV8", p.outsideV8());
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
                            s.mem("rss") / 1e6, s.mem("heapUsed") / 1e6, s.mem("heapTotal") / 1e6, s.mem("external") / 1e6))
                    .append(String.format(Locale.ROOT, " (buffers %.1f)", s.mem("arrayBuffers") / 1e6));
            if (p.outsideV8() >= 0) {
                sb.append(String.format(Locale.ROOT, "  native %6.1f MB", p.outsideV8() / 1e6));
            }
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
                    "end", Instant.ofEpochMilli(l.endMillis()).toString(), "growth", l.growth(), "reason", leakReason(l))));
        } else {
            out.println(TIME.format(Instant.ofEpochMilli(l.endMillis())) + "  LEAK   " + leakReason(l) + "  growth=" + l.growth());
        }
        out.flush();
    }

    @Override
    public void onSnapshot(SnapshotResult r) {
        if (json) {
            out.println(Json.write(JsonObj.of("type", "snapshot", "file", r.file().toString(), "bytes", r.bytes(),
                    "nodes", r.nodeCount(), "edges", r.edgeCount(), "paused_ms", r.paused().toMillis())));
        } else {
            out.println(TIME.format(Instant.now()) + "  " + CaptureReport.summary(r));
        }
        out.flush();
    }

    @Override
    public void onNotice(String message) {
        notice(message);
    }

    // ---- after the watch

    /**
     * How the watch ended, on stdout: the {@code end} line with --json (nothing in text).
     *
     * @param reason why it ended ("stopped" on Ctrl-C, else {@link Watcher.Result#endReason()})
     */
    public void end(String reason, Watcher.Result r) {
        if (json) {
            JsonObj o = JsonObj.of("type", "end", "reason", reason, "samples", r.samples(),
                    "num_full_gc", r.fullGcs(), "num_inc_gc", r.incrementalGcs(), "leaks", r.leaks());
            if (firstPoint != null && lastPoint != firstPoint) {
                o.put("growth", JsonObj.of("rss", lastPoint.rss() - firstPoint.rss(),
                        "heapUsed", lastPoint.heapUsed() - firstPoint.heapUsed(),
                        "external", lastPoint.external() - firstPoint.external(),
                        "arrayBuffers", lastPoint.arrayBuffers() - firstPoint.arrayBuffers(),
                        "code", lastPoint.code() - firstPoint.code(),
                        "nativeOutsideV8", lastPoint.outsideV8() < 0 || firstPoint.outsideV8() < 0 ? 0
                                : lastPoint.outsideV8() - firstPoint.outsideV8()));
            }
            out.println(Json.write(o));
        }
        out.flush();
    }

    /**
     * The closing line on stderr: how it ended, the counts, and what became of the GC recorder.
     *
     * @param recorderRemoved whether leakhound removed its GC recorder (false: it went with the target)
     */
    public void summary(String reason, Watcher.Result r, boolean recorderRemoved) {
        err.printf(Locale.ROOT, "leakhound: watch ended: %s (%d samples, %d full GCs, %d leak events%s); GC recorder %s%n",
                reason, r.samples(), r.fullGcs(), r.leaks(),
                r.snapshots().isEmpty() ? "" : ", " + r.snapshots().size() + " snapshots",
                recorderRemoved ? "removed from the target" : "gone with the target");
        if (firstPoint != null && lastPoint != firstPoint) {
            err.println("leakhound: memory from the first sample to the last: " + growthLine(firstPoint, lastPoint));
        }
        err.flush();
    }

    /** "resident +12.0 MB: JS heap +1.00 MB, external +10.0 MB (buffers +10.0 MB), code +2 KB, native +1.0 MB". */
    static String growthLine(MemoryPoint a, MemoryPoint b) {
        String line = "resident " + Format.signedBytes(b.rss() - a.rss()) + ": JS heap " + Format.signedBytes(b.heapUsed() - a.heapUsed())
                + ", external " + Format.signedBytes(b.external() - a.external()) + " (buffers "
                + Format.signedBytes(b.arrayBuffers() - a.arrayBuffers()) + "), code " + Format.signedBytes(b.code() - a.code());
        if (a.outsideV8() >= 0 && b.outsideV8() >= 0) {
            line += ", native outside V8 " + Format.signedBytes(b.outsideV8() - a.outsideV8());
        }
        return line;
    }

    public void htmlWritten(Path file) {
        notice("HTML report written to " + file);
    }

    /** A one-line problem that does not stop the watch (e.g. the HTML page could not be written). */
    public void problem(String message) {
        notice(message);
    }

    private void notice(String message) {
        err.println("leakhound: " + message);
        err.flush();
    }

    // ---- memwatch's strings

    /**
     * memwatch's leak {@code reason}: "heap growth over 5 consecutive GCs (8m 13s) - 43.33 mb/hr"
     * ({@code src/memwatch.cc}'s getLeakReport with {@code src/util.cc}'s niceDelta and niceSize). The rate is
     * {@code growth / (delta / 3600)} bytes per hour, made an integer by truncation as memwatch's call of
     * {@code niceSize(int)} does (but 64-bit: memwatch's overflowed above 2 GiB/hr). Times are milliseconds
     * where memwatch had whole seconds; with a zero delta (which memwatch divided by) the rate is left out.
     */
    public static String leakReason(Memwatch.Leak l) {
        long deltaMillis = l.endMillis() - l.startMillis();
        StringBuilder sb = new StringBuilder("heap growth over ").append(l.gcs()).append(" consecutive GCs (")
                .append(niceDelta(deltaMillis / 1000)).append(')');
        if (deltaMillis > 0) {
            sb.append(" - ").append(NiceSize.of((long) (l.growth() / (deltaMillis / 3_600_000.0)))).append("/hr");
        }
        return sb.toString();
    }

    /** memwatch's niceDelta: "Nh " above an hour, "Nm " above a minute, always "Ns". */
    public static String niceDelta(long seconds) {
        StringBuilder sb = new StringBuilder();
        if (seconds > 3600) {
            sb.append(seconds / 3600).append("h ");
            seconds %= 3600;
        }
        if (seconds > 60) {
            sb.append(seconds / 60).append("m ");
            seconds %= 60;
        }
        return sb.append(seconds).append('s').toString();
    }

    private static String trend(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static double round3(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
