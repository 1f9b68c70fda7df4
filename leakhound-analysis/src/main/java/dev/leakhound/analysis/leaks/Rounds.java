package dev.leakhound.analysis.leaks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code check}'s verdict on find-leaks' report (fuite's prime-count method): the scenario ran the same
 * number of times, N, between each pair of snapshots, so what it leaks grows by a multiple of N per round:
 * k objects per call make exactly k×N per round. A leak is kept only when its count grew by the same
 * positive multiple of N in every round; others (a cache still filling, a buffer that grows in jumps, the
 * harness's own bookkeeping) are dismissed with {@link LeakReport.Dismissal.Reason#NOT_PROPORTIONAL}. A
 * prime N makes a chance match unlikely.
 */
public final class Rounds {
    private Rounds() {}

    /**
     * Objects per call: the count's growth in each round divided by {@code iterations}, when it is the same
     * positive multiple of {@code iterations} in every round; else -1.
     */
    public static long perCall(LeakReport.Leak l, int iterations) {
        long[] c = l.countsPerSnapshot();
        if (c.length < 2 || iterations < 1) {
            return -1;
        }
        long first = c[1] - c[0];
        if (first <= 0 || first % iterations != 0) {
            return -1;
        }
        for (int i = 2; i < c.length; i++) {
            if (c[i] - c[i - 1] != first) {
                return -1;
            }
        }
        return first / iterations;
    }

    /**
     * Keeps the leaks that grew by a multiple of the scenario's calls per round (at most {@code maxLeaks}, ranked
     * again), moves the others to the dismissed groups (those first, most growth first, at most
     * {@value FindLeaks#MAX_DISMISSED} of them), and attaches the scenario.
     */
    public static LeakReport judge(LeakReport r, LeakReport.Scenario scenario, int maxLeaks) {
        List<LeakReport.Leak> kept = new ArrayList<>();
        List<LeakReport.Leak> moved = new ArrayList<>();
        for (LeakReport.Leak l : r.leaks()) {
            if (perCall(l, scenario.iterations()) > 0) {
                if (kept.size() < maxLeaks) {
                    kept.add(l.withRank(kept.size() + 1));
                }
            } else {
                long[] c = l.countsPerSnapshot();
                moved.add(l.dismissedFor(new LeakReport.Dismissal(LeakReport.Dismissal.Reason.NOT_PROPORTIONAL,
                        c.length < 2 ? 0 : c[1] - c[0], scenario.iterations())));
            }
        }
        moved.sort(Comparator.comparingLong(LeakReport.Leak::growthBytes).reversed());
        List<LeakReport.Leak> dismissed = new ArrayList<>(moved.subList(0, Math.min(moved.size(), FindLeaks.MAX_DISMISSED)));
        dismissed.addAll(r.dismissed());
        return r.with(kept, dismissed).withScenario(scenario);
    }
}
