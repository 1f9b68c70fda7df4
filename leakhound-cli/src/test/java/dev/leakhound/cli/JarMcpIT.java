package dev.leakhound.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runnable jar as shipped (shaded, after {@code package}) serves MCP: its dependencies, the MCP SDK's
 * JSON-schema validator included, are in it. The in-process tests run on the build's class path, which would
 * not notice a dependency the shaded jar lacks.
 */
class JarMcpIT {
    @Test
    void theShippedJarAnswersInitializeAndToolsList() throws Exception {
        Path jar = CliRun.root().resolve("leakhound-cli/target/leakhound.jar");
        assertThat(jar).exists();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = Files.createTempFile("jar-mcp", ".txt");
        Process p = new ProcessBuilder(javaBin, "-Xmx256m", "-jar", jar.toString(), "mcp", "--no-index")
                .redirectError(stderr.toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2024-11-05\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = r.readLine();
            String second = r.readLine();
            assertThat(first).as("stderr: " + Files.readString(stderr)).isNotNull().contains("\"id\":1").contains("\"result\"");
            assertThat(second).as("stderr: " + Files.readString(stderr)).isNotNull().contains("\"id\":2")
                    .contains("\"find_leaks\"").contains("\"inspect\"");
        } finally {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("ends when its input closes").isTrue();
            p.destroyForcibly();
            Files.deleteIfExists(stderr);
        }
    }
}
