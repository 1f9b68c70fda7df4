package dev.leakhound.report.html;

import dev.leakhound.report.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code leakhound watch} saw, kept for its HTML page in bounded memory: samples of
 * process.memoryUsage() with the GC pauses between them, memwatch's stats and leak events, and the
 * snapshots taken. Plain numbers and strings, so the report module needs no inspector types.
 *
 * <p>Bounding: at most {@link #MAX_POINTS} points. When the buffer is full, neighbouring points are
 * merged pairwise and each point then stands for twice as many samples (as a min/max-preserving
 * downsampling would: a merged point keeps the larger memory values and the later time, and sums the
 * GC counts and pauses), so a watch of any length keeps its peaks and every GC's pause. Stats events
 * are thinned the same way (every other one dropped, the latest always kept); leak events beyond
 * {@link #MAX_LEAKS} are counted, not kept. Counts and per-kind GC totals are always exact.
 * Thread-safe (the watch loop records, a Ctrl-C may write the page).
 */
public final class WatchRecord {
    public static final int MAX_POINTS = 5000;
    public static final int MAX_STATS = 2000;
    public static final int MAX_LEAKS = 1000;
    /** Memory fields of a sample, in this order. */
    static final String[] MEM = {"rss", "heapTotal", "heapUsed", "external", "arrayBuffers"};

    /** memwatch's stats event. */
    public record Stats(long timeMillis, long numFullGc, long numIncGc, long heapCompactions, double usageTrend,
                        long estimatedBase, long currentBase, long min, long max) {}

    /** memwatch's leak event. */
    public record Leak(long startMillis, long endMillis, long growth, String reason) {}

    /** A snapshot written on a leak. */
    public record Snapshot(long timeMillis, String file, long bytes, long nodes) {}

    private final String target;
    private final double intervalSeconds;
    private final long startMillis;

    private final long[] time = new long[MAX_POINTS];
    private final long[][] mem = new long[MEM.length][MAX_POINTS];
    private final List<String> kinds = new ArrayList<>();
    private final List<long[]> gcCount = new ArrayList<>();   // per kind, per point
    private final List<double[]> gcPause = new ArrayList<>(); // per kind, per point (ms)
    private final List<long[]> kindTotals = new ArrayList<>(); // per kind: count
    private final List<double[]> kindPause = new ArrayList<>(); // per kind: total ms, max ms
    private int points;
    private int stride = 1;     // samples per point
    private int fill;           // samples in the last point
    private long samples;
    private long droppedGcs;
    private long[] last;        // the last sample's memory values, exact
    private long lastTime;

    private final List<Stats> stats = new ArrayList<>();
    private int statsStride = 1;
    private long statsSeen;
    private final List<Leak> leaks = new ArrayList<>();
    private long leakCount;
    private final List<Snapshot> snapshots = new ArrayList<>();

    private String endReason;
    private long endSamples = -1;
    private long endFullGcs;
    private long endIncGcs;
    private long endLeaks;

    public WatchRecord(String target, double intervalSeconds, long startMillis) {
        this.target = target;
        this.intervalSeconds = intervalSeconds;
        this.startMillis = startMillis;
    }

    /** One sample; values in bytes, in the order of {@code rss, heapTotal, heapUsed, external, arrayBuffers}. */
    public synchronized void sample(long timeMillis, long rss, long heapTotal, long heapUsed, long external, long arrayBuffers,
                                    long droppedGcs) {
        long[] v = {rss, heapTotal, heapUsed, external, arrayBuffers};
        samples++;
        this.droppedGcs += droppedGcs;
        last = v;
        lastTime = timeMillis;
        if (points == 0 || fill == stride) {
            if (points == MAX_POINTS) {
                halve();
            }
            int p = points++;
            time[p] = timeMillis;
            for (int k = 0; k < MEM.length; k++) {
                mem[k][p] = v[k];
            }
            for (int k = 0; k < kinds.size(); k++) {
                gcCount.get(k)[p] = 0;
                gcPause.get(k)[p] = 0;
            }
            fill = 1;
        } else {
            int p = points - 1;
            time[p] = timeMillis;
            for (int k = 0; k < MEM.length; k++) {
                mem[k][p] = Math.max(mem[k][p], v[k]);
            }
            fill++;
        }
    }

    /** Merges points pairwise: each then stands for twice the samples. */
    private void halve() {
        int n = points / 2;
        for (int i = 0; i < n; i++) {
            int a = 2 * i;
            int b = a + 1;
            time[i] = time[b];
            for (int k = 0; k < MEM.length; k++) {
                mem[k][i] = Math.max(mem[k][a], mem[k][b]);
            }
            for (int k = 0; k < kinds.size(); k++) {
                gcCount.get(k)[i] = gcCount.get(k)[a] + gcCount.get(k)[b];
                gcPause.get(k)[i] = gcPause.get(k)[a] + gcPause.get(k)[b];
            }
        }
        points = n;
        stride *= 2;
    }

    /** A GC reported with the last sample (GCs before the first sample count towards the first). */
    public synchronized void gc(String kind, double pauseMillis) {
        int k = kinds.indexOf(kind);
        if (k < 0) {
            k = kinds.size();
            kinds.add(kind);
            gcCount.add(new long[MAX_POINTS]);
            gcPause.add(new double[MAX_POINTS]);
            kindTotals.add(new long[1]);
            kindPause.add(new double[2]);
        }
        kindTotals.get(k)[0]++;
        double[] tp = kindPause.get(k);
        tp[0] += pauseMillis;
        tp[1] = Math.max(tp[1], pauseMillis);
        int p = Math.max(0, points - 1);
        gcCount.get(k)[p]++;
        gcPause.get(k)[p] += pauseMillis;
    }

    public synchronized void stats(Stats s) {
        statsSeen++;
        if ((statsSeen - 1) % statsStride != 0 && !stats.isEmpty()) {
            stats.set(stats.size() - 1, s);   // the latest is always kept
            return;
        }
        if (stats.size() == MAX_STATS) {
            List<Stats> thin = new ArrayList<>(MAX_STATS / 2 + 1);
            for (int i = 0; i < stats.size(); i += 2) {
                thin.add(stats.get(i));
            }
            stats.clear();
            stats.addAll(thin);
            statsStride *= 2;
        }
        stats.add(s);
    }

    public synchronized void leak(Leak l) {
        leakCount++;
        if (leaks.size() < MAX_LEAKS) {
            leaks.add(l);
        }
    }

    public synchronized void snapshot(Snapshot s) {
        if (snapshots.size() < 100) {
            snapshots.add(s);
        }
    }

    /** How the watch ended, with the counts {@code watch --json} prints in its {@code end} line. */
    public synchronized void end(String reason, long samples, long fullGcs, long incGcs, long leaks) {
        this.endReason = reason;
        this.endSamples = samples;
        this.endFullGcs = fullGcs;
        this.endIncGcs = incGcs;
        this.endLeaks = leaks;
    }

    public String target() {
        return target;
    }

    public synchronized long samples() {
        return samples;
    }

    public synchronized int points() {
        return points;
    }

    public synchronized int samplesPerPoint() {
        return stride;
    }

    synchronized void write(Json j) {
        j.field("target", target).field("intervalSeconds", intervalSeconds).field("startMillis", startMillis);
        j.field("samplesPerPoint", stride).field("droppedGcs", droppedGcs);
        // the end line of watch --json (or, while the watch runs, what was seen so far)
        j.startObject("end");
        if (endSamples >= 0) {
            j.field("running", false).field("reason", endReason).field("samples", endSamples).field("num_full_gc", endFullGcs)
                    .field("num_inc_gc", endIncGcs).field("leaks", endLeaks);
        } else {
            Stats s = stats.isEmpty() ? null : stats.get(stats.size() - 1);
            j.field("running", true).field("reason", "still watching").field("samples", samples)
                    .field("num_full_gc", s == null ? 0 : s.numFullGc()).field("num_inc_gc", s == null ? 0 : s.numIncGc())
                    .field("leaks", leakCount);
        }
        j.endObject();
        if (last != null) {
            j.startObject("last").field("time", lastTime);
            for (int k = 0; k < MEM.length; k++) {
                j.field(MEM[k], last[k]);
            }
            j.endObject();
        }
        j.startObject("series");
        longs(j, "time", time, points);
        for (int k = 0; k < MEM.length; k++) {
            longs(j, MEM[k], mem[k], points);
        }
        j.endObject();
        j.startArray("gc");
        for (int k = 0; k < kinds.size(); k++) {
            j.startObject().field("kind", kinds.get(k)).field("count", kindTotals.get(k)[0])
                    .field("pauseMs", round3(kindPause.get(k)[0])).field("maxPauseMs", round3(kindPause.get(k)[1]));
            longs(j, "counts", gcCount.get(k), points);
            j.startArray("pauses");
            for (int p = 0; p < points; p++) {
                num(j, round3(gcPause.get(k)[p]));
            }
            j.endArray();
            j.endObject();
        }
        j.endArray();
        j.field("statsSeen", statsSeen);
        j.startArray("stats");
        for (Stats s : stats) {
            j.startObject().field("time", s.timeMillis()).field("num_full_gc", s.numFullGc()).field("num_inc_gc", s.numIncGc())
                    .field("heap_compactions", s.heapCompactions()).field("usage_trend", s.usageTrend())
                    .field("estimated_base", s.estimatedBase()).field("current_base", s.currentBase())
                    .field("min", s.min()).field("max", s.max()).endObject();
        }
        j.endArray();
        j.field("leakCount", leakCount);
        j.startArray("leaks");
        for (Leak l : leaks) {
            j.startObject().field("start", l.startMillis()).field("end", l.endMillis()).field("growth", l.growth())
                    .field("reason", l.reason()).endObject();
        }
        j.endArray();
        j.startArray("snapshots");
        for (Snapshot s : snapshots) {
            j.startObject().field("time", s.timeMillis()).field("file", s.file()).field("bytes", s.bytes())
                    .field("nodes", s.nodes()).endObject();
        }
        j.endArray();
    }

    private static void longs(Json j, String field, long[] a, int n) {
        j.startArray(field);
        for (int i = 0; i < n; i++) {
            j.value(a[i]);
        }
        j.endArray();
    }

    private static void num(Json j, double d) {
        try {
            j.gen().writeNumber(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double round3(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
