package dev.leakhound.analysis.objects;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Collections;

/**
 * A dominator subtree, biggest first (children are stored sorted by retained size), cut at a depth
 * and at a number of children per node; what is cut is summed up so sizes still add up.
 */
public final class DominatorView {
    /**
     * A node of the subtree.
     *
     * @param edge          how its dominator refers to it directly ({@code .prop}, {@code [3]}...), or null when
     *                      the dominator reaches it only through other objects
     * @param childCount    all children it dominates
     * @param children      the biggest ones, down to the depth asked for
     * @param otherCount    children left out
     * @param otherRetained what they retain together
     */
    public record Node(long id, String className, String label, String edge, long selfSize, long retainedSize,
                       int childCount, List<Node> children, int otherCount, long otherRetained) {}

    private DominatorView() {}

    /** The subtree below {@code v}, {@code depth} levels deep (1: its children), {@code top} children per node. */
    public static Node of(HeapGraph g, int v, int depth, int top) {
        // iterative: build mutable frames level by level, then freeze bottom-up
        List<int[]> frames = new ArrayList<>();          // {node, parentFrame, level}
        frames.add(new int[] {v, -1, 0});
        for (int i = 0; i < frames.size(); i++) {
            int[] f = frames.get(i);
            if (f[2] >= depth) {
                continue;
            }
            int k = Math.min(top, g.childCount(f[0]));
            for (int c = 0; c < k; c++) {
                frames.add(new int[] {g.child(f[0], c), i, f[2] + 1});
            }
        }
        List<List<Node>> kids = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            kids.add(new ArrayList<>());
        }
        Node[] built = new Node[frames.size()];
        HeapSnapshot s = g.snapshot();
        for (int i = frames.size() - 1; i >= 0; i--) {
            int[] f = frames.get(i);
            int x = f[0];
            List<Node> children = kids.get(i);
            Collections.reverse(children);   // added last-first
            int all = g.childCount(x);
            long shown = 0;
            for (Node c : children) {
                shown += c.retainedSize();
            }
            long childSum = 0;
            for (int c = 0; c < all; c++) {
                childSum += g.retainedSize(g.child(x, c));
            }
            String edge = f[1] < 0 ? null : edgeLabel(g, frames.get(f[1])[0], x);
            built[i] = new Node(s.id(x), g.className(x), RetainerPath.label(g, x), edge, s.selfSize(x), g.retainedSize(x),
                    all, List.copyOf(children), all - children.size(), childSum - shown);
            if (f[1] >= 0) {
                kids.get(f[1]).add(built[i]);
            }
        }
        return built[0];
    }

    /** The label of a direct non-weak edge from {@code from} to {@code to}, or null. */
    static String edgeLabel(HeapGraph g, int from, int to) {
        HeapSnapshot s = g.snapshot();
        for (int e = s.firstEdge(from), end = s.endEdge(from); e < end; e++) {
            if (s.edgeTo(e) == to && s.edgeType(e) != EdgeType.WEAK) {
                String l = RetainerPath.edgeLabel(s, e);
                return l.isEmpty() ? "{context}" : l;
            }
        }
        return null;
    }
}
