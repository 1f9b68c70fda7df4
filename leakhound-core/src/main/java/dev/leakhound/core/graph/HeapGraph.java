package dev.leakhound.core.graph;

import dev.leakhound.core.Parallel;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.SnapshotArrays;

import java.util.function.Function;

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
 *
 * <p>Independent work runs on a second thread where there is one ({@link Parallel}): classes while
 * the distances are computed, half of the essential-edge pass, and whatever the caller hands to
 * {@link #build(HeapSnapshot, ProgressListener, Function)} while the dominator tree is computed.
 *
 * <p>Locks: {@code dominatorLock} guards building the dominator tree, {@code this} the lazily built
 * child lists and retainers. Nothing takes {@code dominatorLock} while holding {@code this}: the child
 * lists ask for the tree before they lock.
 */
public final class HeapGraph {
    private final HeapSnapshot snapshot;
    private WeakMapEdges weakMaps;            // not needed once the dominator tree is built
    private final Distances distances;
    private final ClassIndex classes;
    private volatile DominatorTree dominators;     // built on first use
    private long[] retained;
    private DominatedChildren sortedChildren;
    private DominatedChildren anyOrderChildren;
    private volatile Retainers retainers;
    private final Object dominatorLock = new Object();
    /** The thread running the caller's work beside the dominator tree, while it runs (see {@link #dom()}). */
    private volatile Thread alongsideThread;

    private EdgeRules edgeRules;              // the essential-edge rules that need no distances
    private volatile DominatorCache dominatorCache;   // where a stored tree is loaded from and a built one kept
    private volatile RetainerSource retainerSource;   // where stored retainers are loaded from (an index)

    /**
     * Where a graph's retainers may be stored (see the index): asked before they are built, told once they
     * are. Neither call may throw: a source that fails answers null or keeps nothing.
     */
    public interface RetainerSource {
        /** The stored retainers, or null. */
        Retainers load(HeapGraph g);

        /** Keeps the retainers just built. */
        void store(HeapGraph g);
    }

    /** Retainers are loaded from {@code source} when first asked for, or built and handed to it. */
    public void useRetainerSource(RetainerSource source) {
        this.retainerSource = source;
    }

    /**
     * Where a graph's dominator tree may be stored: asked before the tree is computed, told once it is
     * (see the index). Neither call may throw: a cache that fails answers null or keeps nothing.
     */
    public interface DominatorCache {
        /** The stored tree and retained sizes, or null. */
        Dominators load(HeapGraph g);

        /** Keeps the tree just computed. */
        void store(HeapGraph g);
    }

    /** A dominator tree with its retained sizes. */
    public record Dominators(DominatorTree tree, long[] retained) {}

    private HeapGraph(HeapSnapshot snapshot, WeakMapEdges weakMaps, Distances distances, ClassIndex classes,
                      EdgeRules edgeRules) {
        this.snapshot = snapshot;
        this.weakMaps = weakMaps;
        this.distances = distances;
        this.classes = classes;
        this.edgeRules = edgeRules;
    }

    /**
     * The non-essential edges as far as known without distances, and (when the dominator tree follows at
     * once) each node's count of essential in-edges under those rules: both come from one pass over the
     * edges on the second core while the distance BFS runs; the page-owned rule later completes both.
     */
    static final class EdgeRules {
        final long[] skip;
        final int[] inDegree;   // null when not counted
        long essential;

        EdgeRules(long[] skip, int[] inDegree) {
            this.skip = skip;
            this.inDegree = inDegree;
        }
    }

    /** Distances, classes and the dominator tree with retained sizes. */
    public static HeapGraph build(HeapSnapshot s) {
        return build(s, ProgressListener.NONE);
    }

    public static HeapGraph build(HeapSnapshot s, ProgressListener progress) {
        return build(s, progress, null).graph();
    }

    /** A graph and what the caller computed beside its dominator tree. */
    public record Built<T>(HeapGraph graph, T alongside) {}

    /**
     * {@link #build(HeapSnapshot, ProgressListener)}, running {@code alongside} (if not null) on a second
     * thread while the dominator tree is computed: work that needs only distances and classes (statistics,
     * say) then costs no time; its result is returned beside the graph. It must not call {@code progress}.
     * Returns when both are done; an exception from {@code alongside} is rethrown. {@code alongside} must
     * not ask for anything that needs the dominator tree: such a call throws IllegalStateException. With
     * {@code alongside}, the dominator tree's child lists ({@link #dominatedAnyOrder()}) are built too, on
     * the second core.
     */
    public static <T> Built<T> build(HeapSnapshot s, ProgressListener progress, Function<HeapGraph, T> alongside) {
        HeapGraph g = prepare(s, progress, true);
        T result = g.dominate(progress, alongside);
        return new Built<>(g, result);
    }

    /** Distances and classes only; the dominator tree is built if and when something asks for it. */
    public static HeapGraph buildWithoutDominators(HeapSnapshot s, ProgressListener progress) {
        return prepare(s, progress, false);
    }

    /**
     * {@link #buildWithoutDominators}, preparing (with {@code dominatorsFollow}) what the dominator tree will
     * need when the caller is about to ask for it ({@link #withDominators}).
     */
    public static HeapGraph buildWithoutDominators(HeapSnapshot s, ProgressListener progress, boolean dominatorsFollow) {
        return prepare(s, progress, dominatorsFollow);
    }

    /** Sets where the dominator tree is loaded from and kept; before anything asks for the tree. */
    public void useDominatorCache(DominatorCache cache) {
        this.dominatorCache = cache;
    }

    /**
     * Makes sure the dominator tree is there (loaded from the cache or computed), running {@code alongside}
     * (if not null) on a second thread meanwhile, as {@link #build(HeapSnapshot, ProgressListener, Function)}
     * does; returns what {@code alongside} returned.
     */
    public <T> T withDominators(ProgressListener progress, Function<HeapGraph, T> alongside) {
        return dominate(progress, alongside);
    }

    private static HeapGraph prepare(HeapSnapshot s, ProgressListener progress, boolean dominatorsFollow) {
        WeakMapEdges weakMaps = new WeakMapEdges(s);
        progress.progress("distances", 0);
        // while the BFS runs: classes, and the edges that are not essential whatever the distances
        Parallel.Task<ClassIndex> classes = Parallel.fork("classes", () -> ClassIndex.build(s));
        Parallel.Task<EdgeRules> rules = Parallel.fork("essential", () -> staticRules(s, weakMaps, dominatorsFollow));
        Distances d = Distances.compute(s, weakMaps);
        progress.progress("classes", 0);
        return new HeapGraph(s, weakMaps, d, classes.join(), rules.join());
    }

    private <T> T dominate(ProgressListener progress, Function<HeapGraph, T> alongside) {
        synchronized (dominatorLock) {
            if (dominators == null) {
                // the caller's work runs on the second core whether the tree is loaded or computed
                Parallel.Task<T> side = alongside == null ? null : Parallel.fork("alongside", () -> {
                    alongsideThread = Thread.currentThread();
                    try {
                        return alongside.apply(this);
                    } finally {
                        alongsideThread = null;
                    }
                });
                T result = null;
                try {
                    if (!loadStored()) {
                        computeLocked(progress, alongside != null);
                    }
                } finally {
                    if (side != null) {
                        result = side.join();
                    }
                }
                return result;
            }
        }
        return alongside == null ? null : alongside.apply(this);
    }

    /** Takes the tree from the cache if it has one (under {@code dominatorLock}). */
    private boolean loadStored() {
        DominatorCache cache = dominatorCache;
        Dominators stored = cache == null ? null : cache.load(this);
        if (stored == null) {
            return false;
        }
        retained = stored.retained();
        edgeRules = null;
        weakMaps = null;
        dominators = stored.tree();
        return true;
    }

    /** Computes the tree (under {@code dominatorLock}); {@code children}: also its child lists, on the other core. */
    private void computeLocked(ProgressListener progress, boolean children) {
        DominatorCache cache = dominatorCache;
        progress.progress("dominators", 0);
        if (edgeRules == null) {   // a graph read from an index: the rules were never needed before
            weakMaps = new WeakMapEdges(snapshot);
            edgeRules = staticRules(snapshot, weakMaps, true);
        }
        EdgeRules rules = edgeRules;
        addPageOwnedRule(snapshot, distances, rules);
        edgeRules = null;
        long[] skip = rules.skip;
        weakMaps = null;   // its per-string cache is not needed any more
        DominatorTree dom = DominatorTree.compute(snapshot.nodeCount(), snapshot.rootOrdinal(),
                SnapshotArrays.firstEdge(snapshot), SnapshotArrays.edgeTo(snapshot), skip, false,
                rules.inDegree, rules.essential);
        skip = null;
        rules = null;
        progress.progress("retained sizes", 0);
        // a caller that runs analyses alongside will walk the dominator tree: its child lists are
        // built on the other core while this one sums the retained sizes
        Parallel.Task<DominatedChildren> list = children ? Parallel.fork("children", dom::childrenByOrdinal) : null;
        retained = dom.retainedSizes(SnapshotArrays.selfSize(snapshot));
        if (list != null) {
            DominatedChildren c = list.join();
            synchronized (this) {
                anyOrderChildren = c;
            }
        }
        dominators = dom;
        progress.progress("retained sizes", 1);
        if (cache != null) {
            cache.store(this);
        }
    }

    /**
     * The dominator tree, built on first use. Asked for by the work running beside its construction (which
     * would wait for itself), it throws instead.
     */
    private DominatorTree dom() {
        // always, not only while the tree is missing: whether it is already there when the alongside work asks
        // depends on which thread ran first, and a misuse must fail every time, not one run in a few
        if (Thread.currentThread() == alongsideThread) {
            throw new IllegalStateException("the work run alongside the dominator tree asked for the dominator tree");
        }
        DominatorTree d = dominators;
        if (d == null) {
            dominate(ProgressListener.NONE, null);
            d = dominators;
        }
        return d;
    }

    /**
     * Heap bytes a graph holds beside its snapshot, counted from the arrays it allocates.
     *
     * @param indexes       kept once built: the class of each node (4), distances, the edge each node was
     *                      reached by and the BFS order (12), and the node each such edge leaves from (4, built
     *                      when many paths are named)
     * @param dominatorWork held only while the dominator tree is computed: the non-essential-edge bitset (a bit
     *                      per edge), the essential in-degrees (4 per node), the page-owned bitset and
     *                      {@link DominatorTree#workBytes} (every edge counted as essential: an upper bound)
     * @param dominatorTree kept once built: immediate dominators and preorder (4 + 4), retained sizes (8), and the
     *                      child lists of the dominator tree (8; another 8 when also sorted by retained size)
     */
    public record Footprint(long indexes, long dominatorWork, long dominatorTree) {}

    /** The {@link Footprint} of a graph of a snapshot of {@code nodes} and {@code edges}. */
    public static Footprint footprint(long nodes, long edges) {
        long bits = ((nodes + 63) >>> 6) * 8;
        long indexes = 4 * nodes + 12 * nodes + 4 + 4 * nodes;
        long work = ((edges + 63) >>> 6) * 8 + 4 * nodes + bits + DominatorTree.workBytes(nodes, edges);
        long tree = 8 * nodes + 8 * nodes + 8 * nodes + 4;
        return new Footprint(indexes, work, tree);
    }

    /** Bitset over edge indexes: set for edges that must not count as retainers for dominators. */
    static long[] nonEssentialEdges(HeapSnapshot s, Distances d, WeakMapEdges weakMaps) {
        EdgeRules rules = staticRules(s, weakMaps, false);
        addPageOwnedRule(s, d, rules);
        return rules.skip;
    }

    /**
     * The rules that need no distances: weak edges, shortcuts not leaving the root, and (not from the root)
     * the table→value half of WeakMap pairs. With {@code count}, also the essential in-degrees under them
     * (self edges do not count, as in {@link DominatorTree}).
     */
    static EdgeRules staticRules(HeapSnapshot s, WeakMapEdges weakMaps, boolean count) {
        int n = s.nodeCount();
        int root = s.rootOrdinal();
        int[] first = SnapshotArrays.firstEdge(s);
        int[] edgeTo = SnapshotArrays.edgeTo(s);
        byte[] edgeType = SnapshotArrays.edgeType(s);
        long[] skip = new long[(s.edgeCount() + 63) >>> 6];
        int[] in = count ? new int[n] : null;
        long essential = 0;
        for (int v = 0; v < n; v++) {
            boolean fromRoot = v == root;
            for (int e = first[v], end = first[v + 1]; e < end; e++) {
                int t = edgeType[e];
                boolean drop;
                if (t == EdgeType.WEAK) {
                    drop = true;
                } else if (t == EdgeType.SHORTCUT) {
                    drop = !fromRoot;
                } else {
                    drop = t == EdgeType.INTERNAL && !fromRoot && weakMaps.isTableToValue(v, e);
                }
                if (drop) {
                    skip[e >>> 6] |= 1L << e;
                } else if (count) {
                    int w = edgeTo[e];
                    if (w != v) {
                        in[w]++;
                        essential++;
                    }
                }
            }
        }
        EdgeRules rules = new EdgeRules(skip, in);
        rules.essential = essential;
        return rules;
    }

    /**
     * DevTools' page-owned rule: an edge from a node only GC roots reach (not the root) into a node the user
     * roots reach does not count. Only such nodes' edges are looked at. Without in-degrees to correct, two
     * halves of the node range run on two threads (the one 64-edge word they may share merged after both
     * finish); with them, one thread (the corrections would race).
     */
    static void addPageOwnedRule(HeapSnapshot s, Distances d, EdgeRules rules) {
        if (d.userRootCount == 0) {
            return;
        }
        int n = s.nodeCount();
        int[] dist = d.distance;
        long[] owned = new long[(n + 63) >>> 6];
        for (int v = 0; v < n; v++) {
            if (dist[v] >= 0 && dist[v] < Distances.SYSTEM_BASE) {
                owned[v >>> 6] |= 1L << v;
            }
        }
        long[] skip = rules.skip;
        if (rules.inDegree != null) {
            markPageOwned(s, owned, rules, 0, n, false);
            return;
        }
        int[] first = SnapshotArrays.firstEdge(s);
        int mid = 0;
        if (Parallel.THREADS > 1) {
            // the first node whose edges start in the second half of the edge array
            int half = s.edgeCount() / 2;
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int m = (lo + hi) >>> 1;
                if (first[m] < half) {
                    lo = m + 1;
                } else {
                    hi = m;
                }
            }
            mid = lo;
        }
        final int split = mid;
        Parallel.Task<Long> second = Parallel.fork("essential", () -> markPageOwned(s, owned, rules, split, n, true));
        markPageOwned(s, owned, rules, 0, split, false);
        long sharedWord = second.join();
        if (split < n && first[split] < s.edgeCount()) {
            skip[first[split] >>> 6] |= sharedWord;
        }
    }

    /**
     * Marks the edges of non-owned nodes {@code from..to-1} (not the root) into owned nodes, taking them off
     * the in-degrees if counted. With {@code divert}, the bits of the word holding this range's first edge
     * are returned instead of written (another thread may write that word).
     */
    private static long markPageOwned(HeapSnapshot s, long[] owned, EdgeRules rules, int from, int to, boolean divert) {
        int root = s.rootOrdinal();
        int[] first = SnapshotArrays.firstEdge(s);
        int[] edgeTo = SnapshotArrays.edgeTo(s);
        long[] skip = rules.skip;
        int[] in = rules.inDegree;
        long removed = 0;
        int firstWord = divert && from < to ? first[from] >>> 6 : -1;
        long shared = 0;
        for (int v = from; v < to; v++) {
            if ((owned[v >>> 6] & (1L << v)) != 0 || v == root) {
                continue;
            }
            for (int e = first[v], end = first[v + 1]; e < end; e++) {
                int t = edgeTo[e];
                if ((owned[t >>> 6] & (1L << t)) != 0) {
                    if (e >>> 6 == firstWord) {
                        shared |= 1L << e;
                    } else {
                        if (in != null && (skip[e >>> 6] & (1L << e)) == 0) {
                            in[t]--;   // t is owned and v is not: never a self edge
                            removed++;
                        }
                        skip[e >>> 6] |= 1L << e;
                    }
                }
            }
        }
        if (in != null) {
            rules.essential -= removed;   // counting runs on one thread only
        }
        return shared;
    }

    /** A graph read back from an index file without its dominator tree (see {@link GraphIndexIO}). */
    static HeapGraph restore(HeapSnapshot s, Distances d, ClassIndex c) {
        return new HeapGraph(s, null, d, c, null);
    }

    Distances distancesForIndex() {
        return distances;
    }

    public HeapSnapshot snapshot() {
        return snapshot;
    }

    /** DevTools distance: 1 for user roots, >= {@link Distances#SYSTEM_BASE} for system-only nodes. */
    public int distance(int node) {
        return distances.distance[node];
    }

    /**
     * The distances of every node (as {@link #distance(int)} gives them) when the edges out of {@code ignored}
     * are not followed: DevTools' "ignore this retainer". One BFS over the graph per call.
     */
    public int[] distancesIgnoring(int[] ignored) {
        long[] bits = new long[(snapshot.nodeCount() + 63) >>> 6];
        for (int v : ignored) {
            bits[v >>> 6] |= 1L << v;
        }
        return Distances.ignoring(snapshot, new WeakMapEdges(snapshot), bits);
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
        return distances.parentNode(node);
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
        return dominated().childCount(node);
    }

    public int child(int node, int i) {
        return dominated().child(node, i);
    }

    /** The dominator tree's child lists, each biggest retained size first (built on first use). */
    public DominatedChildren dominated() {
        DominatorTree d = dom();   // before locking this: see the class comment on lock order
        synchronized (this) {
            if (sortedChildren == null) {
                sortedChildren = d.children(retained);
            }
            return sortedChildren;
        }
    }

    /**
     * The dominator tree's child lists in whatever order is at hand (sorted if {@link #dominated()} was
     * built, else ascending ordinal): cheaper, for traversals that do not care about the order.
     */
    public DominatedChildren dominatedAnyOrder() {
        DominatorTree d = dom();   // before locking this: see the class comment on lock order
        synchronized (this) {
            if (sortedChildren != null) {
                return sortedChildren;
            }
            if (anyOrderChildren == null) {
                anyOrderChildren = d.childrenByOrdinal();
            }
            return anyOrderChildren;
        }
    }

    /** Node ordinals in the order the distance BFS reached them (roots first); unreached nodes are absent. */
    public int[] bfsOrder() {
        return distances.order();
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
                    RetainerSource source = retainerSource;
                    r = source == null ? null : source.load(this);
                    boolean built = r == null;
                    if (built) {
                        r = Retainers.build(snapshot);
                    }
                    dev.leakhound.core.index.PhaseTimer.mark("retainers");
                    retainers = r;
                    if (built && source != null) {
                        source.store(this);
                    }
                }
            }
        }
        return r;
    }
}
