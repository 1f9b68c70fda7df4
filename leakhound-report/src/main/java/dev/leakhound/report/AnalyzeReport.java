package dev.leakhound.report;

import dev.leakhound.analysis.ClassSummary;
import dev.leakhound.analysis.LargestObjects;
import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.analysis.SnapshotFacts;
import dev.leakhound.analysis.Statistics;
import dev.leakhound.core.graph.Distances;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;

/** Renders {@link SnapshotAnalysis} as text tables or as one JSON document. */
public final class AnalyzeReport {
    private AnalyzeReport() {}

    /** Tables for people; {@code timings}: also how long each step took. */
    public static void text(SnapshotAnalysis a, int top, boolean timings, PrintWriter out) {
        out.println("Snapshot  " + a.file());
        out.println("Nodes     " + Format.count(a.nodeCount()) + "    Edges " + Format.count(a.edgeCount())
                + "    Total size " + Format.bytes(a.totalSize()));
        if (timings) {
            out.println("Time      " + TimingsText.line(a.timings()));
        }
        if (a.unreachableNodes() > 0) {
            out.println("Note      " + Format.count(a.unreachableNodes())
                    + " nodes are unreachable from the roots (only weak references or unreachable cycles hold them);"
                    + " they are attached to the root, as DevTools does");
        }
        out.println();
        Statistics s = a.statistics();
        out.println("Statistics");
        TextTable st = new TextTable("category", "size>", "share>");
        st.row("JS heap (V8)", Format.bytes(s.v8Heap()), Format.percent(s.v8Heap(), s.total()));
        st.row("  code", Format.bytes(s.code()), Format.percent(s.code(), s.total()));
        st.row("  strings", Format.bytes(s.strings()), Format.percent(s.strings(), s.total()));
        st.row("  JS arrays", Format.bytes(s.jsArrays()), Format.percent(s.jsArrays(), s.total()));
        st.row("  system", Format.bytes(s.system()), Format.percent(s.system(), s.total()));
        st.row("  other objects", Format.bytes(s.other()), Format.percent(s.other(), s.total()));
        st.row("native / external", Format.bytes(s.native_()), Format.percent(s.native_(), s.total()));
        st.row("  typed array stores", Format.bytes(s.typedArrays()), Format.percent(s.typedArrays(), s.total()));
        st.row("total", Format.bytes(s.total()), "100%");
        out.print(st.render("  "));
        out.println();

        out.println("Classes by retained size (top " + Math.min(top, a.classes().size()) + " of "
                + Format.count(a.classes().size()) + ")");
        TextTable ct = new TextTable("class", "count>", "distance>", "shallow>", "retained>", "share>");
        ct.maxWidth(0, 50);
        List<ClassSummary.Row> classes = a.classes();
        for (int i = 0; i < Math.min(top, classes.size()); i++) {
            ClassSummary.Row r = classes.get(i);
            ct.row(r.name(), Format.count(r.count()), distance(r.minDistance()), Format.bytes(r.shallowSize()),
                    Format.bytes(r.retainedSize()), Format.percent(r.retainedSize(), a.totalSize()));
        }
        out.print(ct.render("  "));
        out.println();

        out.println("Largest objects by retained size");
        TextTable lt = new TextTable("object", "id>", "shallow>", "retained>", "share>");
        lt.maxWidth(0, 50);
        int i = 1;
        for (LargestObjects.Row r : a.largest()) {
            lt.row(r.label(), "@" + r.id(), Format.bytes(r.selfSize()), Format.bytes(r.retainedSize()),
                    Format.percent(r.retainedSize(), a.totalSize()));
        }
        out.print(lt.render("  "));
        out.println();
        out.println("Retainer paths");
        for (LargestObjects.Row r : a.largest()) {
            out.println("  " + (i++) + ". " + (r.pathText().isEmpty() ? "(no path from a root)" : r.pathText()));
        }
        if (a.allocations() != null) {
            out.println();
            AllocationViewReport.text(a.allocations(), top, out);
        }
        if (a.diagnosis() != null) {
            out.println();
            DiagnosisReport.text(a.diagnosis(), timings, out);
        }
        out.flush();
    }

    /** DevTools shows system distances as "-"; so do we. */
    static String distance(int d) {
        return d < 0 || d >= Distances.SYSTEM_BASE ? "-" : Integer.toString(d);
    }

    /** The one JSON document of {@code analyze}; {@code timings}: also how long each step took. */
    public static void json(SnapshotAnalysis a, boolean timings, Writer out) {
        try (Json j = new Json(out, true)) {
            j.startObject();
            fields(a, j, Bounds.NONE, timings);
            j.endObject();
        }
    }

    /**
     * The document's fields, into an open object: {@code file, nodes, edges, totalBytes, unreachableNodes,
     * [timings], statistics, classes, largest, allocationView (null without allocation traces), [diagnosis]}. With bounds (an HTML page), the class list is cut
     * to {@link Bounds#maxRows()} rows and {@code classesOmitted} sums the rest.
     */
    public static void fields(SnapshotAnalysis a, Json j, Bounds b, boolean timings) {
        header(a, j);
        if (timings) {
            j.field("readMillis", Math.max(0, a.timings().millis("read")))
                    .field("analyzeMillis", Math.max(0, a.timings().millis("graph")) + Math.max(0, a.timings().millis("analyze")));
            TimingsText.json(a.timings(), j);
        }
        statistics(a.statistics(), j);
        classes(a.classes(), j, b);
        largest(a.largest(), j, b);
        AllocationViewReport.json(a.allocations(), j, b);
        if (a.diagnosis() != null) {
            DiagnosisReport.json(a.diagnosis(), j, b, timings);
        }
    }

    /** {@code file, nodes, edges, totalBytes, unreachableNodes, systemDistanceFrom}, into an open object. */
    public static void header(SnapshotAnalysis a, Json j) {
        j.field("file", a.file()).field("nodes", a.nodeCount()).field("edges", a.edgeCount())
                .field("totalBytes", a.totalSize()).field("unreachableNodes", a.unreachableNodes())
                .field("systemDistanceFrom", Distances.SYSTEM_BASE);
    }

    /** {@code "statistics": {...}}: DevTools' Statistics view. */
    public static void statistics(Statistics s, Json j) {
        j.startObject("statistics")
                .field("total", s.total()).field("v8Heap", s.v8Heap()).field("native", s.native_())
                .field("typedArrays", s.typedArrays()).field("code", s.code()).field("strings", s.strings())
                .field("jsArrays", s.jsArrays()).field("system", s.system()).field("other", s.other())
                .endObject();
    }

    /**
     * {@code classCount}, {@code classes} (cut to {@link Bounds#maxRows()}) and, when rows were cut,
     * {@code classesOmitted} with what the rest sums to.
     */
    public static void classes(List<ClassSummary.Row> classes, Json j, Bounds b) {
        int shown = b.rows(classes.size());
        j.field("classCount", classes.size());
        j.startArray("classes");
        for (int i = 0; i < shown; i++) {
            ClassSummary.Row r = classes.get(i);
            j.startObject().field("name", b.label(r.name())).field("count", r.count());
            if (r.minDistance() < 0) {
                j.nullField("distance");
            } else {
                j.field("distance", r.minDistance());
            }
            j.field("shallowBytes", r.shallowSize()).field("retainedBytes", r.retainedSize()).endObject();
        }
        j.endArray();
        if (shown < classes.size()) {
            long restCount = 0;
            long restShallow = 0;
            for (int i = shown; i < classes.size(); i++) {
                restCount += classes.get(i).count();
                restShallow += classes.get(i).shallowSize();
            }
            j.startObject("classesOmitted").field("classes", classes.size() - shown).field("count", restCount)
                    .field("shallowBytes", restShallow).endObject();
        }
    }

    /** {@code "largest": [...]}: the objects that retain the most, each with its shortest retainer path. */
    public static void largest(List<LargestObjects.Row> largest, Json j, Bounds b) {
        j.startArray("largest");
        for (LargestObjects.Row r : largest) {
            j.startObject().field("id", r.id()).field("class", b.label(r.className())).field("label", b.label(r.label()))
                    .field("shallowBytes", r.selfSize()).field("retainedBytes", r.retainedSize())
                    .field("distance", r.distance()).field("pathText", b.text(r.pathText()));
            JsonParts.path(j, r.path(), b);
            JsonParts.location(j, r.location());
            j.endObject();
        }
        j.endArray();
    }

    /** A snapshot's facts ({@code info}), into an open object; {@code nodeVersion} is null when unknown. */
    public static void facts(SnapshotFacts f, Json j) {
        j.field("file", f.file()).field("fileBytes", f.fileBytes()).field("nodes", f.nodeCount())
                .field("edges", f.edgeCount()).field("strings", f.stringCount()).field("totalBytes", f.totalBytes());
        JsonParts.nullable(j, "nodeVersion", f.nodeVersion());
        j.field("maxJsObjectId", f.maxJsObjectId()).field("allocationTraces", f.allocationTraces());
    }
}
