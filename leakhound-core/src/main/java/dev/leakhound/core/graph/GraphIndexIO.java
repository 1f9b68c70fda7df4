package dev.leakhound.core.graph;

import dev.leakhound.core.index.IndexFormatException;
import dev.leakhound.core.index.IndexReader;
import dev.leakhound.core.index.IndexWriter;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.SnapshotIndexIO;

import java.io.IOException;

/**
 * What a {@link HeapGraph} computed over its snapshot, in index files and back, in two parts: the base
 * (distances and shortest-path edges, BFS order, classes) and the dominators (dominator tree and retained
 * sizes), so a command that never needs the dominator tree does not pay for it. Reading checks ranges as
 * {@link SnapshotIndexIO} does.
 */
public final class GraphIndexIO {
    private GraphIndexIO() {}

    public static void writeBase(HeapGraph g, IndexWriter w) throws IOException {
        Distances d = g.distancesForIndex();
        ClassIndex c = g.classes();
        int n = g.snapshot().nodeCount();
        w.meta("graph.userRoots", d.userRootCount);
        w.ints("graph.distance", d.distance, n);
        w.ints("graph.pathEdge", d.parentEdge, n);
        int[] order = d.order();
        w.ints("graph.bfsOrder", order, order.length);
        w.ints("graph.classOf", c.classOfArray(), n);
        w.texts("graph.classNames", c.namesForIndex());
        byte[] byName = new byte[c.classCount()];
        for (int i = 0; i < byName.length; i++) {
            byName[i] = (byte) (c.isByName(i) ? 1 : 0);
        }
        w.bytes("graph.classByName", byName, byName.length);
    }

    static final String RETAINERS_FIRST = "graph.retainers.first";
    static final String RETAINERS_EDGE = "graph.retainers.edge";
    static final String RETAINERS_FROM = "graph.retainers.from";

    /** The graph's retainer CSR (built first if the graph has not built it), for a retainers file. */
    public static void writeRetainers(HeapGraph g, IndexWriter w) throws IOException {
        int[][] a = g.retainers().arrays();
        w.meta("graph.nodes", g.snapshot().nodeCount());
        w.meta("graph.edges", g.snapshot().edgeCount());
        w.ints(RETAINERS_FIRST, a[0], a[0].length);
        w.ints(RETAINERS_EDGE, a[1], a[1].length);
        w.ints(RETAINERS_FROM, a[2], a[2].length);
    }

    /**
     * The retainer columns of a retainers file, mapped, not read: nothing of them is read until {@link
     * StoredRetainers#load()}, which checks their checksums. Throws when the file does not belong to
     * {@code s} or a section is missing or of the wrong size.
     */
    public static StoredRetainers mapRetainers(IndexReader r, HeapSnapshot s) throws IOException {
        int n = s.nodeCount();
        int m = s.edgeCount();
        r.metaInt("graph.nodes", n, n);
        r.metaInt("graph.edges", m, m);
        IndexReader.MappedInts first = r.mapInts(RETAINERS_FIRST, (long) n + 1);
        IndexReader.MappedInts edge = r.mapInts(RETAINERS_EDGE, m);
        IndexReader.MappedInts from = r.mapInts(RETAINERS_FROM, m);
        if (first == null || edge == null || from == null) {
            // a column over 2 GiB: read into the heap now (checked as it is read)
            Retainers read = Retainers.restore(s, java.nio.IntBuffer.wrap(r.ints(RETAINERS_FIRST, (long) n + 1)),
                    java.nio.IntBuffer.wrap(r.ints(RETAINERS_EDGE, m)), java.nio.IntBuffer.wrap(r.ints(RETAINERS_FROM, m)));
            return () -> read;
        }
        return () -> Retainers.restore(s, first.verified(), edge.verified(), from.verified());
    }

    /** Retainers kept in an index, checked when loaded. */
    public interface StoredRetainers {
        /** The retainers; an {@link IndexFormatException} when the stored ones cannot be trusted. */
        Retainers load();
    }

    /** The graph written by {@link #writeBase}, over {@code s}; its dominator tree is not there yet. */
    public static HeapGraph readBase(IndexReader r, HeapSnapshot s) throws IOException {
        return restoreBase(readBaseColumns(r), s);
    }

    /**
     * The base's columns, read before the snapshot they belong to is (so that both can be read at once):
     * sized and checked by the node and edge counts the index records, which {@link #restoreBase} compares
     * with the snapshot's.
     */
    public static BaseColumns readBaseColumns(IndexReader r) throws IOException {
        int n = r.metaInt("snapshot.nodes", 1, Integer.MAX_VALUE - 9);
        int m = r.metaInt("snapshot.edges", 0, Integer.MAX_VALUE - 8);
        int userRoots = r.metaInt("graph.userRoots", 0, n);
        int[] distance = r.ints("graph.distance", n);
        int[] pathEdge = r.ints("graph.pathEdge", n, -1, m);
        if (r.count("graph.bfsOrder") > n) {
            throw new IndexFormatException("index BFS order is longer than the node count");
        }
        int[] order = r.ints("graph.bfsOrder", -1, 0, n);
        String[] names = r.texts("graph.classNames", -1);
        byte[] byName = r.bytes("graph.classByName", names.length);
        int[] classOf = r.ints("graph.classOf", n, 0, names.length);
        boolean[] bn = new boolean[byName.length];
        for (int i = 0; i < bn.length; i++) {
            bn[i] = byName[i] != 0;
        }
        return new BaseColumns(n, m, userRoots, distance, pathEdge, order, classOf, names, bn);
    }

    /** What {@link #readBaseColumns} read. */
    public record BaseColumns(int nodes, int edges, int userRoots, int[] distance, int[] pathEdge, int[] order,
                              int[] classOf, String[] classNames, boolean[] classByName) {}

    /** The graph over {@code s} from columns read by {@link #readBaseColumns}. */
    public static HeapGraph restoreBase(BaseColumns c, HeapSnapshot s) {
        if (c.nodes() != s.nodeCount() || c.edges() != s.edgeCount()) {
            throw new IndexFormatException("index graph does not match its snapshot's size");
        }
        return HeapGraph.restore(s, Distances.restore(s, c.distance(), c.pathEdge(), c.userRoots(), c.order()),
                ClassIndex.restore(c.classOf(), c.classNames(), c.classByName()));
    }

    /** The dominator tree and retained sizes (builds them first if the graph has not yet). */
    public static void writeDominators(HeapGraph g, IndexWriter w) throws IOException {
        DominatorTree dom = g.dominatorTree();
        int n = g.snapshot().nodeCount();
        w.meta("graph.nodes", n);
        w.meta("graph.unreachable", dom.unreachableCount());
        w.ints("graph.idom", dom.idoms(), n);
        w.ints("graph.preorder", dom.preorder(), n);
        w.longs("graph.retained", g.retainedSizes(), n);
    }

    public static HeapGraph.Dominators readDominators(IndexReader r, HeapSnapshot s) throws IOException {
        int n = s.nodeCount();
        r.metaInt("graph.nodes", n, n);
        int unreachable = r.metaInt("graph.unreachable", 0, n);
        // the retained sizes on a second thread while the tree is read
        dev.leakhound.core.Parallel.Task<long[]> sizes = dev.leakhound.core.Parallel.fork("index-retained", () -> {
            long[] retained = r.longs("graph.retained", n);
            for (long v : retained) {
                if (v < 0) {
                    throw new IndexFormatException("index section graph.retained holds a negative size");
                }
            }
            return retained;
        });
        int[] idom;
        int[] preorder;
        try {
            idom = r.ints("graph.idom", n, 0, n);
            preorder = r.ints("graph.preorder", n, 0, n);
        } finally {
            try {
                sizes.join();   // never left reading a file about to be closed
            } catch (RuntimeException e) {
                // rethrown below when the tree was read
            }
        }
        long[] retained = sizes.join();
        int root = s.rootOrdinal();
        if (idom[root] != root || preorder[0] != root) {
            throw new IndexFormatException("index dominator tree does not start at the root");
        }
        return new HeapGraph.Dominators(DominatorTree.restore(root, idom, preorder, unreachable), retained);
    }
}
