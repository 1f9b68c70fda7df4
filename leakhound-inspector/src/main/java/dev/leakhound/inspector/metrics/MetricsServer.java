package dev.leakhound.inspector.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.leakhound.core.LeakhoundException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Serves {@link PromMetrics} at {@code http://127.0.0.1:PORT/metrics} (loopback only) with the JDK's
 * built-in HTTP server, on one daemon thread.
 */
public final class MetricsServer implements AutoCloseable {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /** Starts serving on 127.0.0.1:port (0 picks a free port; see {@link #port()}). */
    public static MetricsServer start(int port, PromMetrics metrics) {
        return start(port, metrics::render);
    }

    /** Serves what {@code render} gives at each scrape (several processes' series: watch --all). */
    public static MetricsServer start(int port, java.util.function.Supplier<String> render) {
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (BindException e) {
            throw new LeakhoundException("--metrics-port " + port + ": 127.0.0.1:" + port + " is already in use");
        } catch (IOException e) {
            throw new LeakhoundException("--metrics-port " + port + ": " + e.getMessage());
        }
        s.createContext("/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getPath();
                if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                    send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n");
                } else if (path.equals("/metrics")) {
                    send(ex, 200, CONTENT_TYPE, render.get());
                } else if (path.equals("/")) {
                    send(ex, 200, "text/plain; charset=utf-8", "leakhound watch: metrics at /metrics\n");
                } else {
                    send(ex, 404, "text/plain; charset=utf-8", "not found\n");
                }
            }
        });
        s.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "leakhound-metrics");
            t.setDaemon(true);
            return t;
        }));
        s.start();
        return new MetricsServer(s);
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : b.length);
        if (!head) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
