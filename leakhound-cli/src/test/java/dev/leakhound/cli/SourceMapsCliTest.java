package dev.leakhound.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Source maps end to end on real node processes: find-leaks on examples/ts-service (tsc output) and hunt on
 * examples/bundled-service (a minified esbuild bundle) name the line of the original source that the source file
 * marks ({@code leak:constructor}), with the script's own position kept in JSON; --no-source-maps, --source-root
 * on a moved copy, and a malformed map (one warning, the script's position).
 */
class SourceMapsCliTest {
    @TempDir
    static Path tmp;

    static Path app;
    static String[] series;

    static final Pattern LOCATION = Pattern.compile("\"location\" : \\{\\s*\"file\" : \"([^\"]+)\",\\s*\"line\" : (\\d+),"
            + "\\s*\"column\" : (\\d+),\\s*\"userCode\" : (?:true|false)(,\\s*\"generated\" : \\{\\s*\"file\" : \"([^\"]+)\","
            + "\\s*\"line\" : (\\d+),\\s*\"column\" : (\\d+))?");

    @BeforeAll
    static void runTheTypeScriptService() throws Exception {
        app = copy(CliRun.root().resolve("examples/ts-service"), tmp.resolve("ts/app"));
        series = CliRun.series(app.resolve("dist/server.js"), tmp.resolve("ts/series"), 2000, -1);
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
        return to;
    }

    /** The 1-based line of the first line of {@code file} containing {@code marker}. */
    static int lineOf(Path file, String marker) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError(marker + " not in " + file);
    }

    static String[] args(String... extra) {
        String[] all = new String[series.length + extra.length + 1];
        all[0] = "find-leaks";
        System.arraycopy(series, 0, all, 1, series.length);
        System.arraycopy(extra, 0, all, 1 + series.length, extra.length);
        return all;
    }

    static Matcher firstLocation(String json) {
        Matcher m = LOCATION.matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return m;
    }

    @Test
    void findLeaksNamesTheTypeScriptLine() throws IOException {
        int marked = lineOf(app.resolve("src/sessions.ts"), "leak:constructor");
        CliRun json = CliRun.of(args("--json", "--no-index"));
        assertThat(json.out()).as(json.err()).contains("\"leakedClass\" : \"SessionRecord\"");
        Matcher m = firstLocation(json.out());
        assertThat(m.group(1)).isEqualTo(app.resolve("src/sessions.ts").toString());
        assertThat(Integer.parseInt(m.group(2))).isEqualTo(marked);
        // the position in the script that ran: the constructor's parameter list in dist/sessions.js (V8's position)
        assertThat(m.group(5)).isEqualTo(app.resolve("dist/sessions.js").toString());
        assertThat(Integer.parseInt(m.group(6))).isEqualTo(lineOf(app.resolve("dist/sessions.js"), "constructor("));
        assertThat(json.err()).doesNotContain("warning");

        CliRun text = CliRun.of(args("--no-index"));
        assertThat(text.out()).contains("source     " + app.resolve("src/sessions.ts") + ":" + marked + ":");
        // the closure scope that holds the Map is named by its original file too
        assertThat(text.out()).contains("variable `openSessions` in " + app.resolve("src/sessions.ts") + " (in the scope of");

        // inspect one of the leaked objects: its source is the .ts line too
        Matcher id = Pattern.compile("-> SessionRecord @(\\d+)").matcher(text.out());
        assertThat(id.find()).as(text.out()).isTrue();
        CliRun inspect = CliRun.of("inspect", series[2], "@" + id.group(1), "--no-index");
        assertThat(inspect.exit()).as(inspect.err()).isZero();
        assertThat(inspect.out()).contains(app.resolve("src/sessions.ts") + ":" + marked + ":");
    }

    @Test
    void noSourceMapsPrintsThePositionInTheScript() throws IOException {
        CliRun json = CliRun.of(args("--json", "--no-index", "--no-source-maps"));
        Matcher m = firstLocation(json.out());
        assertThat(m.group(1)).isEqualTo(app.resolve("dist/sessions.js").toString());
        assertThat(Integer.parseInt(m.group(2))).isEqualTo(lineOf(app.resolve("dist/sessions.js"), "constructor("));
        assertThat(m.group(5)).isNull();
    }

    @Test
    void aSourceRootFindsTheScriptsOfACopyElsewhere() throws IOException {
        // the checkout holds the service as app/...; its map names another source, so that using it shows
        Path checkout = tmp.resolve("checkout");
        Path copy = copy(app, checkout.resolve("app"));
        Path map = copy.resolve("dist/sessions.js.map");
        Files.writeString(map, Files.readString(map).replace("../src/sessions.ts", "../src/checked-out.ts"));
        CliRun r = CliRun.of(args("--json", "--no-index", "--source-root", checkout.toString()));
        Matcher m = firstLocation(r.out());
        // named in the snapshot's terms: beside the recorded script
        assertThat(m.group(1)).isEqualTo(app.resolve("src/checked-out.ts").toString());
        assertThat(Integer.parseInt(m.group(2))).isEqualTo(lineOf(app.resolve("src/sessions.ts"), "leak:constructor"));
        assertThat(r.err()).doesNotContain("warning");

        CliRun missing = CliRun.of(args("--source-root", tmp.resolve("nowhere").toString()));
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("leakhound: --source-root " + tmp.resolve("nowhere") + ": no such directory");
        CliRun analyze = CliRun.of("analyze", series[0], "--source-root", tmp.resolve("nowhere").toString());
        assertThat(analyze.exit()).isEqualTo(2);
        assertThat(analyze.err().strip()).isEqualTo("leakhound: --source-root " + tmp.resolve("nowhere") + ": no such directory");
    }

    @Test
    void aMalformedMapIsOneWarningAndThePositionInTheScript() throws IOException {
        Path checkout = tmp.resolve("broken");
        Path copy = copy(app, checkout.resolve("app"));
        Files.writeString(copy.resolve("dist/sessions.js.map"), "{\"version\":3,\"sources\":[\"a.ts\"],\"mappings\":\"AAAA;;#\"}");
        CliRun ok = CliRun.of(args("--json", "--no-index"));
        CliRun r = CliRun.of(args("--json", "--no-index", "--source-root", checkout.toString()));
        assertThat(r.exit()).isEqualTo(ok.exit());
        Matcher m = firstLocation(r.out());
        assertThat(m.group(1)).isEqualTo(app.resolve("dist/sessions.js").toString());
        assertThat(m.group(5)).isNull();
        List<String> warnings = r.err().lines().filter(l -> l.contains("warning")).toList();
        assertThat(warnings).containsExactly("leakhound: warning: " + app.resolve("dist/sessions.js")
                + ": malformed source map: '#' is not base64 in \"mappings\" at character 6 (" + copy.resolve("dist/sessions.js.map")
                + "); its positions are shown as they are in the script");
    }

    @Test
    void huntOnTheMinifiedBundleNamesTheOriginalLine() throws IOException {
        Path bundle = copy(CliRun.root().resolve("examples/bundled-service"), tmp.resolve("bundle/app"));
        CliRun r = CliRun.of("hunt", "--interval", "2", "--json", "--no-index", "--",
                "node", bundle.resolve("dist/service.min.js").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"verdict\" : \"leak\"");
        Matcher m = firstLocation(r.out());
        assertThat(m.group(1)).isEqualTo(bundle.resolve("src/metrics.js").toString());
        assertThat(Integer.parseInt(m.group(2))).isEqualTo(lineOf(bundle.resolve("src/metrics.js"), "leak:constructor"));
        assertThat(m.group(5)).isEqualTo(bundle.resolve("dist/service.min.js").toString());
        assertThat(m.group(6)).isEqualTo("1");
    }
}
