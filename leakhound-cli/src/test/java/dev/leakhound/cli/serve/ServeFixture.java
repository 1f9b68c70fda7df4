package dev.leakhound.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.index.SnapshotStore;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.ReadOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the serve tests share: snapshots of a real leaking Node.js app whose heap holds hostile strings
 * (leakhound-report/src/test/js/hostile-app.js: RequestRecord objects pile up in global.leakArray, and
 * class names, keys and values are HTML/script markup), opened as {@code leakhound serve} opens them,
 * and a raw HTTP/1.1 client that can send any Host or Origin header.
 */
final class ServeFixture {
    static final ObjectMapper JSON = new ObjectMapper();

    private ServeFixture() {}

    static Path root() {
        return Path.of(System.getProperty("leakhound.root", "..")).toAbsolutePath().normalize();
    }

    static Path harness() {
        return root().resolve("leakhound-report/src/test/js");
    }

    /** Runs hostile-app.js in {@code dir}: {@code count} snapshots, {@code perStep} records added before each. */
    static List<Path> hostileSeries(Path dir, int count, int perStep) throws Exception {
        Files.createDirectories(dir);
        Path app = dir.resolve("hostile-app.js");
        Files.copy(harness().resolve("hostile-app.js"), app);
        Path log = dir.resolve("node.txt");
        Process p = new ProcessBuilder("node", app.toString(), dir.toString(), "leak", String.valueOf(count),
                String.valueOf(perStep)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("hostile-app.js took more than 2 minutes: " + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("hostile-app.js exited with " + p.exitValue() + ": " + Files.readString(log));
        }
        List<Path> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(dir.resolve("s" + i + ".heapsnapshot"));
        }
        return out;
    }

    /** The text tracked-app.js keeps 300 copies of. */
    static final String DUP_TEXT = "duplicated-text-" + "z".repeat(48);

    /**
     * Runs tracked-app.js with {@code --track-heap-objects}: one snapshot with allocation traces, 200 Widget
     * objects made by makeWidget, and 300 copies of {@link #DUP_TEXT}.
     */
    static Path trackedSnapshot(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path app = dir.resolve("tracked-app.js");
        Files.copy(harness().resolve("tracked-app.js"), app);
        Path out = dir.resolve("tracked.heapsnapshot");
        Path log = dir.resolve("node.txt");
        Process p = new ProcessBuilder("node", "--track-heap-objects", app.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("tracked-app.js took more than 2 minutes: " + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("tracked-app.js exited with " + p.exitValue() + ": " + Files.readString(log));
        }
        return out;
    }

    /** The files opened as the serve command opens them (through the index), with their dominator trees. */
    static List<Served> open(List<Path> files) throws IOException {
        List<Served> out = new ArrayList<>();
        for (Path f : files) {
            HeapGraph g = SnapshotStore.open(f, ReadOptions.fromSystemProperties(), ProgressListener.NONE, true).graph();
            g.withDominators(ProgressListener.NONE, null);
            out.add(new Served(out.size(), f, Files.size(f), g));
        }
        return out;
    }

    /** An HTTP answer: status, headers (names in lower case) and body. */
    record Answer(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Sends one request over a fresh connection; {@code headers} may hold Host (else 127.0.0.1:port). */
    static Answer request(int port, String method, String target, Map<String, String> headers) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Host", "127.0.0.1:" + port);
            h.putAll(headers);
            h.put("Connection", "close");
            for (Map.Entry<String, String> e : h.entrySet()) {
                req.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> rh = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                rh.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
            String body = text.substring(end + 4);
            return new Answer(status, rh, body);
        }
    }
}
