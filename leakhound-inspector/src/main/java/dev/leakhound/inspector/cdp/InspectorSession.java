package dev.leakhound.inspector.cdp;

import dev.leakhound.inspector.cdp.Json.JsonObj;

import java.time.Duration;

/** Typed helpers over a {@link CdpConnection}: evaluate JavaScript, collect garbage. */
public final class InspectorSession implements AutoCloseable {
    private final CdpConnection conn;
    private final Duration callTimeout;

    public InspectorSession(CdpConnection conn, Duration callTimeout) {
        this.conn = conn;
        this.callTimeout = callTimeout;
    }

    public CdpConnection connection() {
        return conn;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    public String label() {
        return conn.label();
    }

    public JsonObj call(String method, JsonObj params) {
        return conn.call(method, params, callTimeout);
    }

    /** Evaluates an expression in the target and returns its value by value (JSON tree), waiting {@link #callTimeout()}. */
    public Object evaluate(String expression) {
        return evaluate(expression, callTimeout);
    }

    public Object evaluate(String expression, Duration timeout) {
        return valueOf(conn.call("Runtime.evaluate", evaluateParams(expression), timeout));
    }

    /**
     * Evaluates an expression whose value is a promise and returns what it resolves to (by value), waiting up
     * to {@code timeout}; a rejection is thrown as one line, as an exception is.
     */
    public Object evaluateAwait(String expression, Duration timeout) {
        return valueOf(conn.call("Runtime.evaluate", evaluateParams(expression).put("awaitPromise", true), timeout));
    }

    /** Parameters for Runtime.evaluate: by value, silent, with the command-line API (for {@code require} on old Node). */
    public static JsonObj evaluateParams(String expression) {
        return JsonObj.of("expression", expression, "returnByValue", true, "includeCommandLineAPI", true, "silent", true);
    }

    /** Extracts the value of a Runtime.evaluate reply, or throws the JavaScript exception as one line. */
    public Object valueOf(JsonObj reply) {
        JsonObj ex = reply.obj("exceptionDetails");
        if (ex != null) {
            JsonObj e = ex.obj("exception");
            String d = e != null && e.str("description") != null ? e.str("description") : ex.str("text");
            if (d != null && d.indexOf('\n') >= 0) {
                d = d.substring(0, d.indexOf('\n'));
            }
            throw new CdpException(conn.label() + ": JavaScript evaluated in the target threw: " + d);
        }
        JsonObj r = reply.obj("result");
        return r == null ? null : r.get("value");
    }

    /** HeapProfiler.collectGarbage: a full, blocking GC in the target. Returns how long the call took. */
    public Duration collectGarbage() {
        long t0 = System.nanoTime();
        conn.call("HeapProfiler.collectGarbage", null, callTimeout);
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    @Override
    public void close() {
        conn.close();
    }
}
