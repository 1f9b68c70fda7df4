package dev.leakhound.report;

import dev.leakhound.analysis.memory.MemoryPoint;
import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.watch.Fleet;
import dev.leakhound.inspector.watch.Memwatch;
import dev.leakhound.inspector.watch.Sample;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@code watch --all} / {@code watch --pid A --pid B}: one line per process and reading on stdout, as
 * text or JSON lines ({@code type}: process, proc, sample, leak, end, each with {@code pid}); notices on stderr.
 * A process attached through its inspector gets the watch's sample line (JS heap, external, native, GCs); the
 * others their /proc figures.
 */
public final class FleetReport implements Fleet.Listener {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    public FleetReport(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    @Override
    public synchronized void appeared(Fleet.Member m) {
        if (json) {
            line(JsonObj.of("type", "process", "event", "appeared", "pid", m.pid(), "command", m.command(),
                    "started", m.started() == null ? null : m.started().toString()));
        } else {
            out.println(TIME.format(Instant.now()) + "  " + m.pid() + "  +  " + m.command());
        }
        out.flush();
    }

    @Override
    public synchronized void proc(Fleet.Member m, Map<String, Long> status) {
        if (m.attached()) {
            return;   // its watch samples say more
        }
        if (json) {
            JsonObj o = JsonObj.of("type", "proc", "time", Instant.now().toString(), "pid", m.pid());
            for (String k : new String[] {"VmRSS", "RssAnon", "RssFile", "RssShmem", "VmSwap"}) {
                if (status.containsKey(k)) {
                    o.put(k.equals("VmRSS") ? "rss" : Character.toLowerCase(k.charAt(0)) + k.substring(1), status.get(k));
                }
            }
            line(o);
        } else {
            out.println(TIME.format(Instant.now()) + "  " + m.pid() + String.format(Locale.ROOT,
                    "  rss %7.1f MB  anon %7.1f MB  file %6.1f MB  (no inspector: /proc only)",
                    status.getOrDefault("VmRSS", 0L) / 1e6, status.getOrDefault("RssAnon", 0L) / 1e6,
                    status.getOrDefault("RssFile", 0L) / 1e6));
        }
        out.flush();
    }

    @Override
    public void attached(Fleet.Member m, Target t) {
        notice(m, "attached: " + t.describe());
    }

    @Override
    public synchronized void sample(Fleet.Member m, Sample s) {
        MemoryPoint p = MemoryPoint.of(s.timeMillis(), s.memory(), s.heap(), s.spacesUsed(), s.status());
        if (json) {
            JsonObj o = JsonObj.of("type", "sample", "time", Instant.ofEpochMilli(s.timeMillis()).toString(), "pid", m.pid());
            for (String k : new String[] {"rss", "heapTotal", "heapUsed", "external", "arrayBuffers"}) {
                o.put(k, s.mem(k));
            }
            o.put("code", p.code());
            if (p.rssAnon() >= 0) {
                o.put("rssAnon", p.rssAnon());
                o.put("rssFile", p.rssFile());
            }
            if (p.outsideV8() >= 0) {
                o.put("nativeOutsideV8", p.outsideV8());
            }
            o.put("gcs", s.gcs().size());
            line(o);
        } else {
            out.println(TIME.format(Instant.ofEpochMilli(s.timeMillis())) + "  " + m.pid() + String.format(Locale.ROOT,
                    "  rss %7.1f MB  heap %7.1f / %7.1f MB  external %6.1f MB (buffers %.1f)  native %6.1f MB  %d GCs",
                    s.mem("rss") / 1e6, s.mem("heapUsed") / 1e6, s.mem("heapTotal") / 1e6, s.mem("external") / 1e6,
                    s.mem("arrayBuffers") / 1e6, Math.max(0, p.outsideV8()) / 1e6, s.gcs().size()));
        }
        out.flush();
    }

    @Override
    public synchronized void leak(Fleet.Member m, Memwatch.Leak l) {
        if (json) {
            line(JsonObj.of("type", "leak", "pid", m.pid(), "start", Instant.ofEpochMilli(l.startMillis()).toString(),
                    "end", Instant.ofEpochMilli(l.endMillis()).toString(), "growth", l.growth(), "reason", WatchReport.leakReason(l)));
        } else {
            out.println(TIME.format(Instant.ofEpochMilli(l.endMillis())) + "  " + m.pid() + "  LEAK   "
                    + WatchReport.leakReason(l) + "  growth=" + l.growth());
        }
        out.flush();
    }

    @Override
    public synchronized void notice(Fleet.Member m, String message) {
        err.println("leakhound: " + (m == null ? "" : "pid " + m.pid() + ": ") + message);
        err.flush();
    }

    @Override
    public synchronized void exited(Fleet.Member m) {
        if (json) {
            line(JsonObj.of("type", "process", "event", "exited", "pid", m.pid(), "command", m.command()));
        } else {
            out.println(TIME.format(Instant.now()) + "  " + m.pid() + "  -  exited (" + m.command() + ")");
        }
        out.flush();
    }

    public void metricsServed(int port) {
        notice(null, "Prometheus metrics of every process (labels pid, command) at http://127.0.0.1:" + port + "/metrics");
    }

    /** The closing line: on stdout as JSON ({@code type} end), and on stderr. */
    public synchronized void end(String reason) {
        if (json) {
            line(JsonObj.of("type", "end", "reason", reason));
            out.flush();
        }
        notice(null, "watch ended: " + reason);
    }

    private void line(JsonObj o) {
        out.println(Json.write(o));
    }
}
