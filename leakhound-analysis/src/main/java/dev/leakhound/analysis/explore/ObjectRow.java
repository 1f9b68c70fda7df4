package dev.leakhound.analysis.explore;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;

/**
 * One object as the explorer's tables list it (Summary instances, Retainers, Containment): id, class,
 * label, distance from the roots, shallow and retained size, and how many edges leave it (whether it can
 * be expanded in Containment).
 *
 * @param distance as {@link HeapGraph#distance(int)} gives it, or as recomputed with ignored retainers
 */
public record ObjectRow(long id, String className, String label, int distance, long selfSize, long retainedSize,
                        int edgeCount, int retainerCount) {

    public static ObjectRow of(HeapGraph g, int v, int distance) {
        HeapSnapshot s = g.snapshot();
        return new ObjectRow(s.id(v), g.className(v), RetainerPath.label(g, v), distance, s.selfSize(v),
                g.retainedSize(v), s.edgeCountOf(v), g.retainers().count(v));
    }

    public static ObjectRow of(HeapGraph g, int v) {
        return of(g, v, g.distance(v));
    }
}
