package dev.leakhound.analysis;

/**
 * The {@code limit} nodes with the biggest retained sizes among those offered, biggest first, ties in the
 * order offered (ascending ordinal when offered in that order): an insertion into a small sorted buffer,
 * enough for the few dozen or few hundred rows a report shows.
 */
public final class TopRetained {
    private final long[] retained;
    private final int[] top;
    private int size;

    public TopRetained(long[] retained, int limit) {
        this.retained = retained;
        this.top = new int[Math.max(0, limit)];
    }

    public void offer(int node) {
        int limit = top.length;
        long r = retained[node];
        if (limit == 0 || (size == limit && r <= retained[top[size - 1]])) {
            return;
        }
        int i = size == limit ? size - 1 : size++;
        while (i > 0 && retained[top[i - 1]] < r) {
            top[i] = top[i - 1];
            i--;
        }
        top[i] = node;
    }

    public int size() {
        return size;
    }

    /** The i-th biggest kept. */
    public int get(int i) {
        return top[i];
    }
}
