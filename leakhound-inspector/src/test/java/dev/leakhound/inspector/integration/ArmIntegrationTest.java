package dev.leakhound.inspector.integration;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.Headroom;
import dev.leakhound.inspector.capture.NearHeapLimit;
import dev.leakhound.inspector.live.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** arm and the headroom check against real node processes (the out-of-memory run is in the CLI's CaptureSafetyTest). */
class ArmIntegrationTest {
    @TempDir
    Path dir;

    private static Target attach(NodeProcess node) throws Exception {
        return Target.attach("127.0.0.1:" + node.inspectorPort(), Target.Options.defaults().withNotices(s -> { }));
    }

    @Test
    void aProcessStartedWithTheFlagKeepsItAndItsDiagnosticDir() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        try (NodeProcess node = NodeProcess.start(List.of("--inspect=127.0.0.1:0", "--heapsnapshot-near-heap-limit=3",
                "--diagnostic-dir=" + dumps), "idle.js");
             Target t = attach(node)) {
            NearHeapLimit.Armed a = NearHeapLimit.arm(t.session(), 1, null, "");
            assertThat(a.outcome()).isEqualTo(NearHeapLimit.Outcome.SET_AT_START);
            assertThat(a.count()).isEqualTo(3);
            assertThat(a.folder()).isEqualTo(dumps.toString());
            assertThat(a.fromFlag()).isTrue();
            assertThat(a.pid()).isEqualTo(node.pid());
            assertThat(a.heapLimit()).isGreaterThan(a.heapUsed());
            // --dir naming the same folder is accepted
            assertThat(NearHeapLimit.arm(t.session(), 1, dumps.toString(), "").folder()).isEqualTo(dumps.toString());
        }
    }

    @Test
    void aMissingDiagnosticDirIsRefusedBeforeArming() throws Exception {
        Path missing = dir.resolve("gone");
        try (NodeProcess node = NodeProcess.start(List.of("--inspect=127.0.0.1:0", "--diagnostic-dir=" + missing), "idle.js");
             Target t = attach(node)) {
            assertThatThrownBy(() -> NearHeapLimit.arm(t.session(), 1, null, ""))
                    .isInstanceOf(LeakhoundException.class)
                    .hasMessage("not arming pid " + node.pid() + ": its snapshots would go to " + missing
                            + ", which does not exist (Node would report \"Wrote snapshot\" and write nothing there)");
            assertThat(t.evaluate("process[Symbol.for('leakhound.arm')] === undefined")).isEqualTo(true);
        }
    }

    @Test
    void aNodeWithoutTheFunctionIsRefused() throws Exception {
        try (NodeProcess node = NodeProcess.start(List.of("--inspect=127.0.0.1:0"), "idle.js");
             Target t = attach(node)) {
            // as on Node before 18.10 / 16.18
            t.evaluate("(() => { const v8 = process.getBuiltinModule('v8'); delete v8.setHeapSnapshotNearHeapLimit;"
                    + " return typeof v8.setHeapSnapshotNearHeapLimit; })()");
            assertThatThrownBy(() -> NearHeapLimit.arm(t.session(), 1, null, ""))
                    .hasMessageStartingWith("node " + t.nodeVersion() + " (pid " + node.pid() + ") cannot be armed at run time");
        }
    }

    /** A fake cgroup v2 tree whose limit leaves 2 MB. */
    private Path tightCgroup() throws Exception {
        Path root = dir.resolve("fakeroot");
        Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(root.resolve("proc/self/cgroup"), "0::/app\n");
        Files.writeString(root.resolve("proc/self/mountinfo"), "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        Files.createDirectories(root.resolve("sys/fs/cgroup/app"));
        Files.writeString(root.resolve("sys/fs/cgroup/app/memory.max"), (200L << 20) + "\n");
        Files.writeString(root.resolve("sys/fs/cgroup/app/memory.current"), (198L << 20) + "\n");
        return root;
    }

    /** The path every capture takes (snapshot, hunt, watch --snapshot-on-leak, the MCP server's tool). */
    @Test
    void takeSnapshotRefusesWhatDoesNotFitAndForceTakesIt() throws Exception {
        Path root = tightCgroup();
        try (NodeProcess node = NodeProcess.start(List.of("--inspect=127.0.0.1:0"), "idle.js");
             Target t = attach(node)) {
            Path out = dir.resolve("x.heapsnapshot");
            t.headroom(new Headroom.Policy(false, root.toString()));
            assertThatThrownBy(() -> t.takeSnapshot(out, false))
                    .isInstanceOf(LeakhoundException.class)
                    .hasMessageStartingWith("not taking the snapshot: writing it needs about ")
                    .hasMessageContaining("its cgroup /sys/fs/cgroup/app (v2) leaves 2.1 MB");
            assertThat(out).doesNotExist();
            t.headroom(new Headroom.Policy(true, root.toString()));
            assertThat(t.takeSnapshot(out, false).nodeCount()).isGreaterThan(10_000);
            assertThat(out).exists();
        }
    }

    @Test
    void theHeadroomCheckReadsTheTargetsOwnFigures() throws Exception {
        try (NodeProcess node = NodeProcess.start(List.of("--inspect=127.0.0.1:0"), "idle.js", "--heap-mb", "10");
             Target t = attach(node)) {
            Headroom.Check c = Headroom.check(t.session(), "");
            assertThat(c.memory().heapUsed()).isGreaterThan(10L * 1024 * 1024);
            assertThat(c.memory().rss()).isGreaterThan(c.memory().heapUsed());
            assertThat(c.estimate()).isEqualTo(Headroom.estimate(c.memory().heapUsed()));
            assertThat(c.figures().memAvailable()).isPositive();   // Linux: /proc/meminfo as the target reads it
        }
    }
}
