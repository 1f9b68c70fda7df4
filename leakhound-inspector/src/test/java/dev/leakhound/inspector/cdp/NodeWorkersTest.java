package dev.leakhound.inspector.cdp;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The NodeWorker domain's plumbing, driven without a socket: a main connection whose transport answers as
 * Node's inspector does (events for the workers before the answer to NodeWorker.enable; a worker's messages
 * wrapped in NodeWorker.receivedMessageFromWorker). The real thing is tested against node in
 * WorkersIntegrationTest and the CLI's WorkersCommandTest.
 */
class NodeWorkersTest {
    /** Answers each message sent on the main connection through {@code script} (connection, parsed message). */
    static final class Scripted implements CdpConnection.Transport {
        final List<JsonObj> sent = new CopyOnWriteArrayList<>();
        CdpConnection conn;
        BiConsumer<CdpConnection, JsonObj> script;

        @Override
        public CompletableFuture<?> sendText(String text) {
            JsonObj m = (JsonObj) Json.parse(text);
            sent.add(m);
            script.accept(conn, m);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }
    }

    static Scripted main(BiConsumer<CdpConnection, JsonObj> script) {
        Scripted t = new Scripted();
        t.conn = new CdpConnection("127.0.0.1:9229", t);
        t.script = script;
        return t;
    }

    static void reply(CdpConnection c, JsonObj call, JsonObj result) {
        c.onFragment(Json.write(JsonObj.of("id", call.lng("id", -1), "result", result)), true);
    }

    static void event(CdpConnection c, String method, JsonObj params) {
        c.onFragment(Json.write(JsonObj.of("method", method, "params", params)), true);
    }

    static final JsonObj WORKER_1 = JsonObj.of("sessionId", "s-1", "waitingForDebugger", false,
            "workerInfo", JsonObj.of("workerId", "1", "type", "worker", "title", "[worker 1]", "url", "file:///app/lib/worker.js"));

    @Test
    void aNodeWithoutTheDomainIsOneClearLine() {
        Scripted t = main((c, m) -> c.onFragment("{\"id\":" + m.lng("id", -1)
                + ",\"error\":{\"code\":-32601,\"message\":\"'NodeWorker.enable' wasn't found\"}}", true));
        assertThatThrownBy(() -> NodeWorkers.enable(t.conn, Duration.ofSeconds(5), "v10.0.0"))
                .isInstanceOf(LeakhoundException.class)
                .hasMessage("127.0.0.1:9229: this Node.js (v10.0.0) has no NodeWorker inspector domain, so its worker threads"
                        + " cannot be reached (127.0.0.1:9229: NodeWorker.enable failed: 'NodeWorker.enable' wasn't found)");
    }

    @Test
    void aWorkersCallsAndEventsTravelInsideTheMainConnection() throws Exception {
        List<String> chunks = new CopyOnWriteArrayList<>();
        Scripted t = main((c, m) -> {
            switch (m.str("method")) {
                case "NodeWorker.enable" -> {
                    assertThat(m.obj("params").get("waitForDebuggerOnStart")).isEqualTo(false);
                    event(c, "NodeWorker.attachedToWorker", WORKER_1);   // existing workers come before the answer
                    reply(c, m, new JsonObj());
                }
                case "NodeWorker.sendMessageToWorker" -> {
                    reply(c, m, new JsonObj());
                    JsonObj inner = (JsonObj) Json.parse(m.obj("params").str("message"));
                    String sid = m.obj("params").str("sessionId");
                    if (inner.str("method").equals("HeapProfiler.takeHeapSnapshot")) {
                        for (String chunk : List.of("{\"snap", "shot\":1}")) {
                            event(c, "NodeWorker.receivedMessageFromWorker", JsonObj.of("sessionId", sid, "message",
                                    Json.write(JsonObj.of("method", CdpConnection.CHUNK_EVENT, "params", JsonObj.of("chunk", chunk)))));
                        }
                    }
                    event(c, "NodeWorker.receivedMessageFromWorker", JsonObj.of("sessionId", sid, "message",
                            Json.write(JsonObj.of("id", inner.lng("id", -1), "result", JsonObj.of("result",
                                    JsonObj.of("type", "string", "value", "in " + sid))))));
                }
                default -> reply(c, m, new JsonObj());
            }
        });
        NodeWorkers nw = NodeWorkers.enable(t.conn, Duration.ofSeconds(5), "v20.20.2");
        List<NodeWorkers.Worker> ws = nw.list();
        assertThat(ws).containsExactly(new NodeWorkers.Worker("1", "worker", "[worker 1]", "file:///app/lib/worker.js", "s-1"));
        assertThat(ws.get(0).script()).isEqualTo("worker.js");

        CdpConnection w = nw.connect(ws.get(0));
        assertThat(w.label()).isEqualTo("127.0.0.1:9229 worker 1");
        assertThat(nw.connect(ws.get(0))).isSameAs(w);
        InspectorSession s = new InspectorSession(w, Duration.ofSeconds(5));
        assertThat(s.evaluate("threadId")).isEqualTo("in s-1");
        JsonObj wrapped = t.sent.get(t.sent.size() - 1);
        assertThat(wrapped.str("method")).isEqualTo("NodeWorker.sendMessageToWorker");
        assertThat(((JsonObj) Json.parse(wrapped.obj("params").str("message"))).str("method")).isEqualTo("Runtime.evaluate");

        // a snapshot's chunks reach the worker connection's sink, as they would on the main thread's
        w.setChunkSink((buf, off, len) -> chunks.add(new String(buf, off, len)));
        w.call("HeapProfiler.takeHeapSnapshot", null, Duration.ofSeconds(5));
        assertThat(String.join("", chunks)).isEqualTo("{\"snapshot\":1}");

        // the worker ends: its connection closes, and it is no longer listed
        event(t.conn, "NodeWorker.detachedFromWorker", JsonObj.of("sessionId", "s-1"));
        assertThat(w.isClosed()).isTrue();
        assertThat(w.closedFuture().get()).isEqualTo("worker 1 ended (the inspector detached from it)");
        assertThat(nw.list()).isEmpty();
        nw.close();
        assertThat(t.sent.get(t.sent.size() - 1).str("method")).isEqualTo("NodeWorker.disable");
    }

    @Test
    void awaitingAWorkerEndsWhenOneIsAttached() throws Exception {
        Scripted t = main((c, m) -> reply(c, m, new JsonObj()));
        NodeWorkers nw = NodeWorkers.enable(t.conn, Duration.ofSeconds(5), "v20.20.2");
        assertThat(nw.list()).isEmpty();
        CompletableFuture<List<NodeWorkers.Worker>> seen = CompletableFuture.supplyAsync(
                () -> nw.awaitWorker(w -> w.id().equals("1"), Duration.ofMinutes(2)));
        event(t.conn, "NodeWorker.attachedToWorker", WORKER_1);
        assertThat(seen.get().get(0).id()).isEqualTo("1");
        // the main connection closing ends a wait too
        CompletableFuture<List<NodeWorkers.Worker>> never = CompletableFuture.supplyAsync(
                () -> nw.awaitWorker(w -> w.id().equals("9"), Duration.ofMinutes(2)));
        t.conn.onClosed("gone");
        assertThat(never.get()).extracting(NodeWorkers.Worker::id).containsExactly("1");
    }
}
