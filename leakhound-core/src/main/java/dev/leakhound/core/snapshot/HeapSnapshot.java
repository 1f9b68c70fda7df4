package dev.leakhound.core.snapshot;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A parsed V8 heap snapshot, held as columns of primitives indexed by node ordinal (0..nodeCount-1)
 * and edge index (0..edgeCount-1). The int ordinal is the handle everywhere; no per-node objects.
 *
 * <p>Node ids and sizes are unsigned in the file: {@link #id(int)} returns the id as a long.
 * Edges of node {@code n} are {@code firstEdge(n) .. firstEdge(n+1)-1}; {@link #edgeTo(int)} is a
 * target <em>ordinal</em> (the file's {@code to_node} divided by the node field count).
 */
public final class HeapSnapshot {
    final Path source;
    final int nodeCount;
    final int edgeCount;
    final byte[] nodeType;
    final int[] nodeName;
    final int[] nodeId;
    final long[] nodeSelfSize;
    final int[] firstEdge;          // nodeCount + 1
    final int[] nodeTraceId;        // null when the file has no trace_node_id column, NO_TRACE_IDS when all are 0
    final byte[] nodeDetachedness;  // null when the file has no detachedness column
    final byte[] edgeType;
    final int[] edgeName;
    final int[] edgeTo;
    final StringTable strings;
    final String[] nodeTypeNames;   // by canonical code (unknown types appended)
    final String[] edgeTypeNames;
    final int rootOrdinal;
    final long extraNativeBytes;
    final SnapshotLocations locations;
    final int nodeFieldCount;
    /** The allocation traces, null when the snapshot has none; set once, before the snapshot is handed out. */
    AllocationTraces traces;
    /** Stands for a trace_node_id column of zeros (no allocation tracking), so it costs no n-sized array. */
    static final int[] NO_TRACE_IDS = new int[0];

    HeapSnapshot(Path source, int nodeCount, int edgeCount, byte[] nodeType, int[] nodeName, int[] nodeId,
                 long[] nodeSelfSize, int[] firstEdge, int[] nodeTraceId, byte[] nodeDetachedness,
                 byte[] edgeType, int[] edgeName, int[] edgeTo, StringTable strings,
                 String[] nodeTypeNames, String[] edgeTypeNames, int rootOrdinal, long extraNativeBytes,
                 SnapshotLocations locations, int nodeFieldCount) {
        this.source = source;
        this.nodeCount = nodeCount;
        this.edgeCount = edgeCount;
        this.nodeType = nodeType;
        this.nodeName = nodeName;
        this.nodeId = nodeId;
        this.nodeSelfSize = nodeSelfSize;
        this.firstEdge = firstEdge;
        this.nodeTraceId = nodeTraceId;
        this.nodeDetachedness = nodeDetachedness;
        this.edgeType = edgeType;
        this.edgeName = edgeName;
        this.edgeTo = edgeTo;
        this.strings = strings;
        this.nodeTypeNames = nodeTypeNames;
        this.edgeTypeNames = edgeTypeNames;
        this.rootOrdinal = rootOrdinal;
        this.extraNativeBytes = extraNativeBytes;
        this.locations = locations;
        this.nodeFieldCount = nodeFieldCount;
    }

    /** The file it was read from, or null for a snapshot built in memory. */
    public Path source() {
        return source;
    }

    public int nodeCount() {
        return nodeCount;
    }

    public int edgeCount() {
        return edgeCount;
    }

    public int rootOrdinal() {
        return rootOrdinal;
    }

    /** Node fields per node in the file (6 or 7 for V8); informational. */
    public int nodeFieldCount() {
        return nodeFieldCount;
    }

    // ---- nodes ----

    /** Canonical type code ({@link NodeType}). */
    public int type(int node) {
        return nodeType[node];
    }

    public String typeName(int node) {
        return nodeTypeNames[nodeType[node]];
    }

    /** Index of the node's name in {@link #strings()}. */
    public int nameIndex(int node) {
        return nodeName[node];
    }

    public String name(int node) {
        return strings.get(nodeName[node]);
    }

    /** The node's id (unsigned 32-bit in the file, stable for a live object within one process). */
    public long id(int node) {
        return nodeId[node] & 0xFFFFFFFFL;
    }

    public long selfSize(int node) {
        return nodeSelfSize[node];
    }

    public int firstEdge(int node) {
        return firstEdge[node];
    }

    /** One past the node's last edge. */
    public int endEdge(int node) {
        return firstEdge[node + 1];
    }

    public int edgeCountOf(int node) {
        return firstEdge[node + 1] - firstEdge[node];
    }

    public boolean hasTraceNodeIds() {
        return nodeTraceId != null;
    }

    public int traceNodeId(int node) {
        return nodeTraceId == null || nodeTraceId.length == 0 ? 0 : nodeTraceId[node];
    }

    public boolean hasDetachedness() {
        return nodeDetachedness != null;
    }

    /** 0 unknown, 1 attached, 2 detached; 0 when the file has no such column. */
    public int detachedness(int node) {
        return nodeDetachedness == null ? 0 : nodeDetachedness[node];
    }

    // ---- edges ----

    /** Canonical type code ({@link EdgeType}). */
    public int edgeType(int edge) {
        return edgeType[edge];
    }

    public String edgeTypeName(int edge) {
        return edgeTypeNames[edgeType[edge]];
    }

    /** For element and hidden edges the index, otherwise the index of the name in {@link #strings()}. */
    public int edgeNameOrIndex(int edge) {
        return edgeName[edge];
    }

    /** The edge's name as text: the property/variable name, or the element index as digits. */
    public String edgeName(int edge) {
        int t = edgeType[edge];
        return EdgeType.nameIsString(t) ? strings.get(edgeName[edge]) : Integer.toString(edgeName[edge]);
    }

    /** Target node ordinal. */
    public int edgeTo(int edge) {
        return edgeTo[edge];
    }

    /** The node an edge leaves from (binary search over the edge ranges: not for hot loops). */
    public int edgeFrom(int edge) {
        int lo = 0;
        int hi = nodeCount - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (firstEdge[mid] <= edge) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        // skip nodes without edges that share the same firstEdge
        while (lo < nodeCount - 1 && firstEdge[lo + 1] <= edge) {
            lo++;
        }
        return lo;
    }

    // ---- the rest ----

    public StringTable strings() {
        return strings;
    }

    /** Native bytes outside the walked heap (Chrome's {@code extra_native_bytes}), 0 when absent. */
    public long extraNativeBytes() {
        return extraNativeBytes;
    }

    public SnapshotLocations locations() {
        return locations;
    }

    /**
     * The allocation traces ({@code trace_function_infos} and {@code trace_tree}) when the snapshot was taken with
     * allocation tracking on, else null.
     */
    public AllocationTraces allocationTraces() {
        return traces;
    }

    /** Sum of all nodes' self sizes. */
    public long totalSelfSize() {
        long t = 0;
        for (long s : nodeSelfSize) {
            t += s;
        }
        return t;
    }

    /** Largest odd node id: V8 heap objects have odd ids, embedder objects even ones. */
    public long maxJsObjectId() {
        long max = 0;
        for (int i = 0; i < nodeCount; i++) {
            long id = nodeId[i] & 0xFFFFFFFFL;
            if ((id & 1) == 1 && id > max) {
                max = id;
            }
        }
        return max;
    }

    /** Ordinal of the node with the given id, or -1 (linear scan; use an index for many look-ups). */
    public int ordinalOfId(long id) {
        int want = (int) id;
        for (int i = 0; i < nodeCount; i++) {
            if (nodeId[i] == want) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Heap bytes the columns of a snapshot of {@code nodes} and {@code edges} take, without the strings and
     * locations: per node its type (1), name (4), id (4), self size (8) and first edge (4), its detachedness (1)
     * when the file has that column and its trace node id (4) when a node has one (allocation tracking); per
     * edge its type (1), name (4) and target (4). {@link #memoryBytes()} counts the same arrays once read.
     */
    public static long columnBytes(long nodes, long edges, boolean detachedness, boolean traceIds) {
        return nodes * (21 + (detachedness ? 1 : 0) + (traceIds ? 4 : 0)) + 4 + edges * 9;
    }

    /** Approximate heap bytes held by the columns (for diagnostics). */
    public long memoryBytes() {
        long b = nodeType.length + 4L * nodeName.length + 4L * nodeId.length + 8L * nodeSelfSize.length
                + 4L * firstEdge.length + edgeType.length + 4L * edgeName.length + 4L * edgeTo.length;
        if (nodeTraceId != null) {
            b += 4L * nodeTraceId.length;
        }
        if (nodeDetachedness != null) {
            b += nodeDetachedness.length;
        }
        return b + strings.memoryBytes() + (traces == null ? 0 : traces.memoryBytes());
    }

    String[] nodeTypeNames() {
        return Arrays.copyOf(nodeTypeNames, nodeTypeNames.length);
    }
}
