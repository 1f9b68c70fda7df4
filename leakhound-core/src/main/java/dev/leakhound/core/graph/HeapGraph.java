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
    private final Distances distances;
    private final DominatorTree dominators;
    private final long[] retained;
    private final DominatedChildren children;
    private final ClassIndex classes;
    private volatile Retainers retainers;

    private HeapGraph(HeapSnapshot snapshot, Distances distances, DominatorTree dominators, long[] retained,
                      DominatedChildren children, ClassIndex classes) {
        this.snapshot = snapshot;
        this.distances = distances;
        this.dominators = dominators;
        this.retained = retained;
        this.children = children;
        this.classes = classes;
    }

    public static HeapGraph build(HeapSnapshot s) {
        return build(s, ProgressListener.NONE);
    }

    public static HeapGraph build(HeapSnapshot s, ProgressListener progress) {
        WeakMapEdges weakMaps = new WeakMapEdges(s);
        progress.progress("distances", 0);
        Distances d = Distances.compute(s, weakMaps);
        progress.progress("dominators", 0);
        long[] skip = nonEssentialEdges(s, d, weakMaps);
        DominatorTree dom = DominatorTree.compute(s.nodeCount(), s.rootOrdinal(), firstEdges(s), targets(s), skip);
        skip = null;
        progress.progress("retained sizes", 0);
        long[] self = selfSizes(s);
        long[] retained = dom.retainedSizes(self);
        DominatedChildren children = dom.children(retained);
        progress.progress("classes", 0);
        ClassIndex classes = ClassIndex.build(s);
        progress.progress("classes", 1);
        return new HeapGraph(s, d, dom, retained, children, classes);
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

    public int userRootCount() {
        return distances.userRootCount;
    }

    public int idom(int node) {
        return dominators.idom(node);
    }

    public DominatorTree dominatorTree() {
        return dominators;
    }

    public long retainedSize(int node) {
        return retained[node];
    }

    public long[] retainedSizes() {
        return retained;
    }

    /** Nodes that no essential path from the root reaches (attached to the root). */
    public int unreachableCount() {
        return dominators.unreachableCount();
    }

    /** Nodes immediately dominated by {@code node}, biggest retained size first. */
    public int childCount(int node) {
        return children.firstChild()[node + 1] - children.firstChild()[node];
    }

    public int child(int node, int i) {
        return children.childList()[children.firstChild()[node] + i];
    }

    public DominatedChildren dominated() {
        return children;
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
