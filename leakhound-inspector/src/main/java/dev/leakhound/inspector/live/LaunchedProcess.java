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
 * leaving out the inspector's own banner lines (which would otherwise appear at every attach) and
 * collecting the announced URLs.
 */
public final class LaunchedProcess {
    static final Pattern LISTENING = Pattern.compile("^Debugger listening on (ws://\\S+)");
    private static final String[] BANNER = {
        "Debugger listening on ws://",
        "For help, see: https://nodejs.org/en/docs/inspector",
        "Debugger attached.",
        "Debugger ending on ws://",
        "Waiting for the debugger to disconnect...",
    };

    private final Process process;
    private final List<String> command;
    private final BlockingQueue<URI> announced = new LinkedBlockingQueue<>();
    private final Thread pump;
    private final Thread outPump;

    private LaunchedProcess(Process process, List<String> command, OutputStream stdout, OutputStream stderr) {
        this.process = process;
        this.command = List.copyOf(command);
        this.pump = new Thread(() -> pumpStderr(process.getErrorStream(), stderr), "leakhound-child-stderr");
        this.pump.setDaemon(true);
        this.pump.start();
        this.outPump = new Thread(() -> copy(process.getInputStream(), stdout), "leakhound-child-stdout");
        this.outPump.setDaemon(true);
        this.outPump.start();
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
        if (command.isEmpty()) {
            throw new LeakhoundException("no command given after --");
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        String prev = env.getOrDefault("NODE_OPTIONS", "").trim();
        env.put("NODE_OPTIONS", (prev.isEmpty() ? "" : prev + " ") + "--inspect=127.0.0.1:0");
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        try {
            return new LaunchedProcess(pb.start(), command, stdout == null ? System.out : stdout,
                    stderr == null ? System.err : stderr);
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

    /** The next inspector URL announced by the command (or a process it started), or null on timeout. */
    URI nextAnnouncement(Duration timeout) throws InterruptedException {
        return announced.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
                announced.add(URI.create(m.group(1)));
            } catch (IllegalArgumentException ignored) {
                // not a URL after all
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
