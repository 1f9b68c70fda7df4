package dev.leakhound.analysis.explore;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.graph.Distances;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.graph.Retainers;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * DevTools' Retainers pane for one object: the objects that hold it, each with the edge it holds it by
 * and its distance from the roots, nearest first. As in DevTools the root and weak edges are left out.
 * The distances are the graph's, or those recomputed with some retainers ignored
 * ({@link HeapGraph#distancesIgnoring(int[])}).
 */
public final class RetainerRows {
    private RetainerRows() {}

    /** The retainers of {@code v}, nearest first; {@code distances}: null for the graph's own. */
    public static Page<EdgeRow> page(HeapGraph g, int v, int[] distances, int offset, int limit) {
        HeapSnapshot s = g.snapshot();
        Retainers r = g.retainers();
        int root = s.rootOrdinal();
        List<int[]> all = new ArrayList<>();   // {retainer index, distance}
        for (int i = r.first(v), end = r.end(v); i < end; i++) {
            int from = r.from(i);
            if (from == root || s.edgeType(r.edge(i)) == EdgeType.WEAK) {
                continue;
            }
            all.add(new int[] {i, distances == null ? g.distance(from) : distances[from]});
        }
        all.sort(Comparator.comparingLong((int[] a) -> sortKey(a[1])).thenComparingInt(a -> a[0]));
        List<EdgeRow> rows = new ArrayList<>();
        for (int k = offset; k < all.size() && rows.size() < limit; k++) {
            int i = all.get(k)[0];
            int e = r.edge(i);
            int from = r.from(i);
            rows.add(new EdgeRow(s.edgeTypeName(e), s.edgeName(e), RetainerPath.edgeLabel(s, e),
                    ObjectRow.of(g, from, all.get(k)[1])));
        }
        return new Page<>(all.size(), offset, rows);
    }

    /** Unreached objects (negative distance) last. */
    private static long sortKey(int distance) {
        return distance < 0 ? Long.MAX_VALUE : distance;
    }

    /** Whether the distance says only GC roots (no user root) reach the object. */
    public static boolean systemOnly(int distance) {
        return distance >= Distances.SYSTEM_BASE;
    }
}
