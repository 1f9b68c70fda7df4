package dev.leakhound.analysis.objects;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.analysis.source.SourceMaps;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.graph.Retainers;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything about one object: its type, name and class, shallow and retained size, distance from
 * the roots, immediate dominator, source position, a shortest path from the roots, its outgoing edges
 * (with what each target weighs) and the first of its retainers.
 *
 * @param edgeCount     all outgoing edges ({@code edges} holds the first {@code maxEdges})
 * @param retainerCount all retaining edges ({@code retainers} holds the first {@code maxRetainers})
 */
public record ObjectInfo(int node, long id, String type, String name, String className, String label, long selfSize,
                         long retainedSize, int distance, Ref dominator, SourceLocator.Location location,
                         List<RetainerPath.Step> path, String pathText, int edgeCount, List<Edge> edges,
                         int retainerCount, List<Edge> retainers) {

    /** Another object, briefly. */
    public record Ref(long id, String className, String label) {}

    /**
     * An edge: its type, its name (or index), how it reads in a path ({@code .prop}, {@code [3]},
     * {@code ::var}), and the object at its other end with its sizes.
     */
    public record Edge(String type, String name, String label, long id, String className, String targetLabel,
                       long selfSize, long retainedSize) {}

    public static ObjectInfo of(HeapGraph g, int v, int maxEdges, int maxRetainers) {
        return of(g, v, maxEdges, maxRetainers, SourceMaps.NONE);
    }

    /** {@link #of(HeapGraph, int, int, int)} with the source position mapped through {@code maps}. */
    public static ObjectInfo of(HeapGraph g, int v, int maxEdges, int maxRetainers, SourceMaps maps) {
        HeapSnapshot s = g.snapshot();
        List<Edge> edges = new ArrayList<>();
        for (int e = s.firstEdge(v), end = s.endEdge(v); e < end && edges.size() < maxEdges; e++) {
            int t = s.edgeTo(e);
            edges.add(new Edge(s.edgeTypeName(e), s.edgeName(e), RetainerPath.edgeLabel(s, e), s.id(t), g.className(t),
                    RetainerPath.label(g, t), s.selfSize(t), g.retainedSize(t)));
        }
        Retainers r = g.retainers();
        List<Edge> retainers = new ArrayList<>();
        for (int i = r.first(v), end = r.end(v); i < end && retainers.size() < maxRetainers; i++) {
            int e = r.edge(i);
            int from = r.from(i);
            retainers.add(new Edge(s.edgeTypeName(e), s.edgeName(e), RetainerPath.edgeLabel(s, e), s.id(from),
                    g.className(from), RetainerPath.label(g, from), s.selfSize(from), g.retainedSize(from)));
        }
        int d = g.idom(v);
        Ref dom = d < 0 || v == s.rootOrdinal() ? null : new Ref(s.id(d), g.className(d), RetainerPath.label(g, d));
        List<RetainerPath.Step> path = RetainerPath.shortest(g, v);
        return new ObjectInfo(v, s.id(v), s.typeName(v), s.name(v), g.className(v), RetainerPath.label(g, v),
                s.selfSize(v), g.retainedSize(v), g.distance(v), dom, new SourceLocator(g, maps).of(v), path,
                RetainerPath.render(g, path), s.edgeCountOf(v), edges, r.count(v), retainers);
    }
}
