package dev.leakhound.core.graph;

import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

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
    final int[] order;        // nodes in BFS order
    final int[] parentNode;   // the node parentEdge leaves from, -1 where parentEdge is -1

    private Distances(int[] distance, int[] parentEdge, int userRootCount, int[] order, int[] parentNode) {
        this.distance = distance;
        this.parentEdge = parentEdge;
        this.userRootCount = userRootCount;
        this.order = order;
        this.parentNode = parentNode;
    }

    static Distances compute(HeapSnapshot s, WeakMapEdges weakMaps) {
        int n = s.nodeCount();
        int root = s.rootOrdinal();
        int[] dist = new int[n];
        java.util.Arrays.fill(dist, UNREACHED);
        int[] parent = new int[n];
        java.util.Arrays.fill(parent, -1);
        int[] queue = new int[n];
        int[] parentNode = new int[n];
        java.util.Arrays.fill(parentNode, -1);
        int tail = 0;
        int userRoots = 0;
        for (int e = s.firstEdge(root), end = s.endEdge(root); e < end; e++) {
            if (s.edgeType(e) == EdgeType.WEAK) {
                continue;
            }
            int t = s.edgeTo(e);
            if (s.type(t) == NodeType.SYNTHETIC || dist[t] != UNREACHED) {
                continue;
            }
            dist[t] = 1;
            parent[t] = e;
            parentNode[t] = root;
            queue[tail++] = t;
            userRoots++;
        }
        tail = bfs(s, weakMaps, queue, 0, tail, dist, parent, parentNode);
        // everything else: distances from the root, offset so they read as "system"
        if (dist[root] == UNREACHED) {
            dist[root] = userRoots == 0 ? 0 : SYSTEM_BASE;
        }
        int head = tail;
        queue[tail++] = root;
        tail = bfs(s, weakMaps, queue, head, tail, dist, parent, parentNode);
        dist[root] = 0;
        // the root is visited second (after the user roots' BFS); move it to the front of the order
        int[] order = new int[tail];
        order[0] = root;
        int k = 1;
        for (int i = 0; i < tail; i++) {
            if (queue[i] != root) {
                order[k++] = queue[i];
            }
        }
        return new Distances(dist, parent, userRoots, order, parentNode);
    }

    private static int bfs(HeapSnapshot s, WeakMapEdges weakMaps, int[] queue, int head, int tail, int[] dist,
                           int[] parent, int[] parentNode) {
        int descriptors = -2;
        int sloppy = -2;
        int nativeContext = -2;
        while (head < tail) {
            int v = queue[head++];
            int d = dist[v] + 1;
            int vt = s.type(v);
            for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                int et = s.edgeType(e);
                if (et == EdgeType.WEAK) {
                    continue;
                }
                int t = s.edgeTo(e);
                if (dist[t] != UNREACHED) {
                    continue;
                }
                if (vt == NodeType.HIDDEN && et != EdgeType.ELEMENT && et != EdgeType.HIDDEN) {
                    if (sloppy == -2) {
                        sloppy = indexOf(s, "sloppy_function_map");
                        nativeContext = indexOf(s, "system / NativeContext");
                    }
                    if (s.edgeNameOrIndex(e) == sloppy && s.nameIndex(v) == nativeContext) {
                        continue;
                    }
                } else if (vt == NodeType.ARRAY && (et == EdgeType.ELEMENT || et == EdgeType.HIDDEN || et == EdgeType.INTERNAL)) {
                    if (descriptors == -2) {
                        descriptors = indexOf(s, "(map descriptors)");
                    }
                    if (s.nameIndex(v) == descriptors) {
                        int index = et == EdgeType.INTERNAL ? parseIndex(s.edgeName(e)) : s.edgeNameOrIndex(e);
                        if (index >= 2 && index % 3 == 1) {
                            continue;
                        }
                    }
                } else if (et == EdgeType.INTERNAL && weakMaps.isTableToValue(v, e)) {
                    continue;
                }
                dist[t] = d;
                parent[t] = e;
                parentNode[t] = v;
                queue[tail++] = t;
            }
        }
        return tail;
    }

    private static int parseIndex(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Index of the first string equal to {@code text}, or -1. V8 interns names, so one index suffices. */
    static int indexOf(HeapSnapshot s, String text) {
        var st = s.strings();
        for (int i = 0, n = st.size(); i < n; i++) {
            if (st.equalsAscii(i, text)) {
                return i;
            }
        }
        return -1;
    }
}
