package dev.leakhound.core.graph;

import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;

/**
 * A snapshot with the indexes every analysis needs: distances and shortest retainer paths,
 * the dominator tree over DevTools' essential edges, retained sizes, classes, and (built on
 * first use) retainer lists.
 *
 * <p>Essential edges (what may dominate), as DevTools' {@code isEssentialEdge} plus its page-owned
 * rule: not weak; not a shortcut unless it leaves the root; not the table→value half of a WeakMap
 * pair; and not an edge from a node only GC roots reach into a node the user roots reach (so the
 * engine's handles do not steal the retained size of application objects). Nodes no essential path
 * reaches are attached to the root as DevTools does, and counted in {@link #unreachableCount()}.
 */
public final class HeapGraph {
    private final HeapSnapshot snapshot;
    private final WeakMapEdges weakMaps;
    private final Distances distances;
    private final ClassIndex classes;
    private DominatorTree dominators;     // built on first use
    private long[] retained;
    private DominatedChildren children;
    private volatile Retainers retainers;

    private HeapGraph(HeapSnapshot snapshot, WeakMapEdges weakMaps, Distances distances, ClassIndex classes) {
        this.snapshot = snapshot;
        this.weakMaps = weakMaps;
        this.distances = distances;
        this.classes = classes;
    }

    /** Distances, classes and the dominator tree with retained sizes. */
    public static HeapGraph build(HeapSnapshot s) {
        return build(s, ProgressListener.NONE);
    }

    public static HeapGraph build(HeapSnapshot s, ProgressListener progress) {
        HeapGraph g = buildWithoutDominators(s, progress);
        g.dominate(progress);
        return g;
    }

    /** Distances and classes only; the dominator tree is built if and when something asks for it. */
    public static HeapGraph buildWithoutDominators(HeapSnapshot s, ProgressListener progress) {
        WeakMapEdges weakMaps = new WeakMapEdges(s);
        progress.progress("distances", 0);
        Distances d = Distances.compute(s, weakMaps);
        progress.progress("classes", 0);
        ClassIndex classes = ClassIndex.build(s);
        return new HeapGraph(s, weakMaps, d, classes);
    }

    private synchronized void dominate(ProgressListener progress) {
        if (dominators != null) {
            return;
        }
        progress.progress("dominators", 0);
        long[] skip = nonEssentialEdges(snapshot, distances, weakMaps);
        DominatorTree dom = DominatorTree.compute(snapshot.nodeCount(), snapshot.rootOrdinal(), firstEdges(snapshot),
                targets(snapshot), skip);
        progress.progress("retained sizes", 0);
        long[] r = dom.retainedSizes(selfSizes(snapshot));
        children = dom.children(r);
        retained = r;
        dominators = dom;
        progress.progress("retained sizes", 1);
    }

    private DominatorTree dom() {
        if (dominators == null) {
            dominate(ProgressListener.NONE);
        }
        return dominators;
    }

    /** Bitset over edge indexes: set for edges that must not count as retainers for dominators. */
    static long[] nonEssentialEdges(HeapSnapshot s, Distances d, WeakMapEdges weakMaps) {
        int n = s.nodeCount();
        int root = s.rootOrdinal();
        long[] skip = new long[(s.edgeCount() + 63) >>> 6];
        int[] dist = d.distance;
        boolean hasUserRoots = d.userRootCount > 0;
        for (int v = 0; v < n; v++) {
            boolean vPage = hasUserRoots && dist[v] >= 0 && dist[v] < Distances.SYSTEM_BASE;
            for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                int t = s.edgeType(e);
                boolean drop;
                if (t == EdgeType.WEAK) {
                    drop = true;
                } else if (t == EdgeType.SHORTCUT) {
                    drop = v != root;
                } else if (v == root) {
                    drop = false;
                } else {
                    int to = s.edgeTo(e);
                    boolean toPage = hasUserRoots && dist[to] >= 0 && dist[to] < Distances.SYSTEM_BASE;
                    drop = (!vPage && toPage) || (t == EdgeType.INTERNAL && weakMaps.isTableToValue(v, e));
                }
                if (drop) {
                    skip[e >>> 6] |= 1L << e;
                }
            }
        }
        return skip;
    }

    private static int[] firstEdges(HeapSnapshot s) {
        return dev.leakhound.core.snapshot.SnapshotArrays.firstEdge(s);
    }

    private static int[] targets(HeapSnapshot s) {
        return dev.leakhound.core.snapshot.SnapshotArrays.edgeTo(s);
    }

    private static long[] selfSizes(HeapSnapshot s) {
        return dev.leakhound.core.snapshot.SnapshotArrays.selfSize(s);
    }

    public HeapSnapshot snapshot() {
        return snapshot;
    }

    /** DevTools distance: 1 for user roots, >= {@link Distances#SYSTEM_BASE} for system-only nodes. */
    public int distance(int node) {
        return distances.distance[node];
    }

    public boolean isSystemOnly(int node) {
        return distances.distance[node] >= Distances.SYSTEM_BASE;
    }

    /** The edge a shortest non-weak path from the roots reaches {@code node} by, or -1. */
    public int pathEdge(int node) {
        return distances.parentEdge[node];
    }

    /** The node {@link #pathEdge(int)} leaves from, or -1. */
    public int pathParent(int node) {
        return distances.parentNode[node];
    }

    public int userRootCount() {
        return distances.userRootCount;
    }

    public int idom(int node) {
        return dom().idom(node);
    }

    public DominatorTree dominatorTree() {
        return dom();
    }

    public long retainedSize(int node) {
        dom();
        return retained[node];
    }

    public long[] retainedSizes() {
        dom();
        return retained;
    }

    /** Nodes that no essential path from the root reaches (attached to the root). */
    public int unreachableCount() {
        return dom().unreachableCount();
    }

    /** Nodes immediately dominated by {@code node}, biggest retained size first. */
    public int childCount(int node) {
        dom();
        return children.childCount(node);
    }

    public int child(int node, int i) {
        dom();
        return children.child(node, i);
    }

    public DominatedChildren dominated() {
        dom();
        return children;
    }

    /** Node ordinals in the order the distance BFS reached them (roots first); unreached nodes are absent. */
    public int[] bfsOrder() {
        return distances.order;
    }

    public ClassIndex classes() {
        return classes;
    }

    public String className(int node) {
        return classes.name(classes.classOf(node));
    }

    public Retainers retainers() {
        Retainers r = retainers;
        if (r == null) {
            synchronized (this) {
                r = retainers;
                if (r == null) {
                    r = Retainers.build(snapshot);
                    retainers = r;
                }
            }
        }
        return r;
    }
}
