package dev.leakhound.report.html;

import dev.leakhound.analysis.RetainerPath;
import dev.leakhound.core.graph.DominatedChildren;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.report.Json;

/**
 * The top of the dominator tree, bounded so that a report of a snapshot of any size stays small:
 * breadth first from the root, each node's children biggest first (the order
 * {@link DominatedChildren} keeps), taking a child only while it retains at least
 * {@code total / minShareDivisor} bytes, at most {@code maxChildren} children per node and
 * {@code maxNodes} nodes in all. What a node retains beyond its self size and its sampled
 * children is drawn as one "(smaller objects)" area by the page.
 */
public final class DominatorSample {
    public static final int MAX_NODES = 2500;
    public static final int MAX_CHILDREN = 40;
    public static final int MIN_SHARE_DIVISOR = 4000;   // 0.025% of the heap

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
        node[size] = root;
        parent[size++] = -1;
        // the arrays double as the BFS queue: entries [head, size) are still to expand
        for (int head = 0; head < size && size < maxNodes; head++) {
            int v = node[head];
            int k = Math.min(ch.childCount(v), maxChildren);
            for (int i = 0; i < k && size < maxNodes; i++) {
                int c = ch.child(v, i);
                if (retained[c] < min) {
                    break;   // children are sorted biggest first
                }
                node[size] = c;
                parent[size++] = head;
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
        j.field("nodes", size).field("minBytes", Math.max(1, g.retainedSize(s.rootOrdinal()) / MIN_SHARE_DIVISOR));
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
