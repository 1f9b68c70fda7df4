package dev.leakhound.inspector.capture;

import dev.leakhound.core.system.CgroupMemory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HeadroomTest {
    private static final long MB = 1024 * 1024;

    /**
     * Every measurement of bench/capture/RESULTS.md of heaps of many objects (the target's peak RSS growth
     * during the snapshot): the estimate is at or above each, and not more than twice it.
     */
    @ParameterizedTest(name = "heapUsed {0} B, RSS {1} kB, peak {2} kB")
    @CsvSource({
        // heap_used, target_rss_kb, target_hwm_kb of bench/capture/RESULTS.md (v8.writeHeapSnapshot, then
        // leakhound snapshot over the inspector, for each target)
        // heaps of many small objects (--mix objects), 50, 200 and 500 MB
        "46957448, 119084, 472564",
        "52675040, 118164, 495424",
        "195906968, 281352, 1845616",
        "209999656, 287332, 1865996",
        "506011016, 599016, 4574668",
        "524465296, 599088, 4567848",
        // the first 25 MB run, whose heapUsed was kept rounded down to 23 MiB
        "24117248, 79184, 279488",
        // heaps of concatenated strings (--mix concat), 50 and 200 MB
        "49606824, 124928, 605108",
        "52460288, 124792, 659072",
        "202264792, 283008, 2336904",
        "209803512, 281628, 2199112",
    })
    void theEstimateCoversEveryMeasurement(long heapUsed, long rssKb, long peakKb) {
        long extra = (peakKb - rssKb) * 1024;
        long e = Headroom.estimate(heapUsed);
        assertThat(e).as("estimate for heapUsed %d, measured +%d", heapUsed, extra).isGreaterThanOrEqualTo(extra);
        assertThat((double) e / extra).as("not more than twice the measurement").isLessThan(2);
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
        assertThat(c.refusal()).startsWith("not taking the snapshot: writing it needs about 1220.5 MB more memory in the target"
                        + " (11 x its 104.9 MB heap, as measured), but its cgroup /sys/fs/cgroup/pod (v2) leaves 327.2 MB"
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
