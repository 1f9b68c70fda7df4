package dev.leakhound.analysis.leaks;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures groups in one snapshot through their accumulation points: find the container by id,
 * follow the group's normalized path pattern from it to the members of the leaked class, and add
 * up what the members hold on the shortest-path tree (each node belongs to the subtree of the
 * member it was first reached through, so nothing is counted twice).
 */
final class Measure {
    private Measure() {}

    static void of(HeapGraph g, List<FindLeaks.Group> groups, int index) {
        if (groups.isEmpty()) {
            return;
        }
        HeapSnapshot s = g.snapshot();
        int n = s.nodeCount();
        Map<Long, Integer> wanted = new HashMap<>();
        for (FindLeaks.Group gr : groups) {
            wanted.put(gr.containerId, -1);
        }
        for (int v = 0; v < n; v++) {
            Long id = s.id(v);
            if (wanted.containsKey(id) && wanted.get(id) < 0) {
                wanted.put(id, v);
            }
        }
        int[] order = g.bfsOrder();
        long[] subtreeBytes = new long[n];
        for (int i = order.length - 1; i >= 0; i--) {
            int v = order[i];
            subtreeBytes[v] += s.selfSize(v);
            int p = g.pathParent(v);
            if (p >= 0) {
                subtreeBytes[p] += subtreeBytes[v];
            }
        }
        Map<Integer, int[]> subtreeCountByClass = new HashMap<>();
        FindLeaks.PathKeys keys = new FindLeaks.PathKeys(g);
        int[] mark = new int[n];
        int stamp = 0;
        for (FindLeaks.Group gr : groups) {
            int container = wanted.get(gr.containerId);
            if (container < 0) {
                continue;   // the accumulation point did not exist yet
            }
            int cls = g.classes().find(gr.leakClass);
            // follow the pattern, one normalized label at a time
            int[] current = {container};
            int size = 1;
            for (String label : gr.patternLabels) {
                stamp++;
                int[] next = new int[16];
                int m = 0;
                for (int i = 0; i < size; i++) {
                    int v = current[i];
                    for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                        if (s.edgeType(e) == EdgeType.WEAK) {
                            continue;
                        }
                        int t = s.edgeTo(e);
                        if (mark[t] == stamp || !keys.label(v, e).equals(label)) {
                            continue;
                        }
                        mark[t] = stamp;
                        if (m == next.length) {
                            next = java.util.Arrays.copyOf(next, m * 2);
                        }
                        next[m++] = t;
                    }
                }
                current = next;
                size = m;
            }
            if (cls < 0) {
                continue;
            }
            int[] counts = subtreeCountByClass.computeIfAbsent(cls, c -> subtreeCounts(g, order, c));
            long count = 0;
            long bytes = 0;
            for (int i = 0; i < size; i++) {
                int v = current[i];
                if (g.classes().classOf(v) != cls) {
                    continue;
                }
                // members reached through another path still count themselves
                count += Math.max(1, counts[v]);
                bytes += subtreeBytes[v] > 0 ? subtreeBytes[v] : s.selfSize(v);
            }
            gr.counts[index] = count;
            gr.bytesPer[index] = bytes;
            // remember who the members were at first, to tell a queue (turnover) from a pile
            if (index == 0) {
                gr.firstMemberIds = new long[Math.min(size, 100_000)];
                for (int i = 0; i < gr.firstMemberIds.length; i++) {
                    gr.firstMemberIds[i] = s.id(current[i]);
                }
                java.util.Arrays.sort(gr.firstMemberIds);
            } else if (index == gr.counts.length - 1 && gr.firstMemberIds != null) {
                long kept = 0;
                for (int i = 0; i < size; i++) {
                    if (java.util.Arrays.binarySearch(gr.firstMemberIds, s.id(current[i])) >= 0) {
                        kept++;
                    }
                }
                gr.firstMembersKept = kept;
            }
        }
    }

    private static int[] subtreeCounts(HeapGraph g, int[] order, int cls) {
        int n = g.snapshot().nodeCount();
        int[] c = new int[n];
        for (int i = order.length - 1; i >= 0; i--) {
            int v = order[i];
            if (g.classes().classOf(v) == cls) {
                c[v]++;
            }
            int p = g.pathParent(v);
            if (p >= 0) {
                c[p] += c[v];
            }
        }
        return c;
    }
}
