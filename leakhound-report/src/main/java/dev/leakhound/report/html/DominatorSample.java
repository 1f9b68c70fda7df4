package dev.leakhound.report.html;

import dev.leakhound.analysis.RetainerPath;
import dev.leakhound.core.graph.DominatedChildren;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.report.Json;

import java.util.PriorityQueue;

/**
 * The top of the dominator tree, bounded so that a report of a snapshot of any size stays small:
 * best first from the root, always expanding the biggest node not yet taken (by retained size), so
 * the sample is the {@code maxNodes} largest nodes of a connected top of the tree. A node offers at
 * most {@code maxChildren} children (its biggest: {@link DominatedChildren} keeps them sorted), and
 * only those retaining at least {@code total / minShareDivisor} bytes. What a node retains beyond its
 * self size and its sampled children is drawn as one "(smaller objects)" area by the page.
 */
public final class DominatorSample {
    public static final int MAX_NODES = 2500;
    public static final int MAX_CHILDREN = 40;
    public static final int MIN_SHARE_DIVISOR = 1_000_000;   // 0.0001% of the heap

    /** Parallel columns, BFS order; {@code parent[0] == -1} is the snapshot's root. */
    final int[] node;
    final int[] parent;
    final int size;

    private DominatorSample(int[] node, int[] parent, int size) {
        this.node = node;
        this.parent = parent;
        this.size = size;
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
        return new DominatorSample(node, parent, size);
    }

    public int size() {
        return size;
    }

    /**
     * Writes {@code "dominators": {"parent":[...], "id":[...], "cls":[...], "label":[...],
     * "edge":[...], "self":[...], "retained":[...], "children":[...]}} as parallel columns;
     * {@code children} is the node's full child count in the tree (sampled or not), {@code edge} how
     * its dominator refers to it when the dominator is also its parent on the shortest path, else "".
     */
    public void write(HeapGraph g, Json j, String field) {
        HeapSnapshot s = g.snapshot();
        DominatedChildren ch = g.dominated();
        j.startObject(field);
        j.field("nodes", size).field("maxNodes", node.length).field("maxChildren", MAX_CHILDREN);
        j.startArray("parent");
        for (int i = 0; i < size; i++) {
            j.value(parent[i]);
        }
        j.endArray().startArray("id");
        for (int i = 0; i < size; i++) {
            j.value(s.id(node[i]));
        }
        j.endArray().startArray("cls");
        for (int i = 0; i < size; i++) {
            j.value(shorten(g.className(node[i]), 200));
        }
        j.endArray().startArray("label");
        for (int i = 0; i < size; i++) {
            j.value(i == 0 ? "(root)" : shorten(RetainerPath.label(g, node[i]), 200));
        }
        j.endArray().startArray("edge");
        for (int i = 0; i < size; i++) {
            int v = node[i];
            int e = g.pathEdge(v);
            boolean direct = i > 0 && e >= 0 && g.pathParent(v) == node[parent[i]] && parent[i] != 0;
            j.value(direct ? shorten(RetainerPath.edgeLabel(s, e), 120) : "");
        }
        j.endArray().startArray("self");
        for (int i = 0; i < size; i++) {
            j.value(s.selfSize(node[i]));
        }
        j.endArray().startArray("retained");
        for (int i = 0; i < size; i++) {
            j.value(g.retainedSize(node[i]));
        }
        j.endArray().startArray("children");
        for (int i = 0; i < size; i++) {
            j.value(ch.childCount(node[i]));
        }
        j.endArray();
        j.endObject();
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
