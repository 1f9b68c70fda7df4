package dev.leakhound.report;

import dev.leakhound.analysis.leaks.Baseline;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.leaks.LeakSignature;
import dev.leakhound.analysis.leaks.Rounds;
import dev.leakhound.analysis.source.SourceLocator;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * Renders a find-leaks {@link LeakReport} as text or as its one JSON document (the documented, stable
 * shape; also what the HTML page embeds, with page bounds). The words come from {@link LeakText}.
 */
public final class LeakReportRenderer {
    private LeakReportRenderer() {}

    /** Text for people, without timings. */
    public static void text(LeakReport r, PrintWriter out) {
        text(r, false, out);
    }

    /** Text for people; {@code timings}: also how long the analysis and each of its steps took. */
    public static void text(LeakReport r, boolean timings, PrintWriter out) {
        List<LeakReport.SnapshotInfo> snaps = r.snapshots();
        LeakReport.SnapshotInfo first = snaps.get(0);
        LeakReport.SnapshotInfo last = snaps.get(snaps.size() - 1);
        out.println("Snapshots  " + snaps.size() + " of one process, " + Format.bytes(first.totalBytes()) + " -> "
                + Format.bytes(last.totalBytes()) + " (" + Format.signedBytes(last.totalBytes() - first.totalBytes()) + ")"
                + (timings ? ", analyzed in " + Format.millis(r.timings().totalMillis()) : ""));
        for (int i = 0; i < snaps.size(); i++) {
            LeakReport.SnapshotInfo s = snaps.get(i);
            out.println("  " + (i + 1) + ". " + s.file() + "  " + Format.count(s.nodes()) + " nodes, " + Format.bytes(s.totalBytes()));
        }
        if (timings) {
            out.println("Time       " + TimingsText.line(r.timings()));
        }
        LeakReport.Scenario scenario = r.scenario();
        if (scenario != null) {
            out.println("Scenario   " + scenario.file() + ": " + Format.count(scenario.warmup()) + " warm-up calls, then "
                    + scenario.rounds(r) + " rounds of " + Format.count(scenario.iterations()) + " calls between the snapshots");
        }
        out.println();
        out.println("Verdict    " + verdictLine(r));
        Baseline b = r.baseline();
        if (b != null) {
            List<Baseline.Entry> notSeen = r.notSeen();
            out.println("Baseline   " + b.source() + ": " + Format.count(b.entries().size()) + " accepted "
                    + (b.entries().size() == 1 ? "leak" : "leaks") + (notSeen.isEmpty() ? "" : ", " + Format.count(notSeen.size())
                    + " not found this time"));
            for (Baseline.Entry e : notSeen) {
                out.println("  - not found: " + e.signature() + "  " + e.pattern() + " " + e.leakedClass() + " at " + e.path());
            }
        }
        for (LeakReport.Leak l : r.leaks()) {
            out.println();
            out.println("#" + l.rank() + "  " + LeakText.summary(l));
            if (b != null) {
                out.println("    status     " + LeakText.status(l, b));
            }
            if (scenario != null) {
                String perCall = LeakText.perCall(l, scenario);
                if (perCall != null) {
                    out.println("    per call   " + perCall);
                }
            }
            out.println("    retained   " + Format.bytes(l.retainedBytes()) + " in " + Format.count(l.count()) + " "
                    + l.leakedClass() + " objects (" + Format.signedBytes(l.growthBytes()) + " since the first snapshot; "
                    + Format.count(l.newCount()) + " objects, " + Format.bytes(l.newBytes()) + " allocated since and still alive)");
            out.println("    growth     " + LeakText.series(l.countsPerSnapshot(), false).replace(" → ", " -> ") + " objects, "
                    + LeakText.series(l.bytesPerSnapshot(), true).replace(" → ", " -> "));
            String scope = LeakText.scope(l.container().scope());
            out.println("    held by    " + l.container().className() + " @" + l.container().id() + (scope != null ? ", " + scope : ""));
            out.println("    reached as " + reachedAs(l.container()) + "  then " + l.container().pattern());
            out.println("    path       " + l.pathText());
            SourceLocator.Location loc = l.location();
            out.println("    source     " + (loc == null ? "(the snapshot records no source position for it)" : loc.toString()));
            if (l.dependency() != null) {
                List<String> pl = AllocationText.packageLines(l.dependency());
                for (int i = 0; i < pl.size(); i++) {
                    out.println((i == 0 ? "    package    " : "               ") + pl.get(i));
                }
            }
            List<String> al = AllocationText.leakLines(l);
            for (int i = 0; i < al.size(); i++) {
                out.println((i == 0 ? "    allocated  " : "               ") + al.get(i));
            }
            out.println("    fix        " + LeakText.hint(l));
            out.println("    signature  " + l.signature().id() + "  " + signatureText(l.signature()));
        }
        if (!r.dismissed().isEmpty()) {
            out.println();
            out.println("Considered and dismissed (new objects that did not keep growing):");
            for (LeakReport.Leak l : r.dismissed()) {
                out.println("  - " + Format.bytes(l.retainedBytes()) + " of " + l.leakedClass() + " via "
                        + reachedAs(l.container()) + l.container().pattern() + ": " + LeakText.reason(l));
            }
        }
        if (r.memory() != null) {
            MemoryText.section(r.memory(), last.totalBytes(), out);
        }
        out.flush();
    }

    /**
     * The verdict in one line: {@code no-leak: ...}, {@code LEAK: 2 leaks found}, and with a baseline how many
     * are new, worse and accepted ({@code accepted: ...} when all are).
     */
    public static String verdictLine(LeakReport r) {
        if (!r.leak() && r.growsOutsideHeap()) {
            return MemoryText.verdictLine(r.memory());
        }
        if (!r.leak()) {
            return "no-leak: nothing kept growing across the snapshots"
                    + (r.scenario() != null ? " by a multiple of the calls" : "");
        }
        int n = r.leaks().size();
        String found = Format.count(n) + (n == 1 ? " leak" : " leaks") + " found";
        if (r.baseline() == null) {
            return "LEAK: " + found;
        }
        long fresh = r.leaks().stream().filter(l -> l.status() == LeakReport.Status.NEW).count();
        long worse = r.leaks().stream().filter(l -> l.status() == LeakReport.Status.WORSE).count();
        long accepted = n - fresh - worse;
        if (fresh + worse == 0) {
            return "accepted: " + found + ", all of them accepted in the baseline";
        }
        return "LEAK: " + found + ": " + Format.count(fresh) + " new, " + Format.count(worse) + " worse, "
                + Format.count(accepted) + " accepted";
    }

    /** {@code array RequestRecord at …{context}.leakArray @ [*]} */
    public static String signatureText(LeakSignature s) {
        return s.pattern().id() + " " + s.leakedClass() + " at " + s.path();
    }

    /** How the container is reached, without its own label ({@code global.store}). */
    private static String reachedAs(LeakReport.Container c) {
        String p = c.pathText();
        int arrow = p.lastIndexOf(" -> ");
        return arrow < 0 ? p : p.substring(0, arrow);
    }

    /** The JSON document, without timings. */
    public static void json(LeakReport r, Writer out) {
        json(r, false, out);
    }

    /** The one JSON document of {@code find-leaks}; {@code timings}: also {@code millis} and each step's time. */
    public static void json(LeakReport r, boolean timings, Writer out) {
        try (Json j = new Json(out, true)) {
            j.startObject();
            fields(r, j, Bounds.NONE, timings);
            j.endObject();
        }
    }

    /**
     * The document's fields, into an open object: {@code verdict, snapshots, [scenario], [baseline], leaks,
     * dismissed, [memory], [millis, timings]}. Other tools parse it: fields may be added, never renamed. With bounds (the
     * HTML page), texts and paths are cut as {@link Bounds} says; the shape is the same.
     */
    public static void fields(LeakReport r, Json j, Bounds b, boolean timings) {
        j.field("verdict", r.verdict());
        j.startArray("snapshots");
        for (LeakReport.SnapshotInfo s : r.snapshots()) {
            j.startObject().field("file", s.file()).field("nodes", s.nodes()).field("totalBytes", s.totalBytes())
                    .field("maxJsObjectId", s.maxJsObjectId()).endObject();
        }
        j.endArray();
        LeakReport.Scenario sc = r.scenario();
        if (sc != null) {
            j.startObject("scenario").field("file", sc.file()).field("iterations", sc.iterations())
                    .field("warmup", sc.warmup()).field("rounds", sc.rounds(r)).endObject();
        }
        Baseline base = r.baseline();
        if (base != null) {
            j.startObject("baseline").field("file", base.source()).field("entries", base.entries().size())
                    .field("worseFactor", Baseline.WORSE_FACTOR);
            for (LeakReport.Status st : LeakReport.Status.values()) {
                j.field(st.id(), r.leaks().stream().filter(l -> l.status() == st).count());
            }
            j.startArray("notFound");
            for (Baseline.Entry e : r.notSeen()) {
                BaselineFile.entry(j, e, b);
            }
            j.endArray().endObject();
        }
        j.startArray("leaks");
        for (LeakReport.Leak l : r.leaks()) {
            leak(j, l, b, sc);
        }
        j.endArray();
        j.startArray("dismissed");
        for (LeakReport.Leak l : r.dismissed()) {
            leak(j, l, b, sc);
        }
        j.endArray();
        if (r.memory() != null) {
            MemoryText.json(r.memory(), r.snapshots().get(r.snapshots().size() - 1).totalBytes(), j, b);
        }
        if (timings) {
            j.field("millis", r.timings().totalMillis());
            TimingsText.json(r.timings(), j);
        }
    }

    private static void leak(Json j, LeakReport.Leak l, Bounds b, LeakReport.Scenario sc) {
        j.startObject();
        if (l.rank() > 0) {
            j.field("rank", l.rank());
            j.field("status", l.status().id());
        }
        signature(j, l.signature(), b);
        if (sc != null && l.rank() > 0) {
            j.field("perCall", Rounds.perCall(l, sc.iterations()));
        }
        j.field("summary", b.text(LeakText.summary(l))).field("retainedBytes", l.retainedBytes()).field("count", l.count())
                .field("growthBytes", l.growthBytes()).field("newBytes", l.newBytes()).field("newCount", l.newCount());
        JsonParts.longs(j, "countsPerSnapshot", l.countsPerSnapshot());
        JsonParts.longs(j, "bytesPerSnapshot", l.bytesPerSnapshot());
        JsonParts.path(j, l.path(), b);
        JsonParts.location(j, l.location());
        j.field("hint", b.text(LeakText.hint(l)));
        j.field("pattern", l.pattern().id());
        JsonParts.nullable(j, "culprit", b.label(l.culprit()));
        j.field("leakedClass", b.label(l.leakedClass())).field("pathText", b.text(l.pathText()));
        LeakReport.Container c = l.container();
        j.startObject("container").field("id", c.id()).field("class", b.label(c.className()))
                .field("pathText", b.text(c.pathText())).field("pattern", b.text(c.pattern()));
        JsonParts.nullable(j, "scope", b.text(LeakText.scope(c.scope())));
        scope(j, c.scope(), b);
        j.endObject();
        detail(j, l.detail(), b);
        AllocationJson.stacks(j, l.allocations(), b);
        AllocationJson.dependency(j, l.dependency(), b);
        if (l.dismissal() != null) {
            j.field("reason", b.text(LeakText.reason(l))).field("reasonCode", l.dismissal().reason().id())
                    .field("reasonAmount", l.dismissal().amount()).field("reasonThreshold", l.dismissal().threshold());
        }
        j.endObject();
    }

    /** {@code "signature": {"id","pattern","path","leakedClass"}}: see {@link LeakSignature}. */
    static void signature(Json j, LeakSignature s, Bounds b) {
        j.startObject("signature").field("id", s.id()).field("pattern", s.pattern().id()).field("path", b.text(s.path()))
                .field("leakedClass", b.label(s.leakedClass())).endObject();
    }

    /** {@code "scopeInfo": {"variable","script","functions":[...],"functionCount"}} or null. */
    private static void scope(Json j, LeakReport.Scope s, Bounds b) {
        if (s == null) {
            j.nullField("scopeInfo");
            return;
        }
        j.startObject("scopeInfo").field("variable", b.label(s.variable()));
        JsonParts.nullable(j, "script", b.text(s.script()));
        j.startArray("functions");
        for (String f : s.functions()) {
            j.value(b.label(f));
        }
        j.endArray().field("functionCount", s.functionCount()).endObject();
    }

    /** {@code "detail": {...}}: what the pattern's wording was made of, typed. */
    private static void detail(Json j, LeakReport.Detail d, Bounds b) {
        j.startObject("detail");
        if (d instanceof LeakReport.Listeners x) {
            JsonParts.nullable(j, "emitter", b.label(x.emitter()));
            j.field("emitterClass", b.label(x.emitterClass())).field("event", b.label(x.event()));
            JsonParts.nullable(j, "listener", b.label(x.listener()));
            captured(j, x.captured(), b);
        } else if (d instanceof LeakReport.Timers x) {
            JsonParts.nullable(j, "callback", b.label(x.callback()));
            captured(j, x.captured(), b);
        } else if (d instanceof LeakReport.Chain x) {
            j.field("holder", b.label(x.holder()));
            JsonParts.nullable(j, "variable", b.label(x.variable()));
            j.field("link", b.text(x.link()));
        } else if (d instanceof LeakReport.Buffers x) {
            j.field("holder", b.label(x.holder())).field("nativeBytes", x.nativeBytes());
        } else if (d instanceof LeakReport.Callbacks x) {
            j.field("holder", b.label(x.holder()));
            captured(j, x.captured(), b);
        } else if (d instanceof LeakReport.Queue x) {
            j.field("holder", b.label(x.holder())).field("firstMembers", x.firstMembers()).field("stillThere", x.stillThere());
        } else if (d instanceof LeakReport.Collection x) {
            j.field("holder", b.label(x.holder())).field("kind", x.kind().name().toLowerCase(Locale.ROOT));
        } else if (d instanceof LeakReport.Objects x) {
            j.field("holder", b.label(x.holder())).field("containerClass", b.label(x.containerClass()))
                    .field("via", b.text(x.via()));
        }
        j.endObject();
    }

    private static void captured(Json j, List<LeakReport.Captured> captured, Bounds b) {
        j.startArray("captured");
        for (LeakReport.Captured c : captured) {
            j.startObject().field("variable", b.label(c.variable())).field("class", b.label(c.className())).endObject();
        }
        j.endArray();
    }
}
