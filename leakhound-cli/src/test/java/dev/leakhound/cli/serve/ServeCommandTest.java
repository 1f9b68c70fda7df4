package dev.leakhound.cli.serve;

import dev.leakhound.cli.Cli;
import dev.leakhound.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code leakhound serve} as a user runs it: a separate JVM that opens the snapshot, prints the URL with
 * its token, answers on 127.0.0.1 only, and on SIGTERM (what Ctrl-C's shutdown runs) stops and leaves
 * nothing listening; and its one-line errors for bad arguments.
 */
class ServeCommandTest {
    @TempDir
    Path dir;

    static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/\\?token=([A-Za-z0-9_-]{43})");

    @Test
    void printsTheUrlServesAndStopsOnSigterm() throws Exception {
        Path snap = ServeFixture.hostileSeries(dir.resolve("s"), 1, 200).get(0);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--index-dir", dir.resolve("idx").toString(), snap.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("err.txt").toFile()).start();
        try {
            Matcher m = null;
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    Matcher x = URL.matcher(line);
                    if (x.find()) {
                        m = x;
                        break;
                    }
                }
                assertThat(m).as("the URL in " + lines).isNotNull();
                int port = Integer.parseInt(m.group(1));
                String token = m.group(2);
                ServeFixture.Answer a = ServeFixture.request(port, "GET", "/api/snapshots",
                        Map.of(ServeServer.TOKEN_HEADER, token));
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.json().get("snapshots").get(0).get("name").asText()).isEqualTo("s1.heapsnapshot");
                assertThat(ServeFixture.request(port, "GET", "/api/snapshots", Map.of()).status()).isEqualTo(401);
                // the views' first uses are prepared in the background
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!ServeFixture.request(port, "GET", "/api/snapshots", Map.of(ServeServer.TOKEN_HEADER, token)).json()
                        .get("warm").asBoolean()) {
                    assertThat(System.nanoTime()).as("warm within 60 s").isLessThan(deadline);
                    Thread.sleep(20);   // poll interval, not a timing assumption
                }
                p.destroy();   // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void openWithoutABrowserSaysSoInOneLineAndKeepsServing() throws Exception {
        Path snap = ServeFixture.hostileSeries(dir.resolve("s"), 1, 200).get(0);
        Path emptyBin = Files.createDirectories(dir.resolve("bin"));   // a PATH with no xdg-open
        Path errFile = dir.resolve("err.txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--open", "--index-dir", dir.resolve("idx").toString(), snap.toString())
                .redirectError(errFile.toFile());
        pb.environment().put("PATH", emptyBin.toString());
        Process p = pb.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            Matcher m = null;
            String line;
            while (m == null && (line = r.readLine()) != null) {
                Matcher x = URL.matcher(line);
                m = x.find() ? x : null;
            }
            assertThat(m).as("the URL").isNotNull();
            int port = Integer.parseInt(m.group(1));
            String token = m.group(2);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String err = Files.readString(errFile);
            while (!err.contains("no browser opened")) {
                assertThat(System.nanoTime()).as("the notice within 30 s; stderr: " + err).isLessThan(deadline);
                Thread.sleep(20);   // poll interval, not a timing assumption
                err = Files.readString(errFile);
            }
            List<String> notice = err.lines().filter(l -> l.contains("no browser opened")).toList();
            assertThat(notice).hasSize(1);
            assertThat(notice.get(0)).isEqualTo("leakhound serve: no browser opened (xdg-open not found); open the URL above,"
                    + " the server keeps running");
            assertThat(err).doesNotContain("Exception");
            assertThat(p.isAlive()).isTrue();
            assertThat(ServeFixture.request(port, "GET", "/api/snapshots", Map.of(ServeServer.TOKEN_HEADER, token)).status())
                    .isEqualTo(200);
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    record Run(int exit, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void badArgumentsAreOneLineErrors() throws IOException {
        Run missing = cli("serve", "--no-index", dir.resolve("missing.heapsnapshot").toString());
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).startsWith("leakhound: ").contains("missing.heapsnapshot").doesNotContain("Exception");
        assertThat(missing.err().strip().lines().count()).isEqualTo(1);
        Run port = cli("serve", "--port", "70000", dir.resolve("x").toString());
        assertThat(port.exit()).isNotZero();
        assertThat(port.err()).contains("--port must be between 0 and 65535");
        Run none = cli("serve");
        assertThat(none.exit()).isNotZero();
        assertThat(none.err()).contains("FILE");
        Run help = cli("serve", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--port", "--open", "--allow-remote", "token");
    }
}
