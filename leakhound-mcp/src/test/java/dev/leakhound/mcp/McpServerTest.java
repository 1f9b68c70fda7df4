package dev.leakhound.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server end to end: a child JVM driven by the MCP SDK's client over stdio, on the fixture snapshots
 * (testdata/) and on a series of snapshots of a leaking example (examples/memoize-cache.js under the
 * examples' series harness).
 */
class McpServerTest {
    static Path root() {
        return Path.of(System.getProperty("leakhound.root", "..")).toAbsolutePath().normalize();
    }

    static String fixture(String name) {
        return root().resolve("testdata/snapshots").resolve(name).toString();
    }

    @TempDir
    static Path tmp;
    static McpProcess mcp;
    static List<String> series;

    @BeforeAll
    static void start() throws Exception {
        mcp = McpProcess.start(LeakhoundMcpServer.class.getName());
        series = takeSeries("memoize-cache.js", tmp.resolve("series"), 3);
    }

    @AfterAll
    static void stop() {
        if (mcp != null) {
            mcp.close();
        }
    }

    /** {@code count} snapshots of an example, 1.5 s apart, by the examples' harness. */
    static List<String> takeSeries(String example, Path dir, int count) throws Exception {
        Path examples = root().resolve("examples");
        ProcessBuilder pb = new ProcessBuilder("node", "--expose-gc", "-r", examples.resolve("harness/series.js").toString(),
                examples.resolve(example).toString());
        pb.environment().put("LEAKHOUND_SERIES_DIR", dir.toString());
        pb.environment().put("LEAKHOUND_SERIES_COUNT", Integer.toString(count));
        pb.environment().put("LEAKHOUND_SERIES_INTERVAL_MS", "1500");
        pb.environment().put("LEAKHOUND_SERIES_WARMUP_MS", "1000");
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
        for (int i = 1; i <= count; i++) {
            Path s = dir.resolve("s" + i + ".heapsnapshot");
            assertThat(s).as(Files.readString(dir.resolve("output.txt"), StandardCharsets.UTF_8)).exists();
            files.add(s.toString());
        }
        return files;
    }

    @Test
    void listsItsToolsWithSchemas() {
        List<McpSchema.Tool> tools = mcp.client.listTools().tools();
        Set<String> names = new TreeSet<>();
        for (McpSchema.Tool t : tools) {
            names.add(t.name());
            assertThat(t.description()).as(t.name()).isNotBlank();
            assertThat(t.inputSchema().get("type")).isEqualTo("object");
        }
        assertThat(names).containsExactlyInAnyOrder("info", "summary", "largest", "diagnosis", "find_leaks", "diff",
                "path", "inspect", "dominators", "search", "snapshot", "hunt");
        McpSchema.Tool summary = tools.stream().filter(t -> t.name().equals("summary")).findFirst().orElseThrow();
        assertThat(summary.inputSchema().get("required")).isEqualTo(List.of("file"));
        assertThat(new TreeSet<Object>(((java.util.Map<?, ?>) summary.inputSchema().get("properties")).keySet()))
                .isEqualTo(new TreeSet<Object>(List.of("class", "file", "limit")));
    }

    @Test
    void infoReadsOnceAndNamesTheNodeVersion() {
        JsonNode a = mcp.call("info", "file", fixture("node20.heapsnapshot.gz"));
        assertThat(a.get("nodes").asLong()).isEqualTo(39745);
        assertThat(a.get("edges").asLong()).isEqualTo(180272);
        assertThat(a.get("nodeVersion").asText()).isEqualTo("v20.20.2");
        assertThat(a.get("fileBytes").asLong()).isEqualTo(817072);
        // the second call is answered from the cache: the same read, with the same reading time
        JsonNode b = mcp.call("info", "file", fixture("node20.heapsnapshot.gz"));
        assertThat(b).isEqualTo(a);
        assertThat(mcp.call("info", "file", fixture("node14.heapsnapshot.gz")).get("nodeVersion").asText()).isEqualTo("v14.21.3");
    }

    @Test
    void summaryIsBoundedAndSaysWhatItLeftOut() {
        JsonNode s = mcp.call("summary", "file", fixture("node22.heapsnapshot.gz"), "limit", 5);
        int classCount = s.get("classCount").asInt();
        assertThat(s.get("classes")).hasSize(5);
        assertThat(s.get("classesOmitted").get("classes").asInt()).isEqualTo(classCount - 5);
        long shown = 0;
        for (JsonNode c : s.get("classes")) {
            shown += c.get("count").asLong();
        }
        assertThat(shown + s.get("classesOmitted").get("count").asLong()).as("every counted object, shown or omitted")
                .isEqualTo(sumCounts(mcp.call("summary", "file", fixture("node22.heapsnapshot.gz"), "limit", 200), classCount));
        JsonNode f = mcp.call("summary", "file", fixture("node22.heapsnapshot.gz"), "class", "fixtureitem");
        assertThat(f.get("classes")).hasSize(1);
        assertThat(f.get("classes").get(0).get("name").asText()).isEqualTo("FixtureItem");
        assertThat(f.get("classes").get(0).get("count").asLong()).isEqualTo(100);
        assertThat(f.get("allClassCount").asInt()).isEqualTo(classCount);
    }

    private static long sumCounts(JsonNode s, int classCount) {
        long sum = 0;
        for (JsonNode c : s.get("classes")) {
            sum += c.get("count").asLong();
        }
        if (classCount > 200) {
            sum += s.get("classesOmitted").get("count").asLong();
        }
        return sum;
    }

    @Test
    void drillsFromTheLargestObjectsToPathsInspectAndDominators() {
        String file = fixture("node24.heapsnapshot.gz");
        JsonNode largest = mcp.call("largest", "file", file, "limit", 3);
        assertThat(largest.get("largest")).hasSize(3);
        JsonNode first = largest.get("largest").get(0);
        long id = first.get("id").asLong();
        JsonNode path = mcp.call("path", "file", file, "id", id, "limit", 2);
        assertThat(path.get("id").asLong()).isEqualTo(id);
        assertThat(path.get("paths").size()).isBetween(1, 2);
        JsonNode inspect = mcp.call("inspect", "file", file, "id", "@" + id, "limit", 5);
        assertThat(inspect.get("retainedBytes").asLong()).isEqualTo(first.get("retainedBytes").asLong());
        assertThat(inspect.get("edges").size()).isLessThanOrEqualTo(5);
        assertThat(inspect.get("edgeCount").asInt()).isGreaterThanOrEqualTo(inspect.get("edges").size());
        JsonNode dom = mcp.call("dominators", "file", file, "id", id, "depth", 1, "limit", 4);
        assertThat(dom.get("root").get("id").asLong()).isEqualTo(id);
        assertThat(dom.get("root").get("retainedBytes").asLong()).isEqualTo(first.get("retainedBytes").asLong());
        JsonNode top = mcp.call("dominators", "file", file);
        assertThat(top.get("root").get("retainedBytes").asLong()).isEqualTo(top.get("totalBytes").asLong());
        assertThat(top.get("root").get("children").size()).isLessThanOrEqualTo(10);
    }

    @Test
    void searchFindsObjectsByClassAndByString() {
        String file = fixture("node20.heapsnapshot.gz");
        JsonNode items = mcp.call("search", "file", file, "class", "FixtureItem", "limit", 7);
        assertThat(items.get("matched").asLong()).isEqualTo(100);
        assertThat(items.get("objects")).hasSize(7);
        assertThat(items.get("omitted").asLong()).isEqualTo(93);
        assertThat(items.get("classes").get(0).asText()).isEqualTo("FixtureItem");
        JsonNode secret = mcp.call("search", "file", file, "string", "fixture-captured-secret");
        assertThat(secret.get("matched").asLong()).isGreaterThanOrEqualTo(1);
        long id = secret.get("objects").get(0).get("id").asLong();
        JsonNode path = mcp.call("path", "file", file, "id", id);
        assertThat(path.get("paths").get(0).get("text").asText()).contains("capturedSecret");
    }

    @Test
    void diagnosisFindLeaksAndDiffOnALeakingExample() {
        JsonNode d = mcp.call("diagnosis", "file", series.get(2), "limit", 3);
        assertThat(d.get("diagnosis").get("healthy").isBoolean()).isTrue();
        assertThat(d.get("diagnosis").get("findings").size()).isLessThanOrEqualTo(3);
        JsonNode leaks = mcp.call("find_leaks", "files", series);
        assertThat(leaks.get("verdict").asText()).isEqualTo("leak");
        assertThat(leaks.get("leaks").get(0).get("leakedClass").asText()).isEqualTo("RenderedFragment");
        JsonNode diff = mcp.call("diff", "before", series.get(0), "after", series.get(2), "limit", 3);
        assertThat(diff.get("classes")).hasSize(3);
        assertThat(diff.get("ids").get("sameProcess").asBoolean()).isTrue();
        boolean found = false;
        for (JsonNode c : mcp.call("diff", "before", series.get(0), "after", series.get(2), "limit", 200).get("classes")) {
            if (c.get("name").asText().equals("RenderedFragment")) {
                found = c.get("newCount").asLong() > 0;
            }
        }
        assertThat(found).as("RenderedFragment objects were allocated between the snapshots").isTrue();
    }

    @Test
    void badArgumentsAreToolErrorsAndTheServerStaysUp() throws Exception {
        String file = fixture("node20.heapsnapshot.gz");
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "not a heap snapshot\n");
        assertThat(mcp.error("info", "file", tmp.resolve("missing.heapsnapshot").toString())).startsWith("no such file: ");
        assertThat(mcp.error("info", "file", text.toString())).contains(text.toString()).doesNotContain("\n");
        assertThat(mcp.error("info", "file", tmp.toString())).endsWith("is not a file");
        assertThat(mcp.error("info")).isEqualTo("info: argument file is required");
        assertThat(mcp.error("info", "file", 42)).isEqualTo("info: file must be a string, got 42");
        assertThat(mcp.error("path", "file", file, "id", 4_000_000_001L)).isEqualTo("no object @4000000001 in " + file);
        assertThat(mcp.error("path", "file", file, "id", "xyz")).contains("must be an object id");
        assertThat(mcp.error("summary", "file", file, "limit", 1_000_000))
                .isEqualTo("summary: limit must be between 1 and 200, got 1000000");
        assertThat(mcp.error("summary", "file", file, "limit", "ten")).isEqualTo("summary: limit must be a whole number, got \"ten\"");
        assertThat(mcp.error("summary", "file", file, "limit", 2.5)).contains("whole number");
        assertThat(mcp.error("summary", "file", file, "top", 5)).startsWith("summary: unknown argument top");
        assertThat(mcp.error("dominators", "file", file, "depth", 10, "limit", 50)).contains("more than 2000 objects");
        assertThat(mcp.error("search", "file", file)).contains("exactly one");
        assertThat(mcp.error("find_leaks", "files", List.of(file))).contains("2 to 10 files");
        assertThat(mcp.error("find_leaks", "files", file)).contains("must be an array");
        assertThat(mcp.error("diff", "before", fixture("node20.heapsnapshot.gz"), "after", fixture("node22.heapsnapshot.gz")))
                .doesNotContain("\n");
        assertThat(mcp.error("snapshot")).isEqualTo("give either pid or inspector (the process to reach)");
        assertThat(mcp.error("snapshot", "inspector", "192.0.2.1:9229")).contains("not a loopback address");
        // still up, and still answering from the cache
        assertThat(mcp.call("info", "file", file).get("nodes").asLong()).isEqualTo(39745);
        assertThat(mcp.stderr).noneMatch(l -> l.contains("SLF4J"));
    }
}
