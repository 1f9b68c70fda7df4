package dev.leakhound.analysis.diagnosis;

import dev.leakhound.core.graph.HeapGraph;

import java.util.ArrayList;
import java.util.List;

/** Objects of one class among a set (a collection's entries, a node's dominated children): how many and what they retain. */
public record ClassShare(String className, long count, long retainedBytes) {

    /** The classes of {@code members[from..to)}, most retained bytes first (ties: class id), at most {@code max}. */
    public static List<ClassShare> top(HeapGraph g, int[] members, int from, int to, int max) {
        int classes = g.classes().classCount();
        long[] perCount = new long[classes];
        long[] perBytes = new long[classes];
        count(g, members, from, to, perCount, perBytes);
        List<long[]> rows = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            if (perCount[c] > 0) {
                rows.add(new long[] {c, perCount[c], perBytes[c]});
            }
        }
        rows.sort((a, b) -> Long.compare(b[2], a[2]));
        List<ClassShare> out = new ArrayList<>();
        for (int i = 0; i < rows.size() && i < max; i++) {
            long[] r = rows.get(i);
            out.add(new ClassShare(g.classes().name((int) r[0]), r[1], r[2]));
        }
        return out;
    }

    /** Counts and retained bytes per class (a small method: its loop compiles on its own). */
    private static void count(HeapGraph g, int[] members, int from, int to, long[] perCount, long[] perBytes) {
        int[] classOf = g.classes().classOfArray();
        long[] retained = g.retainedSizes();
        for (int i = from; i < to; i++) {
            int m = members[i];
            int c = classOf[m];
            perCount[c]++;
            perBytes[c] += retained[m];
        }
    }
}
