package dev.leakhound.inspector.live;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.SnapshotCapture;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.cdp.CdpConnection;
import dev.leakhound.inspector.cdp.CdpException;
import dev.leakhound.inspector.cdp.InspectorTimeoutException;
import dev.leakhound.inspector.cdp.TargetGoneException;
import dev.leakhound.inspector.cdp.InspectorEndpoint;
import dev.leakhound.inspector.cdp.InspectorEndpoint.HostPort;
import dev.leakhound.inspector.cdp.InspectorEndpoint.TargetInfo;
import dev.leakhound.inspector.cdp.InspectorSession;
import dev.leakhound.inspector.cdp.Json.JsonObj;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A live Node.js process leakhound talks to over its inspector, reached in one of three ways:
 * <ul>
 *   <li>{@link #attach}: an inspector already listening on HOST:PORT (loopback unless allowRemote);</li>
 *   <li>{@link #attachPid}: a running process whose inspector leakhound turns on with SIGUSR1 (Linux), finding
 *       the port from the process's listening sockets; an inspector leakhound opened is closed again on
 *       {@link #close()};</li>
 *   <li>{@link #launch}: a command leakhound starts with {@code NODE_OPTIONS=--inspect=127.0.0.1:0}; the process
 *       and everything it started are ended on {@link #close()}, also on Ctrl-C (a shutdown hook).</li>
 * </ul>
 * One session is opened per target and closed on {@link #close()}; leakhound never leaves it open. When the
 * target's program finishes while attached, Node waits for debuggers to disconnect: leakhound asks to be
 * told ({@code NodeRuntime.waitingForDisconnect}) and disconnects, so the target can exit.
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
     * @param notices         one-line messages for the user (what leakhound is doing to the target)
     * @param childStdout     where a launched command's stdout goes (null: System.out)
     * @param childStderr     where a launched command's stderr goes (null: System.err)
     */
    public record Options(boolean allowRemote, Duration connectTimeout, Duration callTimeout, Duration startTimeout,
                          Consumer<String> notices, OutputStream childStdout, OutputStream childStderr) {
        public static Options defaults() {
            return new Options(false, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30),
                    s -> System.err.println("leakhound: " + s), null, null);
        }

        public Options withAllowRemote(boolean v) {
            return new Options(v, connectTimeout, callTimeout, startTimeout, notices, childStdout, childStderr);
        }

        public Options withNotices(Consumer<String> v) {
            return new Options(allowRemote, connectTimeout, callTimeout, startTimeout, v, childStdout, childStderr);
        }

        public Options withChildStdout(OutputStream v) {
            return new Options(allowRemote, connectTimeout, callTimeout, startTimeout, notices, v, childStderr);
        }

        public Options withChildStderr(OutputStream v) {
            return new Options(allowRemote, connectTimeout, callTimeout, startTimeout, notices, childStdout, v);
        }

        public Options withTimeouts(Duration connect, Duration call, Duration start) {
            return new Options(allowRemote, connect, call, start, notices, childStdout, childStderr);
        }
    }

    private static final Pattern PACKAGE_MANAGER = Pattern.compile(
            "(/(npm|npx|yarn|pnpm|corepack|nodemon)(/|$)|npm-cli\\.js$|npx-cli\\.js$|yarn\\.c?js$|pnpm\\.c?js$|corepack(\\.c?js)?$|nodemon\\.js$)");

    private final Kind kind;
    private final HttpClient http;
    private final InspectorEndpoint endpoint;
    private final InspectorSession session;
    private final Options options;
    private final long pid;
    private final String nodeVersion;
    private final String script;
    private final LaunchedProcess launched;
    private final boolean closeInspectorOnExit;
    private final Deque<Runnable> cleanups = new ArrayDeque<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final Thread shutdownHook;
    private volatile boolean closed;

    private Target(Kind kind, HttpClient http, InspectorEndpoint endpoint, InspectorSession session, Options options,
                   LaunchedProcess launched, boolean closeInspectorOnExit, JsonObj facts) {
        this.kind = kind;
        this.http = http;
        this.endpoint = endpoint;
        this.session = session;
        this.options = options;
        this.launched = launched;
        this.closeInspectorOnExit = closeInspectorOnExit;
        this.pid = facts.lng("pid", -1);
        this.nodeVersion = facts.str("version");
        this.script = facts.str("script");
        this.shutdownHook = new Thread(this::close, "leakhound-target-close");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        CdpConnection c = session.connection();
        c.on("NodeRuntime.waitingForDisconnect", e -> {
            finished.complete(null);
            // Node waits for us before exiting: let it go. Off the socket thread.
            CompletableFuture.runAsync(c::close);
        });
        try {
            c.send("NodeRuntime.notifyWhenWaitingForDisconnect", JsonObj.of("enabled", true));
        } catch (RuntimeException ignored) {
            // older Node without the NodeRuntime domain: we learn of the exit when the socket closes
        }
        c.closedFuture().thenRun(() -> finished.complete(null));
    }

    // ---------------------------------------------------------------- reaching a target

    /** Attaches to an inspector listening on HOST:PORT. */
    public static Target attach(String hostPort, Options o) {
        HostPort hp = HostPort.parse(hostPort);
        List<InetAddress> addrs = InspectorEndpoint.resolve(hp.host(), o.allowRemote());
        if (o.allowRemote() && addrs.stream().anyMatch(a -> !a.isLoopbackAddress())) {
            o.notices().accept(InspectorEndpoint.REMOTE_WARNING);
        }
        HttpClient http = InspectorEndpoint.newHttpClient(o.connectTimeout());
        LeakhoundException first = null;
        for (InetAddress a : addrs) {
            InspectorEndpoint ep = new InspectorEndpoint(http, a, hp.port(), o.connectTimeout());
            TargetInfo info;
            try {
                info = ep.firstNodeTarget();
            } catch (LeakhoundException e) {
                if (first == null) {
                    first = e;
                }
                continue;
            }
            return connect(Kind.ATTACHED, http, ep, info, o, null, false, -1);
        }
        throw first != null ? first : new LeakhoundException("cannot resolve " + hp.host());
    }

    /** Turns on (if needed) and attaches to the inspector of a running Node.js process. Linux only. */
    public static Target attachPid(long pid, Options o) {
        if (!ProcFs.available()) {
            throw new LeakhoundException("--pid needs Linux /proc; run `kill -USR1 " + pid + "` yourself and use --inspect 127.0.0.1:9229");
        }
        if (pid <= 0 || !ProcFs.exists(pid)) {
            throw new LeakhoundException("no process with pid " + pid);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new LeakhoundException("pid " + pid + " is leakhound itself");
        }
        checkLooksLikeNode(pid);
        HttpClient http = InspectorEndpoint.newHttpClient(o.connectTimeout());
        Found found = findInspector(http, pid, o);
        boolean openedByUs = false;
        if (found != null) {
            o.notices().accept("process " + pid + " already has its inspector open on " + found.ep.label()
                    + "; leakhound will leave it open");
        } else {
            HostPort expected = expectedInspectPort(pid);
            o.notices().accept("turning on the inspector of process " + pid + " with SIGUSR1 (it listens on "
                    + (expected.port() == 0 ? expected.host() + ":<random port>" : expected)
                    + " until leakhound closes it again)");
            signalUsr1(pid);
            openedByUs = true;
            long deadline = System.nanoTime() + o.startTimeout().toNanos();
            while (found == null && System.nanoTime() < deadline) {
                if (!ProcFs.exists(pid)) {
                    throw new LeakhoundException("process " + pid + " exited after SIGUSR1 (it does not handle it: not Node.js?)");
                }
                sleep(50);
                found = findInspector(http, pid, o);
                if (found == null && expected.port() != 0 && portBusyElsewhere(pid, expected.port())) {
                    sleep(300); // give the target a moment in case the port is its own, still being set up
                    found = findInspector(http, pid, o);
                    if (found == null) {
                        throw new LeakhoundException("process " + pid + " could not open its inspector: port " + expected.port()
                                + " is already in use by another process (node reports 'address already in use' on its"
                                + " own stderr); free the port, or start the target with --inspect-port=0");
                    }
                }
            }
            if (found == null) {
                throw new LeakhoundException("process " + pid + " opened no inspector within " + o.startTimeout().toSeconds()
                        + " s of SIGUSR1 (started with --disable-sigusr1, or its inspector bound to a non-loopback address?)");
            }
        }
        Target t = connect(Kind.PID, http, found.ep, found.info, o, null, openedByUs, pid);
        if (t.pid() != pid) {
            long other = t.pid();
            t.close();
            throw new LeakhoundException("the inspector found for pid " + pid + " belongs to process " + other);
        }
        return t;
    }

    /**
     * Starts a command with its inspector on a free loopback port and attaches to it. Package managers
     * ({@code npm start}, yarn, pnpm, nodemon...) also get an inspector through NODE_OPTIONS: those are
     * skipped and leakhound attaches to the first other Node.js process the command starts.
     */
    public static Target launch(List<String> command, Options o) {
        HttpClient http = InspectorEndpoint.newHttpClient(o.connectTimeout());
        LaunchedProcess lp = LaunchedProcess.start(command, o.childStdout(), o.childStderr());
        try {
            long deadline = System.nanoTime() + o.startTimeout().toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new LeakhoundException("`" + lp.commandLine() + "` started no Node.js inspector within "
                            + o.startTimeout().toSeconds() + " s (is it a Node.js program?)");
                }
                URI ws = lp.nextAnnouncement(Duration.ofMillis(Math.min(200, TimeUnit.NANOSECONDS.toMillis(left) + 1)));
                if (ws == null) {
                    if (!lp.process().isAlive()) {
                        throw new LeakhoundException("`" + lp.commandLine() + "` exited (code " + lp.process().exitValue()
                                + ") before its inspector started");
                    }
                    continue;
                }
                InetAddress addr = InetAddress.getByName(ws.getHost().replace("[", "").replace("]", ""));
                if (!addr.isLoopbackAddress()) {
                    continue; // not ours: we asked for 127.0.0.1
                }
                InspectorEndpoint ep = new InspectorEndpoint(http, addr, ws.getPort(), o.connectTimeout());
                List<TargetInfo> list = ep.probe();
                if (list == null || list.isEmpty()) {
                    continue; // a process that announced and exited already
                }
                TargetInfo info = list.get(0);
                if (info.url() != null && PACKAGE_MANAGER.matcher(info.url()).find()) {
                    continue; // npm itself: wait for the program it runs
                }
                Target t;
                try {
                    t = connect(Kind.LAUNCHED, http, ep, info, o, lp, false, -1);
                } catch (LeakhoundException e) {
                    if (lp.process().waitFor(1, TimeUnit.SECONDS)) {
                        throw new LeakhoundException("`" + lp.commandLine() + "` exited (code " + lp.process().exitValue()
                                + ") before leakhound could attach");
                    }
                    if (e instanceof TargetGoneException) {
                        continue; // a short-lived helper process; wait for the next announcement
                    }
                    throw e;
                }
                try {
                    t.awaitMainScript(o.startTimeout());
                } catch (LeakhoundException e) {
                    t.close();
                    throw e;
                }
                o.notices().accept("started `" + lp.commandLine() + "` (pid " + lp.pid() + "); attached to node "
                        + t.nodeVersion() + " pid " + t.pid() + " on " + ep.label()
                        + " (loopback only); leakhound ends the command when it finishes");
                return t;
            }
        } catch (RuntimeException | UnknownHostException e) {
            lp.destroyTree(Duration.ofSeconds(3));
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new LeakhoundException("bad inspector address from the command: " + e.getMessage());
        } catch (InterruptedException e) {
            lp.destroyTree(Duration.ofSeconds(3));
            Thread.currentThread().interrupt();
            throw new LeakhoundException("interrupted while starting `" + lp.commandLine() + "`");
        }
    }

    private static Target connect(Kind kind, HttpClient http, InspectorEndpoint ep, TargetInfo info, Options o,
                                  LaunchedProcess lp, boolean closeInspector, long expectedPid) {
        URI ws = ep.socketUri(info);
        CdpConnection conn = CdpConnection.open(http, ws, o.connectTimeout(), ep.label());
        InspectorSession s = new InspectorSession(conn, o.callTimeout());
        Object facts;
        try {
            facts = s.evaluate("({pid: process.pid, version: process.version,"
                    + " script: (process.argv && process.argv[1]) || ''})", o.connectTimeout().plusSeconds(5));
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
        if (!(facts instanceof JsonObj f)) {
            conn.close();
            throw new LeakhoundException(ep.label() + " is an inspector but not a Node.js process (no process.pid)");
        }
        return new Target(kind, http, ep, s, o, lp, closeInspector, f);
    }

    /**
     * Waits until the target's event loop turns once. A launched process announces its inspector during
     * Node's bootstrap, before the main script runs; code evaluated that early can break Node's own module
     * loading ("Class extends value undefined"), and a snapshot would show a half-started program. A
     * setImmediate callback runs only once the main script's synchronous part is done.
     */
    void awaitMainScript(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObj params = InspectorSession.evaluateParams("new Promise(r => setImmediate(() => r(true)))").put("awaitPromise", true);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new InspectorTimeoutException(label() + ": the launched program did not get to its event loop within "
                        + timeout.toSeconds() + " s");
            }
            try {
                Object v = session.valueOf(session.connection().call("Runtime.evaluate", params, Duration.ofNanos(left)));
                if (Boolean.TRUE.equals(v)) {
                    return;
                }
            } catch (CdpException e) {
                // setImmediate not defined yet: still bootstrapping
            }
            sleep(50);
        }
    }

    // ---------------------------------------------------------------- --pid helpers

    private record Found(InspectorEndpoint ep, TargetInfo info) {}

    private static Found findInspector(HttpClient http, long pid, Options o) {
        for (ProcFs.Listener l : ProcFs.listeningSocketsOf(pid)) {
            InetAddress a = l.address();
            if (a.isAnyLocalAddress()) {
                a = a instanceof Inet6Address ? InetAddress.getLoopbackAddress() : loopback4();
            }
            if (!a.isLoopbackAddress() && !o.allowRemote()) {
                continue;
            }
            InspectorEndpoint ep = new InspectorEndpoint(http, a, l.port(), Duration.ofSeconds(2));
            List<TargetInfo> list = ep.probe();
            if (list != null && !list.isEmpty()) {
                return new Found(ep, list.get(0));
            }
        }
        return null;
    }

    private static InetAddress loopback4() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkLooksLikeNode(long pid) {
        String exe = ProcFs.executable(pid);
        List<String> argv = ProcFs.commandLine(pid);
        String exeName = exe == null ? "" : Path.of(exe).getFileName().toString();
        String arg0 = argv.isEmpty() ? "" : Path.of(argv.get(0)).getFileName().toString();
        if (exeName.startsWith("node") || arg0.startsWith("node")) {
            return;
        }
        if (exe == null && argv.isEmpty()) {
            throw new LeakhoundException("cannot read /proc/" + pid + " (a process of another user?)");
        }
        throw new LeakhoundException("process " + pid + " (" + (exeName.isEmpty() ? arg0 : exeName)
                + ") does not look like Node.js; leakhound will not send it SIGUSR1, which ends most other programs");
    }

    /** Where SIGUSR1 will make the process listen: --inspect-port / --debug-port in argv or NODE_OPTIONS, else 127.0.0.1:9229. */
    static HostPort expectedInspectPort(long pid) {
        List<String> args = new java.util.ArrayList<>(ProcFs.commandLine(pid));
        String nodeOptions = ProcFs.environment(pid).get("NODE_OPTIONS");
        if (nodeOptions != null) {
            args.addAll(0, List.of(nodeOptions.trim().split("\\s+")));
        }
        return parseInspectPort(args);
    }

    static HostPort parseInspectPort(List<String> args) {
        String value = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            for (String flag : new String[] {"--inspect-port", "--debug-port", "--inspect", "--inspect-brk", "--inspect-wait"}) {
                if (a.startsWith(flag + "=")) {
                    value = a.substring(flag.length() + 1);
                } else if (a.equals(flag) && (flag.equals("--inspect-port") || flag.equals("--debug-port")) && i + 1 < args.size()) {
                    value = args.get(i + 1);
                }
            }
        }
        if (value == null) {
            return new HostPort("127.0.0.1", HostPort.DEFAULT_PORT);
        }
        String host = "127.0.0.1";
        String port = value;
        int c = value.lastIndexOf(':');
        if (c >= 0) {
            host = value.substring(0, c).replace("[", "").replace("]", "");
            port = value.substring(c + 1);
        } else if (!value.chars().allMatch(Character::isDigit)) {
            return new HostPort(value, HostPort.DEFAULT_PORT);
        }
        try {
            return new HostPort(host.isEmpty() ? "127.0.0.1" : host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            return new HostPort("127.0.0.1", HostPort.DEFAULT_PORT);
        }
    }

    private static boolean portBusyElsewhere(long pid, int port) {
        java.util.Set<Long> mine = ProcFs.socketInodes(pid);
        for (ProcFs.Listener l : ProcFs.listeningSockets()) {
            if (l.port() == port && !mine.contains(l.inode())) {
                return true;
            }
        }
        return false;
    }

    private static void signalUsr1(long pid) {
        try {
            Process k = new ProcessBuilder("kill", "-USR1", Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!k.waitFor(5, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new LeakhoundException("could not send SIGUSR1 to process " + pid + (out.isEmpty() ? "" : ": " + out));
            }
        } catch (IOException e) {
            throw new LeakhoundException("could not run kill to signal process " + pid + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeakhoundException("interrupted while signalling process " + pid);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeakhoundException("interrupted");
        }
    }

    // ---------------------------------------------------------------- using a target

    public Kind kind() {
        return kind;
    }

    public InspectorSession session() {
        return session;
    }

    public HttpClient httpClient() {
        return http;
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
                + ", inspector " + label();
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
        return session.evaluate(expression);
    }

    /** A full garbage collection in the target (HeapProfiler.collectGarbage). Returns its duration. */
    public Duration collectGarbage() {
        return session.collectGarbage();
    }

    /**
     * Takes a heap snapshot into {@code out} (written to a temporary file, renamed when complete, mode 0600;
     * no file on failure). The target is paused for the whole capture.
     */
    public SnapshotResult takeSnapshot(Path out, boolean gcFirst) {
        return SnapshotCapture.capture(session, out, SnapshotCapture.Options.defaults(gcFirst));
    }

    public SnapshotResult takeSnapshot(Path out, SnapshotCapture.Options options) {
        return SnapshotCapture.capture(session, out, options);
    }

    /** Runs {@code r} when the target is closed, before the session ends (latest added runs first). */
    public void addCleanup(Runnable r) {
        synchronized (cleanups) {
            cleanups.push(r);
        }
    }

    /**
     * Undoes what leakhound did: runs cleanups, closes an inspector leakhound opened with SIGUSR1, closes the
     * session, and ends a launched command with everything it started. Idempotent; also runs on JVM exit.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            while (true) {
                Runnable r;
                synchronized (cleanups) {
                    r = cleanups.poll();
                }
                if (r == null) {
                    break;
                }
                try {
                    r.run();
                } catch (RuntimeException ignored) {
                    // the target may be gone already
                }
            }
            if (closeInspectorOnExit && isConnected()) {
                try {
                    session.evaluate("void setTimeout(() => (process.getBuiltinModule ? process.getBuiltinModule('inspector')"
                            + " : require('inspector')).close(), 10)", Duration.ofSeconds(3));
                    options.notices().accept("closed the inspector leakhound opened in process " + pid);
                } catch (RuntimeException e) {
                    options.notices().accept("could not close the inspector of process " + pid + ": " + e.getMessage());
                }
            }
            session.close();
            if (launched != null && launched.process().isAlive()) {
                launched.destroyTree(Duration.ofSeconds(3));
            } else if (launched != null) {
                launched.destroyTree(Duration.ofMillis(500)); // children it may have left behind
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // already shutting down: this is the hook
            }
        }
    }
}
