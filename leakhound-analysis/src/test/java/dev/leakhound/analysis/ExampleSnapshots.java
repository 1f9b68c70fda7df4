package dev.leakhound.analysis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs the bundled Node.js examples (examples/manifest.json) under examples/harness/series.js and
 * collects their snapshot series, several processes at a time. For tests only.
 */
public final class ExampleSnapshots {
    /** An entry of examples/manifest.json; {@code culprit}, {@code leakedClass} are null where the example does not fix them. */
    public record Example(String file, boolean leaks, String pattern, String culprit, String sourceFile, String leakedClass,
                          boolean http) {}

    private ExampleSnapshots() {}

    public static Path root() {
        return Path.of(System.getProperty("leakhound.root", "..")).toAbsolutePath().normalize();
    }

    public static Path examples() {
        return root().resolve("examples");
    }

    public static List<Example> manifest() throws IOException {
        List<Example> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(examples().resolve("manifest.json").toFile())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("manifest.json is not an array");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.getCurrentName();
                    JsonToken t = p.nextToken();
                    m.put(k, t == JsonToken.VALUE_NULL ? null : t == JsonToken.VALUE_TRUE ? Boolean.TRUE
                            : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : p.getText());
                }
                out.add(new Example((String) m.get("file"), Boolean.TRUE.equals(m.get("leaks")), (String) m.get("pattern"),
                        (String) m.get("culprit"), (String) m.get("sourceFile"), (String) m.get("leakedClass"),
                        Boolean.TRUE.equals(m.get("http"))));
            }
        }
        return out;
    }

    /**
     * Takes {@code count} snapshots of each example, {@code intervalMs} apart after a warm-up, with
     * {@code parallel} processes at a time. Returns example file -> snapshot paths (oldest first).
     */
    public static Map<String, List<Path>> series(List<Example> examples, Path dir, int count, int intervalMs, int parallel)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        Map<String, Future<List<Path>>> futures = new LinkedHashMap<>();
        for (Example ex : examples) {
            futures.put(ex.file(), pool.submit(() -> run(ex, dir.resolve(ex.file().replace(".js", "")), count, intervalMs)));
        }
        Map<String, List<Path>> out = new LinkedHashMap<>();
        try {
            for (var e : futures.entrySet()) {
                out.put(e.getKey(), e.getValue().get(5, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /**
     * One snapshot of each named example ({@code examples/NAME.js}), {@code warmupMs} after it starts,
     * several processes at a time. Returns name -> snapshot.
     */
    public static Map<String, Path> one(Path dir, List<String> names, int warmupMs) throws Exception {
        List<String> http = manifest().stream().filter(Example::http).map(Example::file).toList();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            Map<String, Future<List<Path>>> futures = new LinkedHashMap<>();
            for (String name : names) {
                // HTTP examples: at least MIN_REQUESTS requests served, however busy the machine
                int minRequests = http.contains(name + ".js") ? MIN_REQUESTS : 0;
                futures.put(name, pool.submit(() -> run(name + ".js", dir.resolve(name), 1, 0, warmupMs, minRequests)));
            }
            Map<String, Path> out = new LinkedHashMap<>();
            for (var e : futures.entrySet()) {
                out.put(e.getKey(), e.getValue().get(5, TimeUnit.MINUTES).get(0));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The 1-based number of the first line of examples/{file} containing {@code text}. */
    public static int lineOf(String file, String text) throws IOException {
        List<String> lines = Files.readAllLines(examples().resolve(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new IllegalStateException(file + " has no line with " + text);
    }

    static List<Path> run(Example ex, Path dir, int count, int intervalMs) throws Exception {
        return run(ex.file(), dir, count, intervalMs, 2000);
    }

    /** Self-load requests an HTTP example has served before {@link #one} snapshots it (about 2 s on an idle machine). */
    static final int MIN_REQUESTS = 150;

    static List<Path> run(String file, Path dir, int count, int intervalMs, int warmupMs) throws Exception {
        return run(file, dir, count, intervalMs, warmupMs, 0, false);
    }

    static List<Path> run(String file, Path dir, int count, int intervalMs, int warmupMs, int minRequests) throws Exception {
        return run(file, dir, count, intervalMs, warmupMs, minRequests, false);
    }

    /**
     * A series of examples/{file} run with {@code node --track-heap-objects}: V8's allocation tracking from the
     * start, so every snapshot carries allocation traces.
     */
    public static List<Path> tracked(String file, Path dir, int count, int intervalMs, int warmupMs) throws Exception {
        return run(file, dir, count, intervalMs, warmupMs, 0, true);
    }

    static List<Path> run(String file, Path dir, int count, int intervalMs, int warmupMs, int minRequests, boolean track)
            throws Exception {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of("node", "--expose-gc"));
        if (track) {
            cmd.add("--track-heap-objects");
        }
        cmd.addAll(List.of("-r", examples().resolve("harness/series.js").toString(), examples().resolve(file).toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LEAKHOUND_SERIES_DIR", dir.toString());
        pb.environment().put("LEAKHOUND_SERIES_COUNT", Integer.toString(count));
        pb.environment().put("LEAKHOUND_SERIES_INTERVAL_MS", Integer.toString(intervalMs));
        pb.environment().put("LEAKHOUND_SERIES_WARMUP_MS", Integer.toString(warmupMs));
        pb.environment().put("LEAKHOUND_SERIES_MIN_REQUESTS", Integer.toString(minRequests));
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("output.txt").toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                throw new IllegalStateException(file + ": the snapshot series did not finish in 3 minutes");
            }
            List<Path> snaps = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                Path s = dir.resolve("s" + i + ".heapsnapshot");
                if (!Files.exists(s)) {
                    throw new IllegalStateException(file + ": no " + s.getFileName() + "; node said:\n"
                            + Files.readString(dir.resolve("output.txt"), StandardCharsets.UTF_8));
                }
                snaps.add(s);
            }
            return snaps;
        } finally {
            p.destroyForcibly();
        }
    }
}
