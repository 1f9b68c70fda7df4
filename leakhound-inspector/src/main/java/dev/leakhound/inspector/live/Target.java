package dev.leakhound.inspector.live;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.Headroom;
import dev.leakhound.inspector.capture.SnapshotCapture;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.cdp.CdpConnection;
import dev.leakhound.inspector.cdp.CdpException;
import dev.leakhound.inspector.cdp.InspectorEndpoint;
import dev.leakhound.inspector.cdp.InspectorEndpoint.HostPort;
import dev.leakhound.inspector.cdp.InspectorEndpoint.TargetInfo;
import dev.leakhound.inspector.cdp.InspectorSession;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.inspector.cleanup.CleanupRegistry;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A live Node.js process leakhound talks to over its inspector: one session, and the cleanup of what
 * leakhound did to the process. It is reached in one of three ways:
 * <ul>
 *   <li>{@link #attach}: an inspector already listening on HOST:PORT (loopback unless allowRemote);</li>
 *   <li>{@link #attachPid} ({@link PidAttach}): a running process whose inspector leakhound turns on with
 *       SIGUSR1 (Linux); an inspector leakhound opened is closed again on {@link #close()};</li>
 *   <li>{@link #launch} ({@link Launcher}): a command leakhound starts with its inspector on; the process and
 *       everything it started are ended on {@link #close()}.</li>
 * </ul>
 * A target is registered with the {@link Options#cleanup() cleanup registry} while it is open, so that it is
 * also closed when leakhound ends early (Ctrl-C). When the target's program finishes while attached, Node
 * waits for debuggers to disconnect: leakhound asks to be told ({@code NodeRuntime.waitingForDisconnect}) and
 * disconnects, so the target can exit.
 *
 * <p>This is the entry point the live commands (snapshot, watch, hunt) share.
 */
public final class Target implements AutoCloseable {
    /** How the target was reached. */
    public enum Kind { ATTACHED, PID, LAUNCHED }

    /**
     * @param allowRemote     allow non-loopback inspector addresses
     * @param connectTimeout  for discovery and the WebSocket handshake
     * @param callTimeout     default wait for protocol answers
     * @param startTimeout    for --pid activation and for a launched command to announce its inspector
     * @param notices         one-line messages for the user (what leakhound is doing to the target); the
     *                        default drops them
     * @param childStdout     where a launched command's stdout goes (null: System.out)
     * @param childStderr     where a launched command's stderr goes (null: System.err)
     * @param cleanup         where the target, a launched command and snapshot files are registered for
     *                        cleanup when leakhound ends early (default: {@link CleanupRegistry#jvm()})
     * @param nodeOptions     Node.js options a launched command gets in NODE_OPTIONS besides the inspector's
     *                        (e.g. {@code --track-heap-objects}); ignored when attaching
     */
    public record Options(boolean allowRemote, Duration connectTimeout, Duration callTimeout, Duration startTimeout,
                          Consumer<String> notices, OutputStream childStdout, OutputStream childStderr,
                          CleanupRegistry cleanup, List<String> nodeOptions) {
        public Options {
            nodeOptions = List.copyOf(nodeOptions);
        }

        public static Options defaults() {
            return new Options(false, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30),
                    s -> { }, null, null, CleanupRegistry.jvm(), List.of());
        }

        public Options withNodeOptions(List<String> v) {
            return new Options(allowRemote, connectTimeout, callTimeout, startTimeout, notices, childStdout, childStderr, cleanup, v);
        }

        public Options withAllowRemote(boolean v) {
            return new Options(v, connectTimeout, callTimeout, startTimeout, notices, childStdout, childStderr, cleanup, nodeOptions);
        }

        public Options withNotices(Consumer<String> v) {
            return new Options(allowRemote, connectTimeout, callTimeout, startTimeout, v, childStdout, childStderr, cleanup, nodeOptions);
        }

        public Options withChildStdout(OutputStream v) {
            return new Options(allowRemote, connectTimeout, callTimeout, startTimeout, notices, v, childStderr, cleanup, nodeOptions);
        }

        public Options withChildStderr(OutputStream v) {
            return new Options(allowRemote, connectTimeout, callTimeout, startTimeout, notices, childStdout, v, cleanup, nodeOptions);
        }

        public Options withTimeouts(Duration connect, Duration call, Duration start) {
            return new Options(allowRemote, connect, call, start, notices, childStdout, childStderr, cleanup, nodeOptions);
        }

        public Options withCleanup(CleanupRegistry v) {
            return new Options(allowRemote, connectTimeout, callTimeout, startTimeout, notices, childStdout, childStderr, v, nodeOptions);
        }

        /** The shared HTTP client for this connect timeout. */
        HttpClient http() {
            return InspectorEndpoint.sharedHttpClient(connectTimeout);
        }
    }

    private static final String WAITING_FOR_DISCONNECT = "NodeRuntime.waitingForDisconnect";

    private final Kind kind;
    private final InspectorEndpoint endpoint;
    private final InspectorSession session;
    private volatile InspectorSession focus;              // a worker thread's session, see focus()
    private volatile String focusName;
    private final Options options;
    private final long pid;
    private final String nodeVersion;
    private final String script;
    private final LaunchedProcess launched;
    private final boolean closeInspectorOnExit;
    private final CompletableFuture<Void> finished;
    private final Deque<Cleanup> cleanups = new ArrayDeque<>();
    private CleanupRegistry.Registration registration;   // guarded by this
    private boolean disconnected;                         // guarded by this
    private boolean processesEnded;                       // guarded by this
    private volatile Headroom.Policy headroom = Headroom.Policy.DEFAULT;

    private record Cleanup(String what, Runnable action) {}

    private Target(Kind kind, InspectorEndpoint endpoint, InspectorSession session, Options options, LaunchedProcess launched,
                   boolean closeInspectorOnExit, JsonObj facts, CompletableFuture<Void> finished) {
        this.kind = kind;
        this.endpoint = endpoint;
        this.session = session;
        this.options = options;
        this.launched = launched;
        this.closeInspectorOnExit = closeInspectorOnExit;
        this.pid = facts.lng("pid", -1);
        this.nodeVersion = facts.str("version");
        this.script = facts.str("script");
        this.finished = finished;
    }

    // ---------------------------------------------------------------- reaching a target

    /** Attaches to an inspector listening on HOST:PORT. */
    public static Target attach(String hostPort, Options o) {
        HostPort hp = HostPort.parse(hostPort);
        List<InetAddress> addrs = InspectorEndpoint.resolve(hp.host(), o.allowRemote());
        if (o.allowRemote() && addrs.stream().anyMatch(a -> !a.isLoopbackAddress())) {
            o.notices().accept(InspectorEndpoint.REMOTE_WARNING);
        }
        LeakhoundException first = null;
        for (InetAddress a : addrs) {
            InspectorEndpoint ep = new InspectorEndpoint(o.http(), a, hp.port(), o.connectTimeout());
            TargetInfo info;
            try {
                info = ep.firstNodeTarget();
            } catch (LeakhoundException e) {
                if (first == null) {
                    first = e;
                }
                continue;
            }
            return connect(Kind.ATTACHED, ep, info, o, null, null, false);
        }
        throw first != null ? first : new LeakhoundException("cannot resolve " + hp.host());
    }

    /** Turns on (if needed) and attaches to the inspector of a running Node.js process. Linux only. See {@link PidAttach}. */
    public static Target attachPid(long pid, Options o) {
        return PidAttach.attach(pid, o);
    }

    /** Starts a command with its inspector on and attaches to its Node.js process. See {@link Launcher}. */
    public static Target launch(List<String> command, Options o) {
        return Launcher.launch(command, o);
    }

    /**
     * Opens a session to {@code info} and returns the target, registered for cleanup. The connection is
     * closed if anything fails on the way.
     *
     * @param launched      the command leakhound started (the target ends it on close), or null
     * @param programEnding completes when the target's program is known to have finished (for a launched
     *                      command: Node said so on its stderr), or null
     */
    static Target connect(Kind kind, InspectorEndpoint ep, TargetInfo info, Options o, LaunchedProcess launched,
                          CompletableFuture<Void> programEnding, boolean closeInspector) {
        CdpConnection conn = CdpConnection.open(ep.httpClient(), ep.socketUri(info), o.connectTimeout(), ep.label());
        try {
            CompletableFuture<Void> finished = new CompletableFuture<>();
            // Node waits for its debuggers to disconnect before exiting: when it is waiting, let it go (off the
            // socket thread). Listening before anything is asked, so that no such moment is missed.
            Runnable letGo = () -> {
                finished.complete(null);
                CompletableFuture.runAsync(conn::close);
            };
            conn.on(WAITING_FOR_DISCONNECT, e -> letGo.run());
            if (programEnding != null) {
                programEnding.thenRun(letGo);
            }
            conn.closedFuture().thenRun(() -> finished.complete(null));
            conn.onMessageError(e -> o.notices().accept(e.describe()));
            InspectorSession s = new InspectorSession(conn, o.callTimeout());
            askToBeToldOfTheEnd(s);
            Object facts = s.evaluate("({pid: process.pid, version: process.version,"
                    + " script: (process.argv && process.argv[1]) || ''})", o.connectTimeout().plusSeconds(5));
            if (!(facts instanceof JsonObj f)) {
                throw new LeakhoundException(ep.label() + " is an inspector but not a Node.js process (no process.pid)");
            }
            Target t = new Target(kind, ep, s, o, launched, closeInspector, f, finished);
            t.register();
            return t;
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /**
     * NodeRuntime.notifyWhenWaitingForDisconnect, before anything else: from its answer on, a program that
     * finishes tells leakhound instead of waiting silently for it to disconnect.
     */
    private static void askToBeToldOfTheEnd(InspectorSession s) {
        try {
            s.call("NodeRuntime.notifyWhenWaitingForDisconnect", JsonObj.of("enabled", true));
        } catch (CdpException e) {
            // a Node without the NodeRuntime domain (before 12): its end shows as the socket closing
        }
    }

    private synchronized void register() {
        registration = options.cleanup().register(CleanupRegistry.Phase.END_TARGETS, "release " + describe(), this::close);
    }

    // ---------------------------------------------------------------- using a target

    public Kind kind() {
        return kind;
    }

    /** The session commands work on: the main thread's, or the worker's given to {@link #focus}. */
    public InspectorSession session() {
        InspectorSession f = focus;
        return f != null ? f : session;
    }

    /** The main thread's session, whatever the {@link #focus}. */
    public InspectorSession mainSession() {
        return session;
    }

    /**
     * Points {@link #session()}, {@link #evaluate}, {@link #collectGarbage} and {@link #takeSnapshot} at another
     * session of the same process (a worker thread's, named e.g. "worker 1 (worker.js)" in {@link #describe()});
     * null: back to the main thread. The process, its end and its cleanup stay the main thread's.
     */
    public void focus(InspectorSession worker, String name) {
        this.focus = worker;
        this.focusName = worker == null ? null : name;
    }

    Options options() {
        return options;
    }

    /** The target's process.pid. */
    public long pid() {
        return pid;
    }

    /** The target's process.version, e.g. "v20.20.2". */
    public String nodeVersion() {
        return nodeVersion;
    }

    /** process.argv[1] of the target (its main script), possibly empty. */
    public String script() {
        return script;
    }

    /** "127.0.0.1:9229". */
    public String label() {
        return endpoint.label();
    }

    /** One line: "node v20.20.2, pid 1234, app.js, inspector 127.0.0.1:9229". */
    public String describe() {
        return "node " + nodeVersion + ", pid " + pid + (script == null || script.isEmpty() ? "" : ", " + script)
                + ", inspector " + label() + (focusName == null ? "" : ", " + focusName);
    }

    /** Whether the target still runs: a launched command's process, else its inspector still listening. */
    boolean alive() {
        if (launched != null && !launched.process().isAlive()) {
            return false;
        }
        return endpoint.listening(Duration.ofSeconds(2));
    }

    /** The launched command's process, when leakhound started it. */
    public Optional<Process> process() {
        return launched == null ? Optional.empty() : Optional.of(launched.process());
    }

    /** Completes when the target's program finished or the connection closed. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    public boolean isConnected() {
        return !session.connection().isClosed();
    }

    /** Evaluates a JavaScript expression in the target (by value). */
    public Object evaluate(String expression) {
        return session().evaluate(expression);
    }

    /** A full garbage collection in the target (HeapProfiler.collectGarbage). Returns its duration. */
    public Duration collectGarbage() {
        return session().collectGarbage();
    }

    /**
     * Takes a heap snapshot into {@code out} (written to a temporary file, renamed when complete, mode 0600;
     * no file on failure). The target is paused for the whole capture. Refused (one line, exit 2) when the
     * target lacks the memory to write it, unless the {@link #headroom(Headroom.Policy) policy} forces it.
     */
    public SnapshotResult takeSnapshot(Path out, boolean gcFirst) {
        return takeSnapshot(out, SnapshotCapture.Options.defaults(gcFirst));
    }

    public SnapshotResult takeSnapshot(Path out, SnapshotCapture.Options o) {
        checkHeadroom();
        return SnapshotCapture.capture(session(), out, o, options.cleanup(), this::alive);
    }

    /** Throws the one-line refusal when a snapshot would not fit (see {@link #headroom(Headroom.Policy)}). */
    public void checkHeadroom() {
        Headroom.ensure(session(), headroom);   // a worker's snapshot serializes the worker's heap
    }

    /**
     * How {@link #takeSnapshot} checks the target's memory first ({@link Headroom}): by default it refuses a
     * snapshot that would not fit in the target's cgroup limit or the machine's available memory.
     */
    public void headroom(Headroom.Policy policy) {
        this.headroom = policy;
    }

    /**
     * Runs {@code action} when the target is closed, before the session ends (latest added runs first), to
     * undo something leakhound did in the target. {@code what} says what it undoes ("remove the GC recorder"):
     * if it fails, the user is told "could not WHAT: why".
     */
    public void addCleanup(String what, Runnable action) {
        synchronized (cleanups) {
            cleanups.push(new Cleanup(what, action));
        }
    }

    /**
     * Undoes what leakhound did: runs the cleanups, closes an inspector leakhound opened with SIGUSR1, closes
     * the session, and ends a launched command with everything it started. Idempotent; a second caller (the
     * cleanup registry at exit) waits for the first to finish.
     */
    @Override
    public void close() {
        end(true);
    }

    /** As {@link #close()}, but leaves a launched command running: for an attempt to attach that failed. */
    void disconnect() {
        end(false);
    }

    private synchronized void end(boolean endProcesses) {
        try {
            if (!disconnected) {
                disconnected = true;
                undo();
                session.close();
            }
            if (endProcesses && launched != null && !processesEnded) {
                processesEnded = true;
                // a process still running gets time to exit on SIGTERM; one gone may have left children behind
                launched.destroyTree(launched.process().isAlive() ? Duration.ofSeconds(3) : Duration.ofMillis(500));
            }
        } finally {
            if (registration != null) {
                registration.close();
            }
        }
    }

    private void undo() {
        while (true) {
            Cleanup c;
            synchronized (cleanups) {
                c = cleanups.poll();
            }
            if (c == null) {
                break;
            }
            try {
                c.action().run();
            } catch (LeakhoundException e) {
                options.notices().accept("could not " + c.what() + ": " + e.getMessage());
            }
        }
        if (closeInspectorOnExit && isConnected()) {
            try {
                session.evaluate("void setTimeout(() => (process.getBuiltinModule ? process.getBuiltinModule('inspector')"
                        + " : require('inspector')).close(), 10)", Duration.ofSeconds(3));
                options.notices().accept("closed the inspector leakhound opened in process " + pid);
            } catch (LeakhoundException e) {
                options.notices().accept("could not close the inspector of process " + pid + ": " + e.getMessage());
            }
        }
    }
}
