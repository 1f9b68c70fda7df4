package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.Timings;
import dev.leakhound.analysis.diff.DiffResult;
import dev.leakhound.analysis.diff.SameProcessCheck;
import dev.leakhound.analysis.diff.SnapshotDiff;
import dev.leakhound.analysis.nodejs.ClosureScopes;
import dev.leakhound.analysis.nodejs.V8Layout;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.analysis.source.SourceMaps;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.index.SnapshotStore;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.ReadOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds what a growing process leaks, from two or more snapshots of it taken over time: the entry
 * point of {@code find-leaks} and {@code hunt}.
 *
 * <ol>
 * <li><b>Candidates</b> (DevTools' and memlab's "allocated between" rule): objects of the last
 *     snapshot whose id is above the first snapshot's largest JS object id; with three or more
 *     snapshots, also at most the second-to-last snapshot's largest id, so each candidate has
 *     survived at least one whole interval (short-lived garbage cannot).</li>
 * <li><b>Leak roots</b>: on the shortest-path (BFS) tree of the last snapshot, the topmost
 *     user-visible candidate of each branch (objects, closures, strings, native memory; V8's
 *     internal arrays, scopes and shapes are looked through). Every candidate below a leak root is
 *     attributed to it, so each new byte counts once ({@link LeakRoots}).</li>
 * <li><b>Groups</b>: leak roots whose paths read the same once indexes, Map slots and dictionary
 *     keys are collapsed ({@link PathKeys}), and that have the same class.</li>
 * <li><b>Accumulation point</b>: for a group's representative, the nearest object above it that
 *     is older than the first snapshot and not a V8 internal (the Array, Map, emitter, scope...;
 *     {@link Accumulation}). In every snapshot, that object is found by id and the path from it to
 *     the leaked objects is followed again, giving the count and bytes it holds over time
 *     ({@link GroupMeasure}).</li>
 * <li><b>Verdict</b>: a group is a leak when it keeps growing at every step (count, or bytes by a
 *     clear margin) and its growth passes the thresholds ({@link Growth#judge}); a full bounded cache,
 *     for example, turns over (new objects) without growing and is dismissed. Each leak's shape,
 *     culprit and source position come from {@link LeakClassifier}; leaks are ranked by growth.</li>
 * </ol>
 */
public final class FindLeaks {

    /**
     * Thresholds; the defaults work on real processes (see the README).
     *
     * @param minBytes        new bytes (and, for growth in bytes only, growth) a leak must reach
     * @param minCount        objects a leak's count must grow by
     * @param maxLeaks        leaks reported, most growth first
     * @param bytesOnlyGrowth how much bytes must grow over the series when the count does not (0.10: 10%)
     * @param classDiff       also compare the first and last snapshot class by class (the HTML page shows it)
     * @param sourceMaps      maps leaks' locations to original sources ({@link SourceMaps#NONE}: as recorded)
     */
    public record Options(long minBytes, long minCount, int maxLeaks, double bytesOnlyGrowth, boolean classDiff,
                          SourceMaps sourceMaps) {
        public Options {
            sourceMaps = sourceMaps == null ? SourceMaps.NONE : sourceMaps;
        }

        public Options(long minBytes, long minCount, int maxLeaks, double bytesOnlyGrowth, boolean classDiff) {
            this(minBytes, minCount, maxLeaks, bytesOnlyGrowth, classDiff, SourceMaps.NONE);
        }

        public Options(long minBytes, long minCount, int maxLeaks, double bytesOnlyGrowth) {
            this(minBytes, minCount, maxLeaks, bytesOnlyGrowth, false);
        }

        public static Options defaults() {
            return new Options(64 * 1024, 5, 10, 0.10, false);
        }

        public Options withClassDiff(boolean on) {
            return new Options(minBytes, minCount, maxLeaks, bytesOnlyGrowth, on, sourceMaps);
        }

        public Options withSourceMaps(SourceMaps maps) {
            return new Options(minBytes, minCount, maxLeaks, bytesOnlyGrowth, classDiff, maps);
        }
    }

    /** Groups measured: twice the leaks asked for, at least this many. */
    static final int MIN_MEASURED = 12;
    /** Dismissed groups reported. */
    static final int MAX_DISMISSED = 5;

    private FindLeaks() {}

    /** Reads the snapshots (oldest first, with the default read options) and finds what leaks. */
    public static LeakReport run(List<Path> files, Options options, ProgressListener progress) {
        return run(files, options, ReadOptions.defaults(), progress);
    }

    /**
     * Reads the snapshots (oldest first) and finds what leaks: the entry point of find-leaks and hunt. Holds
     * the newest snapshot and at most one other at a time: each earlier one is opened once for its ids (and,
     * the first, for the checks against the newest) and once to measure the groups found in the newest. With
     * indexes on ({@link ReadOptions#index()}) the second opening reads the index the first one wrote; with
     * them off, the file is parsed again.
     */
    public static LeakReport run(List<Path> files, Options options, ReadOptions read, ProgressListener progress) {
        if (files.size() < 2) {
            throw new LeakhoundException("find-leaks needs at least two snapshots of the same process, taken some time apart");
        }
        return analyze(new Series() {
            @Override
            public int size() {
                return files.size();
            }

            @Override
            public String name(int i) {
                return files.get(i).toString();
            }

            @Override
            public HeapGraph open(int i, ProgressListener p) {
                return SnapshotStore.open(files.get(i), read, p, false).graph();
            }

            @Override
            public HeapSnapshot snapshot(int i) {
                return SnapshotStore.snapshot(files.get(i), read, ProgressListener.NONE);
            }
        }, options, progress);
    }

    /** Finds what leaks in snapshots already read, oldest first; releases them as it goes (the array's slots). */
    public static LeakReport analyze(HeapSnapshot[] snaps, Options options, ProgressListener progress) {
        return analyze(new Series() {
            @Override
            public int size() {
                return snaps.length;
            }

            @Override
            public String name(int i) {
                return snaps[i].source() == null ? "(memory)" : snaps[i].source().toString();
            }

            @Override
            public HeapGraph open(int i, ProgressListener p) {
                return HeapGraph.buildWithoutDominators(snaps[i], p);
            }

            @Override
            public HeapSnapshot snapshot(int i) {
                return snaps[i];
            }

            @Override
            public void release(int i) {
                snaps[i] = null;
            }
        }, options, progress);
    }

    /** The snapshots of one process, oldest first, opened when needed. */
    interface Series {
        int size();

        String name(int i);

        /** Snapshot {@code i}'s graph (distances and classes; no dominator tree needed). */
        HeapGraph open(int i, ProgressListener progress);

        /** Snapshot {@code i} itself (its graph is not needed yet). */
        HeapSnapshot snapshot(int i);

        /** Snapshot {@code i} will not be opened again. */
        default void release(int i) {
        }
    }

    private static LeakReport analyze(Series series, Options o, ProgressListener progress) {
        Timings.Clock clock = new Timings.Clock();
        int k = series.size();
        HeapGraph g = series.open(k - 1, progress);
        HeapSnapshot last = g.snapshot();
        long[] maxId = new long[k];
        LeakReport.SnapshotInfo[] infos = new LeakReport.SnapshotInfo[k];
        maxId[k - 1] = last.maxJsObjectId();
        infos[k - 1] = info(series.name(k - 1), last, maxId[k - 1]);
        SameProcessCheck.Result same = null;
        DiffResult classDiff = null;
        // the earlier snapshots one at a time: their ids; the first also checked and compared against the newest
        for (int i = 0; i < k - 1; i++) {
            HeapSnapshot s = series.snapshot(i);
            maxId[i] = s.maxJsObjectId();
            infos[i] = info(series.name(i), s, maxId[i]);
            if (i == 0) {
                same = SameProcessCheck.of(s, last);
                if (o.classDiff()) {
                    classDiff = SnapshotDiff.compare(s, last, same, List.of());
                }
            }
        }
        checkSameProcess(series, maxId, same);
        clock.lap("read");

        progress.progress("finding leaks", 0);
        V8Layout v8 = new V8Layout(last);
        long firstMax = maxId[0];
        long survivedMax = k >= 3 ? maxId[k - 2] : Long.MAX_VALUE;
        boolean[] isNew = LeakRoots.candidates(last, firstMax, survivedMax);
        PathKeys keys = new PathKeys(g);
        int[] top = LeakRoots.tops(g, v8, isNew);
        List<Group> groups = LeakRoots.groups(g, isNew, keys, top);

        // the biggest groups, with their accumulation points
        int measure = Math.min(groups.size(), Math.max(o.maxLeaks() * 2, MIN_MEASURED));
        List<Group> measured = new ArrayList<>();
        List<Accumulation> points = new ArrayList<>();
        for (Group group : groups.subList(0, measure)) {
            if (group.newBytes() < o.minBytes() / 4) {
                break;
            }
            measured.add(group);
            points.add(Accumulation.locate(g, v8, group, isNew, firstMax, keys));
        }
        clock.lap("leak roots");

        List<Growth> growth = measure(series, g, points, progress);
        clock.lap("measure");

        Verdicts v = judge(g, v8, keys, isNew, measured, points, growth, o);
        clock.lap("explain");
        v = LeakAllocations.attach(g, keys, isNew, top, v.judged(), v.leaks(), v.dismissed(), o.sourceMaps());
        if (last.allocationTraces() != null) {
            clock.lap("allocations");
        }
        return new LeakReport(List.of(infos), v.leaks(), v.dismissed(), classDiff, clock.timings());
    }

    private static LeakReport.SnapshotInfo info(String name, HeapSnapshot s, long maxId) {
        return new LeakReport.SnapshotInfo(name, s.nodeCount(), s.totalSelfSize(), maxId);
    }

    /**
     * Verdicts and explanations: each measured group is a leak or is dismissed (at most
     * {@value #MAX_DISMISSED} are kept); leaks are ranked by growth, then cut at {@code maxLeaks}.
     */
    private static Verdicts judge(HeapGraph g, V8Layout v8, PathKeys keys, boolean[] isNew, List<Group> measured,
                                  List<Accumulation> points, List<Growth> growth, Options o) {
        SourceLocator locator = new SourceLocator(g, o.sourceMaps());
        LeakClassifier classifier = new LeakClassifier(g, v8, locator, keys, isNew);
        List<LeakReport.Scope> scopes = ContainerScopes.of(g, new ClosureScopes(v8), locator, points);
        List<Judged> leaks = new ArrayList<>();
        List<Judged> dismissed = new ArrayList<>();
        for (int i = 0; i < measured.size(); i++) {
            Group group = measured.get(i);
            Growth gr = growth.get(i);
            LeakReport.Dismissal dismissal = gr.judge(group.newBytes(), o);
            if (dismissal != null && dismissed.size() >= MAX_DISMISSED) {
                continue;
            }
            Accumulation acc = points.get(i);
            LeakReport.Container container = new LeakReport.Container(acc.containerId(), acc.containerClass(),
                    RetainerPath.render(g, acc.containerPath()), keys.pattern(acc.edges()), scopes.get(i));
            LeakClassifier.Result shape = classifier.classify(group, acc, gr);
            LeakSignature signature = LeakSignature.of(shape.pattern(), keys.signatureUnits(acc.container()), container.pattern(),
                    acc.leakedClass());
            Judged j = new Judged(group, acc, gr, container, dismissal, shape, signature, new ArrayList<>());
            (dismissal == null ? leaks : dismissed).add(j);
        }
        leaks.sort(Comparator.comparingLong((Judged j) -> Math.max(j.growth.growthBytes(), j.group.newBytes())).reversed());
        mergeSharedContainers(leaks, dismissed);
        List<LeakReport.Leak> ranked = new ArrayList<>();
        List<Judged> kept = new ArrayList<>();
        for (int i = 0; i < Math.min(leaks.size(), o.maxLeaks()); i++) {
            ranked.add(leaks.get(i).leak(i + 1));
            kept.add(leaks.get(i));
        }
        List<LeakReport.Leak> notLeaks = new ArrayList<>();
        for (Judged j : dismissed) {
            notLeaks.add(j.leak(0));
            kept.add(j);
        }
        return new Verdicts(ranked, notLeaks, kept);
    }

    /**
     * What accumulates in one container through the same path pattern is one leak: a Map's keys and its values
     * (strings and objects under {@code {table}{*}}), say, are two groups with one accumulation point. Each group
     * whose container and pattern are a leak's is folded into the first (biggest) such leak, be it a leak or
     * dismissed itself: its new objects count with that leak's, and it is not listed on its own.
     */
    private static void mergeSharedContainers(List<Judged> leaks, List<Judged> dismissed) {
        java.util.Map<String, Judged> owner = new java.util.HashMap<>();
        for (List<Judged> list : List.of(leaks, dismissed)) {
            for (java.util.Iterator<Judged> it = list.iterator(); it.hasNext(); ) {
                Judged j = it.next();
                String key = j.container().id() + " " + j.container().pattern();
                Judged o = owner.get(key);
                if (o != null) {
                    o.absorbed().add(j.group());
                    it.remove();
                } else if (j.dismissal() == null) {
                    owner.put(key, j);
                }
            }
        }
    }

    /** The ranked leaks and the dismissed groups; {@code judged}: theirs, leaks first, in the same order. */
    record Verdicts(List<LeakReport.Leak> leaks, List<LeakReport.Leak> dismissed, List<Judged> judged) {}

    /** Each group's growth: measured in every snapshot, oldest first, each released once measured. */
    private static List<Growth> measure(Series series, HeapGraph lastGraph, List<Accumulation> points,
                                        ProgressListener progress) {
        int k = series.size();
        GroupMeasure.Sample[][] samples = new GroupMeasure.Sample[points.size()][k];
        long[][] firstMembers = new long[points.size()][];
        for (int i = 0; i < k; i++) {
            HeapGraph gi = i == k - 1 ? lastGraph : series.open(i, ProgressListener.NONE);
            GroupMeasure.Sample[] in = GroupMeasure.of(gi, points, i == 0, i == k - 1 ? firstMembers : null);
            for (int p = 0; p < points.size(); p++) {
                samples[p][i] = in[p];
                if (i == 0) {
                    firstMembers[p] = in[p].memberIds();
                }
            }
            if (i < k - 1) {
                series.release(i);
            }
            progress.progress("finding leaks", (i + 1.0) / k);
        }
        List<Growth> out = new ArrayList<>(points.size());
        for (GroupMeasure.Sample[] s : samples) {
            out.add(Growth.of(s));
        }
        return out;
    }

    /** A measured group with its verdict and shape, before it is ranked. */
    record Judged(Group group, Accumulation acc, Growth growth, LeakReport.Container container,
                          LeakReport.Dismissal dismissal, LeakClassifier.Result shape, LeakSignature signature,
                          List<Group> absorbed) {
        /** The new bytes of its group and of the groups folded into it. */
        long newBytes() {
            long b = group.newBytes();
            for (Group a : absorbed) {
                b += a.newBytes();
            }
            return b;
        }

        LeakReport.Leak leak(int rank) {
            return new LeakReport.Leak(rank, shape.pattern(), shape.culprit(), acc.leakedClass(), growth.lastBytes(),
                    growth.last(), growth.growthBytes(), newBytes(), group.newCount(), growth.counts(), growth.bytes(),
                    container, shape.path(), shape.pathText(), shape.location(), shape.detail(), dismissal, signature,
                    LeakReport.Status.NEW);
        }
    }

    /**
     * Ids are only stable within one process: snapshots of two processes share few of them, and shared
     * ids must keep naming the same objects. Returns the check of the first and last snapshot.
     */
    private static void checkSameProcess(Series series, long[] maxId, SameProcessCheck.Result same) {
        for (int i = 1; i < maxId.length; i++) {
            if (maxId[i] < maxId[i - 1]) {
                throw new LeakhoundException(series.name(i) + " was taken before " + series.name(i - 1)
                        + " (its object ids are older); give the snapshots in the order they were taken");
            }
        }
        String a = series.name(0);
        String b = series.name(maxId.length - 1);
        // How many ids are shared is not required to be high: a process whose heap turned over between
        // the snapshots legitimately shares few.
        if (!same.idsAgree() || same.sharedIds() < Math.max(1, Math.min(1000, same.smallerNodeCount() / 100))) {
            String why = same.problem(a, b);
            throw new LeakhoundException(why != null ? why : a + " and " + b
                    + " do not look like snapshots of one process: they share only " + same.sharedIds() + " object ids");
        }
    }
}
