package dev.leakhound.core.snapshot;

/**
 * The columns of a snapshot being read, which both readers fill (the record decoder writes the node and
 * edge columns), and the checks that need every section before the snapshot is built: names against the
 * strings table, sections present, nodes present.
 *
 * <p>The fast path fills it from two threads: disjoint edge ranges, and sections each thread sets alone;
 * its latch and join order those writes before {@link #build}.
 */
final class ColumnsBuilder {
    final SnapshotMeta meta;

    byte[] nodeType;
    int[] nodeName;
    int[] nodeId;
    long[] nodeSize;
    int[] firstEdge;
    /** Null when the file has no trace_node_id column; {@link HeapSnapshot#NO_TRACE_IDS} until a non-zero one. */
    int[] nodeTrace;
    byte[] nodeDetached;
    byte[] edgeType;
    int[] edgeName;
    int[] edgeTo;
    private StringTable strings;
    private SnapshotLocations locations;
    /** The trace sections, null when the header describes none we can read. */
    final TraceSections traces;

    private boolean nodesDone;
    private boolean edgesDone;
    /** The largest string index used as a node name or an edge name, and where (-1: none). */
    private long maxNodeName = -1;
    private long maxNodeNameAt;
    private long maxEdgeName = -1;
    private long maxEdgeNameAt;

    ColumnsBuilder(SnapshotMeta meta) {
        this.meta = meta;
        this.traces = meta.traceLayout == null ? null : new TraceSections(meta.traceLayout);
    }

    void allocateNodes() {
        int n = meta.nodeCount;
        nodeType = new byte[n];
        nodeName = new int[n];
        nodeId = new int[n];
        nodeSize = new long[n];
        firstEdge = new int[n + 1];
        nodeTrace = meta.format.hasTraceNodeIds() ? HeapSnapshot.NO_TRACE_IDS : null;   // allocated at the first non-zero id
        nodeDetached = meta.format.hasDetachedness() ? new byte[n] : null;
    }

    void allocateEdges() {
        int m = meta.edgeCount;
        edgeType = new byte[m];
        edgeName = new int[m];
        edgeTo = new int[m];
    }

    /** All nodes are read; {@code maxName} is the largest name, found at byte {@code at} (-1 when unknown). */
    void nodesDone(long maxName, long at) {
        nodesDone = true;
        maxNodeName = maxName;
        maxNodeNameAt = at;
    }

    /** All edges are read; {@code maxName} is the largest string index used as a name, at byte {@code at}. */
    void edgesDone(long maxName, long at) {
        edgesDone = true;
        maxEdgeName = maxName;
        maxEdgeNameAt = at;
    }

    boolean nodesDone() {
        return nodesDone;
    }

    boolean edgesDone() {
        return edgesDone;
    }

    void strings(StringTable table) {
        strings = table;
    }

    boolean hasStrings() {
        return strings != null;
    }

    void locations(SnapshotLocations l) {
        locations = l;
    }

    boolean hasLocations() {
        return locations != null;
    }

    /** Whether every name read so far is an index into the strings table (false while there is none). */
    boolean namesInRange() {
        return strings != null && maxNodeName < strings.size() && maxEdgeName < strings.size();
    }

    /** Checks what needs every section and builds the snapshot. */
    HeapSnapshot build(SnapshotInput input) {
        if (!nodesDone) {
            throw new SnapshotFormatException(input.file, -1, "no 'nodes' section");
        }
        if (!edgesDone) {
            throw new SnapshotFormatException(input.file, -1, "no 'edges' section");
        }
        if (strings == null) {
            throw new SnapshotFormatException(input.file, -1, "no 'strings' section");
        }
        if (maxNodeName >= strings.size()) {
            throw new SnapshotFormatException(input.file, maxNodeNameAt, "node name " + maxNodeName
                    + " is outside the strings table (" + strings.size() + " strings)");
        }
        if (maxEdgeName >= strings.size()) {
            throw new SnapshotFormatException(input.file, maxEdgeNameAt, "edge name " + maxEdgeName
                    + " is outside the strings table (" + strings.size() + " strings)");
        }
        if (meta.nodeCount == 0) {
            throw new SnapshotFormatException(input.file, -1, "the snapshot has no nodes");
        }
        SnapshotFormat f = meta.format;
        AllocationTraces t = traces == null ? null : traces.build(strings, input.file);
        HeapSnapshot s = new HeapSnapshot(input.path, meta.nodeCount, meta.edgeCount, nodeType, nodeName, nodeId, nodeSize,
                firstEdge, nodeTrace, nodeDetached, edgeType, edgeName, edgeTo, strings, f.nodeTypeNames(),
                f.edgeTypeNames(), meta.rootOrdinal, meta.extraNativeBytes,
                locations == null ? SnapshotLocations.empty() : locations, f.stride);
        s.traces = t;
        return s;
    }
}
