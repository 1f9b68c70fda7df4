package dev.leakhound.analysis.objects;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.graph.DominatedChildren;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.PriorityQueue;
import java.util.Arrays;

/**
 * The top of the dominator tree, bounded so that a report of a snapshot of any size stays small:
 * best first from the root, always expanding the biggest node not yet taken (by retained size), so
 * the sample is the {@code maxNodes} largest nodes of a connected top of the tree. A node offers at
 * most {@code maxChildren} children (its biggest: {@link DominatedChildren} keeps them sorted), and
 * only those retaining at least {@code total / minShareDivisor} bytes. What a node retains beyond its
 * self size and its sampled children is what a treemap draws as "(smaller objects)".
 *
 * <p>Parallel columns in BFS order: {@code node} the ordinals, {@code parent} the index of each one's
 * parent in the sample ({@code parent[0] == -1}: the snapshot's root). {@code edge} is how a
 * node's dominator refers to it when the dominator is also its parent on the shortest path (else "");
 * {@code children} is its full child count in the tree, sampled or not.
 */
public record DominatorSample(int maxNodes, int maxChildren, int[] node, int[] parent, long[] id, String[] className,
                              String[] label, String[] edge, long[] self, long[] retained, int[] children) {
    public static final int MAX_NODES = 2500;
    public static final int MAX_CHILDREN = 40;
    public static final int MIN_SHARE_DIVISOR = 1_000_000;   // 0.0001% of the heap

    public int size() {
        return parent.length;
    }

    public static DominatorSample of(HeapGraph g) {
        return of(g, MAX_NODES, MAX_CHILDREN, MIN_SHARE_DIVISOR);
    }

    public static DominatorSample of(HeapGraph g, int maxNodes, int maxChildren, int minShareDivisor) {
        HeapSnapshot s = g.snapshot();
        DominatedChildren ch = g.dominated();
        long[] retained = g.retainedSizes();
        int root = s.rootOrdinal();
        long min = Math.max(1, retained[root] / minShareDivisor);
        int[] node = new int[maxNodes];
        int[] parent = new int[maxNodes];
        int size = 0;
        // candidates: {node, index of its parent in the sample}, biggest retained size first (ties: ordinal)
        PriorityQueue<int[]> queue = new PriorityQueue<>((a, b) -> {
            int c = Long.compare(retained[b[0]], retained[a[0]]);
            return c != 0 ? c : Integer.compare(a[0], b[0]);
        });
        queue.add(new int[] {root, -1});
        while (!queue.isEmpty() && size < maxNodes) {
            int[] top = queue.poll();
            int v = top[0];
            node[size] = v;
            parent[size] = top[1];
            int at = size++;
            int k = Math.min(ch.childCount(v), maxChildren);
            for (int i = 0; i < k; i++) {
                int c = ch.child(v, i);
                if (retained[c] < min) {
                    break;   // children are sorted biggest first
                }
                queue.add(new int[] {c, at});
            }
        }
        long[] id = new long[size];
        String[] cls = new String[size];
        String[] label = new String[size];
        String[] edge = new String[size];
        long[] self = new long[size];
        long[] ret = new long[size];
        int[] children = new int[size];
        for (int i = 0; i < size; i++) {
            int v = node[i];
            id[i] = s.id(v);
            cls[i] = g.className(v);
            label[i] = i == 0 ? "(root)" : RetainerPath.label(g, v);
            int e = g.pathEdge(v);
            boolean direct = i > 0 && e >= 0 && g.pathParent(v) == node[parent[i]] && parent[i] != 0;
            edge[i] = direct ? RetainerPath.edgeLabel(s, e) : "";
            self[i] = s.selfSize(v);
            ret[i] = retained[v];
            children[i] = ch.childCount(v);
        }
        return new DominatorSample(maxNodes, maxChildren, Arrays.copyOf(node, size),
                Arrays.copyOf(parent, size), id, cls, label, edge,
                self, ret, children);
    }
}
