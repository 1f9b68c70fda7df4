package dev.leakhound.inspector.integration;

import dev.leakhound.inspector.live.ProcFs;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.metrics.MetricsServer;
import dev.leakhound.inspector.watch.Fleet;
import dev.leakhound.inspector.watch.Memwatch;
import dev.leakhound.inspector.watch.Sample;
import dev.leakhound.inspector.watch.Watcher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * watch --all's fleet against real node processes: found by a /proc scan, one endpoint with pid and command
 * labels, heap figures only where the inspector was already open, and a killed process's series and thread gone.
 */
class FleetIntegrationTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private String scrape(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Scrapes until {@code cond} holds (30 s at most); returns the last scrape. */
    private String awaitScrape(int port, Predicate<String> cond, String what) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String body = "";
        while (System.nanoTime() < deadline) {
            body = scrape(port);
            if (cond.test(body)) {
                return body;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + "; last scrape:\n" + body);
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void followsEveryMatchingProcessAndDropsTheOnesThatExit() throws Exception {
        Assumptions.assumeTrue(ProcFs.available(), "needs Linux /proc");
        String script = NodeProcess.script("idle.js").toString();
        List<String> exited = new CopyOnWriteArrayList<>();
        try (NodeProcess open = NodeProcess.start(List.of("--inspect=127.0.0.1:0"), "idle.js");
             NodeProcess closed = NodeProcess.start(List.of(), "idle.js")) {
            open.inspectorPort();
            Fleet fleet = new Fleet(new Fleet.Config(Duration.ofMillis(200), true, Pattern.compile(Pattern.quote(script)),
                    List.of(), null, Watcher.Config.defaults().withInterval(Duration.ofMillis(200)), Target.Options.defaults()),
                    new Fleet.Listener() {
                        public void appeared(Fleet.Member m) {}
                        public void proc(Fleet.Member m, Map<String, Long> status) {}
                        public void attached(Fleet.Member m, Target t) {}
                        public void sample(Fleet.Member m, Sample s) {}
                        public void leak(Fleet.Member m, Memwatch.Leak l) {}
                        public void notice(Fleet.Member m, String message) {}
                        public void exited(Fleet.Member m) {
                            exited.add(Long.toString(m.pid()));
                        }
                    });
            Thread runner = new Thread(fleet::run, "fleet-test-runner");
            try (MetricsServer server = MetricsServer.start(0, fleet::render)) {
                runner.start();
                String a = "pid=\"" + open.pid() + "\",command=\"node --inspect=127.0.0.1:0 " + script + "\"";
                String b = "pid=\"" + closed.pid() + "\",command=\"node " + script + "\"";
                String body = awaitScrape(server.port(), t -> t.contains("nodejs_heap_size_used_bytes{" + a + "} ")
                        && t.contains("process_resident_memory_bytes{" + b + "} "), "both processes, heap figures of the open one");
                assertThat(body).contains("leakhound_watch_processes 2\n",
                        "leakhound_process_inspector_attached{" + a + "} 1\n",
                        "leakhound_process_inspector_attached{" + b + "} 0\n",
                        "leakhound_process_resident_anon_bytes{" + b + "} ",
                        "nodejs_heap_space_size_used_bytes{" + a + ",space=\"old\"} ",
                        "nodejs_version_info{" + a + ",version=\"v");
                assertThat(body).doesNotContain("nodejs_heap_size_used_bytes{" + b);
                // one HELP/TYPE per family, whatever the number of processes
                assertThat(body.split("# TYPE process_resident_memory_bytes ", -1)).hasSize(2);
                // the process whose inspector was closed was not signalled: it still has no listening socket
                assertThat(ProcFs.listeningSocketsOf(closed.pid())).isEmpty();
                assertThat(threadAlive("leakhound-fleet-" + open.pid())).isTrue();

                open.kill();
                awaitScrape(server.port(), t -> !t.contains("pid=\"" + open.pid() + "\"") && t.contains("leakhound_watch_processes 1\n"),
                        "the killed process's series to go");
                // the member's series go before its listener hears of the exit and its thread ends: waited for
                long deadline = System.nanoTime() + 30_000_000_000L;
                while ((exited.isEmpty() || threadAlive("leakhound-fleet-" + open.pid())) && System.nanoTime() < deadline) {
                    Thread.sleep(50);   // polling a condition
                }
                assertThat(exited).containsExactly(Long.toString(open.pid()));
                assertThat(threadAlive("leakhound-fleet-" + open.pid())).isFalse();
                assertThat(scrape(server.port())).contains("process_resident_memory_bytes{" + b + "} ");
            } finally {
                fleet.stop();
                runner.join(20_000);
            }
            assertThat(runner.isAlive()).isFalse();
            assertThat(fleet.members()).isEmpty();
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("leakhound-fleet-"));
        }
    }
}
