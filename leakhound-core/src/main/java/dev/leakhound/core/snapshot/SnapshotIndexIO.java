package dev.leakhound.core.snapshot;

import dev.leakhound.core.Parallel;
import dev.leakhound.core.index.IndexFormatException;
import dev.leakhound.core.index.IndexReader;
import dev.leakhound.core.index.IndexWriter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link HeapSnapshot}'s columns in an index file, and back. Reading checks every invariant the rest of
 * leakhound relies on (ordinals and string indexes in range, edge ranges ascending and covering the edges),
 * so an index that passed its checksums but is wrong anyway fails here, not in an analysis.
 */
public final class SnapshotIndexIO {
    private SnapshotIndexIO() {}

    public static void write(HeapSnapshot s, IndexWriter w) throws IOException {
        int n = s.nodeCount;
        int m = s.edgeCount;
        w.meta("snapshot.nodes", n);
        w.meta("snapshot.edges", m);
        w.meta("snapshot.root", s.rootOrdinal);
        w.meta("snapshot.extraNativeBytes", s.extraNativeBytes);
        w.meta("snapshot.nodeFieldCount", s.nodeFieldCount);
        w.meta("snapshot.traceIds", s.nodeTraceId == null ? 0 : s.nodeTraceId.length == 0 ? 1 : 2);
        w.texts("snapshot.nodeTypeNames", s.nodeTypeNames);
        w.texts("snapshot.edgeTypeNames", s.edgeTypeNames);
        w.bytes("node.type", s.nodeType, n);
        w.ints("node.name", s.nodeName, n);
        w.ints("node.id", s.nodeId, n);
        long maxSize = 0;
        for (long v : s.nodeSelfSize) {
            maxSize = Math.max(maxSize, v);
        }
        if (maxSize <= Integer.MAX_VALUE) {   // nearly always: half the bytes
            int[] small = new int[n];
            for (int i = 0; i < n; i++) {
                small[i] = (int) s.nodeSelfSize[i];
            }
            w.ints("node.selfSize32", small, n);
        } else {
            w.longs("node.selfSize", s.nodeSelfSize, n);
        }
        w.ints("node.firstEdge", s.firstEdge, n + 1);
        if (s.nodeTraceId != null && s.nodeTraceId.length > 0) {
            w.ints("node.traceId", s.nodeTraceId, n);
        }
        if (s.nodeDetachedness != null) {
            w.bytes("node.detachedness", s.nodeDetachedness, n);
        }
        w.bytes("edge.type", s.edgeType, m);
        w.ints("edge.name", s.edgeName, m);
        w.ints("edge.to", s.edgeTo, m);
        s.strings.writeTo(w, "strings");
        SnapshotLocations l = s.locations;
        int k = l.size();
        int[] node = new int[k];
        int[] script = new int[k];
        int[] line = new int[k];
        int[] column = new int[k];
        for (int i = 0; i < k; i++) {
            node[i] = l.node(i);
            script[i] = l.scriptId(i);
            line[i] = l.line(i);
            column[i] = l.column(i);
        }
        w.ints("locations.node", node, k);
        w.ints("locations.script", script, k);
        w.ints("locations.line", line, k);
        w.ints("locations.column", column, k);
        AllocationTraces t = s.traces;
        w.meta("traces.present", t == null ? 0 : 1);
        if (t != null) {
            int f = t.functionCount();
            int c = t.size();
            w.ints("traces.fn.id", t.fnIds(), f);
            w.ints("traces.fn.name", t.fnNames(), f);
            w.ints("traces.fn.script", t.fnScripts(), f);
            w.ints("traces.fn.scriptId", t.fnScriptIds(), f);
            w.ints("traces.fn.line", t.fnLines(), f);
            w.ints("traces.fn.column", t.fnColumns(), f);
            w.ints("traces.node.id", t.nodeIds(), c);
            w.ints("traces.node.function", t.nodeFunctions(), c);
            w.ints("traces.node.parent", t.nodeParents(), c);
            w.longs("traces.node.count", t.nodeCounts(), c);
            w.longs("traces.node.size", t.nodeSizes(), c);
        }
    }

    /** The snapshot written by {@link #write}, its source given back as {@code source}. */
    public static HeapSnapshot read(IndexReader r, Path source) throws IOException {
        int n = r.metaInt("snapshot.nodes", 1, Integer.MAX_VALUE - 9);
        int m = r.metaInt("snapshot.edges", 0, Integer.MAX_VALUE - 8);
        int root = r.metaInt("snapshot.root", 0, n - 1);
        long extra = r.meta("snapshot.extraNativeBytes");
        int fieldCount = r.metaInt("snapshot.nodeFieldCount", 1, 1000);
        int traces = r.metaInt("snapshot.traceIds", 0, 2);
        String[] nodeTypeNames = r.texts("snapshot.nodeTypeNames", -1);
        String[] edgeTypeNames = r.texts("snapshot.edgeTypeNames", -1);
        if (nodeTypeNames.length > 127 || edgeTypeNames.length > 127) {
            throw new IndexFormatException("index has too many node or edge types");
        }
        StringTable strings = StringTable.readFrom(r, "strings");
        int strCount = strings.size();
        // the edge columns on a second thread while this one reads the node columns
        Parallel.Task<Object[]> edges = Parallel.fork("index", () -> {
            // each column checked part by part as it is read (see IndexReader#ints(String, long, PartCheck))
            byte[] edgeType = r.bytes("edge.type", m, edgeTypeNames.length);
            int[] edgeName = r.ints("edge.name", m, (a, from, to) -> {
                for (int e = from; e < to; e++) {
                    if (EdgeType.nameIsString(edgeType[e]) && (a[e] < 0 || a[e] >= strCount)) {
                        throw new IndexFormatException("index section edge.name holds a string index out of range");
                    }
                }
            });
            int[] edgeTo = r.ints("edge.to", m, 0, n);
            return new Object[] {edgeType, edgeName, edgeTo};
        });
        byte[] nodeType = r.bytes("node.type", n, nodeTypeNames.length);
        int[] nodeName = r.ints("node.name", n, 0, strCount);
        int[] nodeId = r.ints("node.id", n);
        long[] selfSize;
        if (r.has("node.selfSize32")) {
            int[] small = r.ints("node.selfSize32", n);
            selfSize = new long[n];
            for (int i = 0; i < n; i++) {
                selfSize[i] = small[i];
            }
        } else {
            selfSize = r.longs("node.selfSize", n);
        }
        for (long v : selfSize) {
            if (v < 0) {
                throw new IndexFormatException("index section node.selfSize holds a negative size");
            }
        }
        int[] firstEdge = r.ints("node.firstEdge", (long) n + 1);
        if (firstEdge[0] != 0 || firstEdge[n] != m) {
            throw new IndexFormatException("index edge ranges do not cover the edges");
        }
        for (int i = 0; i < n; i++) {
            if (firstEdge[i + 1] < firstEdge[i]) {
                throw new IndexFormatException("index edge ranges are not ascending");
            }
        }
        int[] traceIds = traces == 0 ? null : traces == 1 ? HeapSnapshot.NO_TRACE_IDS : r.ints("node.traceId", n);
        byte[] detached = r.has("node.detachedness") ? r.bytes("node.detachedness", n) : null;
        Object[] e = edges.join();
        byte[] edgeType = (byte[]) e[0];
        int[] edgeName = (int[]) e[1];
        int[] edgeTo = (int[]) e[2];
        int[] locNode = r.ints("locations.node", -1);
        int k = locNode.length;
        checkRange(locNode, 0, n, "locations.node");
        for (int i = 1; i < k; i++) {
            if (locNode[i] < locNode[i - 1]) {
                throw new IndexFormatException("index locations are not sorted");
            }
        }
        SnapshotLocations locations = new SnapshotLocations(locNode, r.ints("locations.script", k),
                r.ints("locations.line", k), r.ints("locations.column", k), k);
        HeapSnapshot s = new HeapSnapshot(source, n, m, nodeType, nodeName, nodeId, selfSize, firstEdge, traceIds, detached,
                edgeType, edgeName, edgeTo, strings, nodeTypeNames, edgeTypeNames, root, extra, locations, fieldCount);
        s.traces = r.metaInt("traces.present", 0, 1) == 0 ? null : readTraces(r, strings);
        return s;
    }

    private static AllocationTraces readTraces(IndexReader r, StringTable strings) throws IOException {
        int[] fnId = r.ints("traces.fn.id", -1);
        int f = fnId.length;
        int[] name = r.ints("traces.fn.name", f);
        checkRange(name, 0, strings.size(), "traces.fn.name");
        int[] script = r.ints("traces.fn.script", f);
        checkRange(script, 0, strings.size(), "traces.fn.script");
        int[] scriptId = r.ints("traces.fn.scriptId", f);
        int[] line = r.ints("traces.fn.line", f);
        int[] column = r.ints("traces.fn.column", f);
        int[] id = r.ints("traces.node.id", -1);
        int c = id.length;
        int[] function = r.ints("traces.node.function", c);
        checkRange(function, 0, f, "traces.node.function");
        int[] parent = r.ints("traces.node.parent", c);
        for (int i = 0; i < c; i++) {
            if (parent[i] < -1 || parent[i] >= i) {
                throw new IndexFormatException("index section traces.node.parent holds a value out of range");
            }
        }
        long[] count = r.longs("traces.node.count", c);
        long[] size = r.longs("traces.node.size", c);
        return new AllocationTraces(strings, fnId, name, script, scriptId, line, column, id, function, parent, count, size);
    }

    /** Every value in {@code [min, max)}. */
    public static void checkRange(int[] a, int min, int max, String what) {
        for (int v : a) {
            if (v < min || v >= max) {
                throw new IndexFormatException("index section " + what + " holds a value out of range");
            }
        }
    }
}
