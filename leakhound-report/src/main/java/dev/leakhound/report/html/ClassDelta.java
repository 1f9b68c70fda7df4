package dev.leakhound.report.html;

import dev.leakhound.core.graph.ClassIndex;
import dev.leakhound.core.graph.IdIndex;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.report.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-class comparison of two snapshots of one process, as DevTools' Comparison view counts it:
 * objects are matched by id (stable within a process), so "new" are objects of the second snapshot
 * whose id the first lacks, "deleted" the reverse; counts and self sizes per class name, nodes of
 * self size 0 left out (as the Summary view does). The sorted id lists of the two snapshots are
 * merged once, so the cost is two sorts and one linear pass.
 */
public final class ClassDelta {
    public record Row(String name, long countBefore, long countAfter, long newCount, long deletedCount,
                      long bytesBefore, long bytesAfter, long allocBytes, long freedBytes) {
        public long countDelta() {
            return countAfter - countBefore;
        }

        public long bytesDelta() {
            return bytesAfter - bytesBefore;
        }
    }

    private ClassDelta() {}

    /** Rows sorted by the size change, largest growth first (ties by name). */
    public static List<Row> compute(HeapSnapshot before, HeapSnapshot after) {
        ClassIndex cb = ClassIndex.build(before);
        ClassIndex ca = ClassIndex.build(after);
        Map<String, Integer> rowOf = new HashMap<>();
        List<String> names = new ArrayList<>();
        int[] rowB = rowsFor(cb, rowOf, names);
        int[] rowA = rowsFor(ca, rowOf, names);
        int k = names.size();
        long[] cntB = new long[k];
        long[] cntA = new long[k];
        long[] nw = new long[k];
        long[] del = new long[k];
        long[] bytB = new long[k];
        long[] bytA = new long[k];
        long[] alloc = new long[k];
        long[] freed = new long[k];
        IdIndex ib = IdIndex.of(before);
        IdIndex ia = IdIndex.of(after);
        int i = 0;
        int j = 0;
        int nb = ib.size();
        int na = ia.size();
        while (i < nb || j < na) {
            long idB = i < nb ? ib.idAt(i) : Long.MAX_VALUE;
            long idA = j < na ? ia.idAt(j) : Long.MAX_VALUE;
            if (idB <= idA) {
                int v = ib.ordinalAt(i++);
                long size = before.selfSize(v);
                if (size > 0) {
                    int r = rowB[cb.classOf(v)];
                    cntB[r]++;
                    bytB[r] += size;
                    if (idB != idA) {
                        del[r]++;
                        freed[r] += size;
                    }
                }
            }
            if (idA <= idB) {
                int v = ia.ordinalAt(j++);
                long size = after.selfSize(v);
                if (size > 0) {
                    int r = rowA[ca.classOf(v)];
                    cntA[r]++;
                    bytA[r] += size;
                    if (idA != idB) {
                        nw[r]++;
                        alloc[r] += size;
                    }
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < k; r++) {
            if (cntB[r] == 0 && cntA[r] == 0) {
                continue;
            }
            rows.add(new Row(names.get(r), cntB[r], cntA[r], nw[r], del[r], bytB[r], bytA[r], alloc[r], freed[r]));
        }
        rows.sort(Comparator.comparingLong(Row::bytesDelta).reversed().thenComparing(Row::name));
        return rows;
    }

    private static int[] rowsFor(ClassIndex c, Map<String, Integer> rowOf, List<String> names) {
        int[] out = new int[c.classCount()];
        for (int i = 0; i < out.length; i++) {
            String name = c.name(i);
            out[i] = rowOf.computeIfAbsent(name, x -> {
                names.add(x);
                return names.size() - 1;
            });
        }
        return out;
    }

    /**
     * {@code "classDiff": {"classes": N, "rows": [[name, countBefore, countAfter, new, deleted,
     * bytesBefore, bytesAfter, allocBytes, freedBytes]...]}}: the rows that changed, at most
     * {@code limit} of them, by the absolute size change.
     */
    public static void write(List<Row> rows, int limit, Json j, String field) {
        List<Row> changed = new ArrayList<>();
        for (Row r : rows) {
            if (r.newCount() != 0 || r.deletedCount() != 0 || r.bytesDelta() != 0) {
                changed.add(r);
            }
        }
        changed.sort(Comparator.comparingLong((Row r) -> Math.abs(r.bytesDelta())).reversed()
                .thenComparing(Comparator.comparingLong((Row r) -> Math.abs(r.countDelta())).reversed())
                .thenComparing(Row::name));
        j.startObject(field).field("classes", rows.size()).field("changed", changed.size());
        j.startArray("rows");
        for (int i = 0; i < Math.min(limit, changed.size()); i++) {
            Row r = changed.get(i);
            j.startArray().value(DominatorSample.shorten(r.name(), 300)).value(r.countBefore()).value(r.countAfter())
                    .value(r.newCount()).value(r.deletedCount()).value(r.bytesBefore()).value(r.bytesAfter())
                    .value(r.allocBytes()).value(r.freedBytes()).endArray();
        }
        j.endArray();
        j.endObject();
    }
}
