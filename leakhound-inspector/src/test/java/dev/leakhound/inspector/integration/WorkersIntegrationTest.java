package dev.leakhound.inspector.integration;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.cdp.NodeWorkers.Worker;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.workers.WorkerSelector;
import dev.leakhound.inspector.workers.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Worker threads of real node processes, reached through the NodeWorker domain. */
class WorkersIntegrationTest {
    @TempDir
    Path dir;

    static Path example(String name) {
        String root = System.getProperty("leakhound.root");
        return Path.of(root == null ? ".." : root, "examples", "workers", name).toAbsolutePath().normalize();
    }

    static Target.Options quiet() {
        return Target.Options.defaults().withNotices(s -> { }).withChildStdout(java.io.OutputStream.nullOutputStream())
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    @Test
    void aWorkersHeapIsListedEvaluatedAndSnapshottedAlone() throws Exception {
        Path script = example("worker-pricing-server.js");
        try (Target t = Target.launch(List.of("node", script.toString()), quiet())) {
            Workers ws = Workers.open(t);
            Worker w = ws.selectOne(WorkerSelector.parse("pricing-worker.js"));
            assertThat(w.url()).isEqualTo("file://" + example("pricing-worker.js"));
            assertThat(w.script()).isEqualTo("pricing-worker.js");
            assertThat(ws.selectOne(WorkerSelector.parse(w.id()))).isEqualTo(w);
            Workers.Heap h = ws.heap(w);
            assertThat(h.used()).isPositive().isLessThan(h.total() + 1);
            // evaluation happens in the worker: its threadId, not the main thread's 0
            assertThat(ws.session(w).evaluate("require('worker_threads').threadId")).isEqualTo(Long.parseLong(w.id()));

            ws.focus(w);
            assertThat(t.describe()).endsWith(", worker " + w.id() + " (pricing-worker.js)");
            Path out = dir.resolve("w.heapsnapshot");
            SnapshotResult r = t.takeSnapshot(out, true);
            assertThat(r.nodeCount()).isGreaterThan(1000);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
            assertThat(CaptureIntegrationTest.count(out, "PricedOrder").hasString()).as("the worker's class").isTrue();
            assertThat(CaptureIntegrationTest.count(out, "QuoteRequest").hasString()).as("the main thread's class").isFalse();

            assertThatThrownBy(() -> ws.selectOne(WorkerSelector.ALL))
                    .isInstanceOf(LeakhoundException.class).hasMessageContaining("--worker all is for snapshot");
        }
    }
}
