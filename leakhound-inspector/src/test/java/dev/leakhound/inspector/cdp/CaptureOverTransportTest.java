package dev.leakhound.inspector.cdp;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.SnapshotCapture;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.inspector.cleanup.CleanupRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A snapshot capture driven through the connection's Transport seam: the fake target answers each call
 * by delivering scripted messages (on the calling thread, before the send returns), so what the capture
 * receives, and in which order, is exact.
 */
class CaptureOverTransportTest {
    @TempDir
    Path dir;

    /** Answers HeapProfiler.takeHeapSnapshot with the given messages, then the call's reply. */
    static final class ScriptedTarget implements CdpConnection.Transport {
        final Function<Long, List<String>> onSnapshot;
        CdpConnection conn;

        ScriptedTarget(Function<Long, List<String>> onSnapshot) {
            this.onSnapshot = onSnapshot;
        }

        @Override
        public CompletableFuture<?> sendText(String text) {
            JsonObj call = (JsonObj) Json.parse(text);
            long id = call.lng("id", -1);
            if ("HeapProfiler.takeHeapSnapshot".equals(call.str("method"))) {
                for (String m : onSnapshot.apply(id)) {
                    conn.onFragment(m, true);
                }
            } else {
                conn.onFragment("{\"id\":" + id + ",\"result\":{}}", true);
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            // nothing to close
        }
    }

    static String chunk(String text) {
        return "{\"method\":\"HeapProfiler.addHeapSnapshotChunk\",\"params\":{\"chunk\":" + Json.write(text) + "}}";
    }

    static final String HEAD = "{\"snapshot\":{\"meta\":{},\"node_count\":2,\"edge_count\":1},\n\"nodes\":[1,2,";
    static final String MIDDLE = "3,4,5,6],\"edges\":[7,8,";
    static final String TAIL = "9],\"strings\":[\"a\"]}";

    final CleanupRegistry cleanup = new CleanupRegistry();

    private SnapshotResult capture(ScriptedTarget target, Path out) {
        CdpConnection c = new CdpConnection("127.0.0.1:9229", target);
        target.conn = c;
        return SnapshotCapture.capture(new InspectorSession(c, Duration.ofSeconds(5)), out,
                new SnapshotCapture.Options(true, Duration.ofSeconds(5), null), cleanup);
    }

    @AfterEach
    void theTemporaryFileIsNoLongerRegistered() {
        assertThat(cleanup.size()).isZero();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void chunksAreWrittenInOrderUnderTheFinalName() throws IOException {
        Path out = dir.resolve("ok.heapsnapshot");
        SnapshotResult r = capture(new ScriptedTarget(id -> List.of(chunk(HEAD), chunk(MIDDLE), chunk(TAIL),
                "{\"id\":" + id + ",\"result\":{}}")), out);
        assertThat(Files.readString(out)).isEqualTo(HEAD + MIDDLE + TAIL);
        assertThat(r.chunks()).isEqualTo(3);
        assertThat(r.nodeCount()).isEqualTo(2);
        assertThat(files()).containsExactly(out);
    }

    /** B4: a chunk whose JSON cannot be read is lost; the snapshot would be corrupt. */
    @Test
    void anUnreadableChunkFailsTheCaptureAndLeavesNoFile() throws IOException {
        Path out = dir.resolve("bad.heapsnapshot");
        String broken = chunk(MIDDLE).replace("3,4", "3\\q4"); // an invalid JSON escape inside the chunk string
        ScriptedTarget t = new ScriptedTarget(id -> List.of(chunk(HEAD), broken, chunk(TAIL), "{\"id\":" + id + ",\"result\":{}}"));
        assertThatThrownBy(() -> capture(t, out))
                .isInstanceOf(LeakhoundException.class)
                .hasMessageStartingWith("127.0.0.1:9229: an inspector message could not be read during the snapshot (")
                .hasMessageEndingWith("); no snapshot written")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(files()).as("neither the final file nor the temporary one").isEmpty();
    }

    @Test
    void anyUnreadableMessageDuringTheCaptureFailsIt() throws IOException {
        Path out = dir.resolve("bad.heapsnapshot");
        ScriptedTarget t = new ScriptedTarget(id -> List.of(chunk(HEAD), "{\"method\":\"HeapProfiler.addHeapSn",
                chunk(MIDDLE + TAIL), "{\"id\":" + id + ",\"result\":{}}"));
        assertThatThrownBy(() -> capture(t, out))
                .isInstanceOf(LeakhoundException.class)
                .hasMessageContaining("an inspector message could not be read during the snapshot");
        assertThat(files()).isEmpty();
    }

    /**
     * A target that goes silent mid-snapshot without its connection ever reporting an end (a killed process
     * whose WebSocket end was not noticed): the capture asks whether the target still runs and fails at once
     * with the target gone, instead of waiting out the idle timeout.
     */
    @Test
    void aSilentTargetThatNoLongerRunsIsGoneBeforeTheIdleTimeout() throws IOException {
        Path out = dir.resolve("gone.heapsnapshot");
        ScriptedTarget t = new ScriptedTarget(id -> List.of(chunk(HEAD)));   // then nothing, and no reply
        CdpConnection c = new CdpConnection("127.0.0.1:9229", t);
        t.conn = c;
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> SnapshotCapture.capture(new InspectorSession(c, Duration.ofSeconds(5)), out,
                new SnapshotCapture.Options(false, Duration.ofMinutes(10), null), cleanup, () -> {
                    asked.incrementAndGet();
                    return false;
                }))
                .isInstanceOf(TargetGoneException.class)
                .hasMessage("127.0.0.1:9229: the target went away during the snapshot (its inspector stopped listening,"
                        + " after 0.0 MB); no snapshot written");
        assertThat(asked.get()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("long before the 10 minute idle timeout")
                .isLessThan(Duration.ofMinutes(5));
        assertThat(files()).isEmpty();
    }

    /** While the silent target still runs (a long snapshot), the capture keeps waiting: here until the idle timeout. */
    @Test
    void aSilentTargetThatStillRunsIsWaitedFor() throws IOException {
        Path out = dir.resolve("slow.heapsnapshot");
        ScriptedTarget t = new ScriptedTarget(id -> List.of(chunk(HEAD)));
        CdpConnection c = new CdpConnection("127.0.0.1:9229", t);
        t.conn = c;
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        assertThatThrownBy(() -> SnapshotCapture.capture(new InspectorSession(c, Duration.ofSeconds(5)), out,
                new SnapshotCapture.Options(false, Duration.ofSeconds(5), null), cleanup, () -> {
                    asked.incrementAndGet();
                    return true;
                }))
                .isInstanceOf(InspectorTimeoutException.class)
                .hasMessageContaining("the target sent nothing for 5 s during the snapshot");
        assertThat(asked.get()).isPositive();
        assertThat(files()).isEmpty();
    }
}
