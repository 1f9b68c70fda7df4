package dev.leakhound.core.snapshot;

import java.util.Arrays;

/**
 * The {@code locations} section: source positions of closures and of objects whose constructor V8
 * could resolve. Lines and columns are 0-based as in the file; {@link #line1(int)} adds one for display.
 * Entries are kept sorted by node ordinal for look-up.
 */
public final class SnapshotLocations {
    private final int[] node;
    private final int[] scriptId;
    private final int[] line;
    private final int[] column;

    SnapshotLocations(int[] node, int[] scriptId, int[] line, int[] column, int count) {
        boolean sorted = true;
        for (int i = 1; i < count; i++) {
            if (node[i] < node[i - 1]) {
                sorted = false;
                break;
            }
        }
        if (!sorted) {
            int[] order = stableOrder(node, count);
            int[] n = new int[count];
            int[] s = new int[count];
            int[] l = new int[count];
            int[] c = new int[count];
            for (int i = 0; i < count; i++) {
                n[i] = node[order[i]];
                s[i] = scriptId[order[i]];
                l[i] = line[order[i]];
                c[i] = column[order[i]];
            }
            this.node = n;
            this.scriptId = s;
            this.line = l;
            this.column = c;
        } else {
            this.node = Arrays.copyOf(node, count);
            this.scriptId = Arrays.copyOf(scriptId, count);
            this.line = Arrays.copyOf(line, count);
            this.column = Arrays.copyOf(column, count);
        }
    }

    /**
     * Entry indexes sorted by node ordinal, file order kept among equal ordinals: an LSD radix sort on two
     * 16-bit digits (ordinals are non-negative ints), stable by construction, so no boxing or comparator.
     */
    static int[] stableOrder(int[] key, int count) {
        int[] order = new int[count];
        int[] tmp = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        int[] bucket = new int[1 << 16];
        for (int shift = 0; shift < 32; shift += 16) {
            Arrays.fill(bucket, 0);
            for (int i = 0; i < count; i++) {
                bucket[(key[order[i]] >>> shift) & 0xFFFF]++;
            }
            int acc = 0;
            for (int d = 0; d < bucket.length; d++) {
                int c = bucket[d];
                bucket[d] = acc;
                acc += c;
            }
            for (int i = 0; i < count; i++) {
                int e = order[i];
                tmp[bucket[(key[e] >>> shift) & 0xFFFF]++] = e;
            }
            int[] t = order;
            order = tmp;
            tmp = t;
        }
        return order;
    }

    public static SnapshotLocations empty() {
        return new SnapshotLocations(new int[0], new int[0], new int[0], new int[0], 0);
    }

    public int size() {
        return node.length;
    }

    /** Entry index for a node ordinal, or -1 when V8 recorded no location for it. */
    public int find(int nodeOrdinal) {
        int i = Arrays.binarySearch(node, nodeOrdinal);
        if (i < 0) {
            return -1;
        }
        while (i > 0 && node[i - 1] == nodeOrdinal) {
            i--;
        }
        return i;
    }

    public int node(int entry) {
        return node[entry];
    }

    public int scriptId(int entry) {
        return scriptId[entry];
    }

    /** 0-based line, as V8 writes it. */
    public int line(int entry) {
        return line[entry];
    }

    /** 0-based column, as V8 writes it. */
    public int column(int entry) {
        return column[entry];
    }

    /** 1-based line, for display. */
    public int line1(int entry) {
        return line[entry] + 1;
    }

    /** 1-based column, for display. */
    public int column1(int entry) {
        return column[entry] + 1;
    }
}
