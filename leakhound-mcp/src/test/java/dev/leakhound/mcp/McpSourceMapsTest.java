package dev.leakhound.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP server maps source positions through the scripts' source maps as the CLI does: find_leaks and inspect on
 * a series of examples/ts-service (TypeScript compiled by tsc, maps beside the scripts) name the {@code .ts} line the
 * source marks {@code leak:constructor}, with the position in the compiled script kept as {@code generated}. A
 * malformed map is one warning on the server's stderr (stdout is the protocol: the calls keep working), and those
 * positions are the compiled script's.
 */
class McpSourceMapsTest {
    @TempDir
    static Path tmp;

    static McpProcess mcp;
    static Path app;
    static Path broken;
    static List<String> series;
    static List<String> brokenSeries;

    @BeforeAll
    static void start() throws Exception {
        Path examples = McpServerTest.root().resolve("examples");
        app = copy(examples.resolve("ts-service"), tmp.resolve("ok/app"));
        broken = copy(examples.resolve("ts-service"), tmp.resolve("broken/app"));
        Files.writeString(broken.resolve("dist/sessions.js.map"), "{\"version\":3,\"sources\":[\"a.ts\"],\"mappings\":\"AAAA;;#\"}");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<String>> a = pool.submit(() -> series(app, tmp.resolve("ok/series")));
            Future<List<String>> b = pool.submit(() -> series(broken, tmp.resolve("broken/series")));
            series = a.get(3, TimeUnit.MINUTES);
            brokenSeries = b.get(3, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        mcp = McpProcess.start(LeakhoundMcpServer.class.getName());
    }

    @AfterAll
    static void stop() {
        if (mcp != null) {
            mcp.close();
        }
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

    /** Three snapshots of the compiled service ({@code dist/server.js}), by the examples' series harness. */
    static List<String> series(Path app, Path dir) throws Exception {
        Path harness = McpServerTest.root().resolve("examples/harness/series.js");
        ProcessBuilder pb = new ProcessBuilder("node", "--expose-gc", "-r", harness.toString(), app.resolve("dist/server.js").toString());
        pb.environment().put("LEAKHOUND_SERIES_DIR", dir.toString());
        pb.environment().put("LEAKHOUND_SERIES_COUNT", "3");
        pb.environment().put("LEAKHOUND_SERIES_INTERVAL_MS", "2000");
        pb.redirectErrorStream(true);
        Files.createDirectories(dir);
        pb.redirectOutput(dir.resolve("output.txt").toFile());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the series finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        List<String> files = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path s = dir.resolve("s" + i + ".heapsnapshot");
            assertThat(s).as(Files.readString(dir.resolve("output.txt"), StandardCharsets.UTF_8)).exists();
            files.add(s.toString());
        }
        return files;
    }

    /** The 1-based number of the first line of {@code file} containing {@code text}. */
    static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    /** The leak of SessionRecord objects in a find_leaks answer. */
    static JsonNode sessionLeak(JsonNode answer) {
        for (JsonNode l : answer.get("leaks")) {
            if ("SessionRecord".equals(l.path("leakedClass").asText())) {
                return l;
            }
        }
        throw new AssertionError("no SessionRecord leak in " + answer);
    }

    @Test
    void findLeaksAndInspectNameTheTypeScriptLine() throws IOException {
        int marked = lineOf(app.resolve("src/sessions.ts"), "leak:constructor");
        JsonNode answer = mcp.call("find_leaks", "files", series);
        assertThat(answer.get("verdict").asText()).isEqualTo("leak");
        JsonNode leak = sessionLeak(answer);
        JsonNode loc = leak.get("location");
        assertThat(loc.get("file").asText()).isEqualTo(app.resolve("src/sessions.ts").toString());
        assertThat(loc.get("line").asInt()).isEqualTo(marked);
        // the position in the script that ran: the constructor in dist/sessions.js, as V8 recorded it
        assertThat(loc.get("generated").get("file").asText()).isEqualTo(app.resolve("dist/sessions.js").toString());
        assertThat(loc.get("generated").get("line").asInt()).isEqualTo(lineOf(app.resolve("dist/sessions.js"), "constructor("));

        // one of the leaked objects, by the id at the end of the leak's path: its source is the .ts line too
        JsonNode path = leak.get("path");
        long id = path.get(path.size() - 1).get("id").asLong();
        JsonNode obj = mcp.call("inspect", "file", series.get(2), "id", id, "limit", 5, "retainers", 2);
        assertThat(obj.get("location").get("file").asText()).isEqualTo(app.resolve("src/sessions.ts").toString());
        assertThat(obj.get("location").get("line").asInt()).isEqualTo(marked);
        assertThat(obj.get("location").get("generated").get("file").asText()).isEqualTo(app.resolve("dist/sessions.js").toString());
        assertThat(mcp.stderr).noneMatch(l -> l.contains(app.toString()));
    }

    @Test
    void aMalformedMapIsOneWarningOnStderrAndTheScriptsPosition() throws IOException {
        for (int i = 0; i < 2; i++) {   // asked twice: still one warning
            JsonNode leak = sessionLeak(mcp.call("find_leaks", "files", brokenSeries));
            JsonNode loc = leak.get("location");
            assertThat(loc.get("file").asText()).isEqualTo(broken.resolve("dist/sessions.js").toString());
            assertThat(loc.get("line").asInt()).isEqualTo(lineOf(broken.resolve("dist/sessions.js"), "constructor("));
            assertThat(loc.has("generated")).isFalse();
        }
        List<String> warnings = mcp.stderr.stream().filter(l -> l.contains(broken.toString())).toList();
        assertThat(warnings).containsExactly("leakhound: warning: " + broken.resolve("dist/sessions.js")
                + ": malformed source map: '#' is not base64 in \"mappings\" at character 6 ("
                + broken.resolve("dist/sessions.js.map") + "); its positions are shown as they are in the script");
    }
}
