package dev.leakhound.analysis.diagnosis;

import java.io.IOException;
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
 * Takes one heap snapshot of each named example app (examples/*.js), running it under
 * examples/harness/series.js with LEAKHOUND_SERIES_COUNT=1. The examples are read from
 * {@code <leakhound.root>/examples}, or, until they are merged there, from /work/wt-examples/examples.
 */
final class ExampleSnapshots {
    static final int WARMUP_MS = 3000;

    private ExampleSnapshots() {}

    static Path examplesDir() {
        String root = System.getProperty("leakhound.root");
        if (root != null) {
            Path p = Path.of(root, "examples");
            if (Files.isRegularFile(p.resolve("harness/series.js"))) {
                return p;
            }
        }
        Path fallback = Path.of("/work/wt-examples/examples");
        if (Files.isRegularFile(fallback.resolve("harness/series.js"))) {
            return fallback;
        }
        throw new IllegalStateException("no examples/ with harness/series.js under leakhound.root (" + root
                + ") or /work/wt-examples/examples");
    }

    /** name (without .js) -> snapshot file; several processes at a time (they mostly wait on timers). */
    static Map<String, Path> take(Path dir, List<String> names) throws Exception {
        Path examples = examplesDir();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            Map<String, Future<Path>> futures = new LinkedHashMap<>();
            for (String name : names) {
                futures.put(name, pool.submit(() -> takeOne(examples, dir.resolve(name), name)));
            }
            Map<String, Path> out = new LinkedHashMap<>();
            for (Map.Entry<String, Future<Path>> e : futures.entrySet()) {
                out.put(e.getKey(), e.getValue().get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Path takeOne(Path examples, Path outDir, String name) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", "--expose-gc", "-r",
                examples.resolve("harness/series.js").toString(), examples.resolve(name + ".js").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LEAKHOUND_SERIES_DIR", outDir.toString());
        pb.environment().put("LEAKHOUND_SERIES_COUNT", "1");
        pb.environment().put("LEAKHOUND_SERIES_WARMUP_MS", Integer.toString(WARMUP_MS));
        pb.redirectErrorStream(true);
        pb.redirectOutput(outDir.resolveSibling(name + ".log").toFile());
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(name + ": no snapshot within 90 s");
        }
        Path snap = outDir.resolve("s1.heapsnapshot");
        if (p.exitValue() != 0 || !Files.isRegularFile(snap)) {
            throw new IllegalStateException(name + ": series.js exited " + p.exitValue() + ": "
                    + Files.readString(outDir.resolveSibling(name + ".log")));
        }
        return snap;
    }

    /** The 1-based number of the first line of examples/{file} containing {@code text}. */
    static int lineOf(String file, String text) throws IOException {
        List<String> lines = Files.readAllLines(examplesDir().resolve(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new IllegalStateException(file + " has no line with " + text);
    }
}
