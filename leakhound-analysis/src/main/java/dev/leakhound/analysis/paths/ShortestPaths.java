package dev.leakhound.analysis.paths;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.graph.Retainers;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The k shortest simple retainer paths from the root to an object, over non-weak edges, as
 * DevTools' Retainers view lists them (shortest first, weak edges hidden).
 *
 * <p>Algorithm: best-first search with an exact heuristic (A* used for k shortest paths).
 * <ol>
 * <li>A reverse BFS from the target over {@link HeapGraph#retainers()} (non-weak edges only) gives
 *     {@code h(v)}, the number of edges from {@code v} to the target; nodes that cannot reach it
 *     are never entered.</li>
 * <li>Partial paths from the root are kept in a priority queue ordered by {@code length + h(last)}
 *     (ties: first created first). Popping a path extends it along every non-weak edge whose head
 *     can reach the target and is not already on the path (paths are simple). Because {@code h} is
 *     a consistent lower bound, complete paths pop in nondecreasing length: the first k popped are
 *     the k shortest simple paths. Paths are distinct as edge sequences (two edges between the same
 *     two objects make two paths, as they are two retainers).</li>
 * </ol>
 * As DevTools sorts retainers by distance, and gives nodes only the engine's GC roots reach a
 * "system" distance above every user one, paths through the user roots (the global objects) come
 * first: the search runs once over paths whose first step is a user root, then, if fewer than k were
 * found, over paths through {@code (GC roots)}.
 * Partial paths share prefixes (parent links in int arrays). Each search stops after
 * {@link #MAX_EXPANSIONS} pops; then fewer than k paths may be returned and {@code complete} is false.
 * Chosen over Yen's algorithm because Yen re-runs a shortest-path search per deviation, each a pass
 * over the whole graph, while this one touches only nodes on near-shortest routes.
 */
public final class ShortestPaths {
    public static final int MAX_EXPANSIONS = 200_000;

    /** One path: the steps from just below the root to the object, and how it reads. */
    public record Path(int length, List<RetainerPath.Step> steps, String text) {}

    /**
     * @param distance the length of the shortest path, -1 when no strong path exists
     * @param complete false when the search budget ran out before k paths were found
     */
    public record Result(int node, long id, String className, String label, int distance, List<Path> paths,
                         boolean complete) {}

    private ShortestPaths() {}

    public static Result find(HeapGraph g, int target, int k) {
        HeapSnapshot s = g.snapshot();
        int root = s.rootOrdinal();
        int[] h = distancesTo(g, target);
        List<Path> paths = new ArrayList<>();
        boolean complete = true;
        if (h[root] >= 0 && k > 0) {
            if (target == root) {
                paths.add(new Path(0, List.of(), ""));
            } else {
                complete = search(g, target, k, h, paths, true);
                if (complete && paths.size() < k) {
                    complete = search(g, target, k, h, paths, false);
                }
            }
        }
        return new Result(target, s.id(target), g.className(target), RetainerPath.label(g, target), h[root], paths,
                complete);
    }

    /** Reverse BFS from the target over non-weak retaining edges: edges from each node to the target, or -1. */
    static int[] distancesTo(HeapGraph g, int target) {
        HeapSnapshot s = g.snapshot();
        Retainers r = g.retainers();
        int n = s.nodeCount();
        int[] h = new int[n];
        Arrays.fill(h, -1);
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        h[target] = 0;
        queue[tail++] = target;
        while (head < tail) {
            int v = queue[head++];
            for (int i = r.first(v), end = r.end(v); i < end; i++) {
                if (s.edgeType(r.edge(i)) == EdgeType.WEAK) {
                    continue;
                }
                int from = r.from(i);
                if (h[from] < 0) {
                    h[from] = h[v] + 1;
                    queue[tail++] = from;
                }
            }
        }
        return h;
    }

    /** Adds paths to {@code out} until it holds k; user: first steps to user roots, else to GC roots. */
    private static boolean search(HeapGraph g, int target, int k, int[] h, List<Path> out, boolean user) {
        HeapSnapshot s = g.snapshot();
        int root = s.rootOrdinal();
        // partial paths: node, edge taken to reach it, parent path, length
        int[] node = new int[1024];
        int[] edge = new int[1024];
        int[] parent = new int[1024];
        int[] len = new int[1024];
        int count;
        node[0] = root;
        edge[0] = -1;
        parent[0] = -1;
        len[0] = 0;
        count = 1;
        LongHeap queue = new LongHeap();
        queue.add((long) h[root] << 32);
        int pops = 0;
        while (queue.size() > 0 && out.size() < k) {
            if (++pops > MAX_EXPANSIONS) {
                return false;
            }
            int p = (int) queue.poll();
            int v = node[p];
            if (v == target) {
                List<Integer> edges = new ArrayList<>();
                for (int x = p; parent[x] >= 0; x = parent[x]) {
                    edges.add(0, edge[x]);
                }
                List<RetainerPath.Step> steps = RetainerPath.steps(g, edges);
                out.add(new Path(edges.size(), steps, RetainerPath.render(g, steps)));
                continue;
            }
            for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                if (s.edgeType(e) == EdgeType.WEAK) {
                    continue;
                }
                int to = s.edgeTo(e);
                if (h[to] < 0 || onPath(node, parent, p, to)) {
                    continue;
                }
                if (v == root && (s.type(to) == NodeType.SYNTHETIC) == user) {
                    continue;
                }
                if (count == node.length) {
                    int c = count * 2;
                    node = Arrays.copyOf(node, c);
                    edge = Arrays.copyOf(edge, c);
                    parent = Arrays.copyOf(parent, c);
                    len = Arrays.copyOf(len, c);
                }
                node[count] = to;
                edge[count] = e;
                parent[count] = p;
                len[count] = len[p] + 1;
                queue.add(((long) (len[count] + h[to]) << 32) | count);
                count++;
            }
        }
        return true;
    }

    private static boolean onPath(int[] node, int[] parent, int p, int v) {
        for (int x = p; x >= 0; x = parent[x]) {
            if (node[x] == v) {
                return true;
            }
        }
        return false;
    }

    /** A binary min-heap of longs (priority in the high half, path index in the low: ties by creation order). */
    static final class LongHeap {
        private long[] a = new long[1024];
        private int size;

        int size() {
            return size;
        }

        void add(long x) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (a[p] <= x) {
                    break;
                }
                a[i] = a[p];
                i = p;
            }
            a[i] = x;
        }

        long poll() {
            long top = a[0];
            long x = a[--size];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) {
                    break;
                }
                if (c + 1 < size && a[c + 1] < a[c]) {
                    c++;
                }
                if (a[c] >= x) {
                    break;
                }
                a[i] = a[c];
                i = c;
            }
            if (size > 0) {
                a[i] = x;
            }
            return top;
        }
    }
}
