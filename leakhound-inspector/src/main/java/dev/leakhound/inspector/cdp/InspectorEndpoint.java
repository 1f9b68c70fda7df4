package dev.leakhound.inspector.cdp;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.Json.JsonObj;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Node.js inspector's HTTP side: {@code GET /json/list} (and {@code /json/version}) on one address and
 * port. The JDK client is forced to HTTP/1.1: its default h2c upgrade request is answered
 * "400 WebSockets request was expected". URLs use the IP literal, because the inspector rejects Host
 * headers that are not an IP or "localhost" (DNS-rebinding protection).
 */
public final class InspectorEndpoint {
    /** One entry of /json/list. */
    public record TargetInfo(String id, String type, String title, String url, String webSocketDebuggerUrl) {}

    private final HttpClient http;
    private final InetAddress address;
    private final int port;
    private final Duration timeout;

    public InspectorEndpoint(HttpClient http, InetAddress address, int port, Duration timeout) {
        this.http = http;
        this.address = address;
        this.port = port;
        this.timeout = timeout;
    }

    private static final Map<Duration, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    /**
     * The HTTP/1.1 client for inspectors with this connect timeout, shared: a JDK 17 HttpClient cannot be
     * closed, and each keeps a selector thread until it is garbage collected, so one per target would pile
     * them up. Its threads are daemons (a forgotten client never keeps the JVM alive).
     */
    public static HttpClient sharedHttpClient(Duration connectTimeout) {
        return CLIENTS.computeIfAbsent(connectTimeout, InspectorEndpoint::newHttpClient);
    }

    private static HttpClient newHttpClient(Duration connectTimeout) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService ex = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "leakhound-inspector-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .executor(ex)
                .build();
    }

    /** The client this endpoint is reached with (also for its WebSocket). */
    public HttpClient httpClient() {
        return http;
    }

    public InetAddress address() {
        return address;
    }

    public int port() {
        return port;
    }

    /**
     * Whether something still listens on the inspector's port: a TCP connect, no request. The kernel
     * completes it even while the target's JavaScript is busy (writing a snapshot, say); a process that is
     * gone refuses it. Used to notice a dead target whose WebSocket did not report its end.
     */
    public boolean listening(Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), (int) Math.max(1, Math.min(timeout.toMillis(), 5000)));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** "127.0.0.1:9229" or "[::1]:9229". */
    public String label() {
        return hostLiteral(address) + ":" + port;
    }

    public static String hostLiteral(InetAddress a) {
        String h = a.getHostAddress();
        int pct = h.indexOf('%');
        if (pct >= 0) {
            h = h.substring(0, pct);
        }
        return a instanceof Inet6Address ? "[" + h + "]" : h;
    }

    /** GET /json/list, with a one-line error for each way it can fail. */
    public List<TargetInfo> list() {
        String body = get("/json/list");
        Object parsed;
        try {
            parsed = Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw notInspector("GET /json/list did not return JSON");
        }
        if (!(parsed instanceof List<?> arr)) {
            throw notInspector("GET /json/list did not return a target list");
        }
        List<TargetInfo> out = new ArrayList<>();
        for (Object o : arr) {
            if (o instanceof JsonObj t && t.str("webSocketDebuggerUrl") != null) {
                out.add(new TargetInfo(t.str("id"), t.str("type"), t.str("title"), t.str("url"), t.str("webSocketDebuggerUrl")));
            }
        }
        if (out.isEmpty() && !arr.isEmpty()) {
            throw notInspector("GET /json/list lists no debuggable target");
        }
        return out;
    }

    /** Like {@link #list()} but returns null instead of throwing; for probing candidate ports. */
    public List<TargetInfo> probe() {
        try {
            return list();
        } catch (LeakhoundException e) {
            return null;
        }
    }

    /** The first Node target of /json/list; fails with a clear message when there is none. */
    public TargetInfo firstNodeTarget() {
        List<TargetInfo> l = list();
        for (TargetInfo t : l) {
            if (t.type() == null || t.type().equals("node")) {
                return t;
            }
        }
        if (!l.isEmpty()) {
            return l.get(0);
        }
        throw new LeakhoundException("the inspector at " + label() + " lists no target (GET /json/list returned [])");
    }

    /**
     * The target's WebSocket URL with host and port replaced by the ones we connected to, so a /json/list
     * answer can never send us to another host.
     */
    public URI socketUri(TargetInfo t) {
        URI u;
        try {
            u = URI.create(t.webSocketDebuggerUrl());
        } catch (IllegalArgumentException e) {
            throw notInspector("its webSocketDebuggerUrl is not a URL");
        }
        if (!"ws".equals(u.getScheme())) {
            throw notInspector("its webSocketDebuggerUrl is not ws://");
        }
        String path = u.getRawPath() == null ? "/" : u.getRawPath();
        return URI.create("ws://" + label() + path);
    }

    private String get(String path) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + label() + path))
                .timeout(timeout)
                .GET()
                .build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new InspectorTimeoutException("could not connect to " + label() + " within " + CdpConnection.fmtSeconds(timeout));
        } catch (HttpTimeoutException e) {
            throw new InspectorTimeoutException(label() + " did not answer GET " + path + " within "
                    + CdpConnection.fmtSeconds(timeout) + " (a busy or paused target, or not an inspector)");
        } catch (ConnectException e) {
            throw new LeakhoundException("nothing is listening on " + label()
                    + " (start node with --inspect, or use --pid PID or -- COMMAND)");
        } catch (ClosedChannelException e) {
            throw notInspector("it closed the connection without an HTTP answer");
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException) {
                throw new LeakhoundException("nothing is listening on " + label()
                        + " (start node with --inspect, or use --pid PID or -- COMMAND)");
            }
            throw notInspector("no HTTP answer: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeakhoundException("interrupted while contacting " + label());
        }
        if (resp.statusCode() != 200) {
            throw notInspector("GET " + path + " answered HTTP " + resp.statusCode());
        }
        return resp.body();
    }

    private LeakhoundException notInspector(String why) {
        return new LeakhoundException(label() + " is not a Node.js inspector (" + why + ")");
    }

    /** "HOST:PORT", "[v6]:PORT", ":PORT", "PORT" or "HOST" (port 9229). */
    public record HostPort(String host, int port) {
        public static final int DEFAULT_PORT = 9229;

        public static HostPort parse(String s) {
            String t = s.trim();
            String host;
            String portStr;
            if (t.startsWith("[")) {
                int end = t.indexOf(']');
                if (end < 0) {
                    throw bad(s);
                }
                host = t.substring(1, end);
                String rest = t.substring(end + 1);
                if (rest.isEmpty()) {
                    portStr = null;
                } else if (rest.startsWith(":")) {
                    portStr = rest.substring(1);
                } else {
                    throw bad(s);
                }
            } else if (t.chars().allMatch(Character::isDigit) && !t.isEmpty()) {
                host = "127.0.0.1";
                portStr = t;
            } else {
                int c = t.lastIndexOf(':');
                if (c >= 0 && t.indexOf(':') != c) {
                    host = t; // a bare IPv6 address without port
                    portStr = null;
                } else if (c >= 0) {
                    host = t.substring(0, c);
                    portStr = t.substring(c + 1);
                } else {
                    host = t;
                    portStr = null;
                }
            }
            if (host.isEmpty()) {
                host = "127.0.0.1";
            }
            int port = DEFAULT_PORT;
            if (portStr != null) {
                try {
                    port = Integer.parseInt(portStr);
                } catch (NumberFormatException e) {
                    throw bad(s);
                }
                if (port < 1 || port > 65535) {
                    throw bad(s);
                }
            }
            return new HostPort(host, port);
        }

        private static LeakhoundException bad(String s) {
            return new LeakhoundException("--inspect: '" + s + "' is not HOST:PORT (e.g. 127.0.0.1:9229)");
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * Resolves a host for connecting. Unless {@code allowRemote}, every address must be loopback: the
     * inspector runs any code it is sent, so leakhound does not talk to one across a network by default.
     */
    public static List<InetAddress> resolve(String host, boolean allowRemote) {
        List<InetAddress> all = resolveAll(host);
        if (!allowRemote && !allLoopback(all)) {
            throw new LeakhoundException(host + " is not a loopback address; leakhound talks to remote inspectors only"
                    + " with --allow-remote (prefer an SSH tunnel: ssh -L 9229:127.0.0.1:9229 HOST)");
        }
        return all;
    }

    /**
     * The loopback check of leakhound, for everything it connects to (inspectors, --load URLs): every address
     * {@code host} resolves to is a loopback address ("localhost", "127.0.0.1", "::1", "[::1]"...).
     *
     * @throws LeakhoundException when the host does not resolve
     */
    public static boolean isLoopback(String host) {
        return allLoopback(resolveAll(host));
    }

    private static boolean allLoopback(List<InetAddress> all) {
        return all.stream().allMatch(InetAddress::isLoopbackAddress);
    }

    private static List<InetAddress> resolveAll(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return List.of(InetAddress.getAllByName(h));
        } catch (UnknownHostException e) {
            throw new LeakhoundException("unknown host '" + host + "'");
        }
    }

    /** Printed once when --allow-remote is used. */
    public static final String REMOTE_WARNING = "warning: --allow-remote: the inspector protocol has no authentication and"
            + " runs any JavaScript it is sent; anyone who can reach that port controls the process. Prefer keeping"
            + " the inspector on 127.0.0.1 and using an SSH tunnel (ssh -L 9229:127.0.0.1:9229 HOST).";
}
