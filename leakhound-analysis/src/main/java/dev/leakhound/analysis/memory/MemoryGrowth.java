package dev.leakhound.analysis.memory;

import dev.leakhound.analysis.diagnosis.Finding;

import java.util.List;

/**
 * Which part of a process's memory grew over a series of {@link MemoryPoint}s taken at comparable moments
 * (hunt: right after each snapshot, when the heap has just been fully collected and the snapshot's own
 * buffers are already counted in the resident size), as data: the report layer words it.
 *
 * <p>Resident memory <em>grows</em> when it ends at least {@code minGrowth} above where it started and never
 * fell by more than {@link #TOLERANCE} from one point to the next. Where it started is the second point when there
 * are three or more: measured on idle and steady targets (node 20), the first snapshots leave 3-4 MB of native
 * memory in the target between the first and the second reading, after which RSS only wandered by 1-3 MB. With two points the first is used, and twice {@code minGrowth} is asked. Its growth is then put down to the part
 * that accounts for most of it: {@link Kind#EXTERNAL} (memoryUsage().external: Buffers, ArrayBuffers,
 * WebAssembly memories), {@link Kind#NATIVE} (resident memory outside V8's accounting, {@link
 * MemoryPoint#outsideV8()}), else {@link Kind#JS_HEAP}.
 *
 * @param points         the series, oldest first
 * @param from           the point growth is measured from (1 with three points or more, else 0)
 * @param kind           what grew
 * @param minGrowth      the resident growth that counts
 * @param rssGrowth      last rss minus first
 * @param heapGrowth     last heapUsed minus first
 * @param externalGrowth last external minus first (ArrayBuffers included)
 * @param arrayBufferGrowth last arrayBuffers minus first
 * @param nativeGrowth   last {@link MemoryPoint#outsideV8()} minus first
 * @param codeGrowth     last code minus first
 * @param holders        for {@link Kind#EXTERNAL}: who holds the Buffers and ArrayBuffers in the last snapshot
 *                       (the external-memory detector's findings), biggest first; else empty
 */
public record MemoryGrowth(List<MemoryPoint> points, int from, Kind kind, long minGrowth, long rssGrowth, long heapGrowth,
                           long externalGrowth, long arrayBufferGrowth, long nativeGrowth, long codeGrowth,
                           List<Finding> holders) {

    /** The default {@code minGrowth}: 4 MiB, about a fresh Node process's whole JS heap. */
    public static final long DEFAULT_MIN_GROWTH = 4L << 20;
    /** How far resident memory may fall between two points and still count as growing (page-cache noise). */
    public static final long TOLERANCE = 1L << 20;

    /** What grew. */
    public enum Kind {
        /** Resident memory did not grow. */
        NONE(null),
        /** It grew, mostly inside V8's JS heap (find-leaks' business). */
        JS_HEAP(null),
        /** It grew, mostly in memory V8 is told about outside its heap: Buffers, ArrayBuffers, WebAssembly memory. */
        EXTERNAL("external-growth"),
        /** It grew outside anything V8 accounts for: native code's own allocations. */
        NATIVE("native-growth");

        private final String verdict;

        Kind(String verdict) {
            this.verdict = verdict;
        }

        /** The verdict this growth gives when the JS heap shows no leak, or null when it gives none. */
        public String verdict() {
            return verdict;
        }
    }

    public MemoryGrowth {
        points = List.copyOf(points);
        holders = List.copyOf(holders);
    }

    /** Judges a series (at least two points; fewer give {@link Kind#NONE}). */
    public static MemoryGrowth judge(List<MemoryPoint> points, long minGrowth) {
        if (points.size() < 2) {
            return new MemoryGrowth(points, 0, Kind.NONE, minGrowth, 0, 0, 0, 0, 0, 0, List.of());
        }
        int from = points.size() >= 3 ? 1 : 0;
        long need = needed(from, minGrowth);
        MemoryPoint first = points.get(from);
        MemoryPoint last = points.get(points.size() - 1);
        long rss = last.rss() - first.rss();
        long heap = last.heapUsed() - first.heapUsed();
        long external = last.external() - first.external();
        long arrayBuffers = last.arrayBuffers() - first.arrayBuffers();
        long nativeGrowth = first.outsideV8() < 0 || last.outsideV8() < 0 ? 0 : last.outsideV8() - first.outsideV8();
        long code = last.code() - first.code();
        boolean steady = true;
        for (int i = from + 1; i < points.size(); i++) {
            if (points.get(i).rss() < points.get(i - 1).rss() - TOLERANCE) {
                steady = false;
            }
        }
        Kind kind;
        if (!steady || rss < need || first.rss() < 0) {
            kind = Kind.NONE;
        } else if (external >= minGrowth / 2 && external >= nativeGrowth) {
            kind = Kind.EXTERNAL;
        } else if (nativeGrowth >= minGrowth / 2 && nativeGrowth >= Math.max(0, heap)) {
            kind = Kind.NATIVE;
        } else {
            kind = Kind.JS_HEAP;
        }
        return new MemoryGrowth(points, from, kind, minGrowth, rss, heap, external, arrayBuffers, nativeGrowth, code, List.of());
    }

    /** The same judgement with the holders of external memory. */
    public MemoryGrowth withHolders(List<Finding> h) {
        return new MemoryGrowth(points, from, kind, minGrowth, rssGrowth, heapGrowth, externalGrowth, arrayBufferGrowth,
                nativeGrowth, codeGrowth, h);
    }

    /** {@code external-growth}, {@code native-growth}, or null when this growth gives no verdict of its own. */
    public String verdict() {
        return kind.verdict();
    }

    /** Whether memory outside the JS heap grew (a verdict of its own when find-leaks finds no leak). */
    public boolean outsideHeap() {
        return kind.verdict() != null;
    }

    /** The resident growth that counts: {@code minGrowth}, twice that when measured from the first point. */
    public long needed() {
        return needed(from, minGrowth);
    }

    private static long needed(int from, long minGrowth) {
        return from == 0 ? 2 * minGrowth : minGrowth;
    }

    /** Milliseconds from the point growth is measured from to the last. */
    public long spanMillis() {
        return points.size() <= from ? 0 : points.get(points.size() - 1).timeMillis() - points.get(from).timeMillis();
    }
}
