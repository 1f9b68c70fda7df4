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
     * machine with OpenJDK 17.0.15. Checked on two files it was not fitted on: a 250 MB snapshot of
     * bench/gen/make-snapshot.js --seed 7 completed with 429 MiB (this class asks for 490 from its header), and a
     * strings-heavy one (make-strings-heavy.js --strings-mb 150: 214.7 MB, 163 MB of strings) with 276 MiB
     * (307). The share is for bigger heaps, whose G1 regions are bigger.
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
        long rest = restBytes(h);
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

    /** Bytes of JSON not taken by the header, nodes and edges (estimated from the average value widths). */
    static long restBytes(SnapshotHeader h) {
        long n = h.nodeCount();
        long json = h.jsonBytes() >= 0 ? h.jsonBytes() : h.fileBytes();
        long values = Math.round(n * h.nodeFieldCount() * nodeValueBytes(n)
                + (double) h.edgeCount() * h.edgeFieldCount() * edgeValueBytes(n));
        return Math.max(0, json - h.headerEnd() - values);
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
     * Rates of {@code analyze}'s steps as {@code --timings} reports them, measured with {@code ./leakhound analyze
     * --timings} on 2026-12-03 on the 2-core Intel Xeon bench machine (OpenJDK 17.0.15), the fastest of 9 to 16 runs
     * per file at a 1-minute load of 1.3 to 3 (other jobs shared the two cores: an idle machine is as fast or
     * faster). s530 (556.7 MB, 7.26M nodes, 22.1M edges): 3.16 s wall, read 1111 ms, graph 1406 ms, analyze and
     * diagnosis 320 ms, which give the graph and analysis rates; a plain read splits into the nodes and edges
     * and the strings, solved from s530 and a strings-heavy file (bench/gen/make-strings-heavy.js --strings-mb
     * 150: 214.7 MB, 163 MB of it strings, read in 806 ms); s100 gzipped (17.2 MB, 104.9 MB of JSON): read 825
     * ms, the gzip rate (inflating runs on one thread, a plain read on two). Checked on files they were not fitted
     * on: s100 plain took 1.20 s wall (the rates give 1.10 s), a 250 MB snapshot of make-snapshot.js --seed 7
     * (3.46M nodes, 10.6M edges) 1.76 s (1.90 s); the strings-heavy one took 1.39 s (1.54 s).
     */
    static final double READ_VALUES_NS_PER_BYTE = 1.6;
    static final double READ_STRINGS_NS_PER_BYTE = 4.4;
    static final double READ_GZIP_NS_PER_BYTE = 7.9;
    static final double GRAPH_NS_PER_ELEMENT = 48;
    static final double ANALYSIS_NS_PER_ELEMENT = 11;
    /**
     * Bytes per step of slow-down: bigger snapshots are slower per byte (page faults and memory bandwidth over a
     * heap of many GB). The rates above hold up to s530's size; past it every step is scaled by
     * {@code (1 + bytes / SLOWDOWN_BYTES) / (1 + s530's bytes / SLOWDOWN_BYTES)}, fitted on the generated 4 GiB
     * snapshot (bench/large: 4,259,758,364 bytes, 54.7M nodes, 177.7M edges, 40.7 s wall at a load of about 1.5,
     * where the rates alone give 22 s).
     */
    static final double SLOWDOWN_BYTES = 4.0 * (1L << 30);
    static final double RATES_FITTED_BYTES = 556_670_303;

    /**
     * JVM start and exit, and what does not grow with the snapshot: the Node 22 fixture (5.1 MB) took 0.65 s wall
     * with 0.17 s in its steps, s100 and s530 0.34 to 0.38 s more than their steps.
     */
    static final long START_MILLIS = 550;

    /**
     * How long {@code analyze} will take, by step (milliseconds; wall time on a machine like the one the rates
     * were measured on, with little else running).
     */
    public record Time(long startMillis, long readMillis, long graphMillis, long analysisMillis) {
        public long totalMillis() {
            return startMillis + readMillis + graphMillis + analysisMillis;
        }
    }

    /** The time {@code analyze} takes for the snapshot {@code h} describes. */
    public static Time time(SnapshotHeader h) {
        long json = h.jsonBytes() >= 0 ? h.jsonBytes() : h.fileBytes();
        long rest = restBytes(h);
        double read = h.gzip() ? json * READ_GZIP_NS_PER_BYTE
                : (json - rest) * READ_VALUES_NS_PER_BYTE + rest * READ_STRINGS_NS_PER_BYTE;
        double elements = (double) h.nodeCount() + h.edgeCount();
        double scale = Math.max(1, (1 + json / SLOWDOWN_BYTES) / (1 + RATES_FITTED_BYTES / SLOWDOWN_BYTES));
        return new Time(START_MILLIS, Math.round(scale * read / 1e6), Math.round(scale * elements * GRAPH_NS_PER_ELEMENT / 1e6),
                Math.round(scale * elements * ANALYSIS_NS_PER_ELEMENT / 1e6));
    }
}
