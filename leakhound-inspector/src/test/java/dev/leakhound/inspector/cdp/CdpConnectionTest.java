package dev.leakhound.inspector.cdp;

import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The connection's protocol logic, driven without a socket through its Transport seam. */
class CdpConnectionTest {
    /** Records what is sent; completes sends at once. */
    static final class FakeTransport implements CdpConnection.Transport {
        final List<String> sent = new CopyOnWriteArrayList<>();
        boolean closed;

        @Override
        public CompletableFuture<?> sendText(String text) {
            sent.add(text);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static void deliver(CdpConnection c, String message, int... cuts) {
        int prev = 0;
        for (int cut : cuts) {
            c.onFragment(message.substring(prev, cut), false);
            prev = cut;
        }
        c.onFragment(message.substring(prev), true);
    }

    @Test
    void repliesAreMatchedByIdEvenOutOfOrder() throws Exception {
        FakeTransport t = new FakeTransport();
        CdpConnection c = new CdpConnection("test", t);
        CompletableFuture<JsonObj> a = c.send("Runtime.evaluate", JsonObj.of("expression", "1"));
        CompletableFuture<JsonObj> b = c.send("HeapProfiler.collectGarbage", null);
        assertThat(t.sent).hasSize(2);
        JsonObj first = (JsonObj) Json.parse(t.sent.get(0));
        assertThat(first.str("method")).isEqualTo("Runtime.evaluate");
        assertThat(first.obj("params").str("expression")).isEqualTo("1");
        long idA = first.lng("id", -1);
        long idB = ((JsonObj) Json.parse(t.sent.get(1))).lng("id", -1);
        assertThat(idA).isNotEqualTo(idB);

        deliver(c, "{\"id\":" + idB + ",\"result\":{}}");
        assertThat(b).isCompleted();
        assertThat(a).isNotDone();
        deliver(c, "{\"id\":" + idA + ",\"result\":{\"result\":{\"type\":\"number\",\"value\":1}}}");
        assertThat(a.get().obj("result").lng("value", 0)).isEqualTo(1);
    }

    @Test
    void fragmentsAreReassembledBeforeParsing() throws Exception {
        CdpConnection c = new CdpConnection("test", new FakeTransport());
        CompletableFuture<JsonObj> f = c.send("Runtime.evaluate", null);
        String msg = "{\"id\":1,\"result\":{\"result\":{\"value\":\"h\\u00e9llo \\\"quoted\\\"\"}}}";
        deliver(c, msg, 3, 10, 11, 30, msg.length() - 1);
        assertThat(f.get().obj("result").str("value")).isEqualTo("h\u00e9llo \"quoted\"");
    }

    @Test
    void errorRepliesFailWithTheProtocolMessage() {
        CdpConnection c = new CdpConnection("127.0.0.1:9229", new FakeTransport());
        CompletableFuture<JsonObj> f = c.send("HeapProfiler.bogus", null);
        deliver(c, "{\"id\":1,\"error\":{\"code\":-32601,\"message\":\"'HeapProfiler.bogus' wasn't found\"}}");
        assertThatThrownBy(() -> c.await(f, "HeapProfiler.bogus", Duration.ofSeconds(1)))
                .isInstanceOf(CdpException.class)
                .hasMessage("127.0.0.1:9229: HeapProfiler.bogus failed: 'HeapProfiler.bogus' wasn't found");
    }

    @Test
    void eventsGoToTheirListeners() throws Exception {
        CdpConnection c = new CdpConnection("test", new FakeTransport());
        List<Long> seen = new ArrayList<>();
        AutoCloseable sub = c.on("HeapProfiler.reportHeapSnapshotProgress", p -> seen.add(p.lng("done", -1)));
        deliver(c, "{\"method\":\"HeapProfiler.reportHeapSnapshotProgress\",\"params\":{\"done\":5,\"total\":10}}");
        deliver(c, "{\"method\":\"Other.event\",\"params\":{\"done\":6}}");
        sub.close();
        deliver(c, "{\"method\":\"HeapProfiler.reportHeapSnapshotProgress\",\"params\":{\"done\":7,\"total\":10}}");
        assertThat(seen).containsExactly(5L);
    }

    @Test
    void snapshotChunksAreDecodedIntoTheSinkAcrossFragments() {
        CdpConnection c = new CdpConnection("test", new FakeTransport());
        StringBuilder got = new StringBuilder();
        int[] chunks = {0};
        c.setChunkSink(new CdpConnection.ChunkSink() {
            @Override
            public void chunk(char[] buf, int off, int len) {
                got.append(buf, off, len);
            }

            @Override
            public void endOfChunk() {
                chunks[0]++;
            }
        });
        // Snapshot text as V8 cuts it: mid-token, full of escaped quotes and newlines.
        String piece1 = "{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\",\"na";
        String piece2 = "me\"]},\"node_count\":2},\n\"nodes\":[9,1,2,\n3],\"strings\":[\"\u00e9\u20ac\ud83d\ude00\"]}";
        String m1 = "{\"method\":\"HeapProfiler.addHeapSnapshotChunk\",\"params\":{\"chunk\":" + Json.write(piece1) + "}}";
        String m2 = "{\"method\":\"HeapProfiler.addHeapSnapshotChunk\",\"params\":{\"chunk\":" + Json.write(piece2) + "}}";
        deliver(c, m1, 5, 70);
        deliver(c, m2, 60, 61, 62);
        assertThat(got.toString()).isEqualTo(piece1 + piece2);
        assertThat(chunks[0]).isEqualTo(2);
    }

    @Test
    void closingFailsPendingCallsAsTargetGone() {
        FakeTransport t = new FakeTransport();
        CdpConnection c = new CdpConnection("127.0.0.1:9229", t);
        CompletableFuture<JsonObj> f = c.send("HeapProfiler.takeHeapSnapshot", null);
        c.onClosed("the target closed the inspector connection (code 1006)");
        assertThatThrownBy(() -> c.await(f, "HeapProfiler.takeHeapSnapshot", Duration.ofSeconds(1)))
                .isInstanceOf(TargetGoneException.class)
                .hasMessageContaining("the target closed the inspector connection (code 1006) while waiting for HeapProfiler.takeHeapSnapshot");
        // and later sends fail at once
        CompletableFuture<JsonObj> g = c.send("Runtime.evaluate", null);
        assertThat(g).isCompletedExceptionally();
        assertThat(t.sent).hasSize(1);
    }

    @Test
    void aTimedOutCallIgnoresItsLateReply() {
        CdpConnection c = new CdpConnection("127.0.0.1:9229", new FakeTransport());
        List<CdpConnection.MessageError> errors = new CopyOnWriteArrayList<>();
        c.onMessageError(errors::add);
        CompletableFuture<JsonObj> f = c.send("Runtime.evaluate", null);
        assertThatThrownBy(() -> c.await(f, "Runtime.evaluate", Duration.ofMillis(20)))
                .isInstanceOf(InspectorTimeoutException.class)
                .hasMessage("127.0.0.1:9229: the target did not answer Runtime.evaluate within 20 ms");
        assertThat(c.pendingCalls()).as("a timed-out call is forgotten").isZero();
        assertThat(f).isCompletedExceptionally();
        deliver(c, "{\"id\":1,\"result\":{}}");   // the late reply: dropped, and no error
        assertThat(f).isCompletedExceptionally();
        assertThat(errors).isEmpty();
        deliver(c, "not json at all");                // unreadable: reported on the error channel, not thrown
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(CdpConnection.MessageError.Kind.UNREADABLE);
            assertThat(e.describe()).startsWith("an unreadable inspector message (").doesNotContain("\n");
        });
        CompletableFuture<JsonObj> g = c.send("Runtime.evaluate", null);  // the connection still works
        deliver(c, "{\"id\":2,\"result\":{}}");
        assertThat(g).isCompleted();
    }

    @Test
    void aFailingListenerIsReportedAndTheOthersStillRun() {
        CdpConnection c = new CdpConnection("test", new FakeTransport());
        List<CdpConnection.MessageError> errors = new CopyOnWriteArrayList<>();
        c.onMessageError(errors::add);
        List<Long> seen = new ArrayList<>();
        c.on("Some.event", p -> {
            throw new IllegalStateException("boom");
        });
        c.on("Some.event", p -> seen.add(p.lng("n", -1)));
        deliver(c, "{\"method\":\"Some.event\",\"params\":{\"n\":4}}");
        assertThat(seen).containsExactly(4L);
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(CdpConnection.MessageError.Kind.LISTENER_FAILED);
            assertThat(e.method()).isEqualTo("Some.event");
            assertThat(e.describe()).isEqualTo("the listener for Some.event failed: IllegalStateException: boom");
        });
    }

    @Test
    void abandonedCallsAreForgotten() {
        CdpConnection c = new CdpConnection("test", new FakeTransport());
        CompletableFuture<JsonObj> f = c.send("HeapProfiler.takeHeapSnapshot", null);
        assertThat(c.pendingCalls()).isOne();
        c.abandon(f);
        assertThat(c.pendingCalls()).isZero();
        assertThat(f).isCancelled();
    }
}
