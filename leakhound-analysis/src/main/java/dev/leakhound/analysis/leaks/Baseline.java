package dev.leakhound.analysis.leaks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Leaks accepted for now (leakcanary's "excluded leaks"): each by its {@link LeakSignature}, with the growth
 * recorded when it was accepted. Compared with a report ({@link #apply}), a leak whose signature is in the
 * baseline is {@link LeakReport.Status#ACCEPTED accepted}, unless it grows more than {@link #WORSE_FACTOR}
 * times faster than recorded ({@link LeakReport.Status#WORSE worse}); any other is
 * {@link LeakReport.Status#NEW new}. Only new and worse leaks fail a CI run. The file format is the report
 * module's ({@code BaselineFile}).
 *
 * @param source  where it was read from (a file name), for reports
 * @param entries the accepted leaks
 */
public record Baseline(String source, List<Entry> entries) {
    /**
     * A leak in the baseline that grows more than this many times faster than recorded is worse: per
     * snapshot interval, in objects when the recorded count grew, else in bytes.
     */
    public static final double WORSE_FACTOR = 2.0;

    public Baseline {
        entries = List.copyOf(entries);
    }

    /**
     * One accepted leak.
     *
     * @param signature    the signature's id ({@link LeakSignature#id()}): the key
     * @param pattern      the signature's pattern id, path and class as recorded (for people; not compared)
     * @param countPerStep objects the leak gained per snapshot interval when recorded ({@link LeakReport.Leak#countPerStep()})
     * @param bytesPerStep bytes it gained per snapshot interval when recorded
     */
    public record Entry(String signature, String pattern, String path, String leakedClass, double countPerStep,
                        double bytesPerStep) {
        /** What a baseline records of a leak. */
        public static Entry of(LeakReport.Leak l) {
            LeakSignature s = l.signature();
            return new Entry(s.id(), s.pattern().id(), s.path(), s.leakedClass(), l.countPerStep(), l.bytesPerStep());
        }

        /** Whether {@code l} grows more than {@link #WORSE_FACTOR} times faster than this entry recorded. */
        public boolean worse(LeakReport.Leak l) {
            if (countPerStep > 0) {
                return l.countPerStep() > WORSE_FACTOR * countPerStep;
            }
            return bytesPerStep > 0 && l.bytesPerStep() > WORSE_FACTOR * bytesPerStep;
        }
    }

    /**
     * A baseline accepting every leak of {@code r}, with its growth now (leaks sharing a signature: the largest
     * growth of theirs), in the report's order.
     */
    public static Baseline of(String source, LeakReport r) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (LeakReport.Leak l : r.leaks()) {
            Entry e = Entry.of(l);
            out.merge(e.signature(), e, (a, b) -> new Entry(a.signature(), a.pattern(), a.path(), a.leakedClass(),
                    Math.max(a.countPerStep(), b.countPerStep()), Math.max(a.bytesPerStep(), b.bytesPerStep())));
        }
        return new Baseline(source, new ArrayList<>(out.values()));
    }

    /** The entry for a signature id, or null. */
    public Entry find(String signatureId) {
        for (Entry e : entries) {
            if (e.signature().equals(signatureId)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Compares {@code r}'s leaks with the baseline: each gets its status. The new ones are kept up to
     * {@code maxLeaks} (most growth first, as ranked), those in the baseline (accepted or worse) all: the caller
     * asks find-leaks for {@code maxLeaks} plus the baseline's size, so that known leaks cannot crowd out new
     * ones. The leaks are ranked again in their order; the report returned carries this baseline.
     */
    public LeakReport apply(LeakReport r, int maxLeaks) {
        Map<String, Entry> byId = new HashMap<>();
        for (Entry e : entries) {
            byId.putIfAbsent(e.signature(), e);
        }
        List<LeakReport.Leak> kept = new ArrayList<>();
        int fresh = 0;
        for (LeakReport.Leak l : r.leaks()) {
            Entry e = byId.get(l.signature().id());
            LeakReport.Status s = e == null ? LeakReport.Status.NEW
                    : e.worse(l) ? LeakReport.Status.WORSE : LeakReport.Status.ACCEPTED;
            if (s == LeakReport.Status.NEW && fresh++ >= maxLeaks) {
                continue;
            }
            kept.add(l.withStatus(s).withRank(kept.size() + 1));
        }
        return r.with(kept, r.dismissed()).withBaseline(this);
    }

    /** The entries none of {@code leaks} has the signature of. */
    public List<Entry> notIn(List<LeakReport.Leak> leaks) {
        Set<String> found = new HashSet<>();
        for (LeakReport.Leak l : leaks) {
            found.add(l.signature().id());
        }
        return entries.stream().filter(e -> !found.contains(e.signature())).toList();
    }
}
