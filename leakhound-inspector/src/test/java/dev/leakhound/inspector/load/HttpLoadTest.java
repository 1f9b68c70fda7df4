package dev.leakhound.inspector.load;

import com.sun.net.httpserver.HttpServer;
import dev.leakhound.core.LeakhoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The load generator against a real local HTTP server that counts what it receives. */
class HttpLoadTest {
    private HttpServer server;
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> methods = new CopyOnWriteArrayList<>();
    private final List<String> headers = new CopyOnWriteArrayList<>();
    private volatile int delayMillis;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", ex -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try (ex) {
                received.incrementAndGet();
                methods.add(ex.getRequestMethod());
                bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                String h = ex.getRequestHeaders().getFirst("X-Test");
                if (h != null) {
                    headers.add(h);
                }
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                int status = ex.getRequestURI().getPath().equals("/missing") ? 404 : 200;
                byte[] b = "ok".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(status, b.length);
                ex.getResponseBody().write(b);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void sendsExactlyTheRequestedNumberWithMethodBodyAndHeaders() {
        HttpLoad.LoadReport r = HttpLoad.to(url("/items")).method("post").body("{\"n\":1}").header("X-Test", "yes")
                .requests(50).concurrency(4).run();
        assertThat(r.sent()).isEqualTo(50);
        assertThat(r.completed()).isEqualTo(50);
        assertThat(r.errors()).isZero();
        assertThat(r.ok()).isEqualTo(50);
        assertThat(r.byStatus()).containsExactly(java.util.Map.entry(200, 50L));
        assertThat(received.get()).isEqualTo(50);
        assertThat(methods).containsOnly("POST");
        assertThat(bodies).containsOnly("{\"n\":1}");
        assertThat(headers).hasSize(50);
        assertThat(r.p50Millis()).isPositive().isLessThanOrEqualTo(r.p95Millis());
        assertThat(r.p95Millis()).isLessThanOrEqualTo(r.maxMillis());
    }

    @Test
    void neverHasMoreThanConcurrencyRequestsInFlight() {
        delayMillis = 30;
        HttpLoad.LoadReport r = HttpLoad.to(url("/")).requests(24).concurrency(3).run();
        assertThat(r.completed()).isEqualTo(24);
        assertThat(maxInFlight.get()).isBetween(1, 3);
    }

    @Test
    void paceLimitsTheStartRate() {
        // 20 requests at 100/s: the 20th may not start before 190 ms after the first.
        HttpLoad.LoadReport r = HttpLoad.to(url("/")).requests(20).rate(100).concurrency(8).run();
        assertThat(r.completed()).isEqualTo(20);
        assertThat(r.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void aDurationBoundsAnOpenEndedStream() {
        HttpLoad.LoadReport r = HttpLoad.to(url("/")).duration(Duration.ofMillis(300)).rate(50).run();
        assertThat(r.sent()).isBetween(1L, 16L); // at most 50/s over 0.3 s, plus the one at t=0
        assertThat(r.completed()).isEqualTo(r.sent());
    }

    @Test
    void countsStatusesAndConnectionErrors() throws IOException {
        HttpLoad.LoadReport r = HttpLoad.to(url("/missing")).requests(5).run();
        assertThat(r.byStatus()).containsExactly(java.util.Map.entry(404, 5L));
        assertThat(r.ok()).isZero();
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        HttpLoad.LoadReport e = HttpLoad.to(URI.create("http://127.0.0.1:" + dead + "/")).requests(3).run();
        assertThat(e.errors()).isEqualTo(3);
        assertThat(e.firstError()).contains("Connect");
    }

    @Test
    void refusesUnboundedStreamsAndRemoteHosts() {
        assertThatThrownBy(() -> HttpLoad.to(url("/")).run()).isInstanceOf(LeakhoundException.class)
                .hasMessageContaining("bounded");
        assertThatThrownBy(() -> HttpLoad.to(URI.create("http://192.0.2.1/")).requests(1).run())
                .isInstanceOf(LeakhoundException.class).hasMessageContaining("not a loopback address");
        for (String loopback : new String[] {"http://127.0.0.1:1/", "http://127.1.2.3:1/", "http://localhost:1/", "http://[::1]:1/"}) {
            assertThat(HttpLoad.to(URI.create(loopback)).checkTarget()).as(loopback).isNotNull();
        }
        assertThatThrownBy(() -> HttpLoad.to(URI.create("http://192.0.2.1:3000/")).checkTarget())
                .hasMessage("load URL http://192.0.2.1:3000/ is not on this machine (not a loopback address);"
                        + " leakhound drives load only at loopback addresses unless --allow-remote is given");
        assertThat(HttpLoad.to(URI.create("http://192.0.2.1:3000/")).allowRemote(true).checkTarget()).isNotNull();
    }
}
