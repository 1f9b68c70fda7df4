package dev.leakhound.inspector.watch;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.InspectorSession;
import dev.leakhound.inspector.cdp.Json.JsonObj;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Observes a target's memory and GCs from outside: installs {@code install.js} in the target (see its header
 * for what it leaves there), then polls it. {@link #uninstall()} removes everything; if leakhound dies
 * without uninstalling, the target removes it by itself after {@code idle} without a poll.
 */
public final class GcSampler {
    /** How the target observes GCs. */
    public enum Mode { AUTO, GCPROFILER, OBSERVER }

    static final String KEY_EXPR = "globalThis[Symbol.for('leakhound.watch')]";
    private static final int RING = 8192;

    private final InspectorSession session;
    private final Duration idle;
    private final Mode requested;
    private String mode;

    public GcSampler(InspectorSession session, Duration idle, Mode mode) {
        this.session = session;
        this.idle = idle;
        this.requested = mode;
    }

    static String script(int max, long idleMillis, Mode mode) {
        String js;
        try (InputStream in = GcSampler.class.getResourceAsStream("install.js")) {
            if (in == null) {
                throw new IllegalStateException("install.js missing from the jar");
            }
            js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return js.replace("__MAX__", Integer.toString(max))
                .replace("__IDLE__", Long.toString(idleMillis))
                .replace("__MODE__", mode == Mode.OBSERVER ? "observer" : "auto");
    }

    /** Installs the recorder in the target; returns the mode in use ("gcprofiler" or "observer"). */
    public String install() {
        Object r = session.evaluate(script(RING, idle.toMillis(), requested));
        if (!(r instanceof JsonObj o) || o.str("mode") == null) {
            throw new LeakhoundException(session.label() + ": could not install the GC recorder in the target");
        }
        mode = o.str("mode");
        return mode;
    }

    public String mode() {
        return mode;
    }

    /** Starts a poll; the future gives the raw reply (parse it with {@link #parse}). */
    public CompletableFuture<JsonObj> pollAsync() {
        return session.connection().send("Runtime.evaluate",
                InspectorSession.evaluateParams(KEY_EXPR + " ? " + KEY_EXPR + ".poll() : null"));
    }

    /** Turns a poll reply into a sample; null when the recorder is gone from the target (reinstall it). */
    public Sample parse(JsonObj reply) {
        Object v = session.valueOf(reply);
        if (!(v instanceof JsonObj o)) {
            return null;
        }
        return toSample(o);
    }

    static Sample toSample(JsonObj o) {
        List<GcEvent> gcs = new ArrayList<>();
        List<Object> raw = o.arr("gc");
        if (raw != null) {
            for (int i = 0; i + 4 < raw.size(); i += 5) {
                gcs.add(new GcEvent((long) num(raw.get(i)), GcKind.ofCode((int) num(raw.get(i + 1))),
                        num(raw.get(i + 2)), (long) num(raw.get(i + 3)), (long) num(raw.get(i + 4))));
            }
        }
        List<Sample.Space> spaces = new ArrayList<>();
        List<Object> sp = o.arr("spaces");
        if (sp != null) {
            for (Object s : sp) {
                if (s instanceof JsonObj so) {
                    spaces.add(new Sample.Space(so.str("space_name"), so.lng("space_size", 0), so.lng("space_used_size", 0),
                            so.lng("space_available_size", 0), so.lng("physical_space_size", 0)));
                }
            }
        }
        return new Sample((long) o.dbl("t", 0), longs(o.obj("mem")), longs(o.obj("heap")), Collections.unmodifiableList(spaces),
                Collections.unmodifiableList(gcs), o.lng("dropped", 0), longs(o.obj("status")), o.dbl("uptime", 0));
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }

    private static Map<String, Long> longs(JsonObj o) {
        Map<String, Long> m = new LinkedHashMap<>();
        if (o != null) {
            for (Map.Entry<String, Object> e : o.map().entrySet()) {
                if (e.getValue() instanceof Number n) {
                    m.put(e.getKey(), n.longValue());
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * A full GC run by leakhound (HeapProfiler.collectGarbage), bracketed in the recorder so its several
     * passes are tagged as one group. Returns how long the collectGarbage call took.
     */
    public Duration forcedGc() {
        session.evaluate(KEY_EXPR + " ? " + KEY_EXPR + ".forcedBegin() : 0");
        try {
            return session.collectGarbage();
        } finally {
            if (!session.connection().isClosed()) {
                session.evaluate(KEY_EXPR + " ? " + KEY_EXPR + ".forcedEnd() : 0");
            }
        }
    }

    /** Removes the recorder from the target (best effort, short timeout). */
    public void uninstall() {
        if (session.connection().isClosed()) {
            return;
        }
        session.evaluate(KEY_EXPR + " ? " + KEY_EXPR + ".uninstall() : false", Duration.ofSeconds(3));
    }
}
