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
 * {@code leakhound_memwatch_*}. Values are those of the latest sample; GC histograms count every GC seen.
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
    public synchronized String render() {
        StringBuilder sb = new StringBuilder(4096);
        Sample s = last;
        if (s != null) {
            long rss = s.status().getOrDefault("VmRSS", s.mem("rss"));
            gauge(sb, "process_resident_memory_bytes", "Resident memory size in bytes.", rss);
            if (s.status().containsKey("VmSize")) {
                gauge(sb, "process_virtual_memory_bytes", "Virtual memory size in bytes.", s.status().get("VmSize"));
            }
            if (s.status().containsKey("VmData")) {
                gauge(sb, "process_heap_bytes", "Process heap size in bytes.", s.status().get("VmData"));
            }
            if (s.uptimeSeconds() > 0) {
                gauge(sb, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                        Math.round(s.timeMillis() / 1000.0 - s.uptimeSeconds()));
            }
            gauge(sb, "nodejs_heap_size_total_bytes", "Process heap size from node.js in bytes.", s.mem("heapTotal"));
            gauge(sb, "nodejs_heap_size_used_bytes", "Process heap size used from node.js in bytes.", s.mem("heapUsed"));
            gauge(sb, "nodejs_external_memory_bytes", "Nodejs external memory size in bytes.", s.mem("external"));
            String[][] kinds = {{"total", "size"}, {"used", "used"}, {"available", "available"}};
            for (String[] k : kinds) {
                String name = "nodejs_heap_space_size_" + k[0] + "_bytes";
                header(sb, name, "Process heap space size " + k[0] + " from node.js in bytes.", "gauge");
                for (Sample.Space sp : s.spaces()) {
                    String space = sp.name() == null ? "unknown" : sp.name().replaceFirst("_space$", "");
                    long v = switch (k[1]) {
                        case "size" -> sp.size();
                        case "used" -> sp.used();
                        default -> sp.available();
                    };
                    sb.append(name).append("{space=\"").append(escape(space)).append("\"} ").append(v).append('\n');
                }
            }
        }
        header(sb, "nodejs_gc_duration_seconds", "Garbage collection duration by kind, one of major, minor, incremental or weakcb.", "histogram");
        for (Map.Entry<GcKind, Hist> e : gc.entrySet()) {
            String kind = e.getKey().label();
            Hist h = e.getValue();
            for (int i = 0; i < GC_BUCKETS.length; i++) {
                sb.append("nodejs_gc_duration_seconds_bucket{le=\"").append(num(GC_BUCKETS[i])).append("\",kind=\"")
                        .append(kind).append("\"} ").append(h.counts[i]).append('\n');
            }
            sb.append("nodejs_gc_duration_seconds_bucket{le=\"+Inf\",kind=\"").append(kind).append("\"} ").append(h.count).append('\n');
            sb.append("nodejs_gc_duration_seconds_sum{kind=\"").append(kind).append("\"} ").append(num(h.sum)).append('\n');
            sb.append("nodejs_gc_duration_seconds_count{kind=\"").append(kind).append("\"} ").append(h.count).append('\n');
        }
        if (version != null && version.startsWith("v")) {
            String[] parts = version.substring(1).split("\\.");
            header(sb, "nodejs_version_info", "Node.js version info.", "gauge");
            sb.append("nodejs_version_info{version=\"").append(escape(version)).append("\",major=\"")
                    .append(parts.length > 0 ? escape(parts[0]) : "").append("\",minor=\"")
                    .append(parts.length > 1 ? escape(parts[1]) : "").append("\",patch=\"")
                    .append(parts.length > 2 ? escape(parts[2]) : "").append("\"} 1\n");
        }
        header(sb, "leakhound_memwatch_leaks_total", "memwatch leak events reported by leakhound watch.", "counter");
        sb.append("leakhound_memwatch_leaks_total ").append(leaks).append('\n');
        if (stats != null) {
            gauge(sb, "leakhound_memwatch_full_gcs_total", "Full (mark-sweep-compact) GCs seen (memwatch num_full_gc).", stats.numFullGc());
            gauge(sb, "leakhound_memwatch_current_base_bytes", "Heap used after the last full GC (memwatch current_base).", stats.currentBase());
            gauge(sb, "leakhound_memwatch_estimated_base_bytes", "Recent average heap after full GCs (memwatch estimated_base).", stats.estimatedBase());
            header(sb, "leakhound_memwatch_usage_trend_percent", "memwatch usage_trend: recent vs long-run base, percent.", "gauge");
            sb.append("leakhound_memwatch_usage_trend_percent ").append(num(stats.usageTrend())).append('\n');
        }
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, long v) {
        header(sb, name, help, "gauge");
        sb.append(name).append(' ').append(v).append('\n');
    }

    private static void header(StringBuilder sb, String name, String help, String type) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
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
