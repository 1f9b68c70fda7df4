package dev.leakhound.analysis;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.analysis.source.SourceMaps;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.List;

/** The objects that retain the most, each with a shortest retainer path from the roots. */
public final class LargestObjects {
    /** One object; {@code location} is its constructor's or function's source position, or null. */
    public record Row(int node, long id, String className, String label, long selfSize, long retainedSize,
                      int distance, List<RetainerPath.Step> path, String pathText, SourceLocator.Location location) {}

    private LargestObjects() {}

    /** Top {@code limit} non-synthetic nodes by retained size (ties: lower ordinal first). */
    public static List<Row> compute(HeapGraph g, int limit) {
        return compute(g, limit, SourceMaps.NONE);
    }

    /** {@link #compute(HeapGraph, int)} with sources mapped through {@code maps}. */
    public static List<Row> compute(HeapGraph g, int limit, SourceMaps maps) {
        HeapSnapshot s = g.snapshot();
        int n = s.nodeCount();
        long[] ret = g.retainedSizes();
        TopRetained top = new TopRetained(ret, limit);
        for (int v = 0; v < n && limit > 0; v++) {
            if (s.type(v) == NodeType.SYNTHETIC || v == s.rootOrdinal()) {
                continue;
            }
            top.offer(v);
        }
        List<Row> rows = new ArrayList<>(top.size());
        SourceLocator locator = new SourceLocator(g, maps);
        for (int i = 0; i < top.size(); i++) {
            int v = top.get(i);
            List<RetainerPath.Step> path = RetainerPath.shortest(g, v);
            rows.add(new Row(v, s.id(v), g.className(v), RetainerPath.label(g, v), s.selfSize(v), ret[v],
                    g.distance(v), path, RetainerPath.render(g, path), locator.of(v)));
        }
        return rows;
    }
}
