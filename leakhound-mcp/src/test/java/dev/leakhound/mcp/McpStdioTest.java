package dev.leakhound.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** stdout is the protocol channel: every line the server writes there is a JSON-RPC message, and nothing else. */
class McpStdioTest {
    @Test
    void stdoutCarriesOnlyJsonRpcAndTheServerEndsWithItsInput() throws Exception {
        String file = Path.of(System.getProperty("leakhound.root", "..")).toAbsolutePath().normalize()
                .resolve("testdata/snapshots/node18.heapsnapshot.gz").toString();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = Files.createTempFile("mcp-stderr", ".txt");
        Process p = new ProcessBuilder(javaBin, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                LeakhoundMcpServer.class.getName()).redirectError(stderr.toFile()).start();
        String quoted = McpProcess.JSON.writeValueAsString(file);
        try (OutputStream in = p.getOutputStream()) {
            for (String m : List.of(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2024-11-05\","
                            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"info\",\"arguments\":{\"file\":" + quoted + "}}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"inspect\",\"arguments\":{\"file\":" + quoted + ",\"id\":-1}}}")) {
                in.write((m + "\n").getBytes(StandardCharsets.UTF_8));
            }
            in.flush();
            // wait for the answers before closing stdin: the server ends when its input does
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Set<Integer> answered = new TreeSet<>();
            StringBuilder all = new StringBuilder();
            while (answered.size() < 4) {
                String line = r.readLine();
                assertThat(line).as("stdout so far:\n" + all).isNotNull();
                all.append(line).append('\n');
                JsonNode msg = McpProcess.JSON.readTree(line);
                assertThat(msg.get("jsonrpc").asText()).isEqualTo("2.0");
                answered.add(msg.get("id").asInt());
                if (msg.get("id").asInt() == 4) {
                    assertThat(msg.get("result").get("isError").asBoolean()).isTrue();
                }
            }
            in.close();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the server ends when stdin closes").isTrue();
            assertThat(r.readLine()).isNull();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(stderr)).as("nothing on stderr either: no logging notices").isEmpty();
        Files.delete(stderr);
    }
}
