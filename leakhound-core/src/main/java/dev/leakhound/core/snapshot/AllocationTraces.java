package dev.leakhound.core.snapshot;

import java.util.Arrays;

/**
 * The allocation traces a snapshot carries when it was taken with allocation tracking on
 * ({@code HeapProfiler.startTrackingHeapObjects({trackAllocations: true})}, DevTools' allocation timeline,
 * {@code node --track-heap-objects}): V8's {@code trace_function_infos} and {@code trace_tree}, as columns of
 * primitives.
 *
 * <p>A trace node is one call stack (the path from the tree's root to it); each node's
 * {@link HeapSnapshot#traceNodeId(int) trace_node_id} names the stack that allocated it. A trace node's
 * count and size are what V8 counted as allocated there while tracking, live or not.
 *
 * <p>Function infos: a function's name and script name are indexes into the snapshot's strings; line and
 * column are <b>1-based</b>, 0 when unknown (V8's {@code SerializePosition}), and point at the function's start
 * (the {@code (} of its parameter list), not at the allocating expression: V8 records functions, not call sites.
 * Trace nodes are kept in the file's order (parents before children), by index {@code 0..size()-1}.
 */
public final class AllocationTraces {
    private final StringTable strings;
    private final int[] fnId;
    private final int[] fnName;
    private final int[] fnScript;
    private final int[] fnScriptId;
    private final int[] fnLine;
    private final int[] fnColumn;
    private final int[] nodeId;
    private final int[] nodeFunction;
    private final int[] nodeParent;
    private final long[] nodeCount;
    private final long[] nodeSize;
    /** Trace node indexes sorted by id, for {@link #indexOfId}. */
    private final int[] byId;

    AllocationTraces(StringTable strings, int[] fnId, int[] fnName, int[] fnScript, int[] fnScriptId, int[] fnLine,
                     int[] fnColumn, int[] nodeId, int[] nodeFunction, int[] nodeParent, long[] nodeCount,
                     long[] nodeSize) {
        this.strings = strings;
        this.fnId = fnId;
        this.fnName = fnName;
        this.fnScript = fnScript;
        this.fnScriptId = fnScriptId;
        this.fnLine = fnLine;
        this.fnColumn = fnColumn;
        this.nodeId = nodeId;
        this.nodeFunction = nodeFunction;
        this.nodeParent = nodeParent;
        this.nodeCount = nodeCount;
        this.nodeSize = nodeSize;
        this.byId = sortedById(nodeId);
    }

    private static int[] sortedById(int[] ids) {
        int n = ids.length;
        long[] keyed = new long[n];
        for (int i = 0; i < n; i++) {
            keyed[i] = (Integer.toUnsignedLong(ids[i]) << 31) | i;
        }
        Arrays.sort(keyed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) (keyed[i] & 0x7FFFFFFFL);
        }
        return out;
    }

    /** Function infos. */
    public int functionCount() {
        return fnId.length;
    }

    /** Trace nodes (call stacks). */
    public int size() {
        return nodeId.length;
    }

    public boolean isEmpty() {
        return nodeId.length == 0;
    }

    // ---- function infos ----

    /** V8's {@code function_id} (the SharedFunctionInfo's heap object id). */
    public long functionId(int fn) {
        return Integer.toUnsignedLong(fnId[fn]);
    }

    public int functionNameIndex(int fn) {
        return fnName[fn];
    }

    /** The function's name; empty for an anonymous function. */
    public String functionName(int fn) {
        return strings.get(fnName[fn]);
    }

    public int scriptNameIndex(int fn) {
        return fnScript[fn];
    }

    /** The script's URL or path as V8 knows it; empty when unknown. */
    public String scriptName(int fn) {
        return strings.get(fnScript[fn]);
    }

    public int scriptId(int fn) {
        return fnScriptId[fn];
    }

    /** 1-based line of the function's start; 0 when unknown. */
    public int line(int fn) {
        return fnLine[fn];
    }

    /** 1-based column of the function's start; 0 when unknown. */
    public int column(int fn) {
        return fnColumn[fn];
    }

    // ---- trace nodes ----

    /** The trace node's id (what nodes' {@code trace_node_id} points at). */
    public long id(int t) {
        return Integer.toUnsignedLong(nodeId[t]);
    }

    /** Index of the function info of this frame. */
    public int function(int t) {
        return nodeFunction[t];
    }

    /** Index of the caller's trace node, -1 for a root. */
    public int parent(int t) {
        return nodeParent[t];
    }

    /** Objects V8 counted as allocated with exactly this stack while tracking (live or not). */
    public long count(int t) {
        return nodeCount[t];
    }

    /** Bytes V8 counted as allocated with exactly this stack while tracking (live or not). */
    public long allocatedSize(int t) {
        return nodeSize[t];
    }

    /** The trace node with this id, or -1. */
    public int indexOfId(long id) {
        if (id <= 0 || id > 0xFFFFFFFFL) {
            return -1;
        }
        int lo = 0;
        int hi = byId.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = Integer.toUnsignedLong(nodeId[byId[mid]]);
            if (v < id) {
                lo = mid + 1;
            } else if (v > id) {
                hi = mid - 1;
            } else {
                return byId[mid];
            }
        }
        return -1;
    }

    /** Heap bytes these columns take (the strings are the snapshot's). */
    public long memoryBytes() {
        return 4L * 6 * fnId.length + (4L * 4 + 16) * nodeId.length;
    }

    // package access for the index writer
    int[] fnIds() {
        return fnId;
    }

    int[] fnNames() {
        return fnName;
    }

    int[] fnScripts() {
        return fnScript;
    }

    int[] fnScriptIds() {
        return fnScriptId;
    }

    int[] fnLines() {
        return fnLine;
    }

    int[] fnColumns() {
        return fnColumn;
    }

    int[] nodeIds() {
        return nodeId;
    }

    int[] nodeFunctions() {
        return nodeFunction;
    }

    int[] nodeParents() {
        return nodeParent;
    }

    long[] nodeCounts() {
        return nodeCount;
    }

    long[] nodeSizes() {
        return nodeSize;
    }
}
