package dev.leakhound.core.graph;

import dev.leakhound.core.snapshot.HeapSnapshot;
import java.util.Arrays;

/**
 * Reverse adjacency (CSR): for each node, the edges that point to it and the nodes they leave from.
 * Retainers of {@code v} are positions {@code first[v] .. first[v+1]-1}.
 */
public final class Retainers {
    private final int[] first;
    private final int[] edge;
    private final int[] from;

    private Retainers(int[] first, int[] edge, int[] from) {
        this.first = first;
        this.edge = edge;
        this.from = from;
    }

    static Retainers build(HeapSnapshot s) {
        int n = s.nodeCount();
        int m = s.edgeCount();
        int[] first = new int[n + 1];
        for (int e = 0; e < m; e++) {
            first[s.edgeTo(e) + 1]++;
        }
        for (int i = 0; i < n; i++) {
            first[i + 1] += first[i];
        }
        int[] pos = Arrays.copyOf(first, n);
        int[] edge = new int[m];
        int[] from = new int[m];
        for (int v = 0; v < n; v++) {
            for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                int p = pos[s.edgeTo(e)]++;
                edge[p] = e;
                from[p] = v;
            }
        }
        return new Retainers(first, edge, from);
    }

    public int first(int node) {
        return first[node];
    }

    public int end(int node) {
        return first[node + 1];
    }

    public int count(int node) {
        return first[node + 1] - first[node];
    }

    /** The retaining edge at position {@code i}. */
    public int edge(int i) {
        return edge[i];
    }

    /** The retaining node at position {@code i}. */
    public int from(int i) {
        return from[i];
    }
}
