package dev.leakhound.cli;

import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * check against real Node.js processes: the exact per-call count of a leak, baselines across two processes,
 * a busy but bounded scenario passing ten runs out of ten, the exit codes, and the examples' own test suites.
 */
class CheckCommandTest {
    /** Leaks one LeakedThing per call, amid garbage. */
    static final String LEAKS_ONE_PER_CALL = """
            'use strict';
            class LeakedThing {
              constructor(n) {
                this.n = n;
                this.label = 'thing ' + n;
              }
            }
            const kept = [];
            let n = 0;
            module.exports = async function oneThingPerCall() {
              kept.push(new LeakedThing(n++));
              const garbage = [];
              for (let i = 0; i < 3000; i++) garbage.push({ i, text: 'garbage ' + i });
              await new Promise((resolve) => setTimeout(resolve, 1));
            };
            """;

    /** Two bounded caches (a Map of at most 5 entries, an Array ring of 8) and heavy garbage: no leak. */
    static final String BOUNDED = """
            'use strict';
            class Entry {
              constructor(key) {
                this.key = key;
                this.value = 'v'.repeat(200) + key;
              }
            }
            const cache = new Map();
            const ring = [];
            let n = 0;
            module.exports = async () => {
              const key = 'k' + (n++ % 5);
              if (!cache.has(key)) cache.set(key, new Entry(key));
              ring.push({ at: n, payload: Buffer.alloc(64) });
              if (ring.length > 8) ring.shift();
              const garbage = [];
              for (let i = 0; i < 20000; i++) garbage.push({ i, s: 'g' + i, nested: { i } });
              JSON.parse(JSON.stringify(garbage.slice(0, 500)));
              await new Promise((resolve) => setImmediate(resolve));
            };
            """;

    @TempDir
    Path tmp;

    Path scenario(String name, String code) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, code);
        return f;
    }

    static JsonObj json(String text) {
        return (JsonObj) Json.parse(text);
    }

    static long harnessesRunning(Path scenario) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("check-harness.cjs") && c.contains(scenario.toString())).orElse(false)).count();
    }

    @Test
    void aLeakOfOneObjectPerCallIsCaughtWithItsExactCountAndItsBaselineHoldsInTheNextProcesses() throws Exception {
        Path s = scenario("one-per-call.js", LEAKS_ONE_PER_CALL);
        Path baseline = tmp.resolve("leak-baseline.json");
        // 1. the leak, and a baseline recording it (recording exits 0)
        CliRun first = CliRun.of("check", s.toString(), "--json", "--write-baseline", baseline.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        JsonObj doc = json(first.out());
        assertThat(doc.str("verdict")).isEqualTo("leak");
        assertThat(doc.obj("scenario").lng("iterations", 0)).isEqualTo(7);
        assertThat(doc.obj("scenario").lng("rounds", 0)).isEqualTo(2);
        List<Object> leaks = doc.arr("leaks");
        assertThat(leaks).hasSize(1);
        JsonObj leak = (JsonObj) leaks.get(0);
        assertThat(leak.str("leakedClass")).isEqualTo("LeakedThing");
        assertThat(leak.str("culprit")).isEqualTo("kept");
        assertThat(leak.lng("perCall", 0)).isEqualTo(1);
        List<Object> counts = leak.arr("countsPerSnapshot");
        assertThat((Long) counts.get(1) - (Long) counts.get(0)).isEqualTo(7);
        assertThat((Long) counts.get(2) - (Long) counts.get(1)).isEqualTo(7);
        assertThat(first.err()).contains("checking " + s, "7 warm-up calls, then 2 rounds of 7 calls", "snapshot 3/3",
                "baseline written to " + baseline);

        // 2. another process, the baseline recorded at a third of the growth: worse, exit 1, SARIF says "updated"
        Path slower = tmp.resolve("slower.json");
        Files.writeString(slower, Files.readString(baseline).replaceAll("\"countPerStep\" : [0-9.]+", "\"countPerStep\" : 2"));
        Path sarif = tmp.resolve("leaks.sarif");
        CliRun worse = CliRun.of("check", s.toString(), "--baseline", slower.toString(), "--format", "sarif", "--out",
                sarif.toString(), "--source-root", tmp.toString());
        assertThat(worse.exit()).as(worse.err()).isEqualTo(1);
        assertThat(worse.out()).contains("per call   1 LeakedThing object per call (7 per round of 7 calls, in each of 2 rounds)",
                "status     worse (in the baseline, but grows +7 objects per snapshot against +2 objects recorded");
        String log = Files.readString(sarif);
        assertThat(SarifSchema.errors(log)).isEmpty();
        JsonObj result = (JsonObj) ((JsonObj) json(log).arr("runs").get(0)).arr("results").get(0);
        assertThat(result.str("baselineState")).isEqualTo("updated");
        assertThat(result.str("level")).isEqualTo("error");
        JsonObj where = ((JsonObj) result.arr("locations").get(0)).obj("physicalLocation");
        assertThat(where.obj("artifactLocation").str("uri")).isEqualTo("one-per-call.js");
        assertThat(where.obj("region").lng("startLine", 0)).as("LeakedThing's constructor").isEqualTo(3);

        // 3. a third process: the same signature, accepted; JUnit skips it; the page says so
        Path junit = tmp.resolve("leaks.xml");
        Path html = tmp.resolve("leaks.html");
        CliRun accepted = CliRun.of("check", s.toString(), "--baseline", baseline.toString(), "--format", "junit", "--out",
                junit.toString(), "--html", html.toString());
        assertThat(accepted.exit()).as(accepted.out() + accepted.err()).isZero();
        assertThat(accepted.out()).contains("Verdict    accepted: 1 leak found, all of them accepted in the baseline");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element suites = f.newDocumentBuilder().parse(junit.toFile()).getDocumentElement();
        assertThat(suites.getAttribute("failures")).isEqualTo("0");
        assertThat(suites.getAttribute("skipped")).isEqualTo("1");
        assertThat(((Element) suites.getElementsByTagName("testsuite").item(0)).getAttribute("name"))
                .isEqualTo("leakhound check " + s);
        assertThat(Files.readString(html)).contains("\"verdict\":\"accepted\"", "\"perCall\":1", "\"status\":\"accepted\"");
        assertThat(harnessesRunning(s)).isZero();
    }

    @Test
    void boundedCachesAndHeavyGarbagePassTenRunsOutOfTen() throws Exception {
        Path s = scenario("bounded.js", BOUNDED);
        Path temp = Files.createDirectories(tmp.resolve("temp"));
        List<String> failures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int run = 1; run <= 10; run++) {
            CliRun r = CliRun.of("check", s.toString(), "--iterations", "7", "--warmup", "10", "--temp-dir", temp.toString());
            if (r.exit() != 0) {
                failures.add("run " + run + ": exit " + r.exit() + "\n" + r.out() + r.err());
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertThat(failures).as("10 runs took %d s", seconds).isEmpty();
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left).as("temporary folders removed").isEmpty();
        }
        assertThat(harnessesRunning(s)).isZero();
    }

    @Test
    void exitCodesAndOneLineErrors() throws Exception {
        Path temp = Files.createDirectories(tmp.resolve("temp"));
        CliRun missing = CliRun.of("check", tmp.resolve("nope.js").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("leakhound: no scenario file " + tmp.resolve("nope.js"));

        Path object = scenario("object.js", "module.exports = { run() {} };\n");
        CliRun notAFunction = CliRun.of("check", object.toString(), "--temp-dir", temp.toString());
        assertThat(notAFunction.exit()).isEqualTo(2);
        assertThat(lastLine(notAFunction.err())).isEqualTo("leakhound: scenario " + object + " exports an object, not a function:"
                + " export the scenario as `module.exports = async () => {...}` or `export default async function () {...}`");

        Path throwing = scenario("throws.mjs", "let n = 0;\nexport default async function () {\n"
                + "  if (++n === 9) throw new RangeError('bad input ' + n);\n}\n");
        CliRun threw = CliRun.of("check", throwing.toString(), "--json", "--temp-dir", temp.toString());
        assertThat(threw.exit()).isEqualTo(2);
        assertThat(threw.out()).isEmpty();
        assertThat(lastLine(threw.err())).isEqualTo("leakhound: scenario " + throwing
                + " threw on call 2 of 7 (round 1): RangeError: bad input 9");

        Path syntax = scenario("syntax.js", "module.exports = async () => { oops(;\n");
        CliRun broken = CliRun.of("check", syntax.toString(), "--temp-dir", temp.toString());
        assertThat(broken.exit()).isEqualTo(2);
        assertThat(lastLine(broken.err())).startsWith("leakhound: scenario " + syntax + " could not be loaded: SyntaxError: ");

        Path ok = scenario("ok.js", "module.exports = async () => {};\n");
        Path badBaseline = scenario("bad.json", "{\"leakhoundBaseline\": 1, \"leaks\": {}}");
        CliRun bad = CliRun.of("check", ok.toString(), "--baseline", badBaseline.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("leakhound: bad baseline " + badBaseline + ": \"leaks\" must be an array");
        CliRun few = CliRun.of("check", ok.toString(), "--iterations", "1");
        assertThat(few.exit()).isEqualTo(2);
        assertThat(few.err().strip()).isEqualTo("leakhound: --iterations must be at least 2 and --warmup at least 0");
        CliRun both = CliRun.of("check", ok.toString(), "--json", "--format", "junit");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err().strip()).isEqualTo("leakhound: --json and --format junit are two different outputs; pick one,"
                + " or write the --format document to --out FILE");

        CliRun fine = CliRun.of("check", ok.toString(), "--iterations", "3", "--warmup", "0", "--temp-dir", temp.toString());
        assertThat(fine.exit()).as(fine.err()).isZero();
        assertThat(fine.out()).contains("Verdict    no-leak");
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left).as("temporary folders removed, also after errors").isEmpty();
        }
        for (Path p : List.of(object, throwing, syntax, ok)) {
            assertThat(harnessesRunning(p)).as(p.toString()).isZero();
        }
    }

    /** The examples' test suites (examples/ci), run with node --test against this build of leakhound. */
    @Test
    void theCiExamplesPass() throws Exception {
        String leakhound = Path.of(System.getProperty("java.home"), "bin", "java") + " -cp "
                + System.getProperty("java.class.path") + " " + Main.class.getName();
        Path examples = CliRun.root().resolve("examples/ci");
        List<Process> runs = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (String[] project : new String[][] {{"node-test", "test/"}, {"jest", "__tests__/"}}) {
            Path log = tmp.resolve(project[0] + ".log");
            ProcessBuilder pb = new ProcessBuilder("node", "--test", project[1]).directory(examples.resolve(project[0]).toFile());
            pb.environment().put("LEAKHOUND", leakhound);
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            runs.add(pb.start());
            logs.add(log);
        }
        for (int i = 0; i < runs.size(); i++) {
            Process p = runs.get(i);
            assertThat(p.waitFor(4, TimeUnit.MINUTES)).isTrue();
            String out = Files.readString(logs.get(i));
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("# pass 2", "# fail 0");
        }
    }

    static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }
}
