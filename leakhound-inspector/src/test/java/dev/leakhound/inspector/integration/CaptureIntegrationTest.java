package dev.leakhound.inspector.integration;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.leakhound.inspector.capture.SnapshotCapture;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.cdp.TargetGoneException;
import dev.leakhound.inspector.live.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshots of real node processes. */
class CaptureIntegrationTest {
    @TempDir
    Path dir;

    /** Independent check of a written snapshot: counts the numbers in "nodes"/"edges" and looks for a string. */
    record Counted(long nodeValues, long edgeValues, int nodeFields, int edgeFields, boolean hasString) {}

    static Counted count(Path file, String wanted) throws Exception {
        long nodes = 0;
        long edges = 0;
        int nf = 0;
        int ef = 0;
        boolean found = false;
        try (InputStream in = Files.newInputStream(file); JsonParser p = new JsonFactory().createParser(in)) {
            String field = null;
            int depth = 0;
            String arrayOf = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> field = p.currentName();
                    case START_ARRAY -> {
                        if (depth == 1 && ("nodes".equals(field) || "edges".equals(field) || "strings".equals(field))) {
                            arrayOf = field;
                        } else if ("node_fields".equals(field)) {
                            arrayOf = "node_fields";
                        } else if ("edge_fields".equals(field)) {
                            arrayOf = "edge_fields";
                        }
                        depth++;
                    }
                    case END_ARRAY -> {
                        depth--;
                        arrayOf = null;
                    }
                    case START_OBJECT -> depth++;
                    case END_OBJECT -> depth--;
                    case VALUE_NUMBER_INT -> {
                        if ("nodes".equals(arrayOf)) {
                            nodes++;
                        } else if ("edges".equals(arrayOf)) {
                            edges++;
                        }
                    }
                    case VALUE_STRING -> {
                        if ("node_fields".equals(arrayOf)) {
                            nf++;
                        } else if ("edge_fields".equals(arrayOf)) {
                            ef++;
                        } else if ("strings".equals(arrayOf) && p.getText().equals(wanted)) {
                            found = true;
                        }
                    }
                    default -> { }
                }
            }
        }
        return new Counted(nodes, edges, nf, ef, found);
    }

    @Test
    void launchedTargetSnapshotIsCompleteOwnerOnlyAndAloneInItsDirectory() throws Exception {
        ByteArrayOutputStream childErr = new ByteArrayOutputStream();
        Path out = dir.resolve("app.heapsnapshot");
        long pid;
        SnapshotResult r;
        try (Target t = Target.launch(List.of("node", NodeProcess.script("idle.js").toString()),
                Target.Options.defaults().withChildStderr(childErr).withNotices(s -> { }))) {
            pid = t.pid();
            assertThat(t.kind()).isEqualTo(Target.Kind.LAUNCHED);
            assertThat(t.nodeVersion()).startsWith("v");
            r = t.takeSnapshot(out, true);
            assertThat(t.process()).isPresent();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse(); // ended with leakhound
        assertThat(r.file()).isEqualTo(out.toAbsolutePath());
        assertThat(r.bytes()).isEqualTo(Files.size(out));
        assertThat(r.nodeCount()).isGreaterThan(10_000);
        assertThat(r.chunks()).isGreaterThanOrEqualTo(r.bytes() / 102_400);
        assertThat(r.paused()).isPositive();
        assertThat(r.gc()).isPositive();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("app.heapsnapshot");
        }
        Counted c = count(out, "leakhound-test-" + pid);
        assertThat(c.nodeValues()).isEqualTo(r.nodeCount() * c.nodeFields());
        assertThat(c.edgeValues()).isEqualTo(r.edgeCount() * c.edgeFields());
        assertThat(c.hasString()).as("the target's own string is in the snapshot").isTrue();
        // the child's stderr came through, without the inspector's banner lines
        String err = childErr.toString(StandardCharsets.UTF_8);
        assertThat(err).contains("stderr-hello from " + pid).doesNotContain("Debugger listening").doesNotContain("Debugger attached");
    }

    @Test
    void aTargetKilledMidSnapshotLeavesNoFileAndAClearError() throws Exception {
        try (NodeProcess node = NodeProcess.start(List.of("--inspect=127.0.0.1:0"), "idle.js", "--heap-mb", "40");
             Target t = Target.attach("127.0.0.1:" + node.inspectorPort(), Target.Options.defaults().withNotices(s -> { }))) {
            AtomicBoolean killed = new AtomicBoolean();
            SnapshotCapture.Options opts = new SnapshotCapture.Options(false, Duration.ofSeconds(30), (done, total, bytes) -> {
                if (bytes > 0 && killed.compareAndSet(false, true)) {
                    node.kill(); // SIGKILL while chunks are streaming
                }
            });
            Path out = dir.resolve("killed.heapsnapshot");
            assertThatThrownBy(() -> t.takeSnapshot(out, opts))
                    .isInstanceOf(TargetGoneException.class)
                    .hasMessageStartingWith("127.0.0.1:" + node.inspectorPort() + ": the target went away during the snapshot")
                    .hasMessageEndingWith("no snapshot written")
                    .message().doesNotContain("\n");
            assertThat(killed).isTrue();
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s.toList()).as("no partial or final file").isEmpty();
            }
        }
    }

    @Test
    void aMissingDirectoryFailsBeforeTouchingTheTarget() throws Exception {
        try (NodeProcess node = NodeProcess.start(List.of("--inspect=127.0.0.1:0"), "idle.js");
             Target t = Target.attach("127.0.0.1:" + node.inspectorPort(), Target.Options.defaults().withNotices(s -> { }))) {
            assertThatThrownBy(() -> t.takeSnapshot(dir.resolve("no/such/dir/x.heapsnapshot"), false))
                    .hasMessageContaining("does not exist");
            assertThat(t.isConnected()).isTrue();
        }
    }
}
