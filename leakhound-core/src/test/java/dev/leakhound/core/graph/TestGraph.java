package dev.leakhound.core.graph;

import java.util.ArrayList;
import java.util.List;

/** A small edge list turned into the forward CSR that {@link DominatorTree#compute} takes. Test helper. */
final class TestGraph {
    final int nodeCount;
    private final List<int[]> edges = new ArrayList<>(); // {from, to, skipped 0/1}

    TestGraph(int nodeCount) {
        this.nodeCount = nodeCount;
    }

    TestGraph edge(int from, int to) {
        edges.add(new int[] {from, to, 0});
        return this;
    }

    TestGraph skipped(int from, int to) {
        edges.add(new int[] {from, to, 1});
        return this;
    }

    /** Edges as {from, to, skipped}, in insertion order. */
    List<int[]> edges() {
        return edges;
    }

    int[] firstOut() {
        int[] first = new int[nodeCount + 1];
        for (int[] e : edges) {
            first[e[0] + 1]++;
        }
        for (int v = 0; v < nodeCount; v++) {
            first[v + 1] += first[v];
        }
        return first;
    }

    /** Targets grouped by source; within a source, in insertion order. */
    int[] outTarget() {
        return layout()[0];
    }

    /** Skip bits over the CSR positions, or null when no edge is skipped. */
    long[] skip() {
        int[] skippedAt = layout()[1];
        long[] bits = new long[(edges.size() + 63) / 64];
        boolean any = false;
        for (int e = 0; e < skippedAt.length; e++) {
            if (skippedAt[e] != 0) {
                bits[e >>> 6] |= 1L << e;
                any = true;
            }
        }
        return any ? bits : null;
    }

    private int[][] layout() {
        int[] cursor = firstOut();
        int[] targets = new int[edges.size()];
        int[] skipped = new int[edges.size()];
        for (int[] e : edges) {
            int pos = cursor[e[0]]++;
            targets[pos] = e[1];
            skipped[pos] = e[2];
        }
        return new int[][] {targets, skipped};
    }

    DominatorTree dominators(int root) {
        return DominatorTree.compute(nodeCount, root, firstOut(), outTarget(), skip());
    }
}
