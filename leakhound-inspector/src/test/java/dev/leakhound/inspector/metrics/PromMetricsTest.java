package dev.leakhound.inspector.metrics;

import dev.leakhound.inspector.watch.GcEvent;
import dev.leakhound.inspector.watch.GcKind;
import dev.leakhound.inspector.watch.Memwatch;
import dev.leakhound.inspector.watch.Sample;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PromMetricsTest {
    private static Sample sample() {
        return new Sample(1_700_000_000_000L,
                Map.of("rss", 50_000_000L, "heapTotal", 8_000_000L, "heapUsed", 4_000_000L, "external", 1234L),
                Map.of("used_heap_size", 4_000_000L),
                List.of(new Sample.Space("old_space", 300, 200, 100, 300), new Sample.Space("new_space", 30, 20, 10, 30)),
                List.of(), 0, Map.of("VmRSS", 51_200_000L, "VmSize", 900_000_000L, "VmData", 70_000_000L), 100.0);
    }

    @Test
    void rendersPromClientNamesAndACumulativeHistogram() {
        PromMetrics m = new PromMetrics();
        m.setNodeVersion("v20.20.2");
        m.update(sample(), 42);
        m.observeGc(new GcEvent(0, GcKind.MINOR, 0.5, 0, 0));   // 0.0005 s
        m.observeGc(new GcEvent(0, GcKind.MINOR, 50, 0, 0));    // 0.05 s
        m.observeGc(new GcEvent(0, GcKind.MAJOR, 7000, 0, 0));  // 7 s: only +Inf
        m.onStats(new Memwatch.Stats(0, 3, 10, 3, -1.5, 100, 110, 90, 120));
        m.onLeak();
        String t = m.render();
        assertThat(t).contains(
                "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 51200000\n",
                "process_virtual_memory_bytes 900000000\n",
                "process_heap_bytes 70000000\n",
                "process_start_time_seconds 1699999900\n",
                "nodejs_heap_size_total_bytes 8000000\n",
                "nodejs_heap_size_used_bytes 4000000\n",
                "nodejs_external_memory_bytes 1234\n",
                "nodejs_heap_space_size_used_bytes{space=\"old\"} 200\n",
                "nodejs_heap_space_size_total_bytes{space=\"new\"} 30\n",
                "nodejs_heap_space_size_available_bytes{space=\"old\"} 100\n",
                "# TYPE nodejs_gc_duration_seconds histogram\n",
                "nodejs_gc_duration_seconds_bucket{le=\"0.001\",kind=\"minor\"} 1\n",
                "nodejs_gc_duration_seconds_bucket{le=\"0.01\",kind=\"minor\"} 1\n",
                "nodejs_gc_duration_seconds_bucket{le=\"0.1\",kind=\"minor\"} 2\n",
                "nodejs_gc_duration_seconds_bucket{le=\"+Inf\",kind=\"minor\"} 2\n",
                "nodejs_gc_duration_seconds_count{kind=\"minor\"} 2\n",
                "nodejs_gc_duration_seconds_sum{kind=\"minor\"} 0.0505\n",
                "nodejs_gc_duration_seconds_bucket{le=\"5\",kind=\"major\"} 0\n",
                "nodejs_gc_duration_seconds_bucket{le=\"+Inf\",kind=\"major\"} 1\n",
                "nodejs_version_info{version=\"v20.20.2\",major=\"20\",minor=\"20\",patch=\"2\"} 1\n",
                "leakhound_memwatch_leaks_total 1\n",
                "leakhound_memwatch_usage_trend_percent -1.5\n");
        // every sample line belongs to a declared metric family
        for (String line : t.split("\n")) {
            if (!line.startsWith("#")) {
                String name = line.split("[{ ]")[0].replaceAll("_(bucket|sum|count)$", "");
                assertThat(t).contains("# TYPE " + name + " ");
            }
        }
    }

    @Test
    void servedOnLoopbackWithTheExpositionContentType() throws Exception {
        PromMetrics m = new PromMetrics();
        m.update(sample(), 1);
        try (MetricsServer s = MetricsServer.start(0, m)) {
            HttpClient c = HttpClient.newHttpClient();
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).contains(MetricsServer.CONTENT_TYPE);
            assertThat(r.body()).contains("nodejs_heap_size_used_bytes 4000000");
            HttpResponse<String> nf = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(nf.statusCode()).isEqualTo(404);
        }
    }
}
