package dev.leakhound.inspector.watch;

import java.util.ArrayList;
import java.util.List;

/**
 * node-memwatch's {@code stats} and {@code leak} events, computed from outside the process.
 *
 * <p>Source: lloyd/node-memwatch 0.2.2, {@code src/memwatch.cc} ({@code AsyncMemwatchAfter}); field names
 * are memwatch's. A pure state machine: feed it every GC in order with {@link #onGc}; it returns the events
 * as numbers. memwatch's {@code reason} string ({@code src/util.cc}'s {@code niceSize} and {@code niceDelta})
 * is rendered from them by the report module ({@code dev.leakhound.report.WatchReport}).
 *
 * <p>The algorithm, per GC:
 * <ul>
 *   <li>MarkSweepCompact (major) GCs count as full, every other kind as incremental; only full GCs go on.</li>
 *   <li>Leak rule: a full GC whose used heap is strictly above the previous full GC's extends a growth
 *       streak (the first of the streak records its time and heap as the start); anything else resets it.
 *       When the streak reaches N (default 5) a {@code leak} is emitted with
 *       {@code growth = heap now - heap at the streak's first GC} and the streak restarts from 0.</li>
 *   <li>Stats: {@code current_base} is the heap after this GC; {@code estimated_base} an average over about
 *       the last 10 full GCs, an "ancient" base over about 120; {@code usage_trend} the percent difference
 *       of the two (one decimal); {@code min}/{@code max} from the 3rd full GC on (0 before).</li>
 * </ul>
 *
 * <p>Arithmetic bugs of memwatch fixed here (each has a unit test):
 * <ol>
 *   <li>Start-up damping: {@code pow(gc_compact / RECENT_PERIOD, 2.5)} divides unsigned ints, so the decay is 0
 *       for the first 9 compactions and the bases simply copy the last value. Here the division is done in
 *       floating point, as intended.</li>
 *   <li>{@code usage_trend}: {@code base_recent - base_ancient} is an unsigned subtraction, which wraps to a huge
 *       positive trend when the heap shrinks. Here it is signed.</li>
 *   <li>32-bit sizes: {@code base_recent * 9} overflows an unsigned int above ~477 MB, and every size above
 *       4 GiB wraps. Here sizes are 64-bit and averages double.</li>
 *   <li>Timing in whole seconds ({@code time(NULL)}) with an unguarded division by a zero delta. Here times are
 *       milliseconds (the report leaves the rate out of the reason when the delta is zero).</li>
 *   <li>{@code last_base} starts at 0, so the very first full GC counted as growth. Here the first full GC only
 *       sets the base: a leak is N full GCs each ending above the one before.</li>
 * </ol>
 */
public final class Memwatch {
    public static final int RECENT_PERIOD = 10;
    public static final int ANCIENT_PERIOD = 120;
    public static final int DEFAULT_LEAK_GCS = 5;

    /** An event memwatch would emit. */
    public sealed interface Event permits Stats, Leak {}

    /** memwatch's {@code stats}, emitted after every full GC; {@code timeMillis} is that GC's time. */
    public record Stats(long timeMillis, long numFullGc, long numIncGc, long heapCompactions, double usageTrend,
                        long estimatedBase, long currentBase, long min, long max) implements Event {}

    /**
     * memwatch's {@code leak}: {@code growth} bytes over the streak of {@code gcs} growing full GCs from
     * {@code startMillis} to {@code endMillis}.
     */
    public record Leak(long startMillis, long endMillis, long growth, int gcs) implements Event {}

    private final int leakGcs;
    private long numFull;
    private long numInc;
    private long compactions;
    private boolean haveBase;
    private long lastBase;
    private double baseRecent;
    private double baseAncient;
    private long min;
    private long max;
    private int streak;
    private long leakStartMillis;
    private long leakBaseStart;

    public Memwatch() {
        this(DEFAULT_LEAK_GCS);
    }

    /** @param leakGcs consecutive growing full GCs that make a leak (memwatch: 5) */
    public Memwatch(int leakGcs) {
        if (leakGcs < 1) {
            throw new IllegalArgumentException("leakGcs must be at least 1");
        }
        this.leakGcs = leakGcs;
    }

    /** Feeds one GC; returns the events it causes (a leak, if any, comes before the stats, as in memwatch). */
    public List<Event> onGc(long timeMillis, GcKind kind, long usedHeapAfter) {
        if (kind != GcKind.MAJOR) {
            numInc++;
            return List.of();
        }
        numFull++;
        List<Event> out = new ArrayList<>(2);
        if (haveBase && lastBase < usedHeapAfter) {
            if (streak == 0) {
                leakStartMillis = timeMillis;
                leakBaseStart = usedHeapAfter;
            }
            streak++;
            if (streak >= leakGcs) {
                streak = 0;
                long growth = usedHeapAfter - leakBaseStart;
                out.add(new Leak(leakStartMillis, timeMillis, growth, leakGcs));
            }
        } else {
            streak = 0;
        }
        lastBase = usedHeapAfter;
        haveBase = true;
        compactions++;

        if (compactions < RECENT_PERIOD) {
            // Start-up damping (fix 1: floating-point division).
            double n = compactions;
            double decay = Math.pow(n / RECENT_PERIOD, 2.5) * n;
            baseRecent = (baseRecent * decay + lastBase) / (decay + 1);
            decay = Math.pow(n / RECENT_PERIOD, 2.4) * n;
            baseAncient = (baseAncient * decay + lastBase) / (1 + decay);
        } else {
            baseRecent = (baseRecent * (RECENT_PERIOD - 1) + lastBase) / RECENT_PERIOD;
            double d = Math.min(ANCIENT_PERIOD, compactions);
            baseAncient = (baseAncient * (d - 1) + lastBase) / d;
        }
        if (compactions >= 3) {
            if (min == 0 || min > lastBase) {
                min = lastBase;
            }
            if (max == 0 || max < lastBase) {
                max = lastBase;
            }
        }
        double trend = 0;
        if (baseAncient != 0) {
            trend = Math.round((baseRecent - baseAncient) / baseAncient * 1000.0) / 10.0; // fix 2: signed
        }
        out.add(new Stats(timeMillis, numFull, numInc, compactions, trend, Math.round(baseRecent), lastBase, min, max));
        return out;
    }

    public long numFullGc() {
        return numFull;
    }

    public long numIncGc() {
        return numInc;
    }

    /** Growing full GCs in the current streak. */
    public int streak() {
        return streak;
    }

    public int leakGcs() {
        return leakGcs;
    }
}
