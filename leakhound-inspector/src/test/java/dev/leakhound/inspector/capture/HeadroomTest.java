package dev.leakhound.inspector.capture;

import dev.leakhound.inspector.live.CgroupMemory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HeadroomTest {
    private static final long MB = 1024 * 1024;

    /**
     * Every measurement of bench/capture/RESULTS.md (heapUsed and the target's peak RSS growth during the
     * snapshot, bytes): the estimate is at or above each, and not more than 1.5 times it.
     */
    @ParameterizedTest(name = "heapUsed {0} B: measured extra {1} B")
    @CsvSource({
        // run of 2026-12-03: v8.writeHeapSnapshot, then leakhound snapshot over the inspector
        "46957448, 361963520",    // 50 MB target:  (472564 - 119084) kB
        "52675040, 376074240",    //                (495424 - 118164) kB
        "195906968, 1601830912",  // 200 MB target: (1845616 - 281352) kB
        "209999656, 1616547840",  //                (1865996 - 287332) kB
        "506011016, 4070817792",  // 500 MB target: (4574668 - 599016) kB
        "524465296, 4064049152",  //                (4567848 - 599088) kB
        "24117248, 205520896",    // 25 MB target, first run: 23 MB heap, +196 MB
    })
    void theEstimateCoversEveryMeasurement(long heapUsed, long extra) {
        long e = Headroom.estimate(heapUsed);
        assertThat(e).as("estimate for %d".formatted(heapUsed)).isGreaterThanOrEqualTo(extra);
        assertThat((double) e / extra).isLessThan(1.5);
    }

    private static CgroupMemory.Figures cgroup(long limit, long usage, long available) {
        return new CgroupMemory.Figures(Optional.of(new CgroupMemory.Limit(2, "/sys/fs/cgroup/pod", limit, usage, 0)), available);
    }

    @Test
    void aSnapshotThatFitsUnderTheLimitPasses() {
        Headroom.Check c = Headroom.assess(new Headroom.TargetMemory(20 * MB, 30 * MB, 80 * MB), cgroup(1024 * MB, 100 * MB, 20_000 * MB));
        assertThat(c.estimate()).isEqualTo((long) Math.ceil(20 * MB * Headroom.FACTOR) + 64 * MB);
        assertThat(c.fits()).isTrue();
    }

    @Test
    void theCgroupBindsBeforeTheMachine() {
        Headroom.Check c = Headroom.assess(new Headroom.TargetMemory(100 * MB, 120 * MB, 180 * MB), cgroup(512 * MB, 200 * MB, 20_000 * MB));
        assertThat(c.fits()).isFalse();
        assertThat(c.refusal()).startsWith("not taking the snapshot: writing it needs about 958.4 MB more memory in the target"
                        + " (8.5 x its 104.9 MB heap, as measured), but its cgroup /sys/fs/cgroup/pod (v2) leaves 327.2 MB"
                        + " (limit 536.9 MB, in use 209.7 MB) and the target's RSS is 188.7 MB")
                .contains("--force", "leakhound profile", "more memory").doesNotContain("\n");
    }

    @Test
    void withoutACgroupTheMachinesAvailableMemoryBinds() {
        Headroom.Check c = Headroom.assess(new Headroom.TargetMemory(1000 * MB, 1100 * MB, 1200 * MB),
                new CgroupMemory.Figures(Optional.empty(), 2000 * MB));
        assertThat(c.fits()).isFalse();
        assertThat(c.refusal()).contains("but the machine has 2097.2 MB available");
    }

    @Test
    void unknownRoomIsNotARefusal() {
        Headroom.Check c = Headroom.assess(new Headroom.TargetMemory(1000 * MB, 1100 * MB, 1200 * MB),
                new CgroupMemory.Figures(Optional.empty(), -1));
        assertThat(c.fits()).isTrue();
    }
}
