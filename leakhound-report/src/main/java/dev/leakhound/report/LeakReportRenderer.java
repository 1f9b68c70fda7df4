package dev.leakhound.report;

import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.analysis.leaks.LeakReport;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;

/** Renders a find-leaks {@link LeakReport} as text or as JSON (the documented, stable shape). */
public final class LeakReportRenderer {
    private LeakReportRenderer() {}

    public static void text(LeakReport r, PrintWriter out) {
        List<LeakReport.SnapshotInfo> snaps = r.snapshots();
        LeakReport.SnapshotInfo first = snaps.get(0);
        LeakReport.SnapshotInfo last = snaps.get(snaps.size() - 1);
        out.println("Snapshots  " + snaps.size() + " of one process, " + Format.bytes(first.totalBytes()) + " -> "
                + Format.bytes(last.totalBytes()) + " (" + Format.signedBytes(last.totalBytes() - first.totalBytes())
                + "), analyzed in " + Format.millis(r.millis()));
        for (int i = 0; i < snaps.size(); i++) {
            LeakReport.SnapshotInfo s = snaps.get(i);
            out.println("  " + (i + 1) + ". " + s.file() + "  " + Format.count(s.nodes()) + " nodes, " + Format.bytes(s.totalBytes()));
        }
        out.println();
        if (!r.leak()) {
            out.println("Verdict    no-leak: nothing kept growing across the snapshots");
        } else {
            out.println("Verdict    LEAK: " + r.leaks().size() + (r.leaks().size() == 1 ? " leak" : " leaks") + " found");
        }
        for (LeakReport.Leak l : r.leaks()) {
            out.println();
            out.println("#" + l.rank() + "  " + l.summary());
            out.println("    retained   " + Format.bytes(l.retainedBytes()) + " in " + Format.count(l.count()) + " "
                    + l.leakedClass() + " objects (" + Format.signedBytes(l.growthBytes()) + " since the first snapshot; "
                    + Format.count(l.newCount()) + " objects, " + Format.bytes(l.newBytes()) + " allocated since and still alive)");
            out.println("    growth     " + series(l.countsPerSnapshot(), false) + " objects, " + series(l.bytesPerSnapshot(), true));
            out.println("    held by    " + l.container().className() + " @" + l.container().id()
                    + (l.container().scope() != null ? ", " + l.container().scope() : ""));
            out.println("    reached as " + l.container().pathText().replaceAll(" -> .*$", "") + "  then "
                    + l.container().pattern());
            out.println("    path       " + l.pathText());
            SourceLocator.Location loc = l.location();
            out.println("    source     " + (loc == null ? "(the snapshot records no source position for it)" : loc.toString()));
            out.println("    fix        " + l.hint());
        }
        if (!r.dismissed().isEmpty()) {
            out.println();
            out.println("Considered and dismissed (new objects that did not keep growing):");
            for (LeakReport.Leak l : r.dismissed()) {
                out.println("  - " + Format.bytes(l.retainedBytes()) + " of " + l.leakedClass() + " via "
                        + l.container().pathText().replaceAll(" -> .*$", "") + l.container().pattern() + ": " + l.reason());
            }
        }
        out.flush();
    }

    private static String series(long[] v, boolean bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : " -> ").append(bytes ? Format.bytes(v[i]) : Format.count(v[i]));
        }
        return sb.toString();
    }

    /**
     * {"verdict","snapshots":[{"file","nodes","totalBytes"}],"leaks":[{"rank","summary","retainedBytes","count",
     * "countsPerSnapshot","bytesPerSnapshot","path":[{"edge","node","id"}],"location":{"file","line","column"}|null,
     * "hint"}]}: other tools parse this; fields may be added, never renamed.
     */
    public static void json(LeakReport r, Writer out) {
        try (Json j = new Json(out, true)) {
            j.startObject();
            j.field("verdict", r.verdict());
            j.startArray("snapshots");
            for (LeakReport.SnapshotInfo s : r.snapshots()) {
                j.startObject().field("file", s.file()).field("nodes", s.nodes()).field("totalBytes", s.totalBytes()).endObject();
            }
            j.endArray();
            j.startArray("leaks");
            for (LeakReport.Leak l : r.leaks()) {
                writeLeak(j, l);
            }
            j.endArray();
            j.startArray("dismissed");
            for (LeakReport.Leak l : r.dismissed()) {
                writeLeak(j, l);
            }
            j.endArray();
            j.field("millis", r.millis());
            j.endObject();
        }
    }

    private static void writeLeak(Json j, LeakReport.Leak l) {
        j.startObject();
        if (l.rank() > 0) {
            j.field("rank", l.rank());
        }
        j.field("summary", l.summary()).field("retainedBytes", l.retainedBytes()).field("count", l.count())
                .field("growthBytes", l.growthBytes()).field("newBytes", l.newBytes()).field("newCount", l.newCount());
        j.startArray("countsPerSnapshot");
        for (long c : l.countsPerSnapshot()) {
            j.value(c);
        }
        j.endArray();
        j.startArray("bytesPerSnapshot");
        for (long b : l.bytesPerSnapshot()) {
            j.value(b);
        }
        j.endArray();
        j.startArray("path");
        for (var st : l.path()) {
            j.startObject().field("edge", st.edgeName()).field("node", st.nodeClass()).field("id", st.id())
                    .field("edgeType", st.edgeType()).endObject();
        }
        j.endArray();
        if (l.location() == null) {
            j.nullField("location");
        } else {
            j.startObject("location").field("file", l.location().file()).field("line", l.location().line())
                    .field("column", l.location().column()).endObject();
        }
        j.field("hint", l.hint());
        j.field("pattern", l.pattern()).field("culprit", l.culprit()).field("leakedClass", l.leakedClass())
                .field("pathText", l.pathText());
        j.startObject("container").field("id", l.container().id()).field("class", l.container().className())
                .field("pathText", l.container().pathText()).field("pattern", l.container().pattern())
                .field("scope", l.container().scope()).endObject();
        if (l.reason() != null) {
            j.field("reason", l.reason());
        }
        j.endObject();
    }
}
