package dev.leakhound.report;

import dev.leakhound.core.system.CgroupMemory;
import dev.leakhound.inspector.live.NodeProcesses;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** {@code leakhound ps}: the Node.js processes of the machine, as a table or one JSON document. */
public final class PsReport {
    private PsReport() {}

    public static void text(List<NodeProcesses.Surveyed> rows, Instant now, PrintWriter out) {
        if (rows.isEmpty()) {
            out.println("no Node.js process found (leakhound sees the processes whose /proc entries it can read: its own"
                    + " user's, or every one as root)");
            out.flush();
            return;
        }
        TextTable t = new TextTable("PID>", "UPTIME>", "RSS>", "TREND>", "INSPECTOR", "LIMIT", "COMMAND").maxWidth(6, 100);
        for (NodeProcesses.Surveyed s : rows) {
            NodeProcesses.Proc p = s.proc();
            t.row(p.pid(), p.started() == null ? "?" : uptime(Duration.between(p.started(), now)),
                    p.rss() < 0 ? "?" : Format.bytes(p.rss()), trend(s), s.inspector() == null ? "-" : s.inspector().toString(),
                    limit(s.cgroup()), p.command());
        }
        out.print(t.render(""));
        long open = rows.stream().filter(r -> r.inspector() != null).count();
        out.println();
        out.println(Format.count(rows.size()) + (rows.size() == 1 ? " process" : " processes") + ", " + Format.count(open)
                + " with the inspector open" + (rows.get(0).millis() > 0 ? "; TREND: how RSS changed in "
                + Format.millis(rows.get(0).millis()) + " (--interval)" : "")
                + ". Next: leakhound watch --pid PID, or leakhound hunt --pid PID");
        out.flush();
    }

    public static void json(List<NodeProcesses.Surveyed> rows, Instant now, PrintWriter out) {
        try (Json j = new Json(out, true)) {
            j.startObject().field("time", now.toString()).startArray("processes");
            for (NodeProcesses.Surveyed s : rows) {
                NodeProcesses.Proc p = s.proc();
                j.startObject().field("pid", p.pid()).field("command", p.command());
                j.startArray("argv");
                for (String a : p.argv()) {
                    j.value(a);
                }
                j.endArray();
                if (p.started() != null) {
                    j.field("started", p.started().toString()).field("uptimeSeconds", Duration.between(p.started(), now).toSeconds());
                } else {
                    j.nullField("started").nullField("uptimeSeconds");
                }
                j.field("rss", p.rss());
                for (String k : new String[] {"RssAnon", "RssFile", "RssShmem", "VmSwap"}) {
                    if (p.status().containsKey(k)) {
                        j.field(Character.toLowerCase(k.charAt(0)) + k.substring(1), p.status().get(k));
                    }
                }
                // smaps_rollup: the proportional share of shared pages, and what the process alone has written
                for (String[] k : new String[][] {{"Pss", "pss"}, {"Private_Dirty", "privateDirty"}}) {
                    if (p.rollup().containsKey(k[0])) {
                        j.field(k[1], p.rollup().get(k[0]));
                    }
                }
                j.field("intervalMillis", s.millis()).field("rssDelta", s.rssDelta());
                if (s.millis() > 0) {
                    j.field("rssPerMinute", Math.round(s.rssDelta() * 60_000.0 / s.millis()));
                }
                if (s.inspector() == null) {
                    j.nullField("inspector");
                } else {
                    j.field("inspector", s.inspector().toString());
                }
                if (s.cgroup().isEmpty()) {
                    j.nullField("cgroup");
                } else {
                    CgroupMemory.Limit c = s.cgroup().get();
                    j.startObject("cgroup").field("version", c.version()).field("group", c.dir())
                            .field("limit", c.limit()).field("current", c.workingSet());
                    j.endObject();
                }
                j.endObject();
            }
            j.endArray().endObject();
        }
        out.println();
        out.flush();
    }

    /** "3d 2h", "2h 13m", "5m 12s", "42s". */
    static String uptime(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400) {
            return s / 86_400 + "d " + (s % 86_400) / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h " + (s % 3600) / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s + "s";
    }

    /** The change between the two readings: "+1.20 MB", "flat" below 64 KB, "-" with one reading. */
    static String trend(NodeProcesses.Surveyed s) {
        if (s.millis() <= 0) {
            return "-";
        }
        long d = s.rssDelta();
        if (Math.abs(d) < 64 * 1024) {
            return "flat";
        }
        return Format.signedBytes(d);
    }

    /** "512 MB (36% used)": the tightest limit over the process's cgroup and its parents; "-" when none is known. */
    static String limit(java.util.Optional<CgroupMemory.Limit> cgroup) {
        if (cgroup.isEmpty()) {
            return "-";
        }
        CgroupMemory.Limit c = cgroup.get();
        return Format.bytes(c.limit()) + String.format(Locale.ROOT, " (%s used)", Format.percent(c.workingSet(), c.limit()));
    }
}
