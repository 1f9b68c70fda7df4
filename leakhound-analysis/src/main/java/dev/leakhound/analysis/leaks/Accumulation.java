package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.nodejs.V8Layout;
import dev.leakhound.analysis.paths.Repeats;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A group's accumulation point in the last snapshot: the nearest object above its representative
 * that is older than the first snapshot and not a V8 internal (the Array, Map, emitter, scope...),
 * with the path from it down to the leaked objects, which is followed again in every snapshot.
 *
 * @param container      the accumulation point's ordinal in the last snapshot
 * @param containerId    its id (the same in every snapshot of the process)
 * @param containerClass its class
 * @param leakedClass    the class of the group's objects
 * @param edges          the edges from the container down to the representative
 * @param labels         their normalized labels ({@link PathKeys#label})
 * @param units          the labels with repeats folded (a repeated unit is followed to its end)
 * @param containerPath  the shortest path from the roots to the container
 */
record Accumulation(int container, long containerId, String containerClass, String leakedClass, int[] edges,
                    List<String> labels, List<Repeats.Unit> units, List<RetainerPath.Step> containerPath) {

    /** Goes up the shortest-path tree from the group's representative to its accumulation point. */
    static Accumulation locate(HeapGraph g, V8Layout v8, Group group, boolean[] isNew, long firstMax, PathKeys keys) {
        HeapSnapshot s = g.snapshot();
        int v = group.representative();
        int cls = g.classes().classOf(v);
        int[] below = new int[16];   // edges from the representative up to the container
        int size = 0;
        int c = v;
        while (true) {
            int e = g.pathEdge(c);
            int p = g.pathParent(c);
            if (e < 0 || p < 0) {
                break;
            }
            if (size == below.length) {
                below = Arrays.copyOf(below, size * 2);
            }
            below[size++] = e;
            c = p;
            boolean old = LeakRoots.isOld(s, c, firstMax);
            // an older element of the same chain (a linked list's node) is not where things accumulate
            boolean sameChain = g.classes().classOf(c) == cls;
            if (c == s.rootOrdinal() || (!isNew[c] && old && LeakRoots.significant(v8, c) && !sameChain)
                    || (old && v8.isContext(c))) {
                break;
            }
        }
        int[] edges = new int[size];
        for (int i = 0; i < size; i++) {
            edges[i] = below[size - 1 - i];
        }
        List<String> labels = new ArrayList<>(size);
        for (int e : edges) {
            labels.add(keys.label(s.edgeFrom(e), e));
        }
        return new Accumulation(c, s.id(c), g.className(c), g.className(v), edges, List.copyOf(labels),
                Repeats.collapse(labels, 2), RetainerPath.shortest(g, c));
    }

    /** The labels as one text ({@code [*].payload}). */
    String labelText() {
        return String.join("", labels);
    }
}
