package dev.leakhound.core.graph;

/**
 * The dominator tree as child lists in CSR form: the children of node {@code v} are
 * {@code childList[firstChild[v] .. firstChild[v+1]-1]}, biggest retained size first (ties by ordinal
 * ascending). {@code firstChild} has {@code nodeCount + 1} entries; {@code childList} holds every node
 * except the root exactly once. Built by {@link DominatorTree#children(long[])}.
 */
public record DominatedChildren(int[] firstChild, int[] childList) {

    /** Number of nodes that {@code node} immediately dominates. */
    public int childCount(int node) {
        return firstChild[node + 1] - firstChild[node];
    }

    /** The {@code i}-th child of {@code node} in the sorted order, {@code 0 <= i < childCount(node)}. */
    public int child(int node, int i) {
        return childList[firstChild[node] + i];
    }
}
