package dev.leakhound.cli.serve;

import dev.leakhound.analysis.ClassSummary;
import dev.leakhound.analysis.SnapshotFacts;
import dev.leakhound.analysis.Statistics;
import dev.leakhound.analysis.allocation.AllocationSites;
import dev.leakhound.analysis.allocation.AllocationStack;
import dev.leakhound.analysis.diagnosis.Diagnosis;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.explore.ClassInstances;
import dev.leakhound.analysis.objects.DominatorSample;
import dev.leakhound.analysis.strings.DuplicateStrings;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One snapshot the server holds, opened once (from its index, or parsed) with its dominator tree, and
 * what the views computed on it so far, each computed on first use and kept: the Summary's class rows,
 * the statistics, the instances grouped by class, the diagnosis, and the last few distance arrays with
 * ignored retainers.
 */
public final class Served {
    private static final int IGNORE_CACHE = 4;

    final int index;
    final Path file;
    final long fileBytes;
    final HeapGraph graph;
    // each computed once, under its own lock: a long one (the diagnosis) does not hold up the others
    private final Lazy<SnapshotFacts> facts;
    private final Lazy<List<ClassSummary.Row>> classes;
    private final Lazy<Statistics> statistics;
    private final Lazy<ClassInstances> instances;
    private final Lazy<DominatorSample> dominatorSample;
    private final Lazy<Diagnosis> diagnosis;
    private final Lazy<DuplicateStrings.Tally> duplicates;
    private final Lazy<AllocationSites> allocationSites;
    private final Map<String, int[]> ignoring = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, int[]> e) {
            return size() > IGNORE_CACHE;
        }
    };

    /** {@code graph}: opened with its dominator tree. */
    public Served(int index, Path file, long fileBytes, HeapGraph graph) {
        this.index = index;
        this.file = file;
        this.fileBytes = fileBytes;
        this.graph = graph;
        this.facts = new Lazy<>(() -> SnapshotFacts.of(graph.snapshot(), fileBytes));
        this.classes = new Lazy<>(() -> ClassSummary.compute(graph));
        this.statistics = new Lazy<>(() -> Statistics.compute(graph));
        this.instances = new Lazy<>(() -> new ClassInstances(graph));
        this.dominatorSample = new Lazy<>(() -> DominatorSample.of(graph));
        this.diagnosis = new Lazy<>(() -> Diagnosis.run(graph, DiagnosisOptions.defaults(), classes()));
        this.allocationSites = new Lazy<>(() -> AllocationSites.of(graph.snapshot(), null));
        this.duplicates = new Lazy<>(() -> {
            int[] info = DuplicateStrings.count(graph).info();
            return info == null ? null : DuplicateStrings.tally(info, graph.snapshot().strings(), Integer.MAX_VALUE);
        });
    }

    /** A value computed on first use, once; callers meanwhile wait for it. */
    private static final class Lazy<T> {
        private final Supplier<T> compute;
        private T value;
        private boolean done;

        Lazy(Supplier<T> compute) {
            this.compute = compute;
        }

        synchronized T get() {
            if (!done) {
                value = compute.get();
                done = true;
            }
            return value;
        }
    }

    private volatile boolean warm;

    /**
     * Computes now what the views compute on first use (the Summary's classes, the statistics, the instances
     * grouped by class, the treemap, the diagnosis), so that the first requests need not wait for them; a
     * request that comes meanwhile waits for the part it needs.
     */
    public void warm() {
        classes();
        instances().prepare(10_000);
        statistics();
        dominatorSample();
        diagnosis();
        warm = true;
    }

    /** Whether {@link #warm()} has run. */
    boolean isWarm() {
        return warm;
    }

    public Path file() {
        return file;
    }

    HeapSnapshot snapshot() {
        return graph.snapshot();
    }

    SnapshotFacts facts() {
        return facts.get();
    }

    List<ClassSummary.Row> classes() {
        return classes.get();
    }

    Statistics statistics() {
        return statistics.get();
    }

    ClassInstances instances() {
        return instances.get();
    }

    /** The top of the dominator tree, as the analyze page's treemap draws it. */
    DominatorSample dominatorSample() {
        return dominatorSample.get();
    }

    Diagnosis diagnosis() {
        return diagnosis.get();
    }

    /**
     * The stack that allocated object {@code v} (an ordinal), or null: the snapshot has no allocation traces
     * ({@link #hasAllocationTraces()}), or the object was allocated before tracking started.
     */
    AllocationStack allocationStack(int v) {
        AllocationSites sites = allocationSites.get();
        if (sites == null) {
            return null;
        }
        synchronized (sites) {   // it keeps what it resolved, and is not thread-safe
            List<AllocationStack> st = sites.stacks(new int[] {v}, null, 1);
            return st.isEmpty() ? null : st.get(0);
        }
    }

    boolean hasAllocationTraces() {
        return graph.snapshot().allocationTraces() != null;
    }

    /** Every duplicated string, the biggest waste first; null when the string table is too big to count. */
    DuplicateStrings.Tally duplicates() {
        return duplicates.get();
    }

    /** Distances with the edges out of {@code ignored} (ordinals) not followed; null for none ignored. */
    int[] distancesIgnoring(int[] ignored) {
        if (ignored.length == 0) {
            return null;
        }
        int[] sorted = ignored.clone();
        Arrays.sort(sorted);
        String key = Arrays.toString(sorted);
        synchronized (ignoring) {
            int[] d = ignoring.get(key);
            if (d != null) {
                return d;
            }
        }
        int[] d = graph.distancesIgnoring(sorted);
        synchronized (ignoring) {
            ignoring.put(key, d);
        }
        return d;
    }

    /** The ordinal of the object with that id, or a 404 naming the snapshot. */
    int ordinal(long id) {
        int v = graph.snapshot().ordinalOfId(id);
        if (v < 0) {
            throw ApiException.notFound("no object @" + id + " in snapshot " + index + " (" + file.getFileName() + ")");
        }
        return v;
    }
}
