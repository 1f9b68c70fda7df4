package dev.leakhound.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live tools on a real node process whose inspector listens on a free loopback port: snapshot by the
 * inspector's ws:// URL (then read by info), and hunt on a process that leaks.
 */
class McpLiveTest {
    /** Keeps 20 more Leaky objects (about 150 bytes each) every 10 ms. */
    static final String LEAKY = "class Leaky { constructor(i) { this.i = i; this.note = 'x'.repeat(100) + i; } }\n"
            + "globalThis.kept = []; let n = 0;\n"
            + "setInterval(() => { for (let k = 0; k < 20; k++) kept.push(new Leaky(n++)); }, 10);\n";

    @TempDir
    static Path tmp;
    static Process node;
    static String wsUrl;
    static McpProcess mcp;

    @BeforeAll
    static void start() throws Exception {
        Path script = tmp.resolve("leaky.js");
        Files.writeString(script, LEAKY);
        node = new ProcessBuilder("node", "--inspect=127.0.0.1:0", script.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("Debugger listening on (ws://127\\.0\\.0\\.1:\\d+/\\S+)");
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                wsUrl = m.group(1);
                break;
            }
        }
        assertThat(wsUrl).as("node announced its inspector").isNotNull();
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // node's output, unread
                }
            } catch (java.io.IOException ignored) {
                // node ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        mcp = McpProcess.start(LeakhoundMcpServer.class.getName());
    }

    @AfterAll
    static void stop() throws Exception {
        if (mcp != null) {
            mcp.close();
        }
        if (node != null) {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void snapshotWritesAnOwnerOnlyFileTheOtherToolsRead() throws Exception {
        Path out = tmp.resolve("live.heapsnapshot");
        JsonNode s = mcp.call("snapshot", "inspector", wsUrl, "output", out.toString());
        assertThat(s.get("file").asText()).isEqualTo(out.toString());
        assertThat(s.get("pid").asLong()).isEqualTo(node.pid());
        assertThat(s.get("kept").asBoolean()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        JsonNode info = mcp.call("info", "file", out.toString());
        assertThat(info.get("nodes").asLong()).isEqualTo(s.get("nodes").asLong());
        assertThat(info.get("nodeVersion").asText()).isEqualTo(s.get("nodeVersion").asText());
        // without an output: into the server's private folder
        JsonNode t = mcp.call("snapshot", "inspector", wsUrl.replace("ws://", "").replaceAll("/.*", ""), "gc", false);
        assertThat(t.get("kept").asBoolean()).isFalse();
        Path file = Path.of(t.get("file").asText());
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(mcp.error("snapshot", "inspector", wsUrl, "output", out.toString())).contains("exists");
    }

    @Test
    void huntFindsTheLeak() {
        Path keep = tmp.resolve("hunt");
        JsonNode h = mcp.call("hunt", "inspector", wsUrl, "snapshots", 3, "interval", 1, "warmup", 0.5,
                "keep", keep.toString(), "limit", 2);
        assertThat(h.get("verdict").asText()).isEqualTo("leak");
        assertThat(h.get("leaks").size()).isBetween(1, 2);
        assertThat(h.get("leaks").get(0).get("leakedClass").asText()).isEqualTo("Leaky");
        assertThat(keep.resolve("s3.heapsnapshot")).exists();
        assertThat(h.get("kept").asBoolean()).isTrue();
    }
}
