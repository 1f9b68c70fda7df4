package dev.leakhound.core.snapshot;

/**
 * Direct access to a snapshot's columns for graph kernels in this library. The arrays are the
 * snapshot's own: callers must not modify them.
 */
public final class SnapshotArrays {
    private SnapshotArrays() {}

    /** nodeCount + 1 entries: edges of node v are firstEdge[v] .. firstEdge[v+1]-1. */
    public static int[] firstEdge(HeapSnapshot s) {
        return s.firstEdge;
    }

    /** Target ordinal per edge. */
    public static int[] edgeTo(HeapSnapshot s) {
        return s.edgeTo;
    }

    public static long[] selfSize(HeapSnapshot s) {
        return s.nodeSelfSize;
    }

    /** Per edge: the element/hidden index or the name's string index. */
    public static int[] edgeNameOrIndex(HeapSnapshot s) {
        return s.edgeName;
    }

    public static byte[] edgeType(HeapSnapshot s) {
        return s.edgeType;
    }

    public static byte[] nodeType(HeapSnapshot s) {
        return s.nodeType;
    }
}
