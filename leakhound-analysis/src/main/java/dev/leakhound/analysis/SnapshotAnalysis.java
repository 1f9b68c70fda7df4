package dev.leakhound.analysis;

import dev.leakhound.analysis.allocation.AllocationView;
import dev.leakhound.analysis.diagnosis.Diagnosis;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.NodeScan;
import dev.leakhound.analysis.objects.DominatorSample;
import dev.leakhound.analysis.source.SourceMaps;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.index.SnapshotStore;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.ReadOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code leakhound analyze} reports about one snapshot.
 *
 * @param diagnosis  null when not asked for
 * @param dominators the top of the dominator tree (for a treemap), null when not asked for
 * @param timings    read, graph, analysis and diagnosis steps (reports show them only when asked)
 * @param allocations DevTools' Allocation view when the snapshot carries allocation traces, else null
 */
public record SnapshotAnalysis(String file, int nodeCount, int edgeCount, long totalSize, int unreachableNodes,
                               Statistics statistics, List<ClassSummary.Row> classes, List<LargestObjects.Row> largest,
                               Diagnosis diagnosis, DominatorSample dominators, Timings timings,
                               AllocationView allocations) {

    /** Functions the Allocation view lists, at most. */
    public static final int ALLOCATION_ROWS = 50;

    /** An analysis without an Allocation view. */
    public SnapshotAnalysis(String file, int nodeCount, int edgeCount, long totalSize, int unreachableNodes,
                            Statistics statistics, List<ClassSummary.Row> classes, List<LargestObjects.Row> largest,
                            Diagnosis diagnosis, DominatorSample dominators, Timings timings) {
        this(file, nodeCount, edgeCount, totalSize, unreachableNodes, statistics, classes, largest, diagnosis, dominators,
                timings, null);
    }

    /**
     * What to compute.
     *
     * @param top        largest objects listed
     * @param diagnosis  the diagnosis's options, or null for none
     * @param dominators whether to sample the top of the dominator tree
     */
    public record Options(int top, DiagnosisOptions diagnosis, boolean dominators, SourceMaps sourceMaps) {
        public Options {
            sourceMaps = sourceMaps == null ? SourceMaps.NONE : sourceMaps;
        }

        public Options(int top, DiagnosisOptions diagnosis, boolean dominators) {
            this(top, diagnosis, dominators, SourceMaps.NONE);
        }

        public static Options defaults() {
            return new Options(20, DiagnosisOptions.defaults(), false);
        }

        /** Locations mapped to original sources through {@code maps}. */
        public Options withSourceMaps(SourceMaps maps) {
            return new Options(top, diagnosis, dominators, maps);
        }
    }

    /** What needs no dominator tree, computed on the second core while the tree is built. */
    private record Early(Statistics statistics, ClassSummary.Counts counts, NodeScan scan) {}

    /** Reads the file and analyzes it: the entry point of {@code analyze}. */
    public static SnapshotAnalysis analyze(Path file, Options o, ProgressListener progress) {
        return analyze(file, o, ReadOptions.defaults(), progress);
    }

    /** {@link #analyze(Path, Options, ProgressListener)}, reading with {@code read}. */
    public static SnapshotAnalysis analyze(Path file, Options o, ReadOptions read, ProgressListener progress) {
        Timings.Clock clock = new Timings.Clock();
        HeapGraph g = SnapshotStore.open(file, read, progress, true).graph();
        clock.lap("read");
        DiagnosisOptions d = o.diagnosis();
        Early early = g.withDominators(progress, gr -> early(gr, d));
        clock.lap("graph");
        return assemble(g, early, o, progress, clock);
    }

    /** Analyzes a snapshot already read. */
    public static SnapshotAnalysis analyze(HeapSnapshot s, Options o, ProgressListener progress) {
        return analyze(s, o, progress, new Timings.Clock());
    }

    private static SnapshotAnalysis analyze(HeapSnapshot s, Options o, ProgressListener progress, Timings.Clock clock) {
        DiagnosisOptions d = o.diagnosis();
        HeapGraph.Built<Early> built = HeapGraph.build(s, progress, gr -> early(gr, d));
        clock.lap("graph");
        return assemble(built.graph(), built.alongside(), o, progress, clock);
    }

    private static Early early(HeapGraph g, DiagnosisOptions d) {
        return new Early(Statistics.compute(g), ClassSummary.counts(g), d == null ? null : Diagnosis.prepare(g, d));
    }

    /** The analyses that need the dominator tree, on top of what was computed before it. */
    private static SnapshotAnalysis assemble(HeapGraph g, Early early, Options o, ProgressListener progress,
                                             Timings.Clock clock) {
        HeapSnapshot s = g.snapshot();
        progress.progress("report", 0);
        List<ClassSummary.Row> classes = ClassSummary.compute(g, early.counts());
        List<LargestObjects.Row> largest = LargestObjects.compute(g, o.top(), o.sourceMaps());
        DominatorSample dominators = o.dominators() ? DominatorSample.of(g) : null;
        clock.lap("analyze");
        Diagnosis diagnosis = o.diagnosis() == null ? null : Diagnosis.run(g, o.diagnosis(), classes, early.scan(), o.sourceMaps());
        if (diagnosis != null) {
            clock.lap("diagnosis");
        }
        AllocationView allocations = AllocationView.of(s, ALLOCATION_ROWS, o.sourceMaps());
        if (allocations != null) {
            clock.lap("allocations");
        }
        return new SnapshotAnalysis(s.source() == null ? "(memory)" : s.source().toString(), s.nodeCount(),
                s.edgeCount(), early.statistics().total(), g.unreachableCount(), early.statistics(), classes, largest,
                diagnosis, dominators, clock.timings(), allocations);
    }

    /** Analyzes a graph already built (tests, and callers that keep the graph). */
    public static SnapshotAnalysis of(HeapGraph g, Options o) {
        Timings.Clock clock = new Timings.Clock();
        DiagnosisOptions d = o.diagnosis();
        Early early = new Early(Statistics.compute(g), ClassSummary.counts(g), d == null ? null : Diagnosis.prepare(g, d));
        return assemble(g, early, o, ProgressListener.NONE, clock);
    }
}
