package dev.leakhound.inspector.capture;

import dev.leakhound.core.system.CgroupMemory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class NearHeapLimitTest {
    @Test
    void startUpOptionsFromExecArgvWinOverNodeOptions() {
        assertThat(NearHeapLimit.option(List.of("--diagnostic-dir=/var/dumps"), "--diagnostic-dir=/tmp", "--diagnostic-dir"))
                .isEqualTo("/var/dumps");
        assertThat(NearHeapLimit.option(List.of("--inspect", "--diagnostic-dir", "rel/dir"), "", "--diagnostic-dir"))
                .isEqualTo("rel/dir");
        assertThat(NearHeapLimit.option(List.of(), "--max-old-space-size=64 --diagnostic-dir=\"/my dumps\"", "--diagnostic-dir"))
                .isEqualTo("/my dumps");
        assertThat(NearHeapLimit.option(List.of("--diagnostic_dir=/u"), null, "--diagnostic-dir")).isEqualTo("/u");
        assertThat(NearHeapLimit.option(List.of("--diagnostic-dirx=/no"), "", "--diagnostic-dir")).isNull();
    }

    @Test
    void theStartUpFlagsCount() {
        assertThat(NearHeapLimit.flagCount(List.of("--heapsnapshot-near-heap-limit=3"), "")).isEqualTo(3);
        assertThat(NearHeapLimit.flagCount(List.of(), "--heapsnapshot-near-heap-limit 2")).isEqualTo(2);
        assertThat(NearHeapLimit.flagCount(List.of("--inspect"), "--max-old-space-size=64")).isZero();
        assertThat(NearHeapLimit.flagCount(List.of("--heapsnapshot-near-heap-limit=x"), "")).isZero();
    }

    @Test
    void aFlagWithoutValueIsFoundInExecArgvOrNodeOptionsUnderscoresToo() {
        assertThat(NearHeapLimit.hasFlag(List.of("--track-heap-objects"), "", "--track-heap-objects")).isTrue();
        assertThat(NearHeapLimit.hasFlag(List.of(), "--inspect=127.0.0.1:0 --track_heap_objects", "--track-heap-objects")).isTrue();
        assertThat(NearHeapLimit.hasFlag(List.of("--track-heap-objects-x"), "--no-track-heap-objects", "--track-heap-objects")).isFalse();
        assertThat(NearHeapLimit.hasFlag(List.of(), null, "--track-heap-objects")).isFalse();
    }

    @Test
    void nodeOptionsSplitAsNodeDoes() {
        assertThat(NearHeapLimit.splitNodeOptions("  --a   --b=\"x y\" \"--c\"  ")).containsExactly("--a", "--b=x y", "--c");
        assertThat(NearHeapLimit.splitNodeOptions("--e=\"q\\\"r\"")).containsExactly("--e=q\"r");
    }

    @Test
    void anOldNodeIsToldWhatToDoInstead() {
        assertThat(NearHeapLimit.unsupported("v16.10.0", 42)).isEqualTo("node v16.10.0 (pid 42) cannot be armed at run time:"
                + " v8.setHeapSnapshotNearHeapLimit came in Node 18.10.0 and 16.18.0; start the process with"
                + " --heapsnapshot-near-heap-limit=N instead (a flag of Node 14.18 and 15.1 on)");
    }

    private static final long MB = 1024 * 1024;

    private static NearHeapLimit.Armed armed(long heapUsed, long rss, long heapLimit, Optional<CgroupMemory.Limit> cgroup) {
        return new NearHeapLimit.Armed(NearHeapLimit.Outcome.ARMED, 1, "/srv", false, 7, "v20.20.2", heapUsed, rss, heapLimit, -1,
                new CgroupMemory.Figures(cgroup, 20_000 * MB));
    }

    @Test
    void aCgroupLimitBelowTheHeapLimitMeansNoSnapshotAndASmallerHeapIsSuggested() {
        // a 512 MB pod, V8's default 4 GB heap limit, 76 MB outside the heap
        NearHeapLimit.Armed a = armed(24 * MB, 100 * MB, 4096 * MB,
                Optional.of(new CgroupMemory.Limit(2, "/sys/fs/cgroup/pod", 512 * MB, 120 * MB, 0)));
        assertThat(a.cgroupBelowHeapLimit()).isTrue();
        // heap + 11 x heap + 64 MB + 76 MB within 512 MB: heap <= (512 - 76 - 64) / 12 = 31 MB
        assertThat(a.suggestedMaxOldSpaceMb()).isEqualTo(31);
        assertThat(a.filePattern()).isEqualTo("Heap.<date>.<time>.7.0.<seq>.heapsnapshot");
    }

    @Test
    void withRoomTheLimitsDoNotWarn() {
        NearHeapLimit.Armed a = armed(24 * MB, 100 * MB, 100 * MB,
                Optional.of(new CgroupMemory.Limit(2, "/sys/fs/cgroup/pod", 4096 * MB, 120 * MB, 0)));
        assertThat(a.cgroupBelowHeapLimit()).isFalse();
        assertThat(a.roomAtLimit()).isEqualTo((4096 - 120 - 76) * MB);
        assertThat(a.roomAtLimit()).isGreaterThan(a.memoryEstimate());
        assertThat(armed(24 * MB, 100 * MB, 100 * MB, Optional.empty()).suggestedMaxOldSpaceMb()).isEqualTo(-1);
    }
}
