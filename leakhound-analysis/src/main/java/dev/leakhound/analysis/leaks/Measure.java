package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.paths.Repeats;
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
        FindLeaks.PathKeys keys = new FindLeaks.PathKeys(g);
        int[] mark = new int[n];
        int[] seen = new int[n];
        int[] inSet = new int[n];
        int stamp = 0;
        for (FindLeaks.Group gr : groups) {
            int container = wanted.get(gr.containerId);
            if (container < 0) {
                continue;   // the accumulation point did not exist yet
            }
            int cls = g.classes().find(gr.leakClass);
            // follow the pattern, one normalized label at a time; a repeated unit is followed to its end
            int[] current = {container};
            int size = 1;
            for (Repeats.Unit unit : gr.pattern) {
                if (unit.times() == 1) {
                    for (String label : unit.labels()) {
                        stamp++;
                        int[] next = step(s, keys, current, size, label, mark, stamp);
                        size = next[next.length - 1];
                        current = next;
                    }
                    continue;
                }
                // transitive closure over the unit: every node some number of repeats away
                stamp++;
                int chainStamp = stamp;
                int[] all = new int[16];
                int total = 0;
                int[] frontier = java.util.Arrays.copyOf(current, size);
                int fsize = size;
                int guard = 0;
                while (fsize > 0 && guard++ < 1_000_000) {
                    int[] f = frontier;
                    int fs = fsize;
                    for (String label : unit.labels()) {
                        stamp++;
                        int[] next = step(s, keys, f, fs, label, mark, stamp);
                        fs = next[next.length - 1];
                        f = next;
                    }
                    int kept = 0;
                    for (int i = 0; i < fs; i++) {
                        int t = f[i];
                        if (seen[t] != chainStamp) {
                            seen[t] = chainStamp;
                            if (total == all.length) {
                                all = java.util.Arrays.copyOf(all, total * 2);
                            }
                            all[total++] = t;
                            f[kept++] = t;
                        }
                    }
                    frontier = f;
                    fsize = kept;
                }
                current = all;
                size = total;
            }
            if (cls < 0) {
                continue;
            }
            // the members, then everything first reached through them (each node once, even when
            // members hang below one another, as in a linked list or a chain of closures)
            stamp++;
            int memberStamp = stamp;
            for (int i = 0; i < size; i++) {
                if (g.classes().classOf(current[i]) == cls) {
                    mark[current[i]] = memberStamp;
                }
            }
            stamp++;
            int inStamp = stamp;
            long count = 0;
            long bytes = 0;
            for (int v : order) {
                int p = g.pathParent(v);
                if (mark[v] == memberStamp || (p >= 0 && inSet[p] == inStamp)) {
                    inSet[v] = inStamp;
                    bytes += s.selfSize(v);
                    if (g.classes().classOf(v) == cls) {
                        count++;
                    }
                }
            }
            // members reached first through some other path still count themselves
            for (int i = 0; i < size; i++) {
                int v = current[i];
                if (inSet[v] != inStamp && g.classes().classOf(v) == cls) {
                    count++;
                    bytes += s.selfSize(v);
                }
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

    /** Targets of edges labelled {@code label} from the first {@code size} nodes; the count is in the last slot. */
    private static int[] step(HeapSnapshot s, FindLeaks.PathKeys keys, int[] from, int size, String label, int[] mark,
                              int stamp) {
        int[] next = new int[17];
        int m = 0;
        for (int i = 0; i < size; i++) {
            int v = from[i];
            for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                if (s.edgeType(e) == EdgeType.WEAK) {
                    continue;
                }
                int t = s.edgeTo(e);
                if (mark[t] == stamp || !keys.label(v, e).equals(label)) {
                    continue;
                }
                mark[t] = stamp;
                if (m + 1 >= next.length) {
                    next = java.util.Arrays.copyOf(next, next.length * 2);
                }
                next[m++] = t;
            }
        }
        next[next.length - 1] = m;
        return next;
    }
}
