package dev.leakhound.core.graph;

import dev.leakhound.core.index.IndexFormatException;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.nio.IntBuffer;
import java.util.Arrays;

/**
 * Reverse adjacency (CSR): for each node, the edges that point to it and the nodes they leave from.
 * Retainers of {@code v} are positions {@code first[v] .. first[v+1]-1}.
 *
 * <p>The three columns are int buffers: heap arrays when built here, or the sections of an index's retainers
 * file mapped into memory ({@link GraphIndexIO}), so a question reads only the pages it touches. Every
 * accessor is bounds-checked and the values it returns are checked to be an edge or a node of the snapshot,
 * so a wrong index can fail a question but never index past an array.
 */
public final class Retainers {
    private final IntBuffer first;
    private final IntBuffer edge;
    private final IntBuffer from;
    private final int nodes;
    private final int edges;

    private Retainers(IntBuffer first, IntBuffer edge, IntBuffer from, int nodes, int edges) {
        this.first = first;
        this.edge = edge;
        this.from = from;
        this.nodes = nodes;
        this.edges = edges;
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
        return new Retainers(IntBuffer.wrap(first), IntBuffer.wrap(edge), IntBuffer.wrap(from), n, m);
    }

    /** Retainers over columns read back from an index: {@code n + 1}, {@code m} and {@code m} values. */
    static Retainers restore(HeapSnapshot s, IntBuffer first, IntBuffer edge, IntBuffer from) {
        int n = s.nodeCount();
        int m = s.edgeCount();
        if (first.capacity() != n + 1 || edge.capacity() != m || from.capacity() != m) {
            throw new IndexFormatException("index retainer columns have the wrong sizes");
        }
        if (first.get(0) != 0 || first.get(n) != m) {
            throw new IndexFormatException("index retainer ranges do not cover the edges");
        }
        return new Retainers(first, edge, from, n, m);
    }

    /** The columns as heap arrays, for writing: {@code first}, {@code edge}, {@code from}. */
    int[][] arrays() {
        return new int[][] {array(first), array(edge), array(from)};
    }

    private static int[] array(IntBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.array().length == b.capacity()) {
            return b.array();
        }
        int[] a = new int[b.capacity()];
        b.duplicate().clear().get(a);
        return a;
    }

    public int first(int node) {
        return position(first.get(node));
    }

    public int end(int node) {
        return position(first.get(node + 1));
    }

    public int count(int node) {
        return Math.max(0, end(node) - first(node));
    }

    /** The retaining edge at position {@code i}. */
    public int edge(int i) {
        int e = edge.get(i);
        if (e < 0 || e >= edges) {
            throw new IndexFormatException("index retainer column holds an edge out of range");
        }
        return e;
    }

    /** The retaining node at position {@code i}. */
    public int from(int i) {
        int v = from.get(i);
        if (v < 0 || v >= nodes) {
            throw new IndexFormatException("index retainer column holds a node out of range");
        }
        return v;
    }

    private int position(int p) {
        if (p < 0 || p > edges) {
            throw new IndexFormatException("index retainer column holds a position out of range");
        }
        return p;
    }
}
