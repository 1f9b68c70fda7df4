package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.ClassSummary;
import dev.leakhound.core.graph.HeapGraph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One snapshot, diagnosed: MAT-style leak suspects and Node.js leak-pattern detectors, each finding
 * with evidence read from the snapshot and the fix that fits, ranked by bytes at stake. What one
 * snapshot cannot show (growth: a queue whose producer outpaces its consumer, a cache that is full
 * rather than growing) is said in {@link #notes()}, with the command that shows it.
 *
 * @param heapBytes        total self size of the snapshot
 * @param suspectThreshold bytes a leak suspect must retain: max(share of the heap, minBytes)
 * @param checked          one line per detector saying what it looked at
 * @param healthy          no suspect and no finding
 * @param verdict          one sentence: what the diagnosis concludes
 */
public record Diagnosis(DiagnosisOptions options, long heapBytes, long suspectThreshold, List<Suspect> suspects,
                        List<Finding> findings, List<String> checked, List<String> notes, boolean healthy,
                        String verdict, long millis) {

    /**
     * The part of {@link #run} that needs no dominator tree (the scan of the nodes, the closure-chain
     * link search), done once per graph: call it beside the dominator tree, e.g. from the {@code alongside}
     * of {@link HeapGraph#build(dev.leakhound.core.snapshot.HeapSnapshot,
     * dev.leakhound.core.snapshot.ProgressListener, java.util.function.Consumer)}; {@link #run} reuses it.
     */
    public static void prepare(HeapGraph g, DiagnosisOptions o) {
        Heap.scanned(g, o);
    }

    /** Runs every detector; {@code classes} may be null (then computed here). */
    public static Diagnosis run(HeapGraph g, DiagnosisOptions o, List<ClassSummary.Row> classes) {
        long t0 = System.nanoTime();
        List<String> checked = new ArrayList<>();
        if (classes == null) {
            classes = ClassSummary.compute(g);
        }
        // the heap total is the root's retained size: every node is in the dominator tree
        long heap = g.retainedSize(g.snapshot().rootOrdinal()) + g.snapshot().extraNativeBytes();
        long threshold = Math.max((long) Math.ceil(heap * o.suspectShare()), o.minBytes());
        Heap h = new Heap(g, o, Suspects.candidateClasses(classes, threshold));
        long total = h.total;
        checked.add("scan: one pass over " + Heap.count(g.snapshot().nodeCount()) + " nodes and "
                + Heap.count(g.snapshot().edgeCount()) + " edges");
        long t = timed(checked, null, t0);
        List<Suspect> suspects = Suspects.find(h, threshold, classes);
        checked.add("leak suspects: " + suspects.size() + " above " + Heap.bytes(threshold) + " (max of "
                + pct(o.suspectShare()) + " of the heap and " + Heap.bytes(o.minBytes()) + ")");
        t = timed(checked, null, t);

        List<Finding> all = new ArrayList<>();
        // order matters: later detectors skip what earlier ones claimed (a listener's scope, a timer's closure)
        Listeners.find(h, all, checked);
        t = timed(checked, null, t);
        Timers.find(h, all, checked);
        t = timed(checked, null, t);
        Closures closures = new Closures(h);
        closures.findChains(all, checked);
        t = timed(checked, null, t);
        LargeCollections.find(h, all, checked);
        t = timed(checked, null, t);
        ExternalMemory.find(h, all, checked);
        t = timed(checked, null, t);
        closures.findScopes(all, checked);
        t = timed(checked, null, t);
        DuplicateStrings.find(h, all, checked);
        timed(checked, null, t);
        all.sort(Comparator.comparingLong(Finding::bytes).reversed().thenComparing(Finding::kind));
        List<Finding> findings = all.size() > o.maxFindings() ? List.copyOf(all.subList(0, o.maxFindings())) : List.copyOf(all);

        List<String> notes = new ArrayList<>();
        notes.add("Growth is not visible in one snapshot: a queue (an Array used as a FIFO) whose producers outpace its"
                + " consumers, or a cache that keeps growing, looks like any other full collection here. Take a second"
                + " snapshot of the same process a minute later and run `leakhound find-leaks s1.heapsnapshot"
                + " s2.heapsnapshot`: a growing queue shows its count rising while its oldest entries change; a bounded"
                + " cache keeps its count.");
        if (all.size() > findings.size()) {
            notes.add((all.size() - findings.size()) + " smaller findings are not shown (--max-findings).");
        }
        boolean healthy = suspects.isEmpty() && findings.isEmpty();
        String verdict;
        if (healthy) {
            verdict = "No leak suspects and no Node.js leak pattern above the thresholds: nothing retains "
                    + pct(o.suspectShare()) + " of the " + Heap.bytes(total) + " heap and at least " + Heap.bytes(o.minBytes())
                    + ", and every detector stayed below its threshold. This snapshot looks healthy.";
        } else {
            verdict = suspects.size() + (suspects.size() == 1 ? " leak suspect" : " leak suspects") + " and "
                    + findings.size() + (findings.size() == 1 ? " finding" : " findings") + " in a " + Heap.bytes(total)
                    + " heap.";
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new Diagnosis(o, total, threshold, List.copyOf(suspects), findings, List.copyOf(checked), List.copyOf(notes),
                healthy, verdict, ms);
    }

    /** Appends the time since {@code t0} to the last line a detector added (or adds a line); returns now. */
    private static long timed(List<String> checked, String name, long t0) {
        long now = System.nanoTime();
        String ms = " [" + (now - t0) / 1_000_000 + " ms]";
        if (name != null) {
            checked.add(name + ":" + ms);
        } else if (!checked.isEmpty()) {
            checked.set(checked.size() - 1, checked.get(checked.size() - 1) + ms);
        }
        return now;
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
