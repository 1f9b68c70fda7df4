package dev.leakhound.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code leakhound mcp} as a client starts it ({@code java -cp ... dev.leakhound.cli.Main mcp}), driven by the
 * MCP SDK's client: its answers carry the numbers the CLI's --json prints for the same file.
 */
class McpCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static McpSyncClient client;

    @BeforeAll
    static void start() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StdioClientTransport t = new StdioClientTransport(ServerParameters.builder(javaBin)
                .args("-Xmx1g", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "mcp",
                        "--max-snapshots", "2")
                .build(), McpJsonDefaults.getMapper());
        client = McpClient.sync(t).requestTimeout(Duration.ofSeconds(120)).build();
        client.initialize();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.closeGracefully();
        }
    }

    static JsonNode call(String tool, Object... kv) throws Exception {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            args.put((String) kv[i], kv[i + 1]);
        }
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args));
        String text = ((McpSchema.TextContent) r.content().get(0)).text();
        assertThat(r.isError()).as(text).isFalse();
        return JSON.readTree(text);
    }

    static JsonNode cli(String... args) throws Exception {
        CliRun run = CliRun.of(args);
        assertThat(run.exit()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    @Test
    void summaryLargestAndDiagnosisAreAnalyzesNumbers() throws Exception {
        String file = CliRun.fixture("node24.heapsnapshot.gz").toString();
        JsonNode cli = cli("analyze", file, "--json");
        JsonNode summary = call("summary", "file", file, "limit", 200);
        for (String f : List.of("nodes", "edges", "totalBytes", "unreachableNodes", "statistics", "classCount")) {
            assertThat(summary.get(f)).as(f).isEqualTo(cli.get(f));
        }
        int shown = Math.min(200, cli.get("classCount").asInt());
        assertThat(summary.get("classes")).hasSize(shown);
        for (int i = 0; i < shown; i++) {
            assertThat(summary.get("classes").get(i)).as("class row " + i).isEqualTo(cli.get("classes").get(i));
        }
        JsonNode largest = call("largest", "file", file, "limit", 20).get("largest");
        assertThat(largest).hasSize(cli.get("largest").size());
        for (int i = 0; i < largest.size(); i++) {
            JsonNode m = largest.get(i);
            JsonNode c = cli.get("largest").get(i);
            for (String f : List.of("id", "class", "shallowBytes", "retainedBytes", "distance", "location")) {
                assertThat(m.get(f)).as("largest " + i + " " + f).isEqualTo(c.get(f));
            }
        }
        JsonNode diagnosis = call("diagnosis", "file", file).get("diagnosis");
        JsonNode cd = cli.get("diagnosis");
        assertThat(diagnosis.get("healthy")).isEqualTo(cd.get("healthy"));
        assertThat(diagnosis.get("suspects").size()).isEqualTo(cd.get("suspects").size());
        assertThat(diagnosis.get("findings").size()).isEqualTo(cd.get("findings").size());
        for (int i = 0; i < cd.get("findings").size(); i++) {
            for (String f : List.of("kind", "bytes", "count", "id")) {
                assertThat(diagnosis.get("findings").get(i).get(f)).isEqualTo(cd.get("findings").get(i).get(f));
            }
        }
    }

    @Test
    void pathInspectAndDominatorsAreTheCommandsNumbers() throws Exception {
        String file = CliRun.fixture("node22.heapsnapshot.gz").toString();
        JsonNode items = call("search", "file", file, "class", "FixtureItem", "limit", 1);
        long id = items.get("objects").get(0).get("id").asLong();
        JsonNode cliPaths = cli("path", file, "@" + id, "--json", "-k", "3");
        JsonNode paths = call("path", "file", file, "id", id, "limit", 3);
        assertThat(paths.get("distance")).isEqualTo(cliPaths.get("distance"));
        assertThat(paths.get("paths")).isEqualTo(cliPaths.get("paths"));
        JsonNode cliInspect = cli("inspect", file, "@" + id, "--json", "--edges", "30");
        JsonNode inspect = call("inspect", "file", file, "id", id);
        for (String f : List.of("class", "shallowBytes", "retainedBytes", "distance", "dominator", "edgeCount", "edges",
                "retainerCount", "retainers")) {
            assertThat(inspect.get(f)).as(f).isEqualTo(cliInspect.get(f));
        }
        JsonNode cliDom = cli("dominators", file, "--json", "--depth", "2", "--top", "5");
        JsonNode dom = call("dominators", "file", file, "depth", 2, "limit", 5);
        assertThat(dom.get("totalBytes")).isEqualTo(cliDom.get("totalBytes"));
        assertThat(dom.get("root")).isEqualTo(cliDom.get("root"));
    }

    @Test
    void badOptionsAreOneLineErrors() {
        CliRun r = CliRun.of("mcp", "--max-snapshots", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("leakhound: --max-snapshots must be between 1 and 100");
        assertThat(r.out()).isEmpty();
        Path nowhere = Path.of(System.getProperty("java.io.tmpdir"), "leakhound-no-such-source-root");
        CliRun root = CliRun.of("mcp", "--source-root", nowhere.toString());
        assertThat(root.exit()).isEqualTo(2);
        assertThat(root.err().strip()).isEqualTo("leakhound: --source-root " + nowhere + ": no such directory");
        assertThat(root.out()).isEmpty();
    }
}
