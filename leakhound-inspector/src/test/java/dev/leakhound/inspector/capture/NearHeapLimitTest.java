package dev.leakhound.inspector.capture;

import org.junit.jupiter.api.Test;

import java.util.List;

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
}
