package dev.leakhound.core.graph;

/**
 * Sorts slices of node ordinals by retained size, biggest first, ties by smaller ordinal: the order of
 * {@link DominatorTree#children(long[])}. A stable merge sort on int arrays (insertion sort on short runs,
 * then bottom-up merges through a caller's buffer), so no boxing, comparator or allocation per slice.
 */
final class RetainedOrder {
    private static final int SMALL_SORT = 24;

    private RetainedOrder() {}

    /** True if node a sorts before node b: bigger retained size first, then smaller ordinal. */
    private static boolean before(int a, int b, long[] retained) {
        final long ra = retained[a];
        final long rb = retained[b];
        return ra > rb || (ra == rb && a < b);
    }

    /**
     * Sorts {@code a[from..to)}: insertion sort on short runs, then bottom-up merges through {@code buffer},
     * which must hold at least {@code to - from} entries.
     */
    static void sort(int[] a, int from, int to, long[] retained, int[] buffer) {
        final int len = to - from;
        if (len < 2) {
            return;
        }
        for (int runStart = from; runStart < to; runStart += SMALL_SORT) {
            insertionSort(a, runStart, Math.min(runStart + SMALL_SORT, to), retained);
        }
        for (long width = SMALL_SORT; width < len; width <<= 1) {
            for (long lo = from; lo + width < to; lo += width << 1) {
                final int mid = (int) (lo + width);
                final int hi = (int) Math.min(lo + (width << 1), to);
                if (before(a[mid], a[mid - 1], retained)) {
                    merge(a, (int) lo, mid, hi, retained, buffer);
                }
            }
        }
    }

    private static void insertionSort(int[] a, int from, int to, long[] retained) {
        for (int i = from + 1; i < to; i++) {
            final int x = a[i];
            int j = i - 1;
            while (j >= from && before(x, a[j], retained)) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }

    /** Merges the sorted runs a[lo..mid) and a[mid..hi), copying the left run out first. */
    private static void merge(int[] a, int lo, int mid, int hi, long[] retained, int[] buffer) {
        final int leftLen = mid - lo;
        System.arraycopy(a, lo, buffer, 0, leftLen);
        int i = 0;
        int j = mid;
        int out = lo;
        while (i < leftLen && j < hi) {
            // Take from the right only if strictly before: keeps the sort stable.
            if (before(a[j], buffer[i], retained)) {
                a[out++] = a[j++];
            } else {
                a[out++] = buffer[i++];
            }
        }
        while (i < leftLen) {
            a[out++] = buffer[i++];
        }
    }
}
