package dev.leakhound.analysis;

import dev.leakhound.analysis.diagnosis.Diagnosis;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.List;

/** Everything {@code leakhound analyze} reports about one snapshot; {@code diagnosis} is null when not asked for. */
public record SnapshotAnalysis(String file, int nodeCount, int edgeCount, long totalSize, int unreachableNodes,
                               long readMillis, long analyzeMillis, Statistics statistics,
                               List<ClassSummary.Row> classes, List<LargestObjects.Row> largest,
                               Diagnosis diagnosis) {

    public static SnapshotAnalysis of(HeapGraph g, int top, long readMillis, long graphMillis) {
        return of(g, top, readMillis, graphMillis, DiagnosisOptions.defaults());
    }

    /** With the diagnosis run with {@code diagnosis} options, or without one when it is null. */
    public static SnapshotAnalysis of(HeapGraph g, int top, long readMillis, long graphMillis, DiagnosisOptions diagnosis) {
        long t0 = System.nanoTime();
        HeapSnapshot s = g.snapshot();
        Statistics stats = Statistics.compute(g);
        List<ClassSummary.Row> classes = ClassSummary.compute(g);
        List<LargestObjects.Row> largest = LargestObjects.compute(g, top);
        long ms = graphMillis + (System.nanoTime() - t0) / 1_000_000;
        Diagnosis d = diagnosis == null ? null : Diagnosis.run(g, diagnosis, classes);
        return new SnapshotAnalysis(s.source() == null ? "(memory)" : s.source().toString(), s.nodeCount(),
                s.edgeCount(), stats.total(), g.unreachableCount(), readMillis, ms, stats, classes, largest, d);
    }
}
