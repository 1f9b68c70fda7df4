package dev.leakhound.inspector.cdp;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.Json.JsonObj;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The worker threads of a Node.js process, through the inspector's {@code NodeWorker} domain on the main
 * thread's connection.
 *
 * <p>{@code NodeWorker.enable {waitForDebuggerOnStart: false}} attaches a session to every worker (and to
 * workers started later) and announces each with {@code NodeWorker.attachedToWorker {sessionId, workerInfo:
 * {workerId, type, title, url}}}; the workers that exist when it is called are announced before it answers.
 * A worker's own protocol messages travel inside the main connection: sent with
 * {@code NodeWorker.sendMessageToWorker {sessionId, message}} (the message as a JSON string) and received
 * as {@code NodeWorker.receivedMessageFromWorker {sessionId, message}}. {@link #connect} wraps that in a
 * {@link CdpConnection} of its own, so that everything written for a connection (calls, events, a heap
 * snapshot's streamed chunks) works on a worker as on the main thread.
 * {@code NodeWorker.detachedFromWorker {sessionId}} (the worker ended) closes its connection.
 */
public final class NodeWorkers implements AutoCloseable {
    /**
     * A worker thread as the inspector announces it.
     *
     * @param id        NodeWorker's workerId: the worker's {@code threadId}, as a string ("1")
     * @param type      "worker"
     * @param title     e.g. "[worker 1]" or the worker's name option
     * @param url       its script, e.g. "file:///app/worker.js"
     * @param sessionId the inspector session leakhound was given for it
     */
    public record Worker(String id, String type, String title, String url, String sessionId) {
        /** The last part of its url ("worker.js"), or its title when it has no url. */
        public String script() {
            String u = url == null ? "" : url;
            int q = u.indexOf('?');
            if (q >= 0) {
                u = u.substring(0, q);
            }
            String name = u.substring(u.lastIndexOf('/') + 1);
            return name.isEmpty() ? (title == null ? "" : title) : name;
        }

        /** Orders by numeric id where both are numbers. */
        static final Comparator<Worker> BY_ID = Comparator.comparingLong((Worker w) -> numeric(w.id)).thenComparing(Worker::id);

        private static long numeric(String id) {
            try {
                return Long.parseLong(id);
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
    }

    private final CdpConnection main;
    private final Object lock = new Object();
    private final Map<String, Worker> workers = new LinkedHashMap<>();            // by sessionId, guarded by lock
    private final Map<String, CdpConnection> connections = new LinkedHashMap<>(); // by sessionId, guarded by lock
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private boolean closed;                                                          // guarded by lock

    private NodeWorkers(CdpConnection main) {
        this.main = main;
    }

    /**
     * Enables the NodeWorker domain on {@code main} (the main thread's connection) and returns the workers it
     * announces. A Node.js without the domain is refused with one line naming {@code nodeVersion}.
     */
    public static NodeWorkers enable(CdpConnection main, Duration timeout, String nodeVersion) {
        NodeWorkers w = new NodeWorkers(main);
        w.subscriptions.add(main.on("NodeWorker.attachedToWorker", w::attached));
        w.subscriptions.add(main.on("NodeWorker.detachedFromWorker", w::detached));
        w.subscriptions.add(main.on("NodeWorker.receivedMessageFromWorker", w::received));
        main.closedFuture().thenAccept(w::mainClosed);
        try {
            main.call("NodeWorker.enable", JsonObj.of("waitForDebuggerOnStart", false), timeout);
        } catch (CdpException e) {
            w.unsubscribe();
            throw new LeakhoundException(main.label() + ": this Node.js (" + (nodeVersion == null ? "unknown version" : nodeVersion)
                    + ") has no NodeWorker inspector domain, so its worker threads cannot be reached (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            w.unsubscribe();
            throw e;
        }
        return w;
    }

    /** The workers attached now, by id. */
    public List<Worker> list() {
        synchronized (lock) {
            List<Worker> l = new ArrayList<>(workers.values());
            l.sort(Worker.BY_ID);
            return l;
        }
    }

    /**
     * Waits until a worker matching {@code wanted} is attached, the main connection closes, or {@code timeout}
     * passes; returns the workers attached then (matching or not), by id.
     */
    public List<Worker> awaitWorker(Predicate<Worker> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                if (workers.values().stream().anyMatch(wanted) || closed || main.isClosed()) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LeakhoundException("interrupted while waiting for a worker thread");
                }
            }
        }
        return list();
    }

    /**
     * A connection to {@code w}'s session: its calls go through {@code NodeWorker.sendMessageToWorker}, its
     * replies and events come from {@code NodeWorker.receivedMessageFromWorker}. It closes when the worker
     * ends or the main connection closes. One connection per worker: asking again returns the same one.
     */
    public CdpConnection connect(Worker w) {
        synchronized (lock) {
            CdpConnection c = connections.get(w.sessionId());
            if (c != null && !c.isClosed()) {
                return c;
            }
            c = new CdpConnection(main.label() + " worker " + w.id(), new WorkerTransport(w.sessionId()));
            if (!workers.containsKey(w.sessionId()) || closed) {
                c.onClosed("worker " + w.id() + " is gone");
            }
            connections.put(w.sessionId(), c);
            return c;
        }
    }

    /** Sends a worker's messages through the main connection; closing it leaves the worker's session to {@link #close}. */
    private final class WorkerTransport implements CdpConnection.Transport {
        private final String sessionId;

        WorkerTransport(String sessionId) {
            this.sessionId = sessionId;
        }

        @Override
        public CompletableFuture<?> sendText(String text) {
            return main.send("NodeWorker.sendMessageToWorker", JsonObj.of("sessionId", sessionId, "message", text));
        }

        @Override
        public void close() {
            // the session stays attached until NodeWorker.disable (close()) or the worker ends
        }
    }

    private void attached(JsonObj e) {
        JsonObj info = e.obj("workerInfo");
        String sessionId = e.str("sessionId");
        if (info == null || sessionId == null) {
            return;
        }
        Worker w = new Worker(info.str("workerId"), info.str("type"), info.str("title"), info.str("url"), sessionId);
        synchronized (lock) {
            workers.put(sessionId, w);
            lock.notifyAll();
        }
    }

    private void detached(JsonObj e) {
        String sessionId = e.str("sessionId");
        CdpConnection c;
        Worker w;
        synchronized (lock) {
            w = workers.remove(sessionId);
            c = connections.remove(sessionId);
            lock.notifyAll();
        }
        if (c != null) {
            c.onClosed("worker " + (w == null ? "" : w.id() + " ") + "ended (the inspector detached from it)");
        }
    }

    private void received(JsonObj e) {
        CdpConnection c;
        synchronized (lock) {
            c = connections.get(e.str("sessionId"));
        }
        String message = e.str("message");
        if (c != null && message != null) {
            c.onFragment(message, true);
        }
    }

    private void mainClosed(String reason) {
        List<CdpConnection> cs;
        synchronized (lock) {
            closed = true;
            cs = new ArrayList<>(connections.values());
            lock.notifyAll();
        }
        for (CdpConnection c : cs) {
            c.onClosed(reason);
        }
    }

    private void unsubscribe() {
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception ignored) {
                // removing a listener cannot fail
            }
        }
        subscriptions.clear();
    }

    /**
     * Closes every worker connection and detaches from the workers ({@code NodeWorker.disable}, when the main
     * connection is still open). Idempotent.
     */
    @Override
    public void close() {
        List<CdpConnection> cs;
        synchronized (lock) {
            if (closed && connections.isEmpty()) {
                unsubscribe();
                return;
            }
            closed = true;
            cs = new ArrayList<>(connections.values());
            connections.clear();
            lock.notifyAll();
        }
        for (CdpConnection c : cs) {
            c.onClosed("leakhound detached from the worker");
        }
        if (!main.isClosed()) {
            try {
                main.call("NodeWorker.disable", null, Duration.ofSeconds(3));
            } catch (LeakhoundException ignored) {
                // best effort: the sessions also end with the main connection
            }
        }
        unsubscribe();
    }
}
