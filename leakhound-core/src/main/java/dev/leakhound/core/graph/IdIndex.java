package dev.leakhound.core.graph;

import dev.leakhound.core.snapshot.HeapSnapshot;
import java.util.Arrays;

/**
 * Node ids sorted (as unsigned 32-bit values) with their ordinals: id → ordinal look-ups by binary
 * search, and set operations between snapshots of one process, where ids are stable.
 */
public final class IdIndex {
    private final long[] packed;   // id << 31 | ordinal: 63 bits, so signed order is id order

    private IdIndex(long[] packed) {
        this.packed = packed;
    }

    public static IdIndex of(HeapSnapshot s) {
        int n = s.nodeCount();
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = (s.id(i) << 31) | i;
        }
        Arrays.parallelSort(p);
        return new IdIndex(p);
    }

    public int size() {
        return packed.length;
    }

    /** Ordinal of the node with this id, or -1. */
    public int ordinalOf(long id) {
        int lo = 0;
        int hi = packed.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = packed[mid] >>> 31;
            if (v < id) {
                lo = mid + 1;
            } else if (v > id) {
                hi = mid - 1;
            } else {
                return (int) (packed[mid] & 0x7FFFFFFF);
            }
        }
        return -1;
    }

    public boolean contains(long id) {
        return ordinalOf(id) >= 0;
    }

    /** The i-th smallest id. */
    public long idAt(int i) {
        return packed[i] >>> 31;
    }

    /** The ordinal of the i-th smallest id. */
    public int ordinalAt(int i) {
        return (int) (packed[i] & 0x7FFFFFFF);
    }
}
