package dev.leakhound.analysis.explore;

import dev.leakhound.core.graph.ClassIndex;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The instances of each class, as the Summary view expands a class: the objects with a self size above 0
 * (the ones {@link dev.leakhound.analysis.ClassSummary} counts), biggest retained size first, then by
 * ordinal. One pass groups every node by class on first use; a class's members are sorted the first time
 * that class is asked for, so paging through a class of millions costs one sort and then a copy per page.
 */
public final class ClassInstances {
    /** Ordinals fit in this many bits of a sort key; retained sizes take the rest (capped). */
    private static final int ORDINAL_BITS = 27;
    private static final long MAX_KEYED_RETAINED = (1L << (63 - ORDINAL_BITS)) - 1;

    private final HeapGraph g;
    private final int[] start;     // per class, classes + 1
    private final int[] members;   // ordinals grouped by class
    private final boolean[] sorted;

    public ClassInstances(HeapGraph g) {
        this.g = g;
        HeapSnapshot s = g.snapshot();
        ClassIndex ci = g.classes();
        int k = ci.classCount();
        int n = s.nodeCount();
        int[] start = new int[k + 1];
        for (int v = 0; v < n; v++) {
            if (s.selfSize(v) != 0) {
                start[ci.classOf(v) + 1]++;
            }
        }
        for (int c = 0; c < k; c++) {
            start[c + 1] += start[c];
        }
        int[] members = new int[start[k]];
        int[] fill = Arrays.copyOf(start, k);
        for (int v = 0; v < n; v++) {
            if (s.selfSize(v) != 0) {
                members[fill[ci.classOf(v)]++] = v;
            }
        }
        this.start = start;
        this.members = members;
        this.sorted = new boolean[k];
    }

    public int classCount() {
        return sorted.length;
    }

    /** Sorts now every class of at least {@code minCount} instances, so that their first page is quick. */
    public void prepare(int minCount) {
        for (int c = 0; c < sorted.length; c++) {
            if (count(c) >= minCount) {
                sort(c);
            }
        }
    }

    /** How many instances the class has. */
    public int count(int classId) {
        return start[classId + 1] - start[classId];
    }

    /**
     * A page of the class's instances, biggest retained size first; with {@code ids} (not null) only the
     * objects whose id lies in it ("objects allocated between snapshots"), and {@code total} counts those.
     */
    public Page<ObjectRow> page(int classId, int offset, int limit, IdRange ids) {
        sort(classId);
        HeapSnapshot s = g.snapshot();
        int from = start[classId];
        int to = start[classId + 1];
        List<ObjectRow> rows = new ArrayList<>(Math.min(limit, to - from));
        if (ids == null) {
            for (int i = from + offset; i < to && rows.size() < limit; i++) {
                rows.add(ObjectRow.of(g, members[i]));
            }
            return new Page<>(to - from, offset, rows);
        }
        long total = 0;
        for (int i = from; i < to; i++) {
            int v = members[i];
            if (ids.contains(s.id(v))) {
                if (total >= offset && rows.size() < limit) {
                    rows.add(ObjectRow.of(g, v));
                }
                total++;
            }
        }
        return new Page<>(total, offset, rows);
    }

    /**
     * The Summary under DevTools' "objects allocated between" filter: per class, how many of its instances
     * have an id in {@code ids} and their shallow size, for the classes that have any, most bytes first.
     * Retained sizes are not given: the class rule (count a node once per class) is for whole classes.
     */
    public List<FilteredClass> classesIn(IdRange ids) {
        HeapSnapshot s = g.snapshot();
        List<FilteredClass> out = new ArrayList<>();
        for (int c = 0; c < sorted.length; c++) {
            long count = 0;
            long shallow = 0;
            int minDistance = Integer.MAX_VALUE;
            for (int i = start[c]; i < start[c + 1]; i++) {
                int v = members[i];
                if (ids.contains(s.id(v))) {
                    count++;
                    shallow += s.selfSize(v);
                    int d = g.distance(v);
                    if (d >= 0 && d < minDistance) {
                        minDistance = d;
                    }
                }
            }
            if (count > 0) {
                out.add(new FilteredClass(c, g.classes().name(c), count, minDistance == Integer.MAX_VALUE ? -1 : minDistance,
                        shallow));
            }
        }
        out.sort((a, b) -> a.shallowSize() != b.shallowSize() ? Long.compare(b.shallowSize(), a.shallowSize())
                : a.name().compareTo(b.name()));
        return out;
    }

    /** One class's instances in an id range. {@code minDistance} is -1 when none is reachable. */
    public record FilteredClass(int classId, String name, long count, int minDistance, long shallowSize) {}

    /** Object ids {@code after < id <= upTo}: what DevTools' "objects allocated between" filter keeps. */
    public record IdRange(long after, long upTo) {
        public boolean contains(long id) {
            return id > after && id <= upTo;
        }
    }

    private synchronized void sort(int classId) {
        if (sorted[classId]) {
            return;
        }
        int from = start[classId];
        int to = start[classId + 1];
        long[] ret = g.retainedSizes();
        if (g.snapshot().nodeCount() < (1 << ORDINAL_BITS)) {
            // one primitive sort of keys: (capped retained size, descending) then ordinal
            long[] keys = new long[to - from];
            for (int i = from; i < to; i++) {
                int v = members[i];
                keys[i - from] = ((MAX_KEYED_RETAINED - Math.min(ret[v], MAX_KEYED_RETAINED)) << ORDINAL_BITS) | v;
            }
            Arrays.sort(keys);
            for (int i = from; i < to; i++) {
                members[i] = (int) (keys[i - from] & ((1L << ORDINAL_BITS) - 1));
            }
        } else {
            Integer[] boxed = new Integer[to - from];
            for (int i = from; i < to; i++) {
                boxed[i - from] = members[i];
            }
            Arrays.sort(boxed, (a, b) -> ret[a] != ret[b] ? Long.compare(ret[b], ret[a]) : Integer.compare(a, b));
            for (int i = from; i < to; i++) {
                members[i] = boxed[i - from];
            }
        }
        sorted[classId] = true;
    }
}
