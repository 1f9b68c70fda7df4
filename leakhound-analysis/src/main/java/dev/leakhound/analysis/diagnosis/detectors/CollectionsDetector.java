package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.ClassShare;
import dev.leakhound.analysis.diagnosis.Claims;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisContext;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.analysis.diagnosis.NodeScan;
import dev.leakhound.analysis.nodejs.Collections;
import dev.leakhound.core.graph.HeapGraph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collections with very high fan-out ({@link Collections}: Arrays, Maps, Sets, objects used as
 * dictionaries): reported with {@code minEntries} entries, or with at least
 * {@value NodeScan#COLLECTION_MIN_ENTRIES} entries retaining {@code minBytes}; Node's own collections (by
 * provenance) need {@code internalFactor} times that. Biggest first; a collection inside one already
 * reported (looked for up to {@value #NESTING_STEPS} dominators up) is left to it. Reads the claims (a
 * claimed collection, such as a listener array, is skipped); claims what it reports.
 */
public final class CollectionsDetector implements Detector {
    /** How many dominators up a collection looks for a reported one that contains it. */
    public static final int NESTING_STEPS = 64;

    private record Candidate(int node, Collections.Kind kind, Collections.Entries entries) {}

    @Override
    public FindingKind kind() {
        return FindingKind.COLLECTION;
    }

    @Override
    public Result detect(DiagnosisContext c, Claims claimed) {
        DiagnosisOptions o = c.options();
        HeapGraph g = c.graph();
        Collections collections = new Collections(c.v8());
        int[] nodes = c.scan().collections();
        List<Candidate> cands = new ArrayList<>();
        long examined = 0;
        long largest = 0;
        for (int i = 0; i < nodes.length; i++) {
            int v = nodes[i];
            if (claimed.has(v)) {
                continue;
            }
            Collections.Kind kind = c.scan().collectionKind(i);
            Collections.Entries en = collections.entries(g, v, kind);
            if (en.count() < NodeScan.COLLECTION_MIN_ENTRIES) {
                continue;
            }
            examined++;
            largest = Math.max(largest, en.count());
            if (en.count() >= o.minEntries() || g.retainedSize(v) >= o.minBytes()) {
                cands.add(new Candidate(v, kind, en));
            }
        }
        cands.sort((a, b) -> Long.compare(g.retainedSize(b.node()), g.retainedSize(a.node())));
        Claims mine = claimed.forDetector();
        Set<Integer> reported = new HashSet<>();
        List<Finding> out = new ArrayList<>();
        for (Candidate cand : cands) {
            int v = cand.node();
            Collections.Entries en = cand.entries();
            long bytes = g.retainedSize(v);
            long factor = c.isInternal(v) ? o.internalFactor() : 1;
            if (!(en.count() >= o.minEntries() * factor || bytes >= o.minBytes() * factor)) {
                continue;
            }
            if (insideReported(g, v, reported)) {
                continue;
            }
            reported.add(v);
            mine.add(v);
            out.add(report(c, v, cand.kind(), en, bytes));
        }
        return new Result(out, new Check.Collections(examined, NodeScan.COLLECTION_MIN_ENTRIES, largest, out.size(),
                o.minEntries(), o.minBytes()), mine.added());
    }

    static boolean insideReported(HeapGraph g, int v, Set<Integer> reported) {
        int d = g.idom(v);
        for (int i = 0; i < NESTING_STEPS && d >= 0 && d != g.snapshot().rootOrdinal(); i++) {
            if (reported.contains(d)) {
                return true;
            }
            d = g.idom(d);
        }
        return false;
    }

    private static Finding report(DiagnosisContext c, int v, Collections.Kind kind, Collections.Entries en, long bytes) {
        HeapGraph g = c.graph();
        List<ClassShare> byClass = ClassShare.top(g, en.members(), 0, en.memberCount(), 3);
        List<Long> ids = c.ids(en.members(), en.memberCount(), 5);
        Finding.Collection detail = new Finding.Collection(c.ref(v), kind, c.holderName(c.path(v)), en.count(), byClass,
                List.copyOf(en.sampleKeys()), en.numericKeys());
        return c.finding(FindingKind.COLLECTION, bytes, en.count(), v, null, ids, detail);
    }
}
