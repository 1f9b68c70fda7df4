package dev.leakhound.cli.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.report.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The web server of {@code leakhound serve} (JDK's {@code com.sun.net.httpserver}): the page and its
 * script from the jar, and the JSON {@link Api}. Heap snapshots hold secrets, so every request must
 * carry the random access token (the {@code token} query parameter, the {@code X-Leakhound-Token} header
 * or the cookie the page's first answer sets); its {@code Host} must name the loopback address (a DNS
 * rebinding page would send its own name) and an {@code Origin}, when sent, must be this server's; only
 * GET and HEAD are served; every answer forbids framing, sniffing, caching and referrers, and the page's
 * Content-Security-Policy lets it load nothing but its own script and style and talk to nothing but this
 * server. A bad request gets a 4xx with {@code {"error": "..."}}; an internal error a 500; neither stops
 * the server.
 */
public final class ServeServer implements AutoCloseable {
    static final String TOKEN_HEADER = "X-Leakhound-Token";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** The page's files, served from the jar; nothing else is. */
    private static final Map<String, String> FILES = Map.of(
            "/", "serve/index.html",
            "/index.html", "serve/index.html",
            "/serve.js", "serve/serve.js",
            "/serve.css", "serve/serve.css",
            "/common.js", "html/common.js",       // the HTML reports' runtime: DOM helpers, formats, charts
            "/report.css", "html/report.css");
    private static final String RESOURCES = "/dev/leakhound/report/";

    /** Where to listen. {@code allowRemote}: any Host accepted (the token still required). */
    public record Options(InetAddress address, int port, boolean allowRemote) {
        public static Options loopback(int port) {
            return new Options(InetAddress.getLoopbackAddress(), port, false);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final String token;
    private final Api api;
    private final boolean allowRemote;
    private final int port;
    private final Consumer<String> log;

    /** Computes ahead what the Comparison and Leaks views ask for first ({@link Api#prepare}); call once, off the request threads. */
    public void prepare() {
        api.prepare();
    }

    private ServeServer(HttpServer server, ExecutorService pool, String token, Api api, boolean allowRemote,
                        Consumer<String> log) {
        this.server = server;
        this.pool = pool;
        this.token = token;
        this.api = api;
        this.allowRemote = allowRemote;
        this.port = server.getAddress().getPort();
        this.log = log;
    }

    /** Starts serving {@code snapshots}; {@code log} gets one line per internal error. */
    public static ServeServer start(List<Served> snapshots, Options o, Consumer<String> log) {
        if (!o.allowRemote() && !o.address().isLoopbackAddress()) {
            throw new LeakhoundException(o.address().getHostAddress() + " is not a loopback address; "
                    + "pass --allow-remote to serve other machines");
        }
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(o.address(), o.port()), 64);
        } catch (BindException e) {
            throw new LeakhoundException("cannot listen on " + o.address().getHostAddress() + ":" + o.port()
                    + ": " + e.getMessage() + " (another program uses the port? --port 0 picks a free one)");
        } catch (IOException e) {
            throw new LeakhoundException("cannot start the server: " + e.getMessage());
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "leakhound-serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        ServeServer ss = new ServeServer(s, pool, token, new Api(snapshots), o.allowRemote(), log);
        s.createContext("/", ss::handle);
        s.setExecutor(pool);
        s.start();
        return ss;
    }

    public int port() {
        return port;
    }

    public String token() {
        return token;
    }

    /** The URL to open, with the token. */
    public String url() {
        return "http://127.0.0.1:" + port + "/?token=" + token;
    }

    /** Stops listening at once; nothing is left running. */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    // ---- one request

    private void handle(HttpExchange ex) {
        try (ex) {
            try {
                serve(ex);
            } catch (ApiException e) {
                error(ex, e.status, e.getMessage());
            } catch (LeakhoundException e) {
                error(ex, 400, e.getMessage());
            } catch (IOException e) {
                // the client went away
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                log.accept("leakhound serve: internal error on " + Api.shorten(ex.getRequestURI().getRawPath()) + ": " + e);
                error(ex, 500, "internal error: " + e);
            }
        } catch (RuntimeException e) {
            log.accept("leakhound serve: " + e);
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        Headers h = ex.getRequestHeaders();
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            throw new ApiException(405, "only GET and HEAD are served, not " + Api.shorten(method));
        }
        checkHost(h.getFirst("Host"));
        checkOrigin(h.getFirst("Origin"), h.getFirst("Host"));
        String rawQuery = ex.getRequestURI().getRawQuery();
        Query q = Query.parse(rawQuery);
        boolean byQuery = q.get("token") != null && same(q.get("token"));
        if (!byQuery && !same(h.getFirst(TOKEN_HEADER)) && !same(cookie(h))) {
            throw new ApiException(401, "missing or wrong access token: open the URL `leakhound serve` printed");
        }
        if (byQuery) {
            ex.getResponseHeaders().add("Set-Cookie", cookieName() + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
        }
        String path = ex.getRequestURI().getRawPath();
        if (path.startsWith("/api/") || path.equals("/api")) {
            List<String> seg = segments(path.substring(4));
            StringWriter w = new StringWriter();
            try (Json j = new Json(w, false)) {
                j.startObject();
                api.answer(seg, q, j);
                j.endObject();
            }
            send(ex, 200, "application/json; charset=utf-8", w.toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        String file = FILES.get(path);
        if (file == null) {
            throw ApiException.notFound("no such page: " + Api.shorten(path));
        }
        send(ex, 200, contentType(file), resource(file));
    }

    private void checkHost(String host) {
        if (allowRemote) {
            return;
        }
        if (host == null) {
            throw new ApiException(403, "no Host header");
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String name : List.of("127.0.0.1", "localhost", "[::1]")) {
            if (h.equals(name + ":" + port) || (port == 80 && h.equals(name))) {
                return;
            }
        }
        throw new ApiException(403, "Host '" + Api.shorten(host) + "' refused: this server answers to 127.0.0.1:" + port
                + " and localhost:" + port + " only");
    }

    private void checkOrigin(String origin, String host) {
        if (origin == null) {
            return;
        }
        String o = origin.toLowerCase(Locale.ROOT);
        if (allowRemote && host != null && o.equals("http://" + host.toLowerCase(Locale.ROOT))) {
            return;
        }
        for (String name : List.of("127.0.0.1", "localhost", "[::1]")) {
            if (o.equals("http://" + name + ":" + port)) {
                return;
            }
        }
        throw new ApiException(403, "requests from the page at '" + Api.shorten(origin) + "' are refused");
    }

    /** Constant-time comparison with the token. */
    private boolean same(String given) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private String cookieName() {
        return "leakhound_token_" + port;
    }

    private String cookie(Headers h) {
        List<String> all = h.get("Cookie");
        if (all == null) {
            return null;
        }
        String want = cookieName() + "=";
        for (String line : all) {
            for (String part : line.split(";")) {
                String p = part.trim();
                if (p.startsWith(want)) {
                    return p.substring(want.length());
                }
            }
        }
        return null;
    }

    /** The path's segments after {@code /api}, decoded; an empty segment or a dot-segment is refused. */
    private static List<String> segments(String rest) {
        List<String> out = new ArrayList<>();
        if (rest.isEmpty() || rest.equals("/")) {
            return out;
        }
        String[] parts = rest.substring(1).split("/", -1);
        for (String p : parts) {
            String d = Query.decode(p);
            if (d.isEmpty() || d.equals(".") || d.equals("..")) {
                throw ApiException.bad("malformed path: empty or dot segment in /api" + Api.shorten(rest));
            }
            out.add(d);
        }
        return out;
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "text/css; charset=utf-8";
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = ServeServer.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + RESOURCES + file);
            }
            return in.readAllBytes();
        }
    }

    private void error(HttpExchange ex, int status, String message) {
        StringWriter w = new StringWriter();
        try (Json j = new Json(w, false)) {
            j.startObject().field("error", message).field("status", status).endObject();
        }
        try {
            send(ex, status, "application/json; charset=utf-8", w.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // the answer was under way already, or the client went away
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        Headers r = ex.getResponseHeaders();
        r.set("Content-Type", type);
        r.set("Content-Security-Policy", CSP);
        r.set("X-Content-Type-Options", "nosniff");
        r.set("X-Frame-Options", "DENY");
        r.set("Referrer-Policy", "no-referrer");
        r.set("Cache-Control", "no-store");
        r.set("Cross-Origin-Opener-Policy", "same-origin");
        r.set("Cross-Origin-Resource-Policy", "same-origin");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
