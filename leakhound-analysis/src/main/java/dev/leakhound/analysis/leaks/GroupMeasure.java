package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.paths.Repeats;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.Arrays;
import java.util.List;

/**
 * Measures groups in one snapshot through their accumulation points: find the container by id,
 * follow the group's normalized path from it to the members of the leaked class, and add up what the
 * members hold on the shortest-path tree (each node belongs to the subtree of the member it was first
 * reached through, so nothing is counted twice).
 */
final class GroupMeasure {
    /** Member ids remembered at the first snapshot, to tell a queue (turnover) from a pile. */
    static final int MAX_MEMBER_IDS = 100_000;
    /** Rounds a repeated unit is followed (a chain longer than this is cut). */
    static final int MAX_REPEATS = 1_000_000;

    /**
     * What one group holds in one snapshot.
     *
     * @param count      objects of the leaked class under the container
     * @param bytes      bytes kept alive through the members
     * @param memberIds  the sorted ids of the first {@value #MAX_MEMBER_IDS} members, when asked; else null
     * @param keptMembers how many members have an id among those asked about, or -1 when not asked
     */
    record Sample(long count, long bytes, long[] memberIds, long keptMembers) {
        /** The container did not exist yet, or the leaked class does not. */
        static final Sample NONE = new Sample(0, 0, null, -1);
    }

    private GroupMeasure() {}

    /**
     * Measures {@code groups} in snapshot {@code g}. {@code rememberMembers}: also return each group's
     * member ids; {@code earlierMembers} (null, or one sorted array or null per group): also count the
     * members that were among those.
     */
    static Sample[] of(HeapGraph g, List<Accumulation> groups, boolean rememberMembers, long[][] earlierMembers) {
        Sample[] out = new Sample[groups.size()];
        Arrays.fill(out, Sample.NONE);
        if (groups.isEmpty()) {
            return out;
        }
        HeapSnapshot s = g.snapshot();
        int n = s.nodeCount();
        int[] containers = containers(s, groups);
        int[] order = g.bfsOrder();
        PathKeys keys = new PathKeys(g);
        int[] mark = new int[n];
        int[] seen = new int[n];
        int[] inSet = new int[n];
        int stamp = 0;
        int[][] memberNodes = new int[groups.size()][];   // null: not measured here (no container, no such class)
        int[] classOfGroup = new int[groups.size()];
        for (int gi = 0; gi < groups.size(); gi++) {
            Accumulation acc = groups.get(gi);
            int container = containers[gi];
            if (container < 0) {
                continue;   // the accumulation point did not exist yet
            }
            int cls = g.classes().find(acc.leakedClass());
            // follow the pattern, one normalized label at a time; a repeated unit is followed to its end
            int[] current = {container};
            int size = 1;
            for (Repeats.Unit unit : acc.units()) {
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
                int[] frontier = Arrays.copyOf(current, size);
                int fsize = size;
                for (int round = 0; fsize > 0 && round < MAX_REPEATS; round++) {
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
                                all = Arrays.copyOf(all, total * 2);
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
            memberNodes[gi] = Arrays.copyOf(current, size);
            classOfGroup[gi] = cls;
        }
        // the members, then everything first reached through them (each node once, even when members hang
        // below one another, as in a linked list or a chain of closures): one pass over the BFS order for up
        // to 32 groups at once, a bit per group in the two node-sized arrays the pattern walk no longer needs
        long[] count = new long[groups.size()];
        long[] bytes = new long[groups.size()];
        int[] memberBits = seen;
        int[] reached = inSet;
        for (int from = 0; from < groups.size(); from += 32) {
            int to = Math.min(groups.size(), from + 32);
            Arrays.fill(memberBits, 0);
            boolean any = false;
            for (int gi = from; gi < to; gi++) {
                if (memberNodes[gi] == null) {
                    continue;
                }
                any = true;
                for (int v : memberNodes[gi]) {
                    if (g.classes().classOf(v) == classOfGroup[gi]) {
                        memberBits[v] |= 1 << (gi - from);
                    }
                }
            }
            if (!any) {
                continue;
            }
            Arrays.fill(reached, 0);
            for (int v : order) {
                int p = g.pathParent(v);
                int x = memberBits[v] | (p >= 0 ? reached[p] : 0);
                reached[v] = x;
                while (x != 0) {
                    int gi = from + Integer.numberOfTrailingZeros(x);
                    bytes[gi] += s.selfSize(v);
                    if (g.classes().classOf(v) == classOfGroup[gi]) {
                        count[gi]++;
                    }
                    x &= x - 1;
                }
            }
            // members reached first through some other path still count themselves
            for (int gi = from; gi < to; gi++) {
                if (memberNodes[gi] == null) {
                    continue;
                }
                int bit = 1 << (gi - from);
                for (int v : memberNodes[gi]) {
                    if ((reached[v] & bit) == 0 && g.classes().classOf(v) == classOfGroup[gi]) {
                        count[gi]++;
                        bytes[gi] += s.selfSize(v);
                    }
                }
            }
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            int[] current = memberNodes[gi];
            if (current == null) {
                continue;
            }
            int size = current.length;
            long[] ids = null;
            if (rememberMembers) {
                ids = new long[Math.min(size, MAX_MEMBER_IDS)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = s.id(current[i]);
                }
                Arrays.sort(ids);
            }
            long kept = -1;
            long[] earlier = earlierMembers == null ? null : earlierMembers[gi];
            if (earlier != null) {
                kept = 0;
                for (int i = 0; i < size; i++) {
                    if (Arrays.binarySearch(earlier, s.id(current[i])) >= 0) {
                        kept++;
                    }
                }
            }
            out[gi] = new Sample(count[gi], bytes[gi], ids, kept);
        }
        return out;
    }

    /** Each group's container in this snapshot (found by id in one pass over the nodes), or -1. */
    static int[] containers(HeapSnapshot s, List<Accumulation> groups) {
        long[] wanted = new long[groups.size()];
        for (int i = 0; i < wanted.length; i++) {
            wanted[i] = groups.get(i).containerId();
        }
        Arrays.sort(wanted);
        int[] found = new int[wanted.length];
        Arrays.fill(found, -1);
        long min = wanted[0];
        long max = wanted[wanted.length - 1];
        for (int v = 0, n = s.nodeCount(); v < n; v++) {
            long id = s.id(v);
            if (id < min || id > max) {
                continue;
            }
            int at = Arrays.binarySearch(wanted, id);
            if (at >= 0 && found[at] < 0) {
                found[at] = v;
                // equal ids (two groups with one container) share the first node with that id
                for (int j = at - 1; j >= 0 && wanted[j] == id; j--) {
                    found[j] = v;
                }
                for (int j = at + 1; j < wanted.length && wanted[j] == id; j++) {
                    found[j] = v;
                }
            }
        }
        int[] out = new int[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = found[Arrays.binarySearch(wanted, groups.get(i).containerId())];
        }
        return out;
    }

    /** Targets of edges labelled {@code label} from the first {@code size} nodes; the count is in the last slot. */
    private static int[] step(HeapSnapshot s, PathKeys keys, int[] from, int size, String label, int[] mark, int stamp) {
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
                    next = Arrays.copyOf(next, next.length * 2);
                }
                next[m++] = t;
            }
        }
        next[next.length - 1] = m;
        return next;
    }
}
