package dev.leakhound.cli.serve;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Walks {@code leakhound serve}'s page in headless Chromium (Debian's /usr/bin/chromium through the
 * report tests' playwright-core harness, leakhound-report/src/test/js/check-serve.mjs) over three real
 * snapshots of a leaking app with hostile heap strings: Summary loads, the leaking class expands, an
 * instance's retainers and retainer path show, the other views draw, and no heap string turns into markup.
 * Skipped only when Chromium is missing outside CI; under CI (CI set) a missing browser fails the test.
 */
class ServeBrowserTest {
    @TempDir
    Path dir;

    /**
     * The browser harness folder, ready: Debian's headless Chromium present (a failure on CI, a skip elsewhere)
     * and the pinned playwright-core of the report tests installed (no browser download: it drives that chromium).
     */
    private static Path browserHarness() throws Exception {
        Path harness = ServeFixture.harness();
        Path chromium = Path.of(System.getenv().getOrDefault("LEAKHOUND_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            String why = "headless Chromium not found at " + chromium + " (install Debian's chromium: scripts/setup-test-deps.sh)";
            if (System.getenv("CI") != null) {
                fail(why);
            }
            System.err.println("SKIPPED ServeBrowserTest: " + why);
            Assumptions.abort(why);
        }
        if (!Files.isDirectory(harness.resolve("node_modules/playwright-core"))) {
            assertThat(run(harness, List.of("npm", "ci", "--no-audit", "--no-fund"), 300)).as("npm ci in " + harness).contains("rc=0");
        }
        return harness;
    }

    @Test
    void theMainFlowWorksInChromiumAndHeapStringsStayText() throws Exception {
        Path harness = browserHarness();
        List<Served> snaps = ServeFixture.open(ServeFixture.hostileSeries(dir.resolve("series"), 3, 1000));
        try (ServeServer server = ServeServer.start(snaps, ServeServer.Options.loopback(0), line -> { })) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("url", server.url());
            m.put("leakClass", "RequestRecord");
            m.put("pathEdge", "leakArray");
            m.put("series", true);
            m.put("hostile", List.of("<script>alert(1)</script>", "<b>key</b>"));
            m.put("hostileClass", "<script>alert(1)</script>");
            m.put("sinceIndex", 1);
            m.put("sinceCount", "1,000");
            String shot = System.getProperty("leakhound.serveScreenshot");
            if (shot != null) {
                m.put("screenshot", shot);
            }
            Path manifest = dir.resolve("manifest.json");
            Files.writeString(manifest, ServeFixture.JSON.writeValueAsString(m), StandardCharsets.UTF_8);
            String out = run(harness, List.of("node", "check-serve.mjs", manifest.toString()), 300);
            System.out.println(out);
            assertThat(out).contains("rc=0").contains("serve page OK");
        }
    }

    @Test
    void duplicatedStringsAllocationStacksAndTreemapClicksWorkInChromium() throws Exception {
        Path harness = browserHarness();
        List<Served> snaps = ServeFixture.open(List.of(ServeFixture.trackedSnapshot(dir.resolve("tracked"))));
        try (ServeServer server = ServeServer.start(snaps, ServeServer.Options.loopback(0), line -> { })) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("url", server.url());
            m.put("dupText", ServeFixture.DUP_TEXT);
            m.put("allocClass", "Widget");
            m.put("allocFunction", "makeWidget");
            Path manifest = dir.resolve("tracked-manifest.json");
            Files.writeString(manifest, ServeFixture.JSON.writeValueAsString(m), StandardCharsets.UTF_8);
            String out = run(harness, List.of("node", "check-serve-tracked.mjs", manifest.toString()), 300);
            System.out.println(out);
            assertThat(out).contains("rc=0").contains("serve page OK");
        }
    }

    /** Runs a command; returns its output and "rc=N". */
    static String run(Path cwd, List<String> cmd, int seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("serve-browser", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " did not finish in " + seconds + " s:\n" + Files.readString(log));
            }
            return Files.readString(log) + "\nrc=" + p.exitValue();
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
