package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.Timings;
import dev.leakhound.analysis.nodejs.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Baselines on generated leak series: a baseline accepts exactly the signatures it lists, flags those that grew
 * more than {@link Baseline#WORSE_FACTOR} times faster than recorded, and lets every other leak through as new.
 */
class BaselineTest {
    static final String[] PATHS = {"{global}.leakArray @ [*]", "…::requests @ {table}{*}", "…::eventBus._events.data @ [*]",
            "…[*]::timerListMap[*] @ (._idleNext)+", "…::cache @ {table}{*}"};
    static final String[] CLASSES = {"RequestRecord", "Session", "Function", "Timeout", "Object"};
    static final LeakPattern[] PATTERNS = {LeakPattern.ARRAY, LeakPattern.MAP, LeakPattern.LISTENERS, LeakPattern.TIMERS,
            LeakPattern.OBJECTS};

    /** A leak whose count grows by {@code perStep} between each of {@code snapshots} snapshots. */
    static LeakReport.Leak leak(int rank, LeakSignature sig, long first, long perStep, long bytesPerObject, int snapshots) {
        long[] counts = new long[snapshots];
        long[] bytes = new long[snapshots];
        for (int i = 0; i < snapshots; i++) {
            counts[i] = first + i * perStep;
            bytes[i] = counts[i] * bytesPerObject;
        }
        LeakReport.Container c = new LeakReport.Container(rank * 10L + 1, "Array", "global.x -> Array", "[*]", null);
        return new LeakReport.Leak(rank, sig.pattern(), "x", sig.leakedClass(), bytes[snapshots - 1], counts[snapshots - 1],
                bytes[snapshots - 1] - bytes[0], bytes[snapshots - 1] - bytes[0], counts[snapshots - 1] - counts[0], counts, bytes,
                c, List.of(), "global.x[0]", null, new LeakReport.Collection("x", Collections.Kind.ARRAY), null, sig,
                LeakReport.Status.NEW);
    }

    static LeakReport report(List<LeakReport.Leak> leaks, int snapshots) {
        List<LeakReport.SnapshotInfo> infos = new ArrayList<>();
        for (int i = 0; i < snapshots; i++) {
            infos.add(new LeakReport.SnapshotInfo("s" + (i + 1), 100, 1000, 1000L * (i + 1)));
        }
        return new LeakReport(infos, leaks, List.of(), null, Timings.none());
    }

    static LongStream seeds() {
        Long only = Long.getLong("leakhound.seed");
        if (only != null) {
            return LongStream.of(only);
        }
        long[] edge = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE};
        Random r = new Random(Long.getLong("leakhound.seedBase", 0x6c65616b686f756eL) ^ "baseline".hashCode());
        return LongStream.range(0, 300).map(i -> i < edge.length ? edge[(int) i] : r.nextLong());
    }

    /**
     * A generated series: leaks with random signatures (some sharing one) and growth; a baseline listing a random
     * subset of the signatures, plus some that are not found, each with a recorded growth below, at or above
     * what the leak does now. After {@link Baseline#apply}: exactly the listed signatures are accepted or worse
     * (worse exactly when growing more than twice the recorded growth), all others are new; new leaks are cut
     * at maxLeaks in rank order, listed ones never; ranks run 1..n in the original order; not-found entries are
     * exactly the listed signatures no leak has.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void acceptsExactlyTheListedSignatures(long seed) {
        Random r = new Random(seed);
        int snapshots = 2 + r.nextInt(4);
        List<LeakSignature> pool = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pool.add(new LeakSignature(PATTERNS[r.nextInt(PATTERNS.length)], PATHS[r.nextInt(PATHS.length)] + (i % 6),
                    CLASSES[r.nextInt(CLASSES.length)]));
        }
        int n = r.nextInt(11);
        List<LeakReport.Leak> leaks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaks.add(leak(i + 1, pool.get(r.nextInt(pool.size())), r.nextInt(50), 1 + r.nextInt(40), 8 + r.nextInt(200), snapshots));
        }
        LeakReport before = report(leaks, snapshots);
        Set<String> listed = new HashSet<>();
        List<Baseline.Entry> entries = new ArrayList<>();
        for (LeakSignature s : pool) {
            if (r.nextInt(3) == 0 && listed.add(s.id())) {
                double count = r.nextInt(4) == 0 ? 0 : r.nextInt(30);
                entries.add(new Baseline.Entry(s.id(), s.pattern().id(), s.path(), s.leakedClass(), count, r.nextInt(3) == 0 ? 0 : r.nextInt(5000)));
            }
        }
        Baseline b = new Baseline("b.json", entries);
        int maxLeaks = 1 + r.nextInt(6);
        LeakReport after = b.apply(before, maxLeaks);

        String why = "seed " + seed;
        Map<String, Baseline.Entry> byId = new HashMap<>();
        entries.forEach(e -> byId.put(e.signature(), e));
        List<LeakReport.Leak> expected = new ArrayList<>();
        int fresh = 0;
        for (LeakReport.Leak l : leaks) {
            Baseline.Entry e = byId.get(l.signature().id());
            LeakReport.Status s;
            if (e == null) {
                s = LeakReport.Status.NEW;
            } else {
                boolean worse = e.countPerStep() > 0 ? l.countPerStep() > 2 * e.countPerStep()
                        : e.bytesPerStep() > 0 && l.bytesPerStep() > 2 * e.bytesPerStep();
                s = worse ? LeakReport.Status.WORSE : LeakReport.Status.ACCEPTED;
            }
            if (s == LeakReport.Status.NEW && fresh++ >= maxLeaks) {
                continue;
            }
            expected.add(l.withStatus(s));
        }
        assertThat(after.leaks()).as(why).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            LeakReport.Leak got = after.leaks().get(i);
            assertThat(got.rank()).as(why).isEqualTo(i + 1);
            assertThat(got.signature()).as(why).isEqualTo(expected.get(i).signature());
            assertThat(got.countsPerSnapshot()).as(why).isSameAs(expected.get(i).countsPerSnapshot());
            assertThat(got.status()).as(why + ", leak %s", got.signature()).isEqualTo(expected.get(i).status());
        }
        Set<String> found = new HashSet<>();
        leaks.forEach(l -> found.add(l.signature().id()));
        assertThat(after.notSeen()).as(why).extracting(Baseline.Entry::signature)
                .containsExactlyElementsOf(entries.stream().map(Baseline.Entry::signature).filter(id -> !found.contains(id)).toList());
        assertThat(after.failing()).as(why).allMatch(l -> l.status() != LeakReport.Status.ACCEPTED);
        assertThat(after.verdict()).as(why).isEqualTo(after.leaks().isEmpty() ? "no-leak"
                : after.failing().isEmpty() ? "accepted" : "leak");
        assertThat(after.baseline()).isSameAs(b);

        // recording the result and applying it again accepts every leak it kept
        Baseline recorded = Baseline.of("again.json", after);
        LeakReport again = recorded.apply(before, maxLeaks);
        Set<long[]> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        after.leaks().forEach(l -> kept.add(l.countsPerSnapshot()));
        assertThat(again.leaks()).as(why).filteredOn(l -> kept.contains(l.countsPerSnapshot()))
                .hasSize(after.leaks().size())
                .allMatch(l -> l.status() == LeakReport.Status.ACCEPTED);
    }

    @Test
    void worseMeansMoreThanTwiceTheRecordedGrowth() {
        LeakSignature s = new LeakSignature(LeakPattern.ARRAY, "{global}.a @ [*]", "Item");
        Baseline.Entry perStep10 = new Baseline.Entry(s.id(), "array", s.path(), "Item", 10, 1000);
        assertThat(perStep10.worse(leak(1, s, 0, 20, 100, 3))).as("exactly twice").isFalse();
        assertThat(perStep10.worse(leak(1, s, 0, 21, 100, 3))).as("more than twice").isTrue();
        assertThat(perStep10.worse(leak(1, s, 0, 5, 100, 3))).as("slower").isFalse();
        // a count that did not grow when recorded: bytes decide
        Baseline.Entry bytesOnly = new Baseline.Entry(s.id(), "array", s.path(), "Item", 0, 1000);
        assertThat(bytesOnly.worse(leak(1, s, 0, 20, 100, 3))).as("2000 B per step").isFalse();
        assertThat(bytesOnly.worse(leak(1, s, 0, 21, 100, 3))).as("2100 B per step").isTrue();
        assertThat(new Baseline.Entry(s.id(), "array", s.path(), "Item", 0, 0).worse(leak(1, s, 0, 1000, 100, 3))).isFalse();
    }

    @Test
    void signaturesAreKeysOfTheirPartsOnly() {
        LeakSignature a = new LeakSignature(LeakPattern.ARRAY, "{global}.a @ [*]", "Item");
        assertThat(a.id()).matches("[0-9a-f]{16}").isEqualTo(new LeakSignature(LeakPattern.ARRAY, "{global}.a @ [*]", "Item").id());
        assertThat(a.id()).isNotEqualTo(new LeakSignature(LeakPattern.MAP, "{global}.a @ [*]", "Item").id())
                .isNotEqualTo(new LeakSignature(LeakPattern.ARRAY, "{global}.b @ [*]", "Item").id())
                .isNotEqualTo(new LeakSignature(LeakPattern.ARRAY, "{global}.a @ [*]", "Other").id());
        // only the last units of the path to the accumulation point are kept
        LeakSignature deep = LeakSignature.of(LeakPattern.MAP, List.of("{root}", "[*]", ".a", "::b", ".c", "::d"), "{table}{*}", "X");
        assertThat(deep.path()).isEqualTo("….a::b.c::d @ {table}{*}");
        LeakSignature shallow = LeakSignature.of(LeakPattern.ARRAY, List.of("{global}", ".list"), "[*]", "X");
        assertThat(shallow.path()).isEqualTo("{global}.list @ [*]");
        assertThatThrownBy(() -> new LeakSignature(null, "p", "c")).isInstanceOf(IllegalArgumentException.class);
    }
}
