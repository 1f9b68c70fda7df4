package dev.leakhound.inspector.metrics;

import dev.leakhound.inspector.watch.GcEvent;
import dev.leakhound.inspector.watch.GcKind;
import dev.leakhound.inspector.watch.Memwatch;
import dev.leakhound.inspector.watch.Sample;

import java.util.EnumMap;
import java.util.Map;

/**
 * The target's metrics in the Prometheus text format (version 0.0.4), under prom-client's default metric
 * names (prom-client 15, {@code lib/metrics/*.js}) so dashboards built on prom-client work unchanged:
 * {@code process_resident_memory_bytes}, {@code process_virtual_memory_bytes}, {@code process_heap_bytes}
 * (Linux, from /proc/self/status of the target), {@code process_start_time_seconds},
 * {@code nodejs_heap_size_total_bytes}, {@code nodejs_heap_size_used_bytes}, {@code nodejs_external_memory_bytes},
 * {@code nodejs_heap_space_size_{total,used,available}_bytes{space}}, {@code nodejs_gc_duration_seconds{kind}}
 * (histogram, prom-client's buckets) and {@code nodejs_version_info}. memwatch's figures are added under
 * {@code leakhound_memwatch_*}, where resident memory is under {@code leakhound_process_resident_{anon,file,shmem}_bytes}
 * and the ArrayBuffers' part of external memory under {@code leakhound_nodejs_array_buffers_bytes}. Values are those
 * of the latest sample; GC histograms count every GC seen. {@link #renderInto} adds the series to an {@link Exposition}
 * shared by several processes (watch --all), each labelled.
 */
public final class PromMetrics {
    static final double[] GC_BUCKETS = {0.001, 0.01, 0.1, 1, 2, 5};

    private static final class Hist {
        final long[] counts = new long[GC_BUCKETS.length];
        long count;
        double sum;
    }

    private final Map<GcKind, Hist> gc = new EnumMap<>(GcKind.class);
    private Sample last;
    private String version;
    private long leaks;
    private Memwatch.Stats stats;

    public synchronized void setNodeVersion(String v) {
        this.version = v;
    }

    public synchronized void update(Sample s, long pid) {
        this.last = s;
    }

    public synchronized void observeGc(GcEvent e) {
        Hist h = gc.computeIfAbsent(e.kind(), k -> new Hist());
        double sec = e.pauseMillis() / 1000.0;
        for (int i = 0; i < GC_BUCKETS.length; i++) {
            if (sec <= GC_BUCKETS[i]) {
                h.counts[i]++;
            }
        }
        h.count++;
        h.sum += sec;
    }

    public synchronized void onLeak() {
        leaks++;
    }

    public synchronized void onStats(Memwatch.Stats s) {
        this.stats = s;
    }

    /** The exposition text. */
    public String render() {
        Exposition e = new Exposition();
        renderInto(e, "", true);
        return e.text();
    }

    /**
     * Adds this target's series to {@code e}, each with the labels {@code labels} first (e.g. {@code pid} and
     * {@code command} when one endpoint serves several processes).
     *
     * @param processFigures whether to add the {@code process_*} gauges from the target's own /proc/self/status
     *                       (false when the caller adds them from /proc/PID/status itself)
     */
    public synchronized void renderInto(Exposition e, String labels, boolean processFigures) {
        Sample s = last;
        if (s != null) {
            if (processFigures) {
                processGauges(e, labels, s.status(), s.mem("rss"),
                        s.uptimeSeconds() > 0 ? Math.round(s.timeMillis() / 1000.0 - s.uptimeSeconds()) : -1);
            }
            e.gauge("nodejs_heap_size_total_bytes", "Process heap size from node.js in bytes.", labels, s.mem("heapTotal"));
            e.gauge("nodejs_heap_size_used_bytes", "Process heap size used from node.js in bytes.", labels, s.mem("heapUsed"));
            e.gauge("nodejs_external_memory_bytes", "Nodejs external memory size in bytes.", labels, s.mem("external"));
            if (s.memory().containsKey("arrayBuffers")) {
                e.gauge("leakhound_nodejs_array_buffers_bytes", "Part of the external memory in ArrayBuffers and Buffers"
                        + " (process.memoryUsage().arrayBuffers).", labels, s.mem("arrayBuffers"));
            }
            String[][] kinds = {{"total", "size"}, {"used", "used"}, {"available", "available"}};
            for (String[] k : kinds) {
                String name = "nodejs_heap_space_size_" + k[0] + "_bytes";
                e.family(name, "Process heap space size " + k[0] + " from node.js in bytes.", "gauge");
                for (Sample.Space sp : s.spaces()) {
                    String space = sp.name() == null ? "unknown" : sp.name().replaceFirst("_space$", "");
                    long v = switch (k[1]) {
                        case "size" -> sp.size();
                        case "used" -> sp.used();
                        default -> sp.available();
                    };
                    e.sample(name, name, Exposition.join(labels, Exposition.label("space", space)), Long.toString(v));
                }
            }
        }
        String gcName = "nodejs_gc_duration_seconds";
        e.family(gcName, "Garbage collection duration by kind, one of major, minor, incremental or weakcb.", "histogram");
        for (Map.Entry<GcKind, Hist> en : gc.entrySet()) {
            String kind = Exposition.label("kind", en.getKey().label());
            Hist h = en.getValue();
            for (int i = 0; i < GC_BUCKETS.length; i++) {
                e.sample(gcName, gcName + "_bucket", Exposition.join(labels, Exposition.label("le", num(GC_BUCKETS[i])) + "," + kind),
                        Long.toString(h.counts[i]));
            }
            e.sample(gcName, gcName + "_bucket", Exposition.join(labels, "le=\"+Inf\"," + kind), Long.toString(h.count));
            e.sample(gcName, gcName + "_sum", Exposition.join(labels, kind), num(h.sum));
            e.sample(gcName, gcName + "_count", Exposition.join(labels, kind), Long.toString(h.count));
        }
        if (version != null && version.startsWith("v")) {
            String[] parts = version.substring(1).split("\\.");
            e.family("nodejs_version_info", "Node.js version info.", "gauge");
            e.sample("nodejs_version_info", "nodejs_version_info", Exposition.join(labels, Exposition.label("version", version)
                    + "," + Exposition.label("major", parts.length > 0 ? parts[0] : "")
                    + "," + Exposition.label("minor", parts.length > 1 ? parts[1] : "")
                    + "," + Exposition.label("patch", parts.length > 2 ? parts[2] : "")), "1");
        }
        e.family("leakhound_memwatch_leaks_total", "memwatch leak events reported by leakhound watch.", "counter");
        e.sample("leakhound_memwatch_leaks_total", "leakhound_memwatch_leaks_total", labels, Long.toString(leaks));
        if (stats != null) {
            e.gauge("leakhound_memwatch_full_gcs_total", "Full (mark-sweep-compact) GCs seen (memwatch num_full_gc).", labels, stats.numFullGc());
            e.gauge("leakhound_memwatch_current_base_bytes", "Heap used after the last full GC (memwatch current_base).", labels, stats.currentBase());
            e.gauge("leakhound_memwatch_estimated_base_bytes", "Recent average heap after full GCs (memwatch estimated_base).", labels, stats.estimatedBase());
            e.family("leakhound_memwatch_usage_trend_percent", "memwatch usage_trend: recent vs long-run base, percent.", "gauge");
            e.sample("leakhound_memwatch_usage_trend_percent", "leakhound_memwatch_usage_trend_percent", labels, num(stats.usageTrend()));
        }
    }

    /**
     * The {@code process_*} gauges (prom-client's names) and where resident memory is (anonymous, file-backed,
     * shared), from a /proc/PID/status read in bytes.
     *
     * @param rss          resident size when status has no VmRSS (-1: none)
     * @param startSeconds the process's start time (epoch seconds), or -1
     */
    public static void processGauges(Exposition e, String labels, Map<String, Long> status, long rss, long startSeconds) {
        long r = status.getOrDefault("VmRSS", rss);
        if (r >= 0) {
            e.gauge("process_resident_memory_bytes", "Resident memory size in bytes.", labels, r);
        }
        if (status.containsKey("VmSize")) {
            e.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", labels, status.get("VmSize"));
        }
        if (status.containsKey("VmData")) {
            e.gauge("process_heap_bytes", "Process heap size in bytes.", labels, status.get("VmData"));
        }
        if (startSeconds >= 0) {
            e.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", labels, startSeconds);
        }
        String[][] parts = {{"RssAnon", "anon", "anonymous memory: JS heap, malloc, stacks"},
            {"RssFile", "file", "file-backed memory: the node binary, libraries, mapped files"},
            {"RssShmem", "shmem", "shared memory"}};
        for (String[] p : parts) {
            if (status.containsKey(p[0])) {
                e.gauge("leakhound_process_resident_" + p[1] + "_bytes", "Resident " + p[2] + " (/proc/PID/status " + p[0] + ").",
                        labels, status.get(p[0]));
            }
        }
    }

    static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
