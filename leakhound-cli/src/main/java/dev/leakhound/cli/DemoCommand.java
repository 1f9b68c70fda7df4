package dev.leakhound.cli;

import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.report.LeakReportRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a bundled leaking Node.js example (examples/), take three heap snapshots of it a few "
                + "seconds apart, and print what find-leaks concludes. Needs `node` on the PATH."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--example", paramLabel = "FILE", defaultValue = "http-map-of-requests.js",
            description = "which example under examples/ to run (default: ${DEFAULT-VALUE})")
    String example;

    @Option(names = "--keep", paramLabel = "DIR", description = "keep the snapshots in DIR instead of a temporary folder")
    Path keep;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path examples = home().resolve("examples");
        Path script = examples.resolve(example).normalize();
        if (!script.startsWith(examples) || !Files.isRegularFile(script)) {
            throw new LeakhoundException("no example " + example + " in " + examples);
        }
        Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("leakhound-demo");
        try {
            out.println("Running " + examples.getParent().relativize(script) + " with node and taking 3 heap snapshots,"
                    + " 3 s apart (about 12 s)...");
            out.flush();
            List<Path> snaps = snapshots(examples, script, dir);
            out.println();
            LeakReport r = FindLeaks.run(snaps, FindLeaks.Options.defaults(), new Progress(true));
            LeakReportRenderer.text(r, out);
            if (keep != null) {
                out.println();
                out.println("Snapshots kept in " + dir + "; try: ./leakhound find-leaks " + dir + "/s1.heapsnapshot "
                        + dir + "/s2.heapsnapshot " + dir + "/s3.heapsnapshot --json");
            }
            return 0;
        } finally {
            if (keep == null) {
                deleteTree(dir);
            }
        }
    }

    static Path home() {
        String h = System.getProperty("leakhound.home");
        if (h == null) {
            throw new LeakhoundException("cannot find the leakhound folder (run ./leakhound from a clone of the repository)");
        }
        return Path.of(h).toAbsolutePath().normalize();
    }

    private static List<Path> snapshots(Path examples, Path script, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("node", "--expose-gc", "-r",
                examples.resolve("harness/series.js").toString(), script.toString());
        pb.environment().put("LEAKHOUND_SERIES_DIR", dir.toString());
        pb.environment().put("LEAKHOUND_SERIES_COUNT", "3");
        pb.environment().put("LEAKHOUND_SERIES_INTERVAL_MS", "3000");
        pb.redirectErrorStream(true);
        Path log = dir.resolve("node-output.txt");
        pb.redirectOutput(log.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new LeakhoundException("cannot run node: " + e.getMessage() + " (is Node.js installed and on the PATH?)");
        }
        try {
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                throw new LeakhoundException("the example did not finish its snapshots in 3 minutes");
            }
        } finally {
            p.destroyForcibly();
        }
        List<Path> snaps = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path s = dir.resolve("s" + i + ".heapsnapshot");
            if (!Files.exists(s)) {
                String said = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip() : "";
                throw new LeakhoundException("the example wrote no " + s.getFileName()
                        + (said.isEmpty() ? "" : "; node said: " + said.lines().reduce((a, b) -> b).orElse("")));
            }
            snaps.add(s);
        }
        return snaps;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
