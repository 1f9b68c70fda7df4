package dev.leakhound.inspector.live;

import dev.leakhound.core.LeakhoundException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command started by leakhound with {@code NODE_OPTIONS=--inspect=127.0.0.1:0} added, so that any
 * Node.js process it runs (also through {@code npm start} and the like) opens its inspector on a free
 * loopback port and announces it on stderr ("Debugger listening on ws://127.0.0.1:PORT/UUID").
 *
 * <p>stdin is inherited; stdout is copied through as it comes; stderr is copied through line by line,
 * leaving out the inspector's own banner lines (which would otherwise appear at every attach). What the
 * banners and the process tell is kept as {@link Event}s, in the order they happened, for the launcher to
 * wait on: each inspector announced, and the command's exit. "Waiting for the debugger to disconnect..."
 * (Node prints it when its program finished while a debugger is attached, and then waits for it to go)
 * completes the futures of {@link #nextDebuggerWait()}.
 */
public final class LaunchedProcess {
    static final Pattern LISTENING = Pattern.compile("^Debugger listening on (ws://\\S+)");
    static final String WAITING_FOR_DISCONNECT = "Waiting for the debugger to disconnect...";
    private static final String[] BANNER = {
        "Debugger listening on ws://",
        "For help, see: https://nodejs.org/en/docs/inspector",
        "Debugger attached.",
        "Debugger ending on ws://",
        WAITING_FOR_DISCONNECT,
    };

    /** Something that happened to the command, in order. */
    sealed interface Event permits Announced, Exited {}

    /** A process of the command announced its inspector. */
    record Announced(URI uri) implements Event {}

    /** The command (the process leakhound started) exited. */
    record Exited(int code) implements Event {}

    private final Process process;
    private final List<String> command;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<CompletableFuture<Void>> debuggerWaits = new CopyOnWriteArrayList<>();
    private final Thread pump;
    private final Thread outPump;

    private LaunchedProcess(Process process, List<String> command, OutputStream stdout, OutputStream stderr) {
        this.process = process;
        this.command = List.copyOf(command);
        this.pump = new Thread(() -> pumpStderr(process.getErrorStream(), stderr), "leakhound-child-stderr");
        this.pump.setDaemon(true);
        this.outPump = new Thread(() -> copy(process.getInputStream(), stdout), "leakhound-child-stdout");
        this.outPump.setDaemon(true);
    }

    /** Starts reading the process's output and watching its exit, once the object is complete. */
    private LaunchedProcess watch() {
        pump.start();
        outPump.start();
        process.onExit().thenAccept(p -> events.add(new Exited(p.exitValue())));
        return this;
    }

    private static void copy(InputStream in, OutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException ignored) {
            // the child closed its stdout, or ours is gone
        }
    }

    /**
     * Starts the command. {@code stdout} and {@code stderr} receive the child's output (stderr minus the
     * inspector's banners); null means this JVM's System.out / System.err.
     */
    public static LaunchedProcess start(List<String> command, OutputStream stdout, OutputStream stderr) {
        return start(command, List.of(), stdout, stderr);
    }

    /** As {@link #start(List, OutputStream, OutputStream)}, with {@code nodeOptions} added to NODE_OPTIONS too. */
    public static LaunchedProcess start(List<String> command, List<String> nodeOptions, OutputStream stdout, OutputStream stderr) {
        if (command.isEmpty()) {
            throw new LeakhoundException("no command given after --");
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        String prev = env.getOrDefault("NODE_OPTIONS", "").trim();
        StringBuilder opts = new StringBuilder(prev);
        for (String o : nodeOptions) {
            opts.append(opts.length() == 0 ? "" : " ").append(o);
        }
        env.put("NODE_OPTIONS", opts + (opts.length() == 0 ? "" : " ") + "--inspect=127.0.0.1:0");
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        try {
            return new LaunchedProcess(pb.start(), command, stdout == null ? System.out : stdout,
                    stderr == null ? System.err : stderr).watch();
        } catch (IOException e) {
            throw new LeakhoundException("cannot start " + command.get(0) + ": " + e.getMessage());
        }
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public List<String> command() {
        return command;
    }

    public String commandLine() {
        return String.join(" ", command);
    }

    /** The next event (an inspector announced by the command or a process it started; its exit), or null on timeout. */
    Event nextEvent(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Completes when a process of the command next prints "Waiting for the debugger to disconnect...": the
     * program of a process leakhound is attached to has finished, and waits for leakhound to go.
     */
    CompletableFuture<Void> nextDebuggerWait() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        debuggerWaits.add(f);
        return f;
    }

    private void pumpStderr(InputStream in, OutputStream out) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    line.write(buf[i]);
                    if (buf[i] == '\n') {
                        emit(line, out);
                    }
                }
                if (line.size() > 0 && in.available() == 0 && !startsLikeBanner(line)) {
                    emit(line, out); // a partial line (a prompt, or progress output): pass it on now
                }
            }
            if (line.size() > 0) {
                emit(line, out);
            }
        } catch (IOException ignored) {
            // the child closed its stderr
        }
    }

    private static boolean startsLikeBanner(ByteArrayOutputStream line) {
        String s = line.toString(StandardCharsets.UTF_8);
        for (String b : BANNER) {
            if (b.startsWith(s) || s.startsWith(b)) {
                return true;
            }
        }
        return false;
    }

    private void emit(ByteArrayOutputStream line, OutputStream out) throws IOException {
        String s = line.toString(StandardCharsets.UTF_8);
        String t = s.strip();
        Matcher m = LISTENING.matcher(t);
        if (m.find()) {
            try {
                events.add(new Announced(URI.create(m.group(1))));
            } catch (IllegalArgumentException ignored) {
                // not a URL after all
            }
        }
        if (t.startsWith(WAITING_FOR_DISCONNECT)) {
            for (CompletableFuture<Void> f : debuggerWaits) {
                debuggerWaits.remove(f);
                f.complete(null);
            }
        }
        boolean banner = false;
        for (String b : BANNER) {
            if (t.startsWith(b)) {
                banner = true;
                break;
            }
        }
        if (!banner) {
            synchronized (out) {
                line.writeTo(out);
                out.flush();
            }
        }
        line.reset();
    }

    /**
     * Ends the process and every process it started: SIGTERM to all, then SIGKILL to those still alive
     * after {@code grace}. Safe to call more than once.
     */
    public void destroyTree(Duration grace) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.toHandle().descendants().forEach(all::add);
        for (ProcessHandle h : all) {
            h.destroy();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (Exception ignored) {
                // still alive: killed below
            }
        }
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        try {
            process.waitFor(2, TimeUnit.SECONDS);
            pump.join(1000);
            outPump.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
