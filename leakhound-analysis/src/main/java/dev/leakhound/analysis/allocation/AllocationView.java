package dev.leakhound.analysis.allocation;

import dev.leakhound.analysis.source.SourceMaps;

import dev.leakhound.core.snapshot.AllocationTraces;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * DevTools' Allocation view of a snapshot carrying allocation traces: the objects alive in the snapshot grouped
 * by the function that allocated them. Self: objects whose stack's innermost frame is the function; with
 * callees: objects with the function anywhere on their stack (counted once per stack). Biggest self bytes first.
 *
 * @param rows          at most the limit asked for
 * @param functions     functions that allocated a live object
 * @param tracedCount   live objects with an allocation stack
 * @param tracedBytes   their self sizes
 * @param untracedCount live objects without one (allocated before tracking started, or by V8 itself)
 */
public record AllocationView(List<Row> rows, int functions, long tracedCount, long tracedBytes, long untracedCount) {
    public AllocationView {
        rows = List.copyOf(rows);
    }

    /**
     * One allocating function.
     *
     * @param function   the function, with its start position
     * @param selfCount  live objects it allocated itself
     * @param selfBytes  their self sizes
     * @param totalCount live objects allocated by it or the functions it called
     * @param totalBytes their self sizes
     */
    public record Row(Frame function, long selfCount, long selfBytes, long totalCount, long totalBytes) {}

    /** The view, {@code limit} rows at most; null when the snapshot carries no allocation traces. */
    public static AllocationView of(HeapSnapshot s, int limit, SourceMaps maps) {
        AllocationTraces t = s.allocationTraces();
        if (t == null) {
            return null;
        }
        int size = t.size();
        long[] count = new long[size];
        long[] bytes = new long[size];
        long traced = 0;
        long tracedBytes = 0;
        long untraced = 0;
        for (int v = 0; v < s.nodeCount(); v++) {
            int id = s.traceNodeId(v);
            int i = id == 0 ? -1 : t.indexOfId(Integer.toUnsignedLong(id));
            if (i < 0) {
                untraced++;
                continue;
            }
            count[i]++;
            bytes[i] += s.selfSize(v);
            traced++;
            tracedBytes += s.selfSize(v);
        }
        int fns = t.functionCount();
        long[] selfCount = new long[fns];
        long[] selfBytes = new long[fns];
        long[] totalCount = new long[fns];
        long[] totalBytes = new long[fns];
        int[] seen = new int[fns];
        Arrays.fill(seen, -1);
        for (int i = 0; i < size; i++) {
            if (count[i] == 0) {
                continue;
            }
            int f = t.function(i);
            selfCount[f] += count[i];
            selfBytes[f] += bytes[i];
            for (int j = i; j >= 0; j = t.parent(j)) {
                int g = t.function(j);
                if (seen[g] != i) {   // once per stack, however often a function recurs on it
                    seen[g] = i;
                    totalCount[g] += count[i];
                    totalBytes[g] += bytes[i];
                }
            }
        }
        AllocationSites frames = AllocationSites.of(s, maps);
        List<Integer> used = new ArrayList<>();
        for (int f = 0; f < fns; f++) {
            if (totalCount[f] > 0 && !isRoot(t, f)) {
                used.add(f);
            }
        }
        used.sort((a, b) -> selfBytes[a] != selfBytes[b] ? Long.compare(selfBytes[b], selfBytes[a])
                : totalBytes[a] != totalBytes[b] ? Long.compare(totalBytes[b], totalBytes[a]) : Integer.compare(a, b));
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < Math.min(limit, used.size()); k++) {
            int f = used.get(k);
            rows.add(new Row(frames.frame(f), selfCount[f], selfBytes[f], totalCount[f], totalBytes[f]));
        }
        return new AllocationView(rows, used.size(), traced, tracedBytes, untraced);
    }

    private static boolean isRoot(AllocationTraces t, int f) {
        return t.functionName(f).equals("(root)") && t.scriptName(f).isEmpty();
    }
}
