package dev.leakhound.analysis.explore;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * DevTools' Containment view: the edges out of an object (the root to start with), in the snapshot's
 * order, each with the object it leads to. Nothing is hidden: a V8 snapshot of Node.js has no invisible
 * edges, and weak edges show as {@code {weak ...}}.
 */
public final class Containment {
    private Containment() {}

    public static Page<EdgeRow> page(HeapGraph g, int v, int offset, int limit) {
        HeapSnapshot s = g.snapshot();
        int first = s.firstEdge(v);
        int end = s.endEdge(v);
        List<EdgeRow> rows = new ArrayList<>();
        for (int e = first + offset; e < end && rows.size() < limit; e++) {
            int t = s.edgeTo(e);
            rows.add(new EdgeRow(s.edgeTypeName(e), s.edgeName(e), RetainerPath.edgeLabel(s, e), ObjectRow.of(g, t)));
        }
        return new Page<>(end - first, offset, rows);
    }
}
