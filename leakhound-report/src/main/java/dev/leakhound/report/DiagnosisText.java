package dev.leakhound.report;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Diagnosis;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.leakhound.report.Format.count;

/** How a diagnosis reads as a whole: its verdict, what each step checked, and what one snapshot cannot show. */
public final class DiagnosisText {
    private DiagnosisText() {}

    public static String verdict(Diagnosis d) {
        DiagnosisOptions o = d.options();
        if (d.healthy()) {
            return "No leak suspects and no Node.js leak pattern above the thresholds: nothing retains "
                    + pct(o.suspectShare()) + " of the " + Format.bytes(d.heapBytes()) + " heap and at least "
                    + Format.bytes(o.minBytes()) + ", and every detector stayed below its threshold. This snapshot looks healthy.";
        }
        int s = d.suspects().size();
        int f = d.findings().size();
        return s + (s == 1 ? " leak suspect" : " leak suspects") + " and " + f + (f == 1 ? " finding" : " findings")
                + " in a " + Format.bytes(d.heapBytes()) + " heap.";
    }

    public static List<String> notes(Diagnosis d) {
        List<String> notes = new ArrayList<>();
        notes.add("Growth is not visible in one snapshot: a queue (an Array used as a FIFO) whose producers outpace its"
                + " consumers, or a cache that keeps growing, looks like any other full collection here. Take a second"
                + " snapshot of the same process a minute later and run `leakhound find-leaks s1.heapsnapshot"
                + " s2.heapsnapshot`: a growing queue shows its count rising while its oldest entries change; a bounded"
                + " cache keeps its count.");
        if (d.omittedFindings() > 0) {
            notes.add(d.omittedFindings() + " smaller findings are not shown (--max-findings).");
        }
        return notes;
    }

    /** The "Checked" lines; with {@code withTimes}, each step's time is appended. */
    public static List<String> checked(Diagnosis d, boolean withTimes) {
        List<String> out = new ArrayList<>();
        List<Check> checks = d.checks();
        for (int i = 0; i < checks.size(); i++) {
            String line = checked(checks.get(i));
            if (withTimes && i < d.timings().steps().size()) {
                line += " [" + d.timings().steps().get(i).millis() + " ms]";
            }
            out.add(line);
        }
        return out;
    }

    public static String checked(Check c) {
        if (c instanceof Check.Scan s) {
            return "scan: one pass over " + count(s.nodes()) + " nodes and " + count(s.edges()) + " edges";
        }
        if (c instanceof Check.Suspects s) {
            return "leak suspects: " + s.found() + " above " + Format.bytes(s.threshold()) + " (max of " + pct(s.share())
                    + " of the heap and " + Format.bytes(s.minBytes()) + ")";
        }
        if (c instanceof Check.Listeners l) {
            if (!l.present()) {
                return "listeners: no EventEmitter._events in the snapshot";
            }
            return "listeners: " + count(l.emitters()) + " emitters, " + count(l.events()) + " events with listeners, at most "
                    + l.mostForOneEvent() + " listeners for one event; " + l.reported() + " reported (threshold "
                    + l.threshold() + ", more than Node's default maxListeners)";
        }
        if (c instanceof Check.Timers t) {
            if (!t.present()) {
                return "timers: no Node timer lists in the snapshot";
            }
            return "timers: " + count(t.live()) + " live timers in " + t.lists() + " timer lists, " + t.functions()
                    + " callback functions, at most " + count(t.mostForOneFunction()) + " timers for one function; "
                    + t.reported() + " reported (threshold " + t.threshold() + ", and repeating, a delay of 10 min or more,"
                    + " or the bytes threshold)";
        }
        if (c instanceof Check.ClosureChains k) {
            return "closure chains: " + count(k.contexts()) + " closure scopes (contexts) of " + count(k.functions())
                    + " functions, longest chain of one function's scopes " + k.longest() + "; " + k.reported()
                    + " reported (threshold " + k.threshold() + " links)";
        }
        if (c instanceof Check.Collections k) {
            return "collections: " + count(k.examined()) + " Arrays, Maps, Sets and dictionaries with " + k.examinedFrom()
                    + "+ entries, the largest with " + count(k.largest()) + "; " + k.reported() + " reported (threshold "
                    + count(k.thresholdEntries()) + " entries, or " + Format.bytes(k.thresholdBytes()) + " retained)";
        }
        if (c instanceof Check.ExternalMemory e) {
            if (!e.present()) {
                return "external memory: no ArrayBuffer backing stores in the snapshot";
            }
            return "external memory: " + count(e.stores()) + " ArrayBuffer backing stores, " + Format.bytes(e.bytes())
                    + " outside the JS heap, in " + e.groups() + " groups by holder; " + e.reported()
                    + " reported (threshold " + Format.bytes(e.threshold()) + ")";
        }
        if (c instanceof Check.ClosureScopes k) {
            return "closure scopes: " + count(k.contexts()) + " contexts; " + k.candidates() + " function scopes retain "
                    + Format.bytes(k.threshold()) + " or more before de-duplication; " + k.reported() + " reported (threshold "
                    + Format.bytes(k.threshold()) + ", module scopes excluded)";
        }
        if (c instanceof Check.DuplicateStrings k) {
            if (!k.counted()) {
                return "duplicate strings: not counted (the string table is too large to count copies of)";
            }
            return "duplicate strings: " + count(k.strings()) + " strings, " + count(k.texts()) + " texts held more than"
                    + " once, " + Format.bytes(k.wastedBytes()) + " wasted; " + (k.reported() ? "reported" : "not reported")
                    + " (threshold " + Format.bytes(k.threshold()) + ")";
        }
        throw new IllegalArgumentException("no wording for " + c);
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
