package dev.leakhound.cli.live;

import dev.leakhound.cli.Cli;
import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code watch --html FILE} against a real leaking node process: the page holds the numbers of the
 * {@code --json} end line, and draws in headless Chromium (the report module's check-reports.mjs)
 * with no console error, dialog or request.
 */
class HtmlWatchOptionTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(rc, out.toString(), err.toString());
    }

    private static Path root() {
        return Path.of(System.getProperty("leakhound.root", "..")).toAbsolutePath().normalize();
    }

    @Test
    void watchWritesThePageWithTheEndLineNumbersAndItDrawsInChromium() throws Exception {
        Path html = dir.resolve("watch.html");
        String target = root().resolve("leakhound-inspector/src/test/resources/targets/leaky.js").toString();
        Run r = run("watch", "--json", "--interval", "0.2", "--gc-every", "0.3", "--leak-gcs", "3", "--duration", "4",
                "--html", html.toString(), "--", "node", target);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("leakhound: HTML report written to " + html);
        assertThat(Files.getPosixFilePermissions(html)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<JsonObj> lines = Arrays.stream(r.out().split("\\R")).filter(l -> l.startsWith("{"))
                .map(l -> (JsonObj) Json.parse(l)).toList();
        JsonObj end = lines.get(lines.size() - 1);
        assertThat(end.str("type")).isEqualTo("end");
        JsonObj lastSample = lines.stream().filter(o -> "sample".equals(o.str("type"))).reduce((a, b) -> b).orElseThrow();
        JsonObj lastStats = lines.stream().filter(o -> "stats".equals(o.str("type"))).reduce((a, b) -> b).orElseThrow();
        long leaks = end.lng("leaks", -1);
        String page = Files.readString(html);
        assertThat(page).contains("\"kind\":\"watch\"")
                .contains("\"end\":{\"running\":false,\"reason\":\"" + end.str("reason") + "\",\"samples\":" + end.lng("samples", -1)
                        + ",\"num_full_gc\":" + end.lng("num_full_gc", -1) + ",\"num_inc_gc\":" + end.lng("num_inc_gc", -1)
                        + ",\"leaks\":" + leaks + "}");
        assertThat(end.lng("num_full_gc", 0)).as("--gc-every forced full GCs").isPositive();
        assertThat(leaks).as("leaky.js grows between forced GCs").isPositive();
        assertThat(page).contains("\"heapUsed\":" + lastSample.lng("heapUsed", -1) + ",");
        assertThat(page).contains("\"estimated_base\":" + lastStats.lng("estimated_base", -1) + ",");
        assertThat(page).contains("\"kind\":\"major\"");

        // in headless Chromium: the headline numbers are the JSON's, the charts are drawn
        Path harness = root().resolve("leakhound-report/src/test/js");
        Path chromium = Path.of(System.getenv().getOrDefault("LEAKHOUND_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium) || !Files.isDirectory(harness.resolve("node_modules/playwright-core"))) {
            String why = "headless Chromium or playwright-core missing (scripts/setup-test-deps.sh installs them)";
            if (System.getenv("CI") != null) {
                fail(why);
            }
            Assumptions.abort("SKIPPED the browser part: " + why);
        }
        List<String> expect = new ArrayList<>();
        for (String k : List.of("samples", "num_full_gc", "num_inc_gc", "leaks")) {
            expect.add(expectation("[data-key=" + k + "]", end.lng(k, -1)));
        }
        expect.add(expectation("[data-key=heapUsed]", lastSample.lng("heapUsed", -1)));
        expect.add(expectation("[data-key=estimated_base]", lastStats.lng("estimated_base", -1)));
        Object trend = lastStats.map().get("usage_trend");
        String trendText = trend instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                ? Long.toString(n.longValue()) : String.valueOf(trend);
        expect.add(expectation("[data-key=usage_trend]", trendText));
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, "{\"reports\": [{\"file\": " + Json.write(html.toString()) + ", \"interact\": \"watch\", \"expect\": ["
                + String.join(", ", expect) + "]}, {\"file\": " + Json.write(html.toString()) + ", \"dark\": true}]}");
        Process p = new ProcessBuilder("node", "check-reports.mjs", manifest.toString()).directory(harness.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("all reports OK");
    }

    private static String expectation(String selector, Object value) {
        return "{\"selector\": " + Json.write(selector) + ", \"value\": " + Json.write(String.valueOf(value)) + "}";
    }

    @Test
    void anUnwritableTargetIsOneLineAndExitTwoBeforeTheTargetStarts() {
        Run r = run("watch", "--duration", "1", "--html", dir.resolve("no/such/dir/w.html").toString(), "--", "node", "-e", "setTimeout(()=>{}, 5000)");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("leakhound: cannot write ").contains("no such directory").doesNotContain("\n");
        assertThat(r.err()).doesNotContain("started");
    }
}
