package dev.leakhound.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A leakhound MCP server in a child JVM (this test's classpath), driven by the MCP SDK's own client over
 * stdio, as an MCP client application drives it.
 */
final class McpProcess implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        LeakhoundMcpServer.quietLogging();   // the SDK client's own logging in this JVM: warnings only
    }

    final McpSyncClient client;
    final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

    private McpProcess(McpSyncClient client) {
        this.client = client;
    }

    /** Starts {@code java -cp <classpath> mainClass args...} and initializes the session. */
    static McpProcess start(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(java).args(cmd).build(),
                McpJsonDefaults.getMapper());
        McpProcess[] self = new McpProcess[1];
        List<String> early = Collections.synchronizedList(new ArrayList<>());
        transport.setStdErrorHandler(line -> (self[0] == null ? early : self[0].stderr).add(line));
        McpSyncClient c = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120))
                .initializationTimeout(Duration.ofSeconds(60)).build();
        McpProcess p = new McpProcess(c);
        self[0] = p;
        p.stderr.addAll(early);
        c.initialize();
        return p;
    }

    /** A call that must succeed: its JSON answer. */
    JsonNode call(String tool, Object... keyValues) {
        McpSchema.CallToolResult r = raw(tool, keyValues);
        String text = text(r);
        if (Boolean.TRUE.equals(r.isError())) {
            throw new AssertionError(tool + " failed: " + text);
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A call that must fail: its one-line message. */
    String error(String tool, Object... keyValues) {
        McpSchema.CallToolResult r = raw(tool, keyValues);
        String text = text(r);
        if (!Boolean.TRUE.equals(r.isError())) {
            throw new AssertionError(tool + " should have failed, answered " + text);
        }
        return text;
    }

    McpSchema.CallToolResult raw(String tool, Object... keyValues) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            args.put((String) keyValues[i], keyValues[i + 1]);
        }
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    private static String text(McpSchema.CallToolResult r) {
        if (r.content().size() != 1 || !(r.content().get(0) instanceof McpSchema.TextContent t)) {
            throw new AssertionError("expected one text content, got " + r.content());
        }
        return t.text();
    }

    @Override
    public void close() {
        client.closeGracefully();
    }
}
