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
            Integer[] order = new Integer[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Integer.compare(node[a], node[b]));
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
