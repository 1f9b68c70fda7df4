package dev.leakhound.inspector.integration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real node process running one of the JavaScript targets in src/test/resources/targets, started by a
 * test (not by leakhound): waits for its "ready" line, remembers the inspector port it announces, and is
 * killed by {@link #close()}.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Debugger listening on ws://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    private NodeProcess(Process p) {
        this.process = p;
    }

    /** Path of a target script. */
    public static Path script(String name) {
        String root = System.getProperty("leakhound.root");
        Path p = root == null ? null : Path.of(root, "leakhound-inspector/src/test/resources/targets", name);
        if (p == null || !Files.exists(p)) {
            p = Path.of("src/test/resources/targets", name).toAbsolutePath();
        }
        return p;
    }

    /** Starts {@code node <nodeFlags> <script> <args>} and waits for "ready". */
    public static NodeProcess start(List<String> nodeFlags, String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.addAll(nodeFlags);
        cmd.add(script(script).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("NODE_OPTIONS");
        NodeProcess np = new NodeProcess(pb.start());
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread out = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(np.process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("ready")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
            ready.complete(null);
        });
        Thread err = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(np.process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    np.stderr.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        np.port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
        ready.get(20, TimeUnit.SECONDS);
        if (!np.process.isAlive()) {
            throw new IllegalStateException("node exited early: " + np.stderr);
        }
        return np;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** The port from "Debugger listening on ws://127.0.0.1:PORT/..." (waits up to 10 s). */
    public int inspectorPort() throws Exception {
        return port.get(10, TimeUnit.SECONDS);
    }

    public List<String> stderr() {
        return stderr;
    }

    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
