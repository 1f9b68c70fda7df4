package dev.leakhound.inspector.cdp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.Json.JsonObj;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Chrome DevTools Protocol session over the JDK's {@link java.net.http.WebSocket}.
 *
 * <p>What the inspector needs, learnt by running it against Node 20 (the JDK's WebSocket delivered 722
 * messages of a snapshot in 4,822 {@code onText} calls):
 * <ul>
 *   <li>messages arrive in fragments: text is buffered until {@code last == true};</li>
 *   <li>only one send may be in flight, so sends are serialised under a lock and each waits for its future;</li>
 *   <li>replies carry the request {@code id} and are matched to their caller; everything else is an event
 *       dispatched to listeners by method name;</li>
 *   <li>{@code HeapProfiler.addHeapSnapshotChunk} carries ~100 KB of JSON-escaped snapshot text: when a
 *       {@link ChunkSink} is set, the decoded characters go to it straight from Jackson's buffer, without
 *       building a tree or a String. The next message is requested only after the sink returns, so a slow
 *       disk slows the socket instead of filling memory.</li>
 * </ul>
 * Listener callbacks and the sink run on the HTTP client's executor thread, one message at a time. A
 * message that cannot be read, or a listener that throws, never stops the socket thread: it is reported
 * as a {@link MessageError} to the {@link #onMessageError error listeners}, whose owners decide what it
 * means (a snapshot capture fails on any; others may just tell the user).
 */
public final class CdpConnection implements AutoCloseable {
    public static final String CHUNK_EVENT = "HeapProfiler.addHeapSnapshotChunk";

    /** Receives decoded snapshot text. Called on the socket thread; must not block for long. */
    public interface ChunkSink {
        /** Some characters of the current chunk (a chunk may arrive in several pieces). */
        void chunk(char[] buf, int off, int len);

        /** The current chunk is complete. */
        default void endOfChunk() {}
    }

    /** The sending half, abstracted so tests can drive the connection without a socket. */
    interface Transport {
        CompletableFuture<?> sendText(String text);

        void close();
    }

    /**
     * A message the connection could not use. Reported on the socket thread, in message order.
     *
     * @param kind   what went wrong
     * @param method the event's method, when known (LISTENER_FAILED); else null
     * @param cause  the exception
     */
    public record MessageError(Kind kind, String method, Throwable cause) {
        public enum Kind {
            /** Not JSON, or JSON the connection could not decode (a snapshot chunk included): the message is lost. */
            UNREADABLE,
            /** The message was read, but a listener for its event threw. */
            LISTENER_FAILED
        }

        /** One line: "an unreadable inspector message (JsonParseException: ...)". */
        public String describe() {
            return kind == Kind.UNREADABLE ? "an unreadable inspector message (" + CdpConnection.describe(cause) + ")"
                    : "the listener for " + method + " failed: " + CdpConnection.describe(cause);
        }
    }

    private record Pending(String method, CompletableFuture<JsonObj> future) {}

    private final String label;
    private final Transport transport;
    private final Object sendLock = new Object();
    private final AtomicLong nextId = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<JsonObj>>> listeners = new ConcurrentHashMap<>();
    private final List<Consumer<MessageError>> errorListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private volatile ChunkSink chunkSink;
    private volatile long lastMessageNanos = System.nanoTime();

    // Reassembly state, touched only by the (single) delivering thread.
    private final StringBuilder text = new StringBuilder(1 << 16);
    private char[] buf = new char[1 << 16];

    CdpConnection(String label, Transport transport) {
        this.label = label;
        this.transport = transport;
    }

    /**
     * Opens a session to a {@code ws://} debugger URL. {@code label} names the target in error messages
     * (e.g. "127.0.0.1:9229").
     */
    public static CdpConnection open(HttpClient client, URI ws, Duration timeout, String label) {
        Holder holder = new Holder();
        CdpConnection[] self = new CdpConnection[1];
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                self[0].onFragment(data, last);
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                self[0].onClosed("the target closed the inspector connection (code " + statusCode
                        + (reason == null || reason.isEmpty() ? "" : ", " + reason) + ")");
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                self[0].onClosed("the inspector connection failed: " + describe(error));
            }
        };
        self[0] = new CdpConnection(label, holder);
        try {
            holder.ws = client.newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .buildAsync(ws, listener)
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new InspectorTimeoutException(label + ": no WebSocket handshake within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
            if (c instanceof WebSocketHandshakeException wse && wse.getResponse().statusCode() != 101) {
                throw new LeakhoundException(label + ": the inspector refused the WebSocket (HTTP "
                        + wse.getResponse().statusCode() + ")");
            }
            // 101: the inspector accepted, and the connection broke during the handshake (a target exiting)
            throw new TargetGoneException(label + ": could not open the inspector WebSocket: " + describe(c));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeakhoundException("interrupted while connecting to " + label);
        }
        return self[0];
    }

    private static final class Holder implements Transport {
        volatile WebSocket ws;

        @Override
        public CompletableFuture<?> sendText(String text) {
            return ws.sendText(text, true);
        }

        @Override
        public void close() {
            WebSocket w = ws;
            if (w == null) {
                return;
            }
            try {
                if (!w.isOutputClosed()) {
                    w.sendClose(WebSocket.NORMAL_CLOSURE, "").get(1, TimeUnit.SECONDS);
                }
            } catch (Exception ignored) {
                // best effort: abort below
            }
            w.abort();
        }
    }

    /** "ClassName: message", on one line, of the exception under any CompletionException or ExecutionException wrappers. */
    public static String describe(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (t instanceof JsonProcessingException jp && jp.getLocation() != null) {
            // Jackson's message spans lines ("... at [Source: ...]"): its own words and where, on one line
            m = jp.getOriginalMessage() + " at line " + jp.getLocation().getLineNr() + ", column " + jp.getLocation().getColumnNr();
        }
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.replaceAll("\\s*\\R\\s*", " "));
    }

    public String label() {
        return label;
    }

    /** Completes (with the reason) when the connection is closed, by either side. */
    public CompletableFuture<String> closedFuture() {
        return closed;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** When the last message fragment arrived ({@link System#nanoTime()}). */
    public long lastMessageNanos() {
        return lastMessageNanos;
    }

    /** Routes {@value #CHUNK_EVENT} to {@code sink} (or back to ordinary listeners when null). */
    public void setChunkSink(ChunkSink sink) {
        this.chunkSink = sink;
    }

    /** Adds a listener for an event; returns a handle that removes it. */
    public AutoCloseable on(String method, Consumer<JsonObj> listener) {
        List<Consumer<JsonObj>> l = listeners.computeIfAbsent(method, k -> new CopyOnWriteArrayList<>());
        l.add(listener);
        return () -> l.remove(listener);
    }

    /**
     * Adds a listener for messages the connection could not use (see {@link MessageError}); returns a handle
     * that removes it. Called on the socket thread; must not block.
     */
    public AutoCloseable onMessageError(Consumer<MessageError> listener) {
        errorListeners.add(listener);
        return () -> errorListeners.remove(listener);
    }

    private void report(MessageError e) {
        for (Consumer<MessageError> l : errorListeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ignored) {
                // an error listener that fails has nowhere left to report to; the others still run
            }
        }
    }

    /** Sends a call; the future completes with its {@code result}, or fails with a LeakhoundException. */
    public CompletableFuture<JsonObj> send(String method, JsonObj params) {
        long id = nextId.incrementAndGet();
        CompletableFuture<JsonObj> f = new CompletableFuture<>();
        pending.put(id, new Pending(method, f));
        String msg = Json.write(JsonObj.of("id", id, "method", method, "params", params == null ? new JsonObj() : params));
        synchronized (sendLock) {
            if (closed.isDone()) {
                pending.remove(id);
                f.completeExceptionally(new TargetGoneException(label + ": " + closed.getNow("connection closed")
                        + " before " + method));
                return f;
            }
            try {
                transport.sendText(msg).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                pending.remove(id);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                f.completeExceptionally(e instanceof TimeoutException
                        ? new InspectorTimeoutException(label + ": could not send " + method + " within 30 s")
                        : new TargetGoneException(label + ": sending " + method + " failed: " + describe(e)));
            }
        }
        return f;
    }

    /** Sends a call and waits for its result. */
    public JsonObj call(String method, JsonObj params, Duration timeout) {
        return await(send(method, params), method, timeout);
    }

    /**
     * Waits for a reply future from {@link #send}, turning every failure into a one-line LeakhoundException.
     * A call that times out is forgotten (its future fails with the timeout), so its late reply is dropped.
     */
    public JsonObj await(CompletableFuture<JsonObj> f, String method, Duration timeout) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            InspectorTimeoutException te = new InspectorTimeoutException(label + ": the target did not answer " + method
                    + " within " + fmtSeconds(timeout));
            forget(f);
            if (f.completeExceptionally(te)) {
                throw te;
            }
            return await(f, method, timeout); // the reply came in the meantime: use it
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof LeakhoundException le) {
                throw le;
            }
            throw new LeakhoundException(label + ": " + method + " failed: " + describe(c), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeakhoundException("interrupted while waiting for " + method);
        }
    }

    /**
     * Gives up on a call from {@link #send}: it is forgotten (a late reply is dropped) and its future is
     * cancelled if still pending.
     */
    public void abandon(CompletableFuture<JsonObj> f) {
        forget(f);
        f.cancel(false);
    }

    private void forget(CompletableFuture<JsonObj> f) {
        pending.values().removeIf(p -> p.future == f);
    }

    /** Calls sent and neither answered, failed nor forgotten. */
    int pendingCalls() {
        return pending.size();
    }

    static String fmtSeconds(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    @Override
    public void close() {
        if (closed.isDone()) {
            transport.close();
            return;
        }
        onClosed("leakhound closed the connection");
        transport.close();
    }

    // ---- receiving ----

    void onFragment(CharSequence data, boolean last) {
        lastMessageNanos = System.nanoTime();
        text.append(data);
        if (!last) {
            return;
        }
        int n = text.length();
        if (buf.length < n) {
            buf = new char[Math.max(n, buf.length * 2)];
        }
        text.getChars(0, n, buf, 0);
        text.setLength(0);
        if (text.capacity() > (4 << 20)) {
            text.trimToSize();
        }
        try {
            handle(buf, n);
        } catch (IOException | RuntimeException e) {
            // never let a message kill the socket thread: its error listeners decide what a lost message means
            report(new MessageError(MessageError.Kind.UNREADABLE, null, e));
        }
        if (buf.length > (8 << 20)) {
            buf = new char[1 << 16];
        }
    }

    private void handle(char[] b, int len) throws IOException {
        try (JsonParser p = Json.FACTORY.createParser(b, 0, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            long id = -1;
            String method = null;
            Object result = null;
            Object error = null;
            Object params = null;
            boolean streamed = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken vt = p.nextToken();
                switch (field) {
                    case "id" -> id = vt == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "method" -> method = p.getText();
                    case "params" -> {
                        ChunkSink sink = chunkSink;
                        if (sink != null && CHUNK_EVENT.equals(method) && vt == JsonToken.START_OBJECT) {
                            streamChunk(p, sink);
                            streamed = true;
                        } else {
                            params = Json.read(p);
                        }
                    }
                    case "result" -> result = Json.read(p);
                    case "error" -> error = Json.read(p);
                    default -> p.skipChildren();
                }
            }
            if (id >= 0 && method == null) {
                Pending pc = pending.remove(id);
                if (pc == null) {
                    return; // a late reply to a call that timed out or was abandoned: await/abandon forgot it
                }
                if (error instanceof JsonObj e) {
                    pc.future.completeExceptionally(new CdpException(label + ": " + pc.method + " failed: "
                            + e.str("message") + (e.has("data") ? " (" + e.get("data") + ")" : "")));
                } else {
                    pc.future.complete(result instanceof JsonObj r ? r : new JsonObj());
                }
                return;
            }
            if (method == null || streamed) {
                return;
            }
            JsonObj po = params instanceof JsonObj o ? o : new JsonObj();
            ChunkSink sink = chunkSink;
            if (sink != null && CHUNK_EVENT.equals(method)) {
                String chunk = po.str("chunk"); // params came before method: rare, handled all the same
                if (chunk != null) {
                    sink.chunk(chunk.toCharArray(), 0, chunk.length());
                    sink.endOfChunk();
                }
                return;
            }
            List<Consumer<JsonObj>> ls = listeners.get(method);
            if (ls != null) {
                for (Consumer<JsonObj> l : ls) {
                    try {
                        l.accept(po);
                    } catch (RuntimeException e) {
                        report(new MessageError(MessageError.Kind.LISTENER_FAILED, method, e));
                    }
                }
            }
        }
    }

    private static void streamChunk(JsonParser p, ChunkSink sink) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken vt = p.nextToken();
            if ("chunk".equals(f) && vt == JsonToken.VALUE_STRING) {
                // getText(Writer) hands over Jackson's decoded segments without joining them into one array.
                p.getText(new SinkWriter(sink));
                sink.endOfChunk();
            } else {
                p.skipChildren();
            }
        }
    }

    /** Adapts a ChunkSink to the Writer that {@link JsonParser#getText(Writer)} writes to. */
    private static final class SinkWriter extends Writer {
        private final ChunkSink sink;

        SinkWriter(ChunkSink sink) {
            this.sink = sink;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            if (len > 0) {
                sink.chunk(cbuf, off, len);
            }
        }

        @Override
        public void write(String str) {
            write(str.toCharArray(), 0, str.length());
        }

        @Override
        public void write(String str, int off, int len) {
            write(str.substring(off, off + len).toCharArray(), 0, len);
        }

        @Override
        public void flush() {
            // nothing buffered
        }

        @Override
        public void close() {
            // nothing to close
        }
    }

    void onClosed(String reason) {
        if (!closed.complete(reason)) {
            return;
        }
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            if (pending.remove(e.getKey()) != null) {
                e.getValue().future.completeExceptionally(new TargetGoneException(label + ": " + reason
                        + " while waiting for " + e.getValue().method));
            }
        }
    }

    @Override
    public String toString() {
        return "CdpConnection[" + label + (isClosed() ? ", closed" : "") + "]";
    }
}
