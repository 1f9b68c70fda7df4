package dev.leakhound.inspector.load;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.InspectorEndpoint;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP load generator for driving a target while it is watched or between snapshots: a bounded
 * stream of requests (a count and/or a duration) to one URL, at a fixed rate or as fast as allowed, with
 * at most {@code concurrency} requests in flight. Loopback URLs only unless {@code allowRemote}.
 *
 * <pre>{@code
 * LoadReport r = HttpLoad.to(URI.create("http://127.0.0.1:3000/api/items"))
 *         .method("POST").body("{\"n\":1}").header("Content-Type", "application/json")
 *         .requests(2000).rate(200).concurrency(8).run();
 * }</pre>
 */
public final class HttpLoad {
    private final URI uri;
    private String method = "GET";
    private byte[] body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private long requests = -1;
    private Duration duration;
    private double rate;
    private int concurrency = 4;
    private Duration timeout = Duration.ofSeconds(30);
    private boolean allowRemote;

    private HttpLoad(URI uri) {
        this.uri = Objects.requireNonNull(uri);
    }

    public static HttpLoad to(URI uri) {
        return new HttpLoad(uri);
    }

    public HttpLoad method(String m) {
        this.method = m.toUpperCase(Locale.ROOT);
        return this;
    }

    public HttpLoad body(String b) {
        this.body = b == null ? null : b.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public HttpLoad body(byte[] b) {
        this.body = b == null ? null : b.clone();
        return this;
    }

    public HttpLoad header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Total requests to send. */
    public HttpLoad requests(long n) {
        this.requests = n;
        return this;
    }

    /** Stop sending after this long (requests in flight are still awaited). */
    public HttpLoad duration(Duration d) {
        this.duration = d;
        return this;
    }

    /** Requests started per second; 0 (default) means as fast as the concurrency allows. */
    public HttpLoad rate(double perSecond) {
        this.rate = perSecond;
        return this;
    }

    public HttpLoad concurrency(int n) {
        this.concurrency = n;
        return this;
    }

    /** Per-request timeout (default 30 s). */
    public HttpLoad timeout(Duration d) {
        this.timeout = d;
        return this;
    }

    public HttpLoad allowRemote(boolean v) {
        this.allowRemote = v;
        return this;
    }

    /**
     * What a run did. Latencies are in milliseconds over completed requests (any status).
     *
     * @param byStatus HTTP status code to count; connection errors and timeouts are counted in {@code errors}
     */
    public record LoadReport(long sent, long completed, long errors, Map<Integer, Long> byStatus, Duration elapsed,
                             double p50Millis, double p95Millis, double p99Millis, double maxMillis, String firstError) {
        public long ok() {
            long n = 0;
            for (Map.Entry<Integer, Long> e : byStatus.entrySet()) {
                if (e.getKey() >= 200 && e.getKey() < 400) {
                    n += e.getValue();
                }
            }
            return n;
        }

        public double achievedRate() {
            double s = elapsed.toNanos() / 1e9;
            return s <= 0 ? 0 : completed / s;
        }
    }

    /** Sends the requests; returns when every request sent has completed or failed. */
    public LoadReport run() {
        validate();
        AtomicInteger tn = new AtomicInteger();
        ExecutorService ex = Executors.newFixedThreadPool(Math.max(2, Math.min(concurrency, 8)), r -> {
            Thread t = new Thread(r, "leakhound-load-" + tn.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(ex)
                .build();
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout);
        headers.forEach(rb::header);
        HttpRequest request = rb.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)).build();

        Semaphore inFlight = new Semaphore(concurrency);
        Stats stats = new Stats();
        long start = System.nanoTime();
        long end = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        long sent = 0;
        try {
            while ((requests < 0 || sent < requests) && System.nanoTime() < end) {
                if (rate > 0) {
                    long due = start + (long) (sent * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        if (due >= end) {
                            break;
                        }
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                long left = end - System.nanoTime();
                if (!inFlight.tryAcquire(Math.max(0, Math.min(left, TimeUnit.DAYS.toNanos(1))), TimeUnit.NANOSECONDS)) {
                    break; // duration over while waiting for a free slot
                }
                long t0 = System.nanoTime();
                sent++;
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
                    long ns = System.nanoTime() - t0;
                    if (err != null) {
                        stats.error(err);
                    } else {
                        stats.done(resp.statusCode(), ns);
                    }
                    inFlight.release();
                });
            }
            inFlight.acquire(concurrency); // wait for the stragglers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.shutdownNow();
        }
        return stats.report(sent, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Checks the URL without sending anything: http:// or https://, with a host, on this machine (loopback)
     * unless {@link #allowRemote}. {@link #run()} checks it too; call this to fail before starting anything.
     */
    public HttpLoad checkTarget() {
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new LeakhoundException("load URL must be http:// or https://: " + uri);
        }
        if (uri.getHost() == null) {
            throw new LeakhoundException("load URL has no host: " + uri);
        }
        if (!allowRemote && !InspectorEndpoint.isLoopback(uri.getHost())) {
            throw new LeakhoundException("load URL " + uri + " is not on this machine (not a loopback address);"
                    + " leakhound drives load only at loopback addresses unless --allow-remote is given");
        }
        return this;
    }

    private void validate() {
        checkTarget();
        if (requests < 0 && duration == null) {
            throw new LeakhoundException("load: give a number of requests or a duration (the stream must be bounded)");
        }
        if (concurrency < 1) {
            throw new LeakhoundException("load: concurrency must be at least 1");
        }
        if (rate < 0) {
            throw new LeakhoundException("load: rate must not be negative");
        }
    }

    /** Counts and latencies; latencies kept in a growable array bounded at 2 million samples. */
    private static final class Stats {
        private static final int MAX_SAMPLES = 2_000_000;
        private final Map<Integer, Long> byStatus = new TreeMap<>();
        private long[] lat = new long[1024];
        private int n;
        private long completed;
        private long errors;
        private long max;
        private String firstError;

        synchronized void done(int status, long ns) {
            completed++;
            byStatus.merge(status, 1L, Long::sum);
            max = Math.max(max, ns);
            if (n < MAX_SAMPLES) {
                if (n == lat.length) {
                    lat = Arrays.copyOf(lat, Math.min(MAX_SAMPLES, n * 2));
                }
                lat[n++] = ns;
            }
        }

        synchronized void error(Throwable t) {
            errors++;
            if (firstError == null) {
                Throwable c = t;
                while (c.getCause() != null && (c instanceof CompletionException)) {
                    c = c.getCause();
                }
                firstError = c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
            }
        }

        synchronized LoadReport report(long sent, Duration elapsed) {
            long[] s = Arrays.copyOf(lat, n);
            Arrays.sort(s);
            return new LoadReport(sent, completed, errors, Collections.unmodifiableMap(new TreeMap<>(byStatus)), elapsed,
                    pct(s, 0.50), pct(s, 0.95), pct(s, 0.99), max / 1e6, firstError);
        }

        private static double pct(long[] sorted, double q) {
            if (sorted.length == 0) {
                return 0;
            }
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }
    }
}
