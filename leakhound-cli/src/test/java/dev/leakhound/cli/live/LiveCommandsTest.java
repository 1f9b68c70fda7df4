package dev.leakhound.cli.live;

import dev.leakhound.cli.Cli;
import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The snapshot and watch commands end to end through the CLI entry point, against real node processes. */
class LiveCommandsTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(rc, out.toString(), err.toString());
    }

    private static String target(String name) {
        String root = System.getProperty("leakhound.root", "..");
        return Path.of(root, "leakhound-inspector/src/test/resources/targets", name).toString();
    }

    @Test
    void snapshotOfALaunchedCommand() throws Exception {
        Path out = dir.resolve("x.heapsnapshot");
        Run r = run("snapshot", "-o", out.toString(), "--gc", "--", "node", target("idle.js"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches("wrote " + java.util.regex.Pattern.quote(out.toString())
                + ": [0-9.]+ MB, [0-9,]+ nodes, [0-9,]+ edges; target paused [0-9.]+ s \\(\\+ [0-9.]+ s full GC before\\)\\R");
        assertThat(r.err()).contains("leakhound: started `node ", "the target's JavaScript is paused until it is fully written");
        assertThat(Files.size(out)).isGreaterThan(1_000_000);
    }

    /** B2: nothing after {@code --} belongs to leakhound, {@code --debug} included. */
    @Test
    void argumentsAfterTheDoubleDashAllGoToTheCommand() throws Exception {
        Path seen = dir.resolve("argv.json");
        Path script = dir.resolve("argv.js");
        Files.writeString(script, "require('fs').writeFileSync(process.argv[2], JSON.stringify(process.argv.slice(3)));\n"
                + "setInterval(() => {}, 1000);\n");
        // the capture fails (no such directory) once the command runs: one line, no stack trace, unless
        // leakhound itself was given --debug
        Path nowhere = dir.resolve("no/such/dir/x.heapsnapshot");
        Run r = run("snapshot", "-o", nowhere.toString(), "--", "node", script.toString(), seen.toString(), "--debug", "--verbose");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(Json.parse(Files.readString(seen))).isEqualTo(List.of("--debug", "--verbose"));
        assertThat(r.err()).contains("leakhound: cannot write " + nowhere).doesNotContain("\tat dev.leakhound");

        Run debug = run("snapshot", "--debug", "-o", nowhere.toString(), "--", "node", script.toString(), seen.toString(), "--verbose");
        assertThat(debug.exit()).isEqualTo(2);
        assertThat(Json.parse(Files.readString(seen))).isEqualTo(List.of("--verbose"));
        assertThat(debug.err()).contains("\tat dev.leakhound");
    }

    @Test
    void errorsAreOneLineWithExitCode2() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Run r = run("snapshot", "--inspect", "127.0.0.1:" + port);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("leakhound: nothing is listening on 127.0.0.1:" + port
                + " (start node with --inspect, or use --pid PID or -- COMMAND)" + System.lineSeparator());
        Run both = run("watch", "--pid", "1", "--inspect", "127.0.0.1:9229");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err().strip()).isEqualTo("leakhound: give only one of --inspect HOST:PORT, --pid PID or -- COMMAND");
        Run remote = run("snapshot", "--inspect", "192.0.2.1:9229");
        assertThat(remote.err().strip()).startsWith("leakhound: 192.0.2.1 is not a loopback address");
    }

    @Test
    void watchJsonLinesUntilTheDuration() {
        Run r = run("watch", "--json", "--interval", "0.3", "--gc-every", "0.4", "--duration", "3", "--", "node", target("leaky.js"));
        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonObj> lines = Arrays.stream(r.out().split("\\R")).filter(l -> !l.isBlank())
                .filter(l -> l.startsWith("{")).map(l -> (JsonObj) Json.parse(l)).toList();
        assertThat(lines).extracting(o -> o.str("type")).contains("sample", "stats").endsWith("end");
        JsonObj sample = lines.stream().filter(o -> "sample".equals(o.str("type"))).findFirst().orElseThrow();
        assertThat(sample.lng("heapUsed", 0)).isPositive();
        assertThat(sample.arr("spaces")).isNotEmpty();
        JsonObj stats = lines.stream().filter(o -> "stats".equals(o.str("type"))).findFirst().orElseThrow();
        assertThat(stats.map().keySet()).contains("num_full_gc", "num_inc_gc", "heap_compactions", "usage_trend",
                "estimated_base", "current_base", "min", "max");
        JsonObj end = lines.get(lines.size() - 1);
        assertThat(end.str("reason")).isEqualTo("watched for 3 s");
        assertThat(r.err()).contains("leakhound: watch ended: watched for 3 s");
    }
}
