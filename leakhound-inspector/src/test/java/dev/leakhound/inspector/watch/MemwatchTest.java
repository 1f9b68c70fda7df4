package dev.leakhound.inspector.watch;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** memwatch's logic on hand-made GC sequences, including the arithmetic it gets wrong. */
class MemwatchTest {
    private static final long MB = 1 << 20;

    private static List<Memwatch.Event> feedMajors(Memwatch m, long t0, long stepMillis, long... heaps) {
        List<Memwatch.Event> all = new ArrayList<>();
        for (int i = 0; i < heaps.length; i++) {
            all.addAll(m.onGc(t0 + i * stepMillis, GcKind.MAJOR, heaps[i]));
        }
        return all;
    }

    private static List<Memwatch.Leak> leaks(List<Memwatch.Event> ev) {
        return ev.stream().filter(e -> e instanceof Memwatch.Leak).map(e -> (Memwatch.Leak) e).toList();
    }

    private static List<Memwatch.Stats> stats(List<Memwatch.Event> ev) {
        return ev.stream().filter(e -> e instanceof Memwatch.Stats).map(e -> (Memwatch.Stats) e).toList();
    }

    @Test
    void leakAfterFiveGrowingFullGcsMeasuredFromTheFirstGrowingOne() {
        Memwatch m = new Memwatch();
        // base, then five GCs each above the previous one
        List<Memwatch.Event> ev = feedMajors(m, 1_000_000, 10_000, 10 * MB, 11 * MB, 12 * MB, 13 * MB, 14 * MB, 15 * MB);
        List<Memwatch.Leak> l = leaks(ev);
        assertThat(l).hasSize(1);
        assertThat(l.get(0).growth()).isEqualTo(4 * MB); // 15 - 11: from the first growing GC (4 intervals)
        assertThat(l.get(0).startMillis()).isEqualTo(1_010_000);
        assertThat(l.get(0).endMillis()).isEqualTo(1_050_000);
        assertThat(stats(ev)).hasSize(6); // one per full GC
        // the leak comes before the stats of the same GC, as memwatch emits them
        assertThat(ev.get(ev.size() - 2)).isInstanceOf(Memwatch.Leak.class);
    }

    @Test
    void fourGrowingGcsAreNotALeakAndEqualHeapResetsTheStreak() {
        Memwatch m = new Memwatch();
        List<Memwatch.Event> ev = feedMajors(m, 0, 1000, 10 * MB, 11 * MB, 12 * MB, 13 * MB, 14 * MB,
                14 * MB, 15 * MB, 16 * MB, 17 * MB, 18 * MB);
        assertThat(leaks(ev)).isEmpty();
        assertThat(m.streak()).isEqualTo(4);
        // one more growing GC completes a streak of five
        assertThat(leaks(m.onGc(20_000, GcKind.MAJOR, 19 * MB))).hasSize(1);
        assertThat(m.streak()).isZero(); // reset after a report
    }

    @Test
    void aContinuingLeakIsReportedAgainEveryFiveGrowingGcs() {
        Memwatch m = new Memwatch();
        long[] heaps = new long[16];
        for (int i = 0; i < heaps.length; i++) {
            heaps[i] = (10 + i) * MB;
        }
        assertThat(leaks(feedMajors(m, 0, 1000, heaps))).hasSize(3); // GCs 2-6, 7-11, 12-16
    }

    @Test
    void onlyFullGcsCount() {
        Memwatch m = new Memwatch();
        List<Memwatch.Event> ev = new ArrayList<>();
        long h = 10 * MB;
        ev.addAll(m.onGc(0, GcKind.MAJOR, h));
        for (int i = 1; i <= 5; i++) {
            ev.addAll(m.onGc(i * 100L, GcKind.MINOR, h + i * MB + 1));          // scavenges: ignored
            ev.addAll(m.onGc(i * 100L + 1, GcKind.INCREMENTAL, h + i * MB + 2));
            ev.addAll(m.onGc(i * 100L + 2, GcKind.MAJOR, h + i * MB));
        }
        assertThat(leaks(ev)).hasSize(1);
        Memwatch.Stats last = stats(ev).get(stats(ev).size() - 1);
        assertThat(last.numFullGc()).isEqualTo(6);
        assertThat(last.numIncGc()).isEqualTo(10);
        assertThat(last.heapCompactions()).isEqualTo(6);
        assertThat(last.currentBase()).isEqualTo(15 * MB);
    }

    @Test
    void fixFirstFullGcIsNotGrowth() {
        // memwatch starts last_base at 0, so its first full GC counts as growth and five GCs (four real
        // increases) already make a leak. Here the first GC only sets the base.
        Memwatch m = new Memwatch();
        assertThat(leaks(feedMajors(m, 0, 1000, 10 * MB, 11 * MB, 12 * MB, 13 * MB, 14 * MB))).isEmpty();
    }

    @Test
    void leakEventCarriesTheNumbersOfItsReason() {
        Memwatch m = new Memwatch();
        long t0 = 1_700_000_000_000L;
        m.onGc(t0, GcKind.MAJOR, 50 * MB);
        List<Memwatch.Event> ev = new ArrayList<>();
        long[] heaps = {50 * MB + 1000, 50 * MB + 2_000_000, 50 * MB + 4_000_000, 50 * MB + 5_000_000, 50 * MB + 1000 + 6_222_576};
        long[] times = {t0 + 60_000, t0 + 180_000, t0 + 300_000, t0 + 420_000, t0 + 60_000 + 493_000};
        for (int i = 0; i < 5; i++) {
            ev.addAll(m.onGc(times[i], GcKind.MAJOR, heaps[i]));
        }
        Memwatch.Leak l = leaks(ev).get(0);
        // the book example of memwatch's reason, "(8m 13s) - 43.33 mb/hr": the report renders it from these
        assertThat(l.growth()).isEqualTo(6_222_576);
        assertThat(l.endMillis() - l.startMillis()).isEqualTo(493_000);
        assertThat(l.gcs()).isEqualTo(5);
    }

    @Test
    void fixStartupDampingUsesFloatingPointDivision() {
        // memwatch: decay = pow(gc_compact / 10, 2.5) * gc_compact with unsigned ints -> 0, so the bases just
        // copy the last value for the first 9 compactions. Fixed: the intended damped average.
        Memwatch m = new Memwatch();
        List<Memwatch.Stats> s = stats(feedMajors(m, 0, 1000, 100 * MB, 200 * MB));
        // compaction 1: decay = 0.1^2.5 * 1 = 0.0031623; base = (0 * d + 100MB) / (1 + d)
        double d1 = Math.pow(0.1, 2.5);
        double b1 = 100.0 * MB / (1 + d1);
        assertThat(s.get(0).estimatedBase()).isEqualTo(Math.round(b1));
        // compaction 2: decay = 0.2^2.5 * 2 = 0.035777; base = (b1 * d + 200MB) / (1 + d)
        double d2 = Math.pow(0.2, 2.5) * 2;
        double b2 = (b1 * d2 + 200.0 * MB) / (1 + d2);
        assertThat(s.get(1).estimatedBase()).isEqualTo(Math.round(b2));
        assertThat(s.get(1).estimatedBase()).isLessThan(200 * MB); // memwatch's integer bug would give exactly 200 MB
    }

    @Test
    void steadyStateUsesTheTenAndHundredTwentyPeriodAverages() {
        Memwatch m = new Memwatch();
        long[] heaps = new long[12];
        java.util.Arrays.fill(heaps, 64 * MB);
        List<Memwatch.Stats> s = stats(feedMajors(m, 0, 1000, heaps));
        Memwatch.Stats last = s.get(s.size() - 1);
        assertThat(last.estimatedBase()).isCloseTo(64 * MB, within(64L * MB / 100)); // converged within 1%
        assertThat(last.min()).isEqualTo(64 * MB);
        assertThat(last.max()).isEqualTo(64 * MB);
        assertThat(s.get(1).min()).isZero(); // min/max only from the 3rd compaction on
        assertThat(s.get(2).min()).isEqualTo(64 * MB);
    }

    @Test
    void fixUsageTrendIsSignedWhenTheHeapShrinks() {
        // memwatch subtracts unsigned ints: a shrinking heap gave a trend near +4e9 %. Here it is negative.
        Memwatch m = new Memwatch();
        long[] heaps = new long[40];
        for (int i = 0; i < 20; i++) {
            heaps[i] = 400 * MB;
        }
        for (int i = 20; i < 40; i++) {
            heaps[i] = 100 * MB;
        }
        List<Memwatch.Stats> s = stats(feedMajors(m, 0, 1000, heaps));
        double trend = s.get(s.size() - 1).usageTrend();
        assertThat(trend).isNegative().isGreaterThan(-100);
    }

    @Test
    void fixSizesAboveFourGibDoNotWrap() {
        // memwatch keeps sizes in unsigned int (wraps at 4 GiB) and computes base_recent * 9 in 32 bits
        // (wraps above ~477 MB).
        Memwatch m = new Memwatch();
        long big = 6L * 1024 * MB;
        long[] heaps = new long[15];
        java.util.Arrays.fill(heaps, big);
        List<Memwatch.Stats> s = stats(feedMajors(m, 0, 1000, heaps));
        Memwatch.Stats last = s.get(s.size() - 1);
        assertThat(last.currentBase()).isEqualTo(big);
        assertThat(last.estimatedBase()).isCloseTo(big, within(big / 100));
        assertThat(last.usageTrend()).isBetween(-1.0, 1.0);
    }

    @Test
    void configurableStreakLength() {
        Memwatch m = new Memwatch(3);
        assertThat(leaks(feedMajors(m, 0, 1000, 1 * MB, 2 * MB, 3 * MB, 4 * MB))).hasSize(1);
        assertThat(leaks(feedMajors(new Memwatch(3), 0, 1000, 1 * MB, 2 * MB, 3 * MB))).isEmpty();
    }
}
