package dev.leakhound.cli.live;

import dev.leakhound.analysis.profile.HeapProfileFormat;
import dev.leakhound.cli.Cli;
import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code leakhound profile} end to end through the CLI entry point, against real node processes: a live
 * profile of a program whose allocation rates per function are known, the .heapprofile round trip, a
 * profile written by {@code node --heap-prof}, and two profiles of one sampling session compared.
 */
class ProfileCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    /**
     * V8's sampling profiler sees only the outermost function of optimized code: once TurboFan inlines a hot
     * function into its caller, its allocations are attributed to the caller (the README says so). The
     * programs here run without inlining, so that what they allocate stays with the function that does it.
     */
    static final String NO_INLINING = "--no-turbo-inlining";

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(rc, out.toString(), err.toString());
    }

    /**
     * Every 2 ms allocThree keeps three arrays and allocOne keeps one array of the same size, all alive
     * (until the holder is reset at a cap, which drops both alike): allocThree allocates 3/4 of their bytes.
     */
    private Path knownRates() throws Exception {
        Path app = dir.resolve("rates.js");
        Files.writeString(app, String.join("\n",
                "globalThis.kept = [];",
                "function allocThree() { for (let i = 0; i < 3; i++) kept.push(new Array(1000).fill(i)); }",
                "function allocOne() { kept.push(new Array(1000).fill(1)); }",
                "setInterval(() => { allocThree(); allocOne(); if (kept.length > 8000) kept.length = 0; }, 2);",
                ""));
        return app;
    }

    private static JsonObj site(JsonObj report, String list, String function) {
        for (Object o : report.arr(list)) {
            JsonObj s = (JsonObj) o;
            if (function.equals(s.str("function"))) {
                return s;
            }
        }
        throw new AssertionError(function + " is not in " + list + ": " + report.arr(list));
    }

    @Test
    void liveProfileNamesTheFunctionsThatAllocateWithTheirSharesAndRoundTripsThroughAFile() throws Exception {
        Path app = knownRates();
        Path saved = dir.resolve("live.heapprofile");
        Run r = run("profile", "--duration", "2", "--interval", "4096", "-o", saved.toString(), "--json", "--top", "30",
                "--", "node", NO_INLINING, app.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("leakhound: sampling allocations in node ", "leakhound: wrote " + saved);
        JsonObj live = (JsonObj) Json.parse(r.out());
        assertThat(live.lng("samplingInterval", 0)).isEqualTo(4096);
        assertThat(live.get("includeCollected")).isEqualTo(false);
        assertThat(live.lng("durationMillis", 0)).isBetween(1900L, 15_000L);

        // the two functions allocate most, by total bytes (each with its callees), at 3:1 (tolerance: 0.75 +- 0.08)
        JsonObj three = site(live, "byTotal", "allocThree");
        JsonObj one = site(live, "byTotal", "allocOne");
        long t3 = three.lng("totalBytes", 0);
        long t1 = one.lng("totalBytes", 0);
        assertThat(t3 + t1).as("sampled bytes of the two").isGreaterThan(1_000_000);
        assertThat((double) t3 / (t3 + t1)).as("allocThree's part of the two: %d vs %d", t3, t1).isCloseTo(0.75, within(0.08));
        // and together most of what the program allocated in the window
        assertThat((double) (t3 + t1) / live.lng("totalBytes", 0)).isGreaterThan(0.7);
        assertThat(three.dbl("totalShare", 0)).isCloseTo((double) t3 / live.lng("totalBytes", 0), within(1e-5));
        // frames are data: the script's URL and the function's 1-based line
        assertThat(three.str("url")).endsWith("/rates.js");
        assertThat(three.lng("line", 0)).isEqualTo(2);
        assertThat(one.lng("line", 0)).isEqualTo(3);
        // by self: allocThree is the first function of the program's own (V8 may put its own pseudo frames high too)
        List<String> selfOrder = live.arr("bySelf").stream().map(o -> ((JsonObj) o).str("function"))
                .filter(f -> f.startsWith("alloc")).toList();
        assertThat(selfOrder).startsWith("allocThree", "allocOne");

        // the saved file: owner-only, the .heapprofile shape, and read back to the same totals
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rw-------");
        JsonObj file = (JsonObj) Json.parse(Files.readString(saved));
        assertThat(file.obj("head").obj("callFrame").str("functionName")).isEqualTo("(root)");
        assertThat(file.obj("head").obj("callFrame").map().keySet())
                .containsExactly("functionName", "scriptId", "url", "lineNumber", "columnNumber");
        assertThat(file.obj("head").map().keySet()).containsExactly("callFrame", "selfSize", "id", "children");
        assertThat(((JsonObj) file.arr("samples").get(0)).map().keySet()).containsExactly("size", "nodeId", "ordinal");
        Run back = run("profile", saved.toString(), "--json", "--top", "30");
        assertThat(back.exit()).as(back.err()).isZero();
        JsonObj offline = (JsonObj) Json.parse(back.out());
        assertThat(offline.lng("totalBytes", -1)).isEqualTo(live.lng("totalBytes", -2));
        assertThat(offline.lng("samples", -1)).isEqualTo(live.lng("samples", -2));
        assertThat(Json.write(offline.get("bySelf"))).isEqualTo(Json.write(live.get("bySelf")));
        assertThat(Json.write(offline.get("byTotal"))).isEqualTo(Json.write(live.get("byTotal")));

        // the text: both tables, allocThree first among the program's functions
        Run text = run("profile", saved.toString(), "--top", "30");
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("Functions that allocate most themselves (self bytes):",
                "Functions under which most is allocated", "allocThree", app.toString() + ":2:");
        assertThat(text.out().indexOf("allocThree")).isLessThan(text.out().indexOf("allocOne"));
    }

    @Test
    void readsAProfileWrittenByNodeHeapProf() throws Exception {
        Path app = dir.resolve("exit.js");
        Files.writeString(app, String.join("\n",
                "globalThis.kept = [];",
                "function keepsMost() { for (let i = 0; i < 300; i++) kept.push(new Array(500).fill(i)); }",
                "function keepsLess() { for (let i = 0; i < 100; i++) kept.push(new Array(500).fill(i)); }",
                "let n = 0;",
                "const t = setInterval(() => { keepsMost(); keepsLess(); if (++n === 40) clearInterval(t); }, 1);",
                ""));
        Path out = Files.createDirectories(dir.resolve("prof"));
        Process p = new ProcessBuilder("node", NO_INLINING, "--heap-prof", "--heap-prof-interval=4096", "--heap-prof-dir=" + out, app.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("node.log"))).isZero();
        Path file;
        try (Stream<Path> s = Files.list(out)) {
            file = s.filter(f -> f.toString().endsWith(".heapprofile")).findFirst().orElseThrow();
        }
        Run r = run("profile", file.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObj j = (JsonObj) Json.parse(r.out());
        long most = site(j, "bySelf", "keepsMost").lng("selfBytes", 0);
        long less = site(j, "bySelf", "keepsLess").lng("selfBytes", 0);
        assertThat(((JsonObj) j.arr("bySelf").get(0)).str("function")).isEqualTo("keepsMost");
        assertThat((double) most / (most + less)).as("%d vs %d", most, less).isCloseTo(0.75, within(0.08));

        // leakhound writes node's own format: node's file read and written again is the same JSON document
        StringWriter again = new StringWriter();
        HeapProfileFormat.write(HeapProfileFormat.read(file), again);
        assertThat(Json.write(Json.parse(again.toString()))).isEqualTo(Json.write(Json.parse(Files.readString(file))));
    }

    /**
     * Two profiles of one sampling session (taken in-process with node's inspector module): between them the
     * program keeps allocating from growsSite and nothing more from steadySite.
     */
    @Test
    void twoProfilesOfOneSessionNameTheSiteThatGrew() throws Exception {
        Path app = dir.resolve("session.js");
        Path a = dir.resolve("a.heapprofile");
        Path b = dir.resolve("b.heapprofile");
        Files.writeString(app, String.join("\n",
                "const inspector = require('inspector'); const fs = require('fs');",
                "const s = new inspector.Session(); s.connect();",
                "const post = (m, p) => new Promise((ok, no) => s.post(m, p || {}, (e, r) => e ? no(e) : ok(r)));",
                "globalThis.kept = [];",
                "function steadySite() { for (let i = 0; i < 400; i++) kept.push(new Array(500).fill(i)); }",
                "function growsSite() { for (let i = 0; i < 200; i++) kept.push(new Array(500).fill(i)); }",
                "(async () => {",
                "  await post('HeapProfiler.enable'); await post('HeapProfiler.startSampling', {samplingInterval: 4096});",
                "  steadySite(); growsSite();",
                "  fs.writeFileSync(process.argv[2], JSON.stringify((await post('HeapProfiler.getSamplingProfile')).profile));",
                "  for (let k = 0; k < 4; k++) growsSite();",
                "  fs.writeFileSync(process.argv[3], JSON.stringify((await post('HeapProfiler.getSamplingProfile')).profile));",
                "  await post('HeapProfiler.stopSampling'); s.disconnect();",
                "})();",
                ""));
        Process p = new ProcessBuilder("node", NO_INLINING, app.toString(), a.toString(), b.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("node.log"))).isZero();

        Run r = run("profile", a.toString(), b.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObj j = (JsonObj) Json.parse(r.out());
        JsonObj first = (JsonObj) j.arr("grown").get(0);
        assertThat(first.str("function")).isEqualTo("growsSite");
        assertThat(first.str("url")).endsWith("/session.js");
        assertThat(first.lng("afterBytes", 0)).isGreaterThan(3 * first.lng("beforeBytes", 0));
        assertThat(j.lng("deltaBytes", 0)).isGreaterThan(0);
        // steadySite allocated nothing in between: it did not grow by more than sampling noise
        for (Object o : j.arr("grown")) {
            JsonObj c = (JsonObj) o;
            if ("steadySite".equals(c.str("function"))) {
                assertThat(c.lng("deltaBytes", 0)).isLessThan(first.lng("deltaBytes", 0) / 4);
            }
        }
        Run text = run("profile", a.toString(), b.toString());
        assertThat(text.out()).contains("Allocation sites whose sampled bytes grew", "Grew most: growsSite at ");
    }

    /**
     * leakhound's own series: --save-every saves the profile so far during one sampling session; between the
     * first save and the end, retainsMore keeps what it allocates and churns only makes garbage.
     */
    @Test
    void profilesSavedDuringOneLiveSessionNameTheSiteThatGrew() throws Exception {
        Path app = dir.resolve("grow.js");
        Files.writeString(app, String.join("\n",
                "globalThis.kept = [];",
                "function retainsMore() { for (let i = 0; i < 2; i++) kept.push(new Array(1000).fill(i)); }",
                "function churns() { let x; for (let i = 0; i < 6; i++) x = new Array(1000).fill(i); return x.length; }",
                "setInterval(() => { retainsMore(); churns(); }, 2);",
                ""));
        Path last = dir.resolve("grow.heapprofile");
        Run r = run("profile", "--duration", "3", "--save-every", "1", "--interval", "4096", "-o", last.toString(),
                "--", "node", NO_INLINING, app.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        Path first = dir.resolve("grow.1.heapprofile");
        assertThat(r.err()).contains("leakhound: wrote " + first + " (");
        assertThat(first).exists();
        Run d = run("profile", first.toString(), last.toString(), "--json");
        assertThat(d.exit()).as(d.err()).isZero();
        JsonObj j = (JsonObj) Json.parse(d.out());
        JsonObj top = (JsonObj) j.arr("grown").get(0);
        assertThat(top.str("function")).isEqualTo("retainsMore");
        assertThat(top.lng("line", 0)).isEqualTo(2);
        assertThat(top.lng("afterBytes", 0)).isGreaterThan(top.lng("beforeBytes", 0) * 3 / 2);

        r = run("profile", "--save-every", "1", "--", "node", app.toString());
        assertThat(r.err()).isEqualTo("leakhound: --save-every needs -o FILE (the profiles are saved beside it)" + System.lineSeparator());
    }

    /**
     * A frame in a compiled script is printed at its original source (the TypeScript example's constructor,
     * found by its marker comment in the .ts file), its own position kept in JSON as {@code generated};
     * {@code --no-source-maps} prints the compiled position.
     */
    @Test
    void framesInScriptsWithSourceMapsArePrintedAtTheirOriginalSource() throws Exception {
        Path examples = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/ts-service");
        Path js = examples.resolve("dist/sessions.js").toAbsolutePath().normalize();
        List<String> jsLines = Files.readAllLines(js);
        List<String> tsLines = Files.readAllLines(examples.resolve("src/sessions.ts"));
        int jsLine = markerLine(jsLines, "leak:constructor");
        int tsLine = markerLine(tsLines, "leak:constructor");
        int jsColumn = jsLines.get(jsLine - 1).indexOf("constructor") + 1;
        Path profile = dir.resolve("mapped.heapprofile");
        Files.writeString(profile, "{\"head\":{\"callFrame\":{\"functionName\":\"(root)\",\"scriptId\":\"0\",\"url\":\"\","
                + "\"lineNumber\":-1,\"columnNumber\":-1},\"selfSize\":0,\"id\":1,\"children\":[{\"callFrame\":"
                + "{\"functionName\":\"SessionRecord\",\"scriptId\":\"7\",\"url\":\"file://" + js + "\",\"lineNumber\":"
                + (jsLine - 1) + ",\"columnNumber\":" + (jsColumn - 1) + "},\"selfSize\":65536,\"id\":2,\"children\":[]}]},"
                + "\"samples\":[{\"size\":65536,\"nodeId\":2,\"ordinal\":1}]}");

        Run text = run("profile", profile.toString());
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("src/sessions.ts:" + tsLine + ":");

        Run json = run("profile", profile.toString(), "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        JsonObj top = (JsonObj) ((JsonObj) Json.parse(json.out())).arr("bySelf").get(0);
        assertThat(top.str("url")).endsWith("src/sessions.ts");
        assertThat(top.lng("line", -1)).isEqualTo(tsLine);
        JsonObj generated = top.obj("generated");
        assertThat(generated.str("url")).isEqualTo("file://" + js);
        assertThat(generated.lng("line", -1)).isEqualTo(jsLine);
        assertThat(generated.lng("column", -1)).isEqualTo(jsColumn);

        Run plain = run("profile", profile.toString(), "--no-source-maps");
        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("dist/sessions.js:" + jsLine + ":" + jsColumn).doesNotContain("sessions.ts");
    }

    private static int markerLine(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line marked " + marker);
    }

    @Test
    void badInputsAreOneLineErrors() throws Exception {
        Path notJson = Files.writeString(dir.resolve("x.heapprofile"), "not json");
        Run r = run("profile", notJson.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("leakhound: " + notJson + ": not a heap profile (.heapprofile): invalid JSON")
                .hasLineCount(1);

        Path empty = Files.writeString(dir.resolve("empty.heapprofile"), "{\"head\":{\"callFrame\":{\"functionName\":\"(root)\","
                + "\"scriptId\":\"0\",\"url\":\"\",\"lineNumber\":-1,\"columnNumber\":-1},\"selfSize\":0,\"id\":1,\"children\":[]},\"samples\":[]}");
        r = run("profile", empty.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("leakhound: " + empty + ": empty profile: no allocation was sampled").hasLineCount(1);

        Path snap = Files.writeString(dir.resolve("s.heapsnapshot"), "{\"snapshot\":{\"meta\":{}},\"nodes\":[]}");
        r = run("profile", snap.toString());
        assertThat(r.err()).isEqualTo("leakhound: " + snap + " is a heap snapshot, not a heap profile"
                + " (analyze, find-leaks and diff read snapshots)" + System.lineSeparator());

        r = run("profile", dir.resolve("missing.heapprofile").toString());
        assertThat(r.err()).isEqualTo("leakhound: " + dir.resolve("missing.heapprofile") + ": no such file" + System.lineSeparator());

        for (String d : List.of("0", "-1", "NaN")) {
            r = run("profile", "--duration", d, "--", "node", "-e", "setInterval(() => {}, 1000)");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).as(d).startsWith("leakhound: --duration must be a positive number of seconds").hasLineCount(1);
        }
        r = run("profile", "--duration", "soon");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'soon'", "--duration");

        r = run("profile", "--interval", "0", "--", "node", "-e", "0");
        assertThat(r.err()).startsWith("leakhound: --interval must be between 1 and").hasLineCount(1);

        r = run("profile", "--duration", "3", notJson.toString());
        assertThat(r.err()).isEqualTo("leakhound: --duration is for a live profile; it cannot be used when reading"
                + " .heapprofile files (to profile a command, put it after --)" + System.lineSeparator());

        r = run("profile", "a", "b", "c");
        assertThat(r.err()).isEqualTo("leakhound: give one .heapprofile file to read, or two to compare (got 3)" + System.lineSeparator());
    }

    /** The target goes away while sampling (here: killed once leakhound says it samples): one line, no profile. */
    @Test
    void aTargetThatEndsWhileSamplingLeavesNoProfileAndSaysSo() throws Exception {
        try (dev.leakhound.cli.InspectedNode node = dev.leakhound.cli.InspectedNode.start("-e", "setInterval(() => {}, 1000)")) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            String target = node.hostPort();
            java.util.concurrent.CompletableFuture<Integer> rc = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "profile", "--inspect", target, "--duration", "120"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!err.toString().contains("sampling allocations in") && !rc.isDone() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                Thread.sleep(20);   // polling a condition, not waiting for a time
            }
            assertThat(err.toString()).contains("sampling allocations in");
            node.process().destroy();
            assertThat(rc.get(60, TimeUnit.SECONDS)).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).contains("leakhound: the target ended before its sampling profile was taken");
            assertThat(out.toString()).isEmpty();
        }
    }
}
