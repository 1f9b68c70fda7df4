package dev.leakhound.analysis.info;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.SnapshotHeader;
import dev.leakhound.core.snapshot.StringTable;

/**
 * What {@code leakhound analyze} will need for a snapshot, from its header alone: Java heap at the peak, and time.
 *
 * <p><b>Memory</b> is counted from the arrays the model and the analysis allocate (each class states its own:
 * {@link HeapSnapshot#columnBytes}, {@link StringTable#estimatedBytes}, {@link HeapGraph#footprint}), at the two
 * moments that can be the peak: while the dominator tree is computed (its work arrays, and the statistics and
 * node scan computed beside it), and after it (the tree, retained sizes and child lists, and the detectors'
 * scratch arrays). The header gives the node and edge counts but not the strings: the bytes of the file the
 * nodes and edges do not take are counted as strings and locations (about a byte of heap per byte of JSON), and
 * the number of strings is estimated from them. Then G1 needs room to work in: the heap to give is the live
 * peak plus {@link #GC_SHARE} plus {@link #GC_BYTES}, fitted so that it is at or above the smallest {@code -Xmx}
 * that {@code analyze} completes with on the benchmark snapshots (measured, see the constants).
 *
 * <p><b>Time</b> is calibrated: rates measured on one machine (see the constants), so on another machine it
 * is an order of magnitude, not a promise.
 */
public final class Estimate {
    private Estimate() {}

    // ---- memory ----

    /**
     * Bytes of JSON a node value and an edge value take on average, with their separators (and the newline per
     * record that Node 14 to 22 write, Node 24 not): they grow with the digits of names, ids and targets, so with
     * the logarithm of the node count. Measured (section lengths in the files over value counts): node values
     * 3.11 to 3.37 bytes and edge values 4.22 to 4.64 in the fixtures (31k to 59k nodes, Node 24 the narrowest),
     * 3.55 and 4.81 in s100 (1.39M nodes), 3.65 and 4.96 in s530 (7.26M nodes; both written by Node 20). The
     * lines below stay under every one of those, so that the rest of the file, counted as strings, is
     * overestimated rather than missed.
     */
    static double nodeValueBytes(long nodes) {
        return 2.2 + 0.19 * Math.log10(Math.max(10, nodes));
    }

    static double edgeValueBytes(long nodes) {
        return 3.4 + 0.17 * Math.log10(Math.max(10, nodes));
    }

    /**
     * Strings per node at most, as assumed: s100 and s530 hold 0.28 strings per node, the small fixtures 0.49 to
     * 0.63 (mostly the runtime's own strings, where the memory is small anyway).
     */
    static final double STRINGS_PER_NODE = 0.4;
    /** JSON bytes a string takes on average, as assumed when that gives fewer strings (measured: 12.4 to 23). */
    static final int STRING_JSON_BYTES = 12;
    /**
     * Per string, what the analysis holds beside the table: the diagnosis's per-string counts (three ints,
     * NodeScan) while the dominator tree is built and after it.
     */
    static final int ANALYSIS_BYTES_PER_STRING = 12;
    /**
     * G1's room above the live peak, fitted on measurements: the smallest {@code -Xmx} (-Xms equal, G1, to within
     * 8 MiB) that {@code analyze} completed with was 189 MiB for s100 (104.9 MB, 1.39M nodes, 4.29M edges) and
     * 858 MiB for s530 (556.7 MB, 7.26M nodes, 22.1M edges), where this class counts 170 and 868 MiB live from
     * the files' real string counts and string bytes, and so asks for 197 and 910 MiB (from their headers alone,
     * which overestimate the strings: 214 and 968 MiB). Measured on 2026-12-03 on the 2-core AMD EPYC bench
     * machine with OpenJDK 17.0.15. The share is for bigger heaps, whose G1 regions are bigger.
     */
    static final double GC_SHARE = 0.02;
    static final long GC_BYTES = 24L << 20;
    /**
     * What the JVM takes besides its heap (code, metadata, GC structures, threads): peak RSS minus the heap in
     * use was about 100 MiB in the runs above.
     */
    static final long JVM_OVERHEAD_BYTES = 128L << 20;

    /** Which moment of the analysis holds the most. */
    public enum Peak { DOMINATOR_TREE, AFTER_DOMINATOR_TREE }

    /**
     * Heap bytes {@code analyze} needs, by part, at its peak.
     *
     * @param columns       the snapshot's node and edge columns (exact for the header's counts)
     * @param restBytes     bytes of JSON not taken by the header, nodes and edges: strings, locations and the
     *                      rest (estimated from average value widths)
     * @param strings       estimated number of strings
     * @param stringTable   the string table and locations (estimated)
     * @param graph         the graph's indexes: classes, distances, paths
     * @param dominators    at the peak, what the dominator tree holds: its work arrays while it is computed,
     *                      the tree, retained sizes and child lists after
     * @param analysis      what the statistics, classes and diagnosis hold at that moment
     * @param live          the sum: live bytes at the peak
     * @param peak          which moment that is
     * @param heap          the Java heap to give: the live peak and room for the garbage collector
     * @param process       memory the whole process needs: the heap and the JVM's own
     */
    public record Memory(long columns, long restBytes, long strings, long stringTable, long graph, long dominators,
                         long analysis, long live, Peak peak, long heap, long process) {}

    /** The memory {@code analyze} needs for the snapshot {@code h} describes. */
    public static Memory memory(SnapshotHeader h) {
        long n = h.nodeCount();
        long m = h.edgeCount();
        long columns = HeapSnapshot.columnBytes(n, m, h.hasDetachedness(), h.hasAllocationTraces());
        long json = h.jsonBytes() >= 0 ? h.jsonBytes() : h.fileBytes();
        long values = Math.round(n * h.nodeFieldCount() * nodeValueBytes(n)
                + m * h.edgeFieldCount() * edgeValueBytes(n));
        long rest = Math.max(0, json - h.headerEnd() - values);
        long strings = Math.min(Math.round(n * STRINGS_PER_NODE), rest / STRING_JSON_BYTES);
        long table = StringTable.estimatedBytes(strings, rest);
        HeapGraph.Footprint g = HeapGraph.footprint(n, m);
        // beside the dominator tree: the node scan's per-string counts and the statistics' three node bitsets
        long besideTree = ANALYSIS_BYTES_PER_STRING * strings + 3 * ((n + 63) >>> 6) * 8;
        // after it: the per-string counts still, and scratch arrays of the detectors (a mark per node, twice)
        long afterTree = ANALYSIS_BYTES_PER_STRING * strings + 8 * n;
        long during = g.dominatorWork() + besideTree;
        long after = g.dominatorTree() + afterTree;
        boolean duringIsPeak = during >= after;
        long dominators = duringIsPeak ? g.dominatorWork() : g.dominatorTree();
        long analysis = duringIsPeak ? besideTree : afterTree;
        long live = columns + table + g.indexes() + dominators + analysis;
        long heap = Math.round(live * (1 + GC_SHARE)) + GC_BYTES;
        return new Memory(columns, rest, strings, table, g.indexes(), dominators, analysis, live,
                duringIsPeak ? Peak.DOMINATOR_TREE : Peak.AFTER_DOMINATOR_TREE, heap, heap + JVM_OVERHEAD_BYTES);
    }

    /**
     * The heap to ask for with {@code LEAKHOUND_HEAP}: the heap needed and a quarter more (a heap just big
     * enough spends its time collecting), rounded up to 512 MiB below 2 GiB and to whole GiB above.
     */
    public static long heapToAskFor(Memory m) {
        long want = m.heap() + m.heap() / 4;
        long step = want < (2L << 30) ? 512L << 20 : 1L << 30;
        return Math.max(1L << 30, (want + step - 1) / step * step);
    }

    // ---- time ----

    /**
     * Rates of {@code analyze}'s steps as {@code --timings} reports them, the best of five runs each on the
     * 2-core AMD EPYC bench machine (OpenJDK 17.0.15, load average below 1), 2026-12-03: s100 (104.9 MB, 1.39M
     * nodes, 4.29M edges), s530 (556.7 MB, 7.25M nodes, 22.06M edges) and s100 gzipped (17.2 MB).
     */
    static final double READ_PLAIN_NS_PER_BYTE = 4.0;
    static final double READ_GZIP_NS_PER_BYTE = 8.0;
    static final double GRAPH_NS_PER_ELEMENT = 90;
    static final double ANALYSIS_NS_PER_ELEMENT = 20;
    /** JVM start, and what does not grow with the snapshot (wall time minus the steps on the smallest fixtures). */
    static final long START_MILLIS = 400;

    /**
     * How long {@code analyze} will take, by step (milliseconds; wall time on a machine like the one the rates
     * were measured on, idle).
     */
    public record Time(long startMillis, long readMillis, long graphMillis, long analysisMillis) {
        public long totalMillis() {
            return startMillis + readMillis + graphMillis + analysisMillis;
        }
    }

    /** The time {@code analyze} takes for the snapshot {@code h} describes. */
    public static Time time(SnapshotHeader h) {
        long json = h.jsonBytes() >= 0 ? h.jsonBytes() : h.fileBytes();
        double read = json * (h.gzip() ? READ_GZIP_NS_PER_BYTE : READ_PLAIN_NS_PER_BYTE);
        double elements = (double) h.nodeCount() + h.edgeCount();
        return new Time(START_MILLIS, Math.round(read / 1e6), Math.round(elements * GRAPH_NS_PER_ELEMENT / 1e6),
                Math.round(elements * ANALYSIS_NS_PER_ELEMENT / 1e6));
    }
}
