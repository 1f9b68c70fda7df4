package dev.leakhound.analysis.diff;

import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.SnapshotParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real snapshots written by node: one process takes a snapshot, allocates {@value #N} DiffProbe
 * objects (kept alive) and takes another; a second process of the same script takes one snapshot.
 */
class DiffRealSnapshotsTest {
    static final int N = 700;

    static final String SCRIPT = String.join("\n",
            "const v8 = require('v8');",
            "class DiffProbe { constructor(i) { this.i = i; this.label = 'probe-' + i; } }",
            "const keep = [];",
            "globalThis.keep = keep;",
            "v8.writeHeapSnapshot(process.argv[2]);",
            "const n = Number(process.argv[4] || 0);",
            "for (let i = 0; i < n; i++) keep.push(new DiffProbe(i));",
            "if (process.argv[3]) v8.writeHeapSnapshot(process.argv[3]);",
            "");

    @TempDir
    static Path dir;
    static HeapSnapshot before;
    static HeapSnapshot after;
    static HeapSnapshot other;

    /** Runs the probe script with node; returns after it exited 0. */
    static void node(Path dir, String... args) throws IOException, InterruptedException {
        Path script = dir.resolve("probe.js");
        if (!Files.exists(script)) {
            Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        }
        List<String> cmd = new java.util.ArrayList<>(List.of("node", script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("node.log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node did not finish in 120 s");
        }
        assertThat(p.exitValue()).as("node exit code; log: %s", Files.readString(dir.resolve("node.log"))).isZero();
    }

    @BeforeAll
    static void snapshots() throws Exception {
        node(dir, "before.heapsnapshot", "after.heapsnapshot", Integer.toString(N));
        node(dir, "other.heapsnapshot");
        before = SnapshotParser.read(dir.resolve("before.heapsnapshot"));
        after = SnapshotParser.read(dir.resolve("after.heapsnapshot"));
        other = SnapshotParser.read(dir.resolve("other.heapsnapshot"));
    }

    @Test
    void comparisonFindsTheProbes() {
        SameProcessCheck.Result c = SameProcessCheck.of(before, after);
        assertThat(c.sameProcess()).isTrue();
        assertThat(c.agreeingFraction()).isGreaterThanOrEqualTo(0.99);
        assertThat(c.afterLooksOlder()).isFalse();
        DiffResult r = SnapshotDiff.compare(before, after, c, List.of());
        DiffResult.ClassDelta probe = r.classes().stream().filter(d -> d.name().equals("DiffProbe")).findFirst().orElseThrow();
        assertThat(probe.newCount()).isGreaterThanOrEqualTo(N);
        assertThat(probe.deletedCount()).isZero();
        assertThat(probe.countBefore()).isZero();
        assertThat(probe.allocatedBytes()).isGreaterThanOrEqualTo(N * 16L);
        // the probes are the biggest growth of this script
        assertThat(r.classes().get(0).deltaBytes()).isGreaterThanOrEqualTo(probe.deltaBytes());
        assertThat(r.totals().newCount()).isGreaterThanOrEqualTo(N);
        assertThat(r.totals().countAfter() - r.totals().countBefore()).isEqualTo(r.totals().deltaCount());
    }

    @Test
    void memwatchFindsTheProbes() {
        MemwatchDiff.Result r = MemwatchDiff.compare(before, Instant.EPOCH, after, Instant.EPOCH);
        MemwatchDiff.Detail probe = r.details().stream().filter(d -> d.what().equals("DiffProbe")).findFirst().orElseThrow();
        assertThat(probe.added()).isGreaterThanOrEqualTo(N);
        assertThat(probe.freed()).isZero();
        assertThat(r.allocatedNodes()).isGreaterThanOrEqualTo(N);
        assertThat(r.after().sizeBytes()).isGreaterThan(r.before().sizeBytes());
        assertThat(r.before().nodes()).isEqualTo(before.nodeCount());
    }

    /**
     * Two processes of one script share nearly all ids (start-up is deterministic), so the share of
     * common ids does not tell them apart; the ids' objects do.
     */
    @Test
    void twoProcessesAreToldApart() {
        SameProcessCheck.Result c = SameProcessCheck.of(before, other);
        assertThat(c.sameProcess()).isFalse();
        assertThat(c.idsAgree()).isFalse();
        SameProcessCheck.Result d = SameProcessCheck.of(other, after);
        assertThat(d.sameProcess()).isFalse();
    }
}
