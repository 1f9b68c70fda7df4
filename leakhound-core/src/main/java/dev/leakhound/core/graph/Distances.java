package dev.leakhound.core.graph;

import dev.leakhound.core.v8.V8Names;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotArrays;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Distances from the roots, as Chrome DevTools computes them ({@code calculateDistances}): a BFS
 * from the user roots (the root's non-synthetic children: the global objects) at distance 1, then
 * a second BFS from the root at {@link #SYSTEM_BASE} for what only GC roots reach. Weak edges are
 * skipped, and so are the few edges DevTools filters: {@code sloppy_function_map} of the native
 * context, the descriptor-value slots of {@code (map descriptors)}, and (leakhound's variant of its
 * WeakMap rule) the table→value half of WeakMap pairs. The BFS also records, per node, the edge it
 * was first reached by: following those edges back gives a shortest non-weak retainer path.
 */
public final class Distances {
    public static final int SYSTEM_BASE = 100_000_000;
    /** Distance of nodes no root reaches (DevTools' "noDistance"). */
    public static final int UNREACHED = -5;

    final int[] distance;
    final int[] parentEdge;   // edge index the BFS reached the node by, -1 for roots and unreached
    final int userRootCount;
    private final int[] order;      // nodes in BFS order (root first), the first orderLength entries
    private final int orderLength;
    private final int[] firstEdge;
    private final int[] edgeTo;
    private volatile int[] parentNode;  // the node parentEdge leaves from, built when many are asked for
    /** Look-ups answered by a search of the edge ranges (from any thread); past a limit, the array is built. */
    private final AtomicInteger parentLookups = new AtomicInteger();

    private Distances(int[] distance, int[] parentEdge, int userRootCount, int[] order, int orderLength,
                      int[] firstEdge, int[] edgeTo) {
        this.distance = distance;
        this.parentEdge = parentEdge;
        this.userRootCount = userRootCount;
        this.order = order;
        this.orderLength = orderLength;
        this.firstEdge = firstEdge;
        this.edgeTo = edgeTo;
    }

    /** Distances read back from an index file (see {@link GraphIndexIO}). */
    static Distances restore(HeapSnapshot s, int[] distance, int[] parentEdge, int userRootCount, int[] order) {
        return new Distances(distance, parentEdge, userRootCount, order, order.length,
                SnapshotArrays.firstEdge(s), SnapshotArrays.edgeTo(s));
    }

    static Distances compute(HeapSnapshot s, WeakMapEdges weakMaps) {
        return compute(s, weakMaps, null);
    }

    /** {@code ignored}: nodes whose edges are not followed (a bit per ordinal), or null. */
    private static Distances compute(HeapSnapshot s, WeakMapEdges weakMaps, long[] ignored) {
        int n = s.nodeCount();
        int root = s.rootOrdinal();
        int[] firstEdge = SnapshotArrays.firstEdge(s);
        int[] edgeTo = SnapshotArrays.edgeTo(s);
        byte[] edgeType = SnapshotArrays.edgeType(s);
        byte[] nodeType = SnapshotArrays.nodeType(s);
        int[] dist = new int[n];
        Arrays.fill(dist, UNREACHED);
        int[] parent = new int[n];
        Arrays.fill(parent, -1);
        // the queue becomes the BFS order; one spare slot because the root is queued for the second BFS
        // even when the first one reached it
        int[] queue = new int[n + 1];
        long[] seen = new long[(n + 63) >>> 6];   // dist != UNREACHED, as bits: the hot test stays in cache
        Bfs bfs = new Bfs(s, weakMaps, firstEdge, edgeTo, edgeType, nodeType, dist, parent, queue, seen);
        bfs.ignored = ignored;
        int tail = 0;
        int userRoots = 0;
        for (int e = firstEdge[root], end = firstEdge[root + 1]; e < end; e++) {
            if (edgeType[e] == EdgeType.WEAK) {
                continue;
            }
            int t = edgeTo[e];
            if (nodeType[t] == NodeType.SYNTHETIC || dist[t] != UNREACHED) {
                continue;
            }
            bfs.reach(t, 1, e);
            queue[tail++] = t;
            userRoots++;
        }
        tail = bfs.run(0, tail);
        // everything else: distances from the root, offset so they read as "system"
        if (dist[root] == UNREACHED) {
            dist[root] = userRoots == 0 ? 0 : SYSTEM_BASE;
            seen[root >>> 6] |= 1L << root;
        }
        int head = tail;
        queue[tail++] = root;
        tail = bfs.run(head, tail);
        dist[root] = 0;
        // the root is visited second (after the user roots' BFS); move it to the front of the order
        int len = tail;
        int firstBfs = head;
        int k = 0;
        for (int i = 0; i < firstBfs; i++) {   // drop the root where the first BFS reached it (never in V8 files)
            if (queue[i] != root) {
                queue[k++] = queue[i];
            } else {
                len--;
            }
        }
        System.arraycopy(queue, 0, queue, 1, k);
        queue[0] = root;
        return new Distances(dist, parent, userRoots, queue, len, firstEdge, edgeTo);
    }

    /**
     * Distances as {@link #compute} gives them, except that the edges out of the {@code ignored} nodes (a bit
     * per ordinal) are not followed: DevTools' "ignore this retainer", which recomputes the distances as if
     * those objects held nothing. The ignored objects keep their own distance.
     */
    static int[] ignoring(HeapSnapshot s, WeakMapEdges weakMaps, long[] ignored) {
        return compute(s, weakMaps, ignored).distance;
    }

    /** The BFS over non-weak edges, minus the edges DevTools filters (class comment). */
    private static final class Bfs {
        private final HeapSnapshot s;
        private final WeakMapEdges weakMaps;
        private final int[] firstEdge;
        private final int[] edgeTo;
        private final byte[] edgeType;
        private final byte[] nodeType;
        private final int[] edgeName;
        private final int[] dist;
        private final int[] parent;
        private final int[] queue;
        private final long[] seen;
        private int descriptors = -2;
        private int sloppy = -2;
        private int nativeContext = -2;
        /** Nodes whose edges are not followed (a bit per ordinal), or null. */
        long[] ignored;

        Bfs(HeapSnapshot s, WeakMapEdges weakMaps, int[] firstEdge, int[] edgeTo, byte[] edgeType, byte[] nodeType,
            int[] dist, int[] parent, int[] queue, long[] seen) {
            this.s = s;
            this.weakMaps = weakMaps;
            this.firstEdge = firstEdge;
            this.edgeTo = edgeTo;
            this.edgeType = edgeType;
            this.nodeType = nodeType;
            this.edgeName = SnapshotArrays.edgeNameOrIndex(s);
            this.dist = dist;
            this.parent = parent;
            this.queue = queue;
            this.seen = seen;
        }

        void reach(int t, int d, int e) {
            seen[t >>> 6] |= 1L << t;
            dist[t] = d;
            parent[t] = e;
        }

        int run(int head, int tail) {
            final int[] first = firstEdge;
            final int[] to = edgeTo;
            final byte[] et = edgeType;
            final int[] names = edgeName;
            final long[] pairs = weakMaps.cache;
            final long[] seen = this.seen;
            final int[] queue = this.queue;
            final int[] dist = this.dist;
            final int[] parent = this.parent;
            while (head < tail) {
                final int v = queue[head++];
                if (ignored != null && (ignored[v >>> 6] & (1L << v)) != 0) {
                    continue;
                }
                final int d = dist[v] + 1;
                final int vt = nodeType[v];
                int e = first[v];
                final int end = first[v + 1];
                if (vt == NodeType.HIDDEN || vt == NodeType.ARRAY) {
                    // the node types with DevTools' special filters (rare): the general test
                    for (; e < end; e++) {
                        final int t = to[e];
                        if ((seen[t >>> 6] & (1L << t)) != 0) {
                            continue;
                        }
                        final int type = et[e];
                        if (type == EdgeType.WEAK || filtered(v, vt, e, type)) {
                            continue;
                        }
                        seen[t >>> 6] |= 1L << t;
                        dist[t] = d;
                        parent[t] = e;
                        queue[tail++] = t;
                    }
                    continue;
                }
                for (; e < end; e++) {
                    final int t = to[e];
                    if ((seen[t >>> 6] & (1L << t)) != 0) {
                        continue;
                    }
                    final int type = et[e];
                    if (type == EdgeType.WEAK) {
                        continue;
                    }
                    // WeakMap table→value halves: most internal edge names are known not to be pair names
                    if (type == EdgeType.INTERNAL && pairs[names[e]] != WeakMapEdges.NOT_A_PAIR
                            && weakMaps.isTableToValue(v, e)) {
                        continue;
                    }
                    seen[t >>> 6] |= 1L << t;
                    dist[t] = d;
                    parent[t] = e;
                    queue[tail++] = t;
                }
            }
            return tail;
        }

        /** DevTools' filtered edges, and the table→value half of WeakMap pairs. */
        private boolean filtered(int v, int vt, int e, int et) {
            if (vt == NodeType.HIDDEN && et != EdgeType.ELEMENT && et != EdgeType.HIDDEN) {
                if (sloppy == -2) {
                    int[] found = s.strings().find(V8Names.SLOPPY_FUNCTION_MAP, V8Names.NATIVE_CONTEXT);
                    sloppy = found[0];
                    nativeContext = found[1];
                }
                return s.edgeNameOrIndex(e) == sloppy && s.nameIndex(v) == nativeContext;
            } else if (vt == NodeType.ARRAY && (et == EdgeType.ELEMENT || et == EdgeType.HIDDEN || et == EdgeType.INTERNAL)) {
                if (descriptors == -2) {
                    descriptors = s.strings().find(V8Names.MAP_DESCRIPTORS)[0];
                }
                if (s.nameIndex(v) == descriptors) {
                    int index = et == EdgeType.INTERNAL ? parseIndex(s.edgeName(e)) : s.edgeNameOrIndex(e);
                    return index >= 2 && index % 3 == 1;
                }
                return false;
            }
            return et == EdgeType.INTERNAL && weakMaps.isTableToValue(v, e);
        }
    }

    private static int parseIndex(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private int[] trimmedOrder;

    /** Node ordinals in BFS order, root first; unreached nodes are absent. */
    synchronized int[] order() {
        if (trimmedOrder == null) {
            trimmedOrder = Arrays.copyOf(order, orderLength);
        }
        return trimmedOrder;
    }

    /**
     * The node {@link #parentEdge} of {@code node} leaves from, or -1. A few look-ups binary-search the
     * edge ranges; after many, one pass over all edges builds the whole array.
     */
    int parentNode(int node) {
        int e = parentEdge[node];
        if (e < 0) {
            return -1;
        }
        int[] pn = parentNode;
        if (pn != null) {
            return pn[node];
        }
        if (parentLookups.incrementAndGet() < 50_000) {
            return edgeSource(e);
        }
        return parentNodes()[node];
    }

    private synchronized int[] parentNodes() {
        int[] pn = parentNode;
        if (pn == null) {
            int n = distance.length;
            pn = new int[n];
            Arrays.fill(pn, -1);
            for (int v = 0; v < n; v++) {
                for (int e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
                    int t = edgeTo[e];
                    if (parentEdge[t] == e) {
                        pn[t] = v;
                    }
                }
            }
            parentNode = pn;
        }
        return pn;
    }

    /** The node whose edge range holds {@code e}: the last node with firstEdge &lt;= e and a non-empty range. */
    private int edgeSource(int e) {
        int lo = 0;
        int hi = distance.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (firstEdge[mid] <= e) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
