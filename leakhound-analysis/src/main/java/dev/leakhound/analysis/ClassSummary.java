package dev.leakhound.analysis;

import dev.leakhound.core.graph.ClassIndex;
import dev.leakhound.core.graph.DominatedChildren;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Summary view: per class, object count, minimum distance, shallow size and retained size.
 * As in DevTools ({@code buildAggregates}, {@code calculateClassesRetainedSize}): nodes with self
 * size 0 are not counted, and a class's retained size adds a node's retained size only when no
 * dominator above it belongs to the same class, so each byte counts once per class.
 */
public final class ClassSummary {
    /** One class. {@code minDistance} is -1 when no member is reachable. */
    public record Row(int classId, String name, long count, int minDistance, long shallowSize, long retainedSize) {}

    private ClassSummary() {}

    public static List<Row> compute(HeapGraph g) {
        HeapSnapshot s = g.snapshot();
        ClassIndex classes = g.classes();
        int k = classes.classCount();
        long[] count = new long[k];
        long[] shallow = new long[k];
        long[] retained = new long[k];
        int[] minDist = new int[k];
        java.util.Arrays.fill(minDist, Integer.MAX_VALUE);
        int n = s.nodeCount();
        for (int v = 0; v < n; v++) {
            long size = s.selfSize(v);
            if (size == 0) {
                continue;
            }
            int c = classes.classOf(v);
            count[c]++;
            shallow[c] += size;
            int d = g.distance(v);
            if (d >= 0 && d < minDist[c]) {
                minDist[c] = d;
            }
        }
        // walk the dominator tree depth first, counting a node only while no ancestor shares its class
        DominatedChildren ch = g.dominated();
        int[] first = ch.firstChild();
        int[] list = ch.childList();
        int[] active = new int[k];
        int[] stack = new int[Math.max(16, n + 1)];
        int sp = 0;
        stack[sp++] = g.snapshot().rootOrdinal();
        while (sp > 0) {
            int x = stack[--sp];
            if (x < 0) {             // leaving a node
                active[classes.classOf(~x)]--;
                continue;
            }
            int c = classes.classOf(x);
            int need = 1 + (first[x + 1] - first[x]);
            if (sp + need > stack.length) {
                stack = java.util.Arrays.copyOf(stack, Math.max(stack.length * 2, sp + need));
            }
            // as DevTools: only a counted node (size > 0, no counted ancestor of its class) hides its subtree
            if (active[c] == 0 && s.selfSize(x) > 0) {
                retained[c] += g.retainedSize(x);
                active[c]++;
                stack[sp++] = ~x;
            }
            for (int i = first[x + 1] - 1; i >= first[x]; i--) {
                stack[sp++] = list[i];
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            if (count[c] == 0) {
                continue;
            }
            rows.add(new Row(c, classes.name(c), count[c], minDist[c] == Integer.MAX_VALUE ? -1 : minDist[c],
                    shallow[c], retained[c]));
        }
        rows.sort(Comparator.comparingLong(Row::retainedSize).reversed()
                .thenComparing(Comparator.comparingLong(Row::shallowSize).reversed())
                .thenComparing(Row::name));
        return rows;
    }
}
