package dev.leakhound.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs the CLI in-process and captures what it prints. */
record CliRun(int exit, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    static Path root() {
        return Path.of(System.getProperty("leakhound.root", "..")).toAbsolutePath().normalize();
    }

    /**
     * Runs {@code app} under examples/harness/series.js, which writes three snapshots s1..s3 into {@code dir}
     * {@code intervalMs} apart; waits for it and returns their paths (the node process must exit with 0).
     */
    static String[] series(Path app, Path dir, int intervalMs, int warmupMs) throws Exception {
        Path examples = root().resolve("examples");
        ProcessBuilder pb = new ProcessBuilder("node", "--expose-gc", "-r", examples.resolve("harness/series.js").toString(),
                app.toString());
        pb.environment().put("LEAKHOUND_SERIES_DIR", dir.toString());
        pb.environment().put("LEAKHOUND_SERIES_INTERVAL_MS", String.valueOf(intervalMs));
        if (warmupMs >= 0) {
            pb.environment().put("LEAKHOUND_SERIES_WARMUP_MS", String.valueOf(warmupMs));
        }
        Files.createDirectories(dir);
        Path log = dir.resolve("node.txt");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the series of " + app + " took more than 2 minutes: " + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("the series of " + app + " exited with " + p.exitValue() + ": " + Files.readString(log));
        }
        return new String[] {dir.resolve("s1.heapsnapshot").toString(), dir.resolve("s2.heapsnapshot").toString(),
            dir.resolve("s3.heapsnapshot").toString()};
    }

    static Path fixture(String name) {
        return root().resolve("testdata/snapshots").resolve(name);
    }
}
