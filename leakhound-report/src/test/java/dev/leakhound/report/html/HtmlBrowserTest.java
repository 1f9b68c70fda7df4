package dev.leakhound.report.html;

import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diff.DiffResult;
import dev.leakhound.analysis.diff.SameProcessCheck;
import dev.leakhound.analysis.diff.SnapshotDiff;
import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.SnapshotParser;
import dev.leakhound.report.AnalyzeReport;
import dev.leakhound.report.Bounds;
import dev.leakhound.report.DiffReport;
import dev.leakhound.report.Format;
import dev.leakhound.report.Json;
import dev.leakhound.report.LeakReportRenderer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Renders each report type from real snapshots of a Node.js process whose heap holds hostile
 * strings, opens the pages in headless Chromium (Debian's /usr/bin/chromium through playwright-core,
 * see src/test/js/check-reports.mjs) and checks that they draw with no console error and no
 * request, that the headline numbers equal the JSON output's, and that no markup from the heap
 * turns into elements or runs. Skipped only when Chromium is missing outside CI; under CI
 * (CI set) a missing browser fails the test.
 */
class HtmlBrowserTest {
    static final String[] HOSTILE_TEXT = {"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
            "</script><script>alert(2)</script>"};

    static Path harness;
    static Path chromium;

    @TempDir
    static Path dir;

    @BeforeAll
    static void browser() throws Exception {
        Path root = Path.of(System.getProperty("leakhound.root", "..")).toAbsolutePath().normalize();
        harness = root.resolve("leakhound-report/src/test/js");
        chromium = Path.of(System.getenv().getOrDefault("LEAKHOUND_CHROMIUM", "/usr/bin/chromium"));
        boolean ci = System.getenv("CI") != null;
        if (!Files.isExecutable(chromium)) {
            String why = "headless Chromium not found at " + chromium + " (install Debian's chromium: scripts/setup-test-deps.sh)";
            if (ci) {
                fail(why);
            }
            System.err.println("SKIPPED HtmlBrowserTest: " + why);
            Assumptions.abort("SKIPPED browser tests: " + why);
        }
        if (!Files.isDirectory(harness.resolve("node_modules/playwright-core"))) {
            // installs the pinned playwright-core (no browser download: it drives Debian's chromium)
            int rc = run(harness, List.of("npm", "ci", "--no-audit", "--no-fund"), 300).rc;
            assertThat(rc).as("npm ci in " + harness).isZero();
        }
    }

    record Result(int rc, String out) {}

    static Result run(Path cwd, List<String> cmd, int seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in " + seconds + " s:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    /**
     * Snapshots of the hostile app; its script file has a hostile name too, so source positions carry it. The
     * leaking run tracks allocations ({@code --track-heap-objects}): its pages also draw allocation stacks and the
     * Allocation view, whose frames carry that file name.
     */
    static List<Path> snapshots(String mode) throws Exception {
        Path d = Files.createDirectories(dir.resolve(mode));
        Path app = d.resolve("<img src=x onerror=alert(5)>.js");
        Files.copy(harness.resolve("hostile-app.js"), app);
        List<String> cmd = new ArrayList<>(List.of("node"));
        if (mode.equals("leak")) {
            cmd.add("--track-heap-objects");
        }
        cmd.addAll(List.of(app.toString(), d.toString(), mode, "3", "1500"));
        Result r = run(d, cmd, 120);
        assertThat(r.rc).as(r.out).isZero();
        List<Path> out = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            out.add(d.resolve("s" + i + ".heapsnapshot"));
        }
        return out;
    }

    static Map<String, Object> expect(String selector, Object value, String text) {
        return text == null ? Map.of("selector", selector, "value", String.valueOf(value))
                : Map.of("selector", selector, "value", String.valueOf(value), "text", text);
    }

    static Path analyzeReport(Path snapshot, List<Map<String, Object>> expect) throws IOException {
        SnapshotAnalysis a = SnapshotAnalysis.analyze(snapshot,
                new SnapshotAnalysis.Options(20, DiagnosisOptions.defaults(), true), ProgressListener.NONE);
        StringWriter json = new StringWriter();
        AnalyzeReport.json(a, false, json);
        Object j = JsonTree.parse(json.toString());
        Path html = dir.resolve("analyze.html");
        HtmlFiles.write(html, w -> AnalyzeHtml.write(a, false, w));
        // the headline numbers, from the JSON output
        for (String key : List.of("totalBytes")) {
            expect.add(expect("[data-key=" + key + "]", JsonTree.num(j, key), Format.bytes(JsonTree.num(j, key))));
        }
        for (String key : List.of("nodes", "edges", "unreachableNodes")) {
            expect.add(expect("[data-key=" + key + "]", JsonTree.num(j, key), Format.count(JsonTree.num(j, key))));
        }
        int classes = ((List<?>) JsonTree.at(j, "classes")).size();
        expect.add(expect("[data-key=classCount]", classes, Format.count(classes)));
        long largest = JsonTree.num(j, "largest", 0, "retainedBytes");
        expect.add(expect("[data-key=largestRetained]", largest, Format.bytes(largest)));
        for (String key : List.of("code", "strings", "jsArrays", "system", "other", "native", "typedArrays")) {
            long v = JsonTree.num(j, "statistics", key);
            expect.add(expect("#statistics [data-key=" + key + "]", v, Format.bytes(v)));
        }
        return html;
    }

    static Path findLeaksReport(List<Path> files, String name, List<Map<String, Object>> expect) throws IOException {
        LeakReport r = FindLeaks.run(files, FindLeaks.Options.defaults().withClassDiff(true), ProgressListener.NONE);
        StringWriter json = new StringWriter();
        LeakReportRenderer.json(r, json);
        Object j = JsonTree.parse(json.toString());
        Path html = dir.resolve(name);
        HtmlFiles.write(html, w -> FindLeaksHtml.write(r, false, w));
        List<?> snaps = (List<?>) JsonTree.at(j, "snapshots");
        List<?> leaks = (List<?>) JsonTree.at(j, "leaks");
        expect.add(expect("[data-key=verdict]", JsonTree.at(j, "verdict"), null));
        expect.add(expect("[data-key=leaks]", leaks.size(), Format.count(leaks.size())));
        expect.add(expect("[data-key=snapshots]", snaps.size(), Format.count(snaps.size())));
        long first = JsonTree.num(j, "snapshots", 0, "totalBytes");
        long last = JsonTree.num(j, "snapshots", snaps.size() - 1, "totalBytes");
        expect.add(expect("[data-key=firstTotalBytes]", first, Format.bytes(first)));
        expect.add(expect("[data-key=lastTotalBytes]", last, Format.bytes(last)));
        for (int i = 0; i < leaks.size(); i++) {
            String card = "[data-leak=\"" + JsonTree.num(j, "leaks", i, "rank") + "\"] ";
            long retained = JsonTree.num(j, "leaks", i, "retainedBytes");
            long count = JsonTree.num(j, "leaks", i, "count");
            long growth = JsonTree.num(j, "leaks", i, "growthBytes");
            expect.add(expect(card + "[data-key=retainedBytes]", retained, Format.bytes(retained)));
            expect.add(expect(card + "[data-key=count]", count, Format.count(count)));
            expect.add(expect(card + "[data-key=growthBytes]", growth, Format.signedBytes(growth)));
            List<?> stacks = (List<?>) JsonTree.at(j, "leaks", i, "allocations");
            if (!stacks.isEmpty()) {
                expect.add(expect(card + "[data-key=allocation]", JsonTree.num(j, "leaks", i, "allocations", 0, "count"), null));
            }
        }
        return html;
    }

    static Path diffReport(Path before, Path after, List<Map<String, Object>> expect) throws IOException {
        HeapSnapshot b = SnapshotParser.read(before, ProgressListener.NONE);
        HeapSnapshot a = SnapshotParser.read(after, ProgressListener.NONE);
        DiffResult r = SnapshotDiff.compare(b, a, SameProcessCheck.of(b, a), List.of());
        StringWriter json = new StringWriter();
        DiffReport.json(r, json);
        Object j = JsonTree.parse(json.toString());
        Path html = dir.resolve("diff.html");
        HtmlFiles.write(html, w -> DiffHtml.write(r, w));
        // the headline numbers, from diff --json
        long bt = JsonTree.num(j, "before", "totalBytes");
        long at = JsonTree.num(j, "after", "totalBytes");
        long delta = JsonTree.num(j, "deltaBytes");
        expect.add(expect("[data-key=beforeTotalBytes]", bt, Format.bytes(bt)));
        expect.add(expect("[data-key=afterTotalBytes]", at, Format.bytes(at)));
        expect.add(expect("[data-key=deltaBytes]", delta, Format.signedBytes(delta)));
        long bn = JsonTree.num(j, "before", "nodes");
        long an = JsonTree.num(j, "after", "nodes");
        expect.add(expect("[data-key=beforeNodes]", bn, Format.count(bn)));
        expect.add(expect("[data-key=afterNodes]", an, Format.count(an)));
        long nw = JsonTree.num(j, "totals", "newCount");
        long del = JsonTree.num(j, "totals", "deletedCount");
        expect.add(expect("[data-key=newCount]", nw, Format.count(nw)));
        expect.add(expect("[data-key=deletedCount]", del, Format.count(del)));
        int changed = ((List<?>) JsonTree.at(j, "classes")).size();
        expect.add(expect("[data-key=changed]", changed, Format.count(changed)));
        return html;
    }

    @Test
    void reportsDrawInChromiumWithTheJsonNumbersAndRunNoHeapMarkup() throws Exception {
        List<Path> leak = snapshots("leak");
        List<Path> stable = snapshots("stable");
        List<Map<String, Object>> reports = new ArrayList<>();

        List<Map<String, Object>> ea = new ArrayList<>();
        Path analyze = analyzeReport(leak.get(2), ea);
        // the class table lists both hostile class names
        reports.add(Map.of("file", analyze.toString(), "expect", ea, "literal", List.of(HOSTILE_TEXT[0], HOSTILE_TEXT[1]),
                "interact", "analyze"));

        List<Map<String, Object>> el = new ArrayList<>();
        Path leaks = findLeaksReport(leak, "find-leaks.html", el);
        assertThat(el).as("the tracked series' leaks name their allocation stacks")
                .anySatisfy(e -> assertThat(e.get("selector").toString()).contains("[data-key=allocation]"));
        reports.add(Map.of("file", leaks.toString(), "expect", el, "interact", "find-leaks",
                "literal", List.of(HOSTILE_TEXT[0], HOSTILE_TEXT[1], "<img src=x onerror=alert(5)>.js")));
        String leakData = Files.readString(leaks);
        assertThat(JsonTree.at(JsonTree.pageData(leakData), "verdict")).isEqualTo("leak");

        List<Map<String, Object>> es = new ArrayList<>();
        Path noLeak = findLeaksReport(stable, "no-leak.html", es);
        reports.add(Map.of("file", noLeak.toString(), "expect", es, "dark", true,
                "literal", List.of("NO LEAK", HOSTILE_TEXT[0])));
        assertThat(JsonTree.at(JsonTree.pageData(Files.readString(noLeak)), "verdict")).isEqualTo("no-leak");

        List<Map<String, Object>> ed = new ArrayList<>();
        Path diff = diffReport(leak.get(0), leak.get(2), ed);
        reports.add(Map.of("file", diff.toString(), "expect", ed, "interact", "diff",
                "literal", List.of(HOSTILE_TEXT[0], HOSTILE_TEXT[1])));

        // a path too deep to embed: the page folds it and says how many steps the report left out
        Path deep = dir.resolve("deep-chain.html");
        HtmlFiles.write(deep, w -> HtmlReportsTest.deepChainPage(100_000, w));
        reports.add(Map.of("file", deep.toString(), "interact", "find-leaks", "click", ".chain button.elided",
                "literal", List.of(Format.count(100_001 - Bounds.PAGE.maxPathSteps()) + " steps not in this report")));

        Path manifest = dir.resolve("manifest.json");
        StringWriter m = new StringWriter();
        try (Json j = new Json(m, true)) {
            j.startObject().startArray("reports");
            for (Map<String, Object> r : reports) {
                writeMap(j, r);
            }
            j.endArray().endObject();
        }
        Files.writeString(manifest, m.toString(), StandardCharsets.UTF_8);
        Result r = run(harness, List.of("node", "check-reports.mjs", manifest.toString()), 300);
        System.out.println(r.out);
        assertThat(r.rc).as(r.out).isZero();
        assertThat(r.out).contains("all reports OK");
    }

    @SuppressWarnings("unchecked")
    private static void writeMap(Json j, Map<String, Object> map) {
        j.startObject();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Boolean b) {
                j.field(e.getKey(), b);
            } else if (v instanceof List<?> l) {
                j.startArray(e.getKey());
                for (Object o : l) {
                    if (o instanceof Map<?, ?> mm) {
                        writeMap(j, (Map<String, Object>) mm);
                    } else {
                        j.value(String.valueOf(o));
                    }
                }
                j.endArray();
            } else {
                j.field(e.getKey(), String.valueOf(v));
            }
        }
        j.endObject();
    }
}
