package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.ClassSummary;
import dev.leakhound.analysis.Timings;
import dev.leakhound.analysis.diagnosis.detectors.ClosureChainsDetector;
import dev.leakhound.analysis.diagnosis.detectors.ClosureScopesDetector;
import dev.leakhound.analysis.diagnosis.detectors.CollectionsDetector;
import dev.leakhound.analysis.diagnosis.detectors.DuplicateStringsDetector;
import dev.leakhound.analysis.diagnosis.detectors.ExternalMemoryDetector;
import dev.leakhound.analysis.diagnosis.detectors.ListenersDetector;
import dev.leakhound.analysis.diagnosis.detectors.TimersDetector;
import dev.leakhound.analysis.source.SourceMaps;
import dev.leakhound.core.graph.HeapGraph;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * One snapshot, diagnosed: MAT-style leak suspects and Node.js leak-pattern detectors, each finding
 * with the evidence read from the snapshot, ranked by bytes at stake. Data only: the report layer says
 * what it means (the verdict, each finding's title and fix, what was checked, what one snapshot
 * cannot show).
 *
 * @param heapBytes        total self size of the snapshot
 * @param suspectThreshold bytes a leak suspect must retain: max(share of the heap, minBytes)
 * @param findings         the biggest {@code maxFindings} findings
 * @param omittedFindings  how many smaller findings were cut
 * @param checks           what each step looked at, in the order they ran
 * @param timings          how long each step took (reports show them only when asked)
 */
public record Diagnosis(DiagnosisOptions options, long heapBytes, long suspectThreshold, List<Suspect> suspects,
                        List<Finding> findings, int omittedFindings, List<Check> checks, Timings timings) {

    public Diagnosis {
        suspects = List.copyOf(suspects);
        findings = List.copyOf(findings);
        checks = List.copyOf(checks);
    }

    /** No suspect and no finding. */
    public boolean healthy() {
        return suspects.isEmpty() && findings.isEmpty();
    }

    /**
     * The detectors, in the order they run. A detector sees what those before it claimed: listeners and
     * timers first (a listener's or timer's scope is explained by them), then closure chains (whose
     * ScopeInfo they claim), collections, external memory, the closure scopes that remain, and duplicate
     * strings (which claim nothing).
     */
    public static List<Detector> detectors() {
        return List.of(new ListenersDetector(), new TimersDetector(), new ClosureChainsDetector(),
                new CollectionsDetector(), new ExternalMemoryDetector(), new ClosureScopesDetector(),
                new DuplicateStringsDetector());
    }

    /**
     * The part of {@link #run} that needs no dominator tree (the scan of the nodes, the closure-chain
     * link search): run it beside the dominator tree (see {@link HeapGraph#build(
     * dev.leakhound.core.snapshot.HeapSnapshot, dev.leakhound.core.snapshot.ProgressListener,
     * java.util.function.Function)}) and hand it to {@link #run}.
     */
    public static NodeScan prepare(HeapGraph g, DiagnosisOptions o) {
        return NodeScan.of(g, o.minChain());
    }

    /** {@link #run(HeapGraph, DiagnosisOptions, List, NodeScan)} with the scan done here. */
    public static Diagnosis run(HeapGraph g, DiagnosisOptions o, List<ClassSummary.Row> classes) {
        return run(g, o, classes, null);
    }

    /** Runs every detector; {@code classes} and {@code scan} may be null (then computed here). */
    public static Diagnosis run(HeapGraph g, DiagnosisOptions o, List<ClassSummary.Row> classes, NodeScan scan) {
        return run(g, o, classes, scan, SourceMaps.NONE);
    }

    /** {@link #run(HeapGraph, DiagnosisOptions, List, NodeScan)}, with findings' sources mapped through {@code maps}. */
    public static Diagnosis run(HeapGraph g, DiagnosisOptions o, List<ClassSummary.Row> classes, NodeScan scan,
                                SourceMaps maps) {
        Timings.Clock clock = new Timings.Clock();
        if (classes == null) {
            classes = ClassSummary.compute(g);
        }
        if (scan == null) {
            scan = prepare(g, o);
        }
        List<Check> checks = new ArrayList<>();
        checks.add(new Check.Scan(scan.nodes(), scan.edges()));
        DiagnosisContext context = new DiagnosisContext(g, o, scan, maps);
        clock.lap("scan");
        long heap = context.heapBytes();
        long threshold = Math.max((long) Math.ceil(heap * o.suspectShare()), o.minBytes());
        List<Suspect> suspects = Suspects.find(context, threshold, classes);
        checks.add(new Check.Suspects(suspects.size(), threshold, o.suspectShare(), o.minBytes()));
        clock.lap("leak suspects");

        List<Finding> all = new ArrayList<>();
        Claims claims = Claims.none();
        for (Detector d : detectors()) {
            Detector.Result r = d.detect(context, claims);
            all.addAll(r.findings());
            checks.add(r.check());
            BitSet claimed = r.claims();
            if (!claimed.isEmpty()) {
                claims = claims.plus(claimed);
            }
            clock.lap(d.kind().id());
        }
        all.sort(Comparator.comparingLong(Finding::bytes).reversed().thenComparing((Finding f) -> f.kind().id())
                .thenComparingLong(Finding::id));
        List<Finding> findings = all.size() > o.maxFindings() ? all.subList(0, o.maxFindings()) : all;
        return new Diagnosis(o, heap, threshold, suspects, findings, all.size() - findings.size(), checks,
                clock.timings());
    }
}
