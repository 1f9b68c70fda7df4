package dev.leakhound.analysis.diff;

import dev.leakhound.core.graph.ClassIndex;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.core.index.SnapshotStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DevTools' Comparison view ({@code HeapSnapshot.ts}: {@code calculateSnapshotDiff},
 * {@code calculateDiffForClass}): for every class, the ids of its objects in the base snapshot and in
 * the current one, each list sorted, are merge-joined; an id only in the current list is new, an id
 * only in the base list is deleted. Alloc. Size and Freed Size sum the self sizes of those objects.
 * An object that changed class between the snapshots counts as deleted from one class and new in the
 * other, as in DevTools.
 *
 * <p>Choices, against DevTools:
 * <ul>
 *   <li>Nodes with self size 0 are left out, as DevTools' {@code buildAggregates} leaves them out of
 *       every per-class aggregate (the synthetic roots and subroots, some embedder nodes).</li>
 *   <li>Sizes are V8's raw {@code self_size}. DevTools moves the size of single-owner {@code hidden}
 *       and {@code array} nodes onto their owner before aggregating; we do not.</li>
 *   <li>Classes are named as in the Summary ({@link ClassIndex}) and matched by name across the two
 *       snapshots; same-named classes of one snapshot (e.g. objects named {@code Function} and
 *       closures) share a row. Plain Objects are not split into inferred interfaces.</li>
 * </ul>
 *
 * <p>Cost: per snapshot one {@code long[]} of {@code id << 31 | ordinal}, bucketed by class with a
 * counting sort and sorted within each bucket; no per-node objects.
 */
public final class SnapshotDiff {
    private SnapshotDiff() {}

    /** The ids of one snapshot's objects (self size > 0), grouped by unified class and sorted within each. */
    static final class Runs {
        final HeapSnapshot s;
        final int[] start;      // per unified class, classes + 1
        final long[] packed;    // id << 31 | ordinal

        Runs(HeapSnapshot s, ClassIndex ci, int[] unifiedOf, int classes) {
            this.s = s;
            int n = s.nodeCount();
            int[] start = new int[classes + 1];
            for (int v = 0; v < n; v++) {
                if (s.selfSize(v) != 0) {
                    start[unifiedOf[ci.classOf(v)] + 1]++;
                }
            }
            for (int c = 0; c < classes; c++) {
                start[c + 1] += start[c];
            }
            long[] packed = new long[start[classes]];
            int[] fill = Arrays.copyOf(start, classes);
            for (int v = 0; v < n; v++) {
                if (s.selfSize(v) != 0) {
                    packed[fill[unifiedOf[ci.classOf(v)]]++] = (s.id(v) << 31) | v;
                }
            }
            for (int c = 0; c < classes; c++) {
                Arrays.sort(packed, start[c], start[c + 1]);
            }
            this.start = start;
            this.packed = packed;
        }
    }

    /** What {@code diff} computed: the Comparison, and memwatch's HeapDiff; either is null when not asked for. */
    public record Outcome(DiffResult comparison, MemwatchDiff.Result memwatch, SameProcessCheck.Result check,
                          List<DiffResult.Warning> warnings) {}

    /**
     * The entry point of {@code diff}: reads both files, refuses two processes unless {@code force}, and
     * computes the Comparison and/or memwatch's HeapDiff (whose times are the files' modification times).
     */
    public static Outcome run(Path before, Path after, boolean force, boolean comparison, boolean memwatch,
                              ReadOptions read, ProgressListener progress) {
        HeapSnapshot b = SnapshotStore.snapshot(before, read, progress);
        HeapSnapshot a = SnapshotStore.snapshot(after, read, progress);
        return run(b, before, a, after, force, comparison, memwatch);
    }

    /** {@link #run(Path, Path, boolean, boolean, boolean, ReadOptions, ProgressListener)} on snapshots already read from those files. */
    public static Outcome run(HeapSnapshot b, Path before, HeapSnapshot a, Path after, boolean force, boolean comparison,
                              boolean memwatch) {
        SameProcessCheck.Result check = SameProcessCheck.of(b, a);
        List<DiffResult.Warning> warnings = SameProcessCheck.enforce(check, before.toString(), after.toString(), force);
        DiffResult r = comparison ? compare(b, a, check, warnings) : null;
        MemwatchDiff.Result m = memwatch ? MemwatchDiff.compare(b, MemwatchDiff.fileTime(before), a,
                MemwatchDiff.fileTime(after)) : null;
        return new Outcome(r, m, check, warnings);
    }

    public static DiffResult compare(HeapSnapshot before, HeapSnapshot after, SameProcessCheck.Result check,
                                     List<DiffResult.Warning> warnings) {
        ClassIndex cb = ClassIndex.build(before);
        ClassIndex ca = ClassIndex.build(after);
        Map<String, Integer> unified = new HashMap<>();
        List<String> names = new ArrayList<>();
        int[] ub = unify(cb, unified, names);
        int[] ua = unify(ca, unified, names);
        int k = names.size();
        Runs rb = new Runs(before, cb, ub, k);
        Runs ra = new Runs(after, ca, ua, k);

        List<DiffResult.ClassDelta> changed = new ArrayList<>();
        long[] tot = new long[8];
        for (int c = 0; c < k; c++) {
            DiffResult.ClassDelta d = diffClass(names.get(c), rb, ra, c);
            tot[0] += d.countBefore();
            tot[1] += d.countAfter();
            tot[2] += d.bytesBefore();
            tot[3] += d.bytesAfter();
            tot[4] += d.newCount();
            tot[5] += d.deletedCount();
            tot[6] += d.allocatedBytes();
            tot[7] += d.freedBytes();
            if (d.changed()) {
                changed.add(d);
            }
        }
        changed.sort(Comparator.comparingLong(DiffResult.ClassDelta::deltaBytes).reversed()
                .thenComparing(Comparator.comparingLong(DiffResult.ClassDelta::deltaCount).reversed())
                .thenComparing(DiffResult.ClassDelta::name));
        DiffResult.ClassDelta totals = new DiffResult.ClassDelta("total", tot[0], tot[1], tot[2], tot[3], tot[4], tot[5],
                tot[6], tot[7]);
        return new DiffResult(side(before), side(after), check, List.copyOf(changed), totals, k, List.copyOf(warnings));
    }

    private static int[] unify(ClassIndex ci, Map<String, Integer> unified, List<String> names) {
        int[] u = new int[ci.classCount()];
        for (int c = 0; c < u.length; c++) {
            String name = ci.name(c);
            Integer id = unified.get(name);
            if (id == null) {
                id = names.size();
                names.add(name);
                unified.put(name, id);
            }
            u[c] = id;
        }
        return u;
    }

    /** The merge-join of one class's sorted id lists. */
    private static DiffResult.ClassDelta diffClass(String name, Runs base, Runs cur, int c) {
        long[] a = base.packed;
        long[] b = cur.packed;
        int i = base.start[c];
        int iEnd = base.start[c + 1];
        int j = cur.start[c];
        int jEnd = cur.start[c + 1];
        long bytesBefore = 0;
        long bytesAfter = 0;
        long added = 0;
        long removed = 0;
        long addedSize = 0;
        long removedSize = 0;
        while (i < iEnd || j < jEnd) {
            long x = i < iEnd ? a[i] >>> 31 : Long.MAX_VALUE;
            long y = j < jEnd ? b[j] >>> 31 : Long.MAX_VALUE;
            if (x < y) {
                long sz = base.s.selfSize((int) (a[i] & 0x7FFFFFFF));
                bytesBefore += sz;
                removed++;
                removedSize += sz;
                i++;
            } else if (x > y) {
                long sz = cur.s.selfSize((int) (b[j] & 0x7FFFFFFF));
                bytesAfter += sz;
                added++;
                addedSize += sz;
                j++;
            } else {
                bytesBefore += base.s.selfSize((int) (a[i] & 0x7FFFFFFF));
                bytesAfter += cur.s.selfSize((int) (b[j] & 0x7FFFFFFF));
                i++;
                j++;
            }
        }
        return new DiffResult.ClassDelta(name, base.start[c + 1] - base.start[c], cur.start[c + 1] - cur.start[c],
                bytesBefore, bytesAfter, added, removed, addedSize, removedSize);
    }

    static DiffResult.Side side(HeapSnapshot s) {
        return new DiffResult.Side(s.source() == null ? null : s.source().toString(), s.nodeCount(), s.totalSelfSize(),
                s.maxJsObjectId());
    }
}
