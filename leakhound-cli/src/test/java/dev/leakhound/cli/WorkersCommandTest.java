package dev.leakhound.cli;

import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker threads end to end: {@code workers}, and {@code snapshot}/{@code hunt --worker}, against
 * examples/workers (an HTTP server whose pricing worker leaks, or with PRICING_WORKER a healthy one).
 */
class WorkersCommandTest {
    @TempDir
    Path tmp;

    /** A private copy of examples/workers (and the lib it uses), so that its processes can be told apart from others'. */
    Path server() throws IOException {
        Path src = CliRun.root().resolve("examples");
        Path dir = Files.createDirectories(tmp.resolve("ex/workers"));
        Files.createDirectories(tmp.resolve("ex/lib"));
        for (String f : List.of("worker-pricing-server.js", "pricing-worker.js", "stateless-pricing-worker.js")) {
            Files.copy(src.resolve("workers").resolve(f), dir.resolve(f));
        }
        Files.copy(src.resolve("lib/http-util.js"), tmp.resolve("ex/lib/http-util.js"));
        return dir.resolve("worker-pricing-server.js");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A node process started by the test with its inspector on a free loopback port; killed on close. */
    record Node(Process process, int inspectorPort) implements AutoCloseable {
        private static final Pattern LISTENING = Pattern.compile("Debugger listening on ws://127\\.0\\.0\\.1:(\\d+)/");

        static Node start(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("node", "--inspect=127.0.0.1:0"));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().remove("NODE_OPTIONS");
            pb.environment().put("NO_SELF_LOAD", "1");
            Process p = pb.start();
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            port.complete(Integer.parseInt(m.group(1)));
                        }
                    }
                } catch (IOException ignored) {
                    // ended
                }
                port.completeExceptionally(new AssertionError("node announced no inspector"));
            });
            t.setDaemon(true);
            t.start();
            try {
                return new Node(p, port.get(60, TimeUnit.SECONDS));
            } catch (Exception e) {
                p.destroyForcibly();
                throw e;
            }
        }

        String inspect() {
            return "127.0.0.1:" + inspectorPort;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static long processesRunning(Path script) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(script.toString())).orElse(false)).count();
    }

    @SuppressWarnings("unchecked")
    static List<JsonObj> workersOf(CliRun r) {
        return (List<JsonObj>) ((JsonObj) Json.parse(r.out())).get("workers");
    }

    @Test
    void listsTheWorkersOfALaunchedProgramWithTheirScriptAndHeap() throws Exception {
        Path server = server();
        CliRun r = CliRun.of("workers", "--json", "--", "node", server.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).startsWith("{").endsWith("}");   // the program's own output went to stderr
        List<JsonObj> ws = workersOf(r);
        assertThat(ws).hasSize(1);
        JsonObj w = ws.get(0);
        assertThat(w.str("id")).isEqualTo("1");
        assertThat(w.str("type")).isEqualTo("worker");
        assertThat(w.str("url")).isEqualTo("file://" + server.resolveSibling("pricing-worker.js"));
        assertThat(w.lng("heapUsed", -1)).isPositive().isLessThanOrEqualTo(w.lng("heapTotal", -1));
        assertThat(processesRunning(server)).isZero();

        CliRun text = CliRun.of("workers", "--", "node", server.toString());
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("1 worker thread", "file://" + server.resolveSibling("pricing-worker.js"))
                .containsPattern("\\s1\\s+worker\\s+\\[worker 1\\]\\s+file://\\S+\\s+[0-9.]+ MB\\s+[0-9.]+ MB");
    }

    @Test
    void snapshotOfAWorkerHoldsTheWorkersObjectsAndNotTheMainThreads() throws Exception {
        Path server = server();
        Path out = tmp.resolve("worker.heapsnapshot");
        CliRun r = CliRun.of("snapshot", "--worker", "1", "-o", out.toString(), "--", "node", server.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("leakhound: worker 1 (pricing-worker.js) of process");
        assertThat(r.out()).startsWith("wrote " + out);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        String snapshot = Files.readString(out);
        assertThat(snapshot).contains("\"PricedOrder\"", "\"pricedOrders\"")   // the worker's class and array
                .doesNotContain("\"QuoteRequest\"");                          // the main thread's class
        // all: one file per worker, named with its id
        Path all = Files.createDirectories(tmp.resolve("all")).resolve("app.heapsnapshot");
        CliRun a = CliRun.of("snapshot", "--worker", "all", "-o", all.toString(), "--", "node", server.toString());
        assertThat(a.exit()).as(a.err()).isZero();
        try (var files = Files.list(all.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("app.worker1.heapsnapshot");
        }
        assertThat(Files.readString(all.resolveSibling("app.worker1.heapsnapshot"))).contains("\"PricedOrder\"");
        // the main thread's snapshot is the other way round
        Path main = tmp.resolve("main.heapsnapshot");
        CliRun m = CliRun.of("snapshot", "-o", main.toString(), "--", "node", server.toString());
        assertThat(m.exit()).as(m.err()).isZero();
        assertThat(Files.readString(main)).contains("\"QuoteRequest\"").doesNotContain("\"PricedOrder\"");
        assertThat(processesRunning(server)).isZero();
    }

    @Test
    void huntInAWorkerNamesTheLeakWithTheMainThreadsVerdict() throws Exception {
        Path server = server();
        int port = freePort();
        Path keep = tmp.resolve("kept");
        // the load goes to the main thread's HTTP server, which forwards each request to the worker
        CliRun r = CliRun.of("hunt", "--worker", "1", "--interval", "2", "--json", "--fail-on-leak", "--keep", keep.toString(),
                "--load", "http://127.0.0.1:" + port + "/quote", "--method", "POST", "--rate", "100",
                "--body", "{\"customer\":\"c-1\",\"lines\":[{\"sku\":\"A\",\"qty\":2,\"price\":3}],\"comment\":\"" + "x".repeat(200) + "\"}",
                "--", "env", "NO_SELF_LOAD=1", "PORT=" + port, "node", server.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("working on worker 1 (pricing-worker.js)", "snapshot 3/3")
                .containsPattern("load: [0-9,]+ requests sent, [0-9,]+ answered OK");
        JsonObj doc = (JsonObj) Json.parse(r.out());
        assertThat(doc.str("verdict")).isEqualTo("leak");
        assertThat(r.out()).contains("pricedOrders", "PricedOrder", "pricing-worker.js");
        for (int i = 1; i <= 3; i++) {
            assertThat(Files.readString(keep.resolve("s" + i + ".heapsnapshot"))).doesNotContain("\"QuoteRequest\"");
        }
        assertThat(processesRunning(server)).isZero();
    }

    @Test
    void profileOfAWorkerSamplesTheWorkersAllocations() throws Exception {
        Path server = server();
        CliRun r = CliRun.of("profile", "--worker", "1", "--duration", "3", "--interval", "4096", "--",
                "node", server.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("working on worker 1 (pricing-worker.js)");
        // the worker's message handler allocates; the main thread's request handler is not in its profile
        assertThat(r.out()).contains(server.resolveSibling("pricing-worker.js") + ":")
                .doesNotContain(server + ":");
        assertThat(processesRunning(server)).isZero();
    }

    @Test
    void huntInAHealthyWorkerIsNoLeak() throws Exception {
        Path server = server();
        CliRun r = CliRun.of("hunt", "--worker", "stateless-pricing-worker.js", "--interval", "2", "--fail-on-leak",
                "--", "env", "PRICING_WORKER=stateless-pricing-worker.js", "node", server.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("working on worker 1 (stateless-pricing-worker.js)");
        assertThat(r.out()).contains("Verdict    no-leak");
        assertThat(processesRunning(server)).isZero();
    }

    @Test
    void clearErrorsForWorkersThatAreNotThere() throws Exception {
        Path server = server();
        try (Node n = Node.start(server.toString())) {
            // wait until the inspector knows the worker (it starts after the main script)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                CliRun l = CliRun.of("workers", "--json", "--inspect", n.inspect());
                assertThat(l.exit()).as(l.err()).isZero();
                if (!workersOf(l).isEmpty() || System.nanoTime() > deadline) {
                    break;
                }
            }
            CliRun unknown = CliRun.of("snapshot", "--worker", "3", "-o", tmp.resolve("x.heapsnapshot").toString(),
                    "--inspect", n.inspect());
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.err()).endsWith("leakhound: no worker 3; workers: 1 (pricing-worker.js)" + System.lineSeparator());
            CliRun script = CliRun.of("hunt", "--worker", "billing.js", "--inspect", n.inspect());
            assertThat(script.exit()).isEqualTo(2);
            assertThat(script.err()).contains("leakhound: no worker runs billing.js; workers: 1 (pricing-worker.js)");
            assertThat(Files.exists(tmp.resolve("x.heapsnapshot"))).isFalse();
        }
        try (Node n = Node.start("-e", "setInterval(() => {}, 1000)")) {
            CliRun none = CliRun.of("watch", "--worker", "1", "--inspect", n.inspect());
            assertThat(none.exit()).isEqualTo(2);
            assertThat(none.err()).contains("leakhound: process " + n.process().pid() + " has no worker threads")
                    .doesNotContain("\tat ");
            CliRun list = CliRun.of("workers", "--inspect", n.inspect());
            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(list.out()).isEqualTo("process " + n.process().pid() + " has no worker threads" + System.lineSeparator());
        }
        // refused before anything starts
        CliRun all = CliRun.of("hunt", "--worker", "all", "--", "node", server.toString());
        assertThat(all.exit()).isEqualTo(2);
        assertThat(all.err().strip()).isEqualTo("leakhound: --worker all is for snapshot; hunt works on one worker: give its id"
                + " (leakhound workers lists them)");
        CliRun empty = CliRun.of("snapshot", "--worker", " ", "--", "node", server.toString());
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err().strip()).isEqualTo("leakhound: --worker wants a worker id, a script URL or path, or all");
        assertThat(processesRunning(server)).isZero();
    }
}
