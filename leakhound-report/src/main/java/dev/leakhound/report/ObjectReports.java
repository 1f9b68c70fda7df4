package dev.leakhound.report;

import dev.leakhound.core.graph.Distances;
import dev.leakhound.analysis.objects.DominatorView;
import dev.leakhound.analysis.objects.ObjectInfo;
import dev.leakhound.analysis.objects.ObjectSearch;
import dev.leakhound.analysis.paths.ShortestPaths;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Renders the object-level queries: retainer paths, one object, a dominator subtree. */
public final class ObjectReports {
    private ObjectReports() {}

    // ---- path ----

    public static void pathsText(ShortestPaths.Result r, int k, PrintWriter out) {
        out.println("Retainer paths to " + r.label() + " @" + r.id() + " (" + r.className() + "), shortest first,"
                + " weak edges excluded");
        if (r.distance() < 0) {
            out.println("  no strong path from the roots: only weak references (or nothing) hold it");
        }
        int i = 1;
        for (ShortestPaths.Path p : r.paths()) {
            out.println("  " + i++ + ". " + (p.text().isEmpty() ? "(the root)" : p.text()) + "   [" + p.length()
                    + (p.length() == 1 ? " edge]" : " edges]"));
        }
        if (r.distance() >= 0 && r.paths().size() < k) {
            out.println(r.complete() ? "  (no other simple path exists)"
                    : "  (search stopped after " + Format.count(ShortestPaths.MAX_EXPANSIONS) + " partial paths)");
        }
        out.flush();
    }

    public static void pathsJson(ShortestPaths.Result r, Writer out) {
        try (Json j = new Json(out, true)) {
            j.startObject();
            pathsFields(r, j, Bounds.NONE);
            j.endObject();
        }
    }

    /** {@code path}'s document, into an open object: the object, its distance and the paths found. */
    public static void pathsFields(ShortestPaths.Result r, Json j, Bounds b) {
        j.field("id", r.id()).field("class", b.label(r.className())).field("label", b.label(r.label()));
        if (r.distance() < 0) {
            j.nullField("distance");
        } else {
            j.field("distance", r.distance());
        }
        j.field("complete", r.complete());
        j.startArray("paths");
        for (ShortestPaths.Path p : r.paths()) {
            j.startObject().field("length", p.length()).field("text", b.text(p.text()));
            JsonParts.path(j, p.steps(), b);
            j.endObject();
        }
        j.endArray();
    }

    // ---- inspect ----

    public static void inspectText(ObjectInfo o, PrintWriter out) {
        out.println(o.label() + " @" + o.id());
        row(out, "class", o.className());
        row(out, "type", o.type() + (o.name().isEmpty() || o.name().equals(o.label()) ? "" : "   name: " + shorten(o.name(), 100)));
        row(out, "shallow size", Format.bytes(o.selfSize()) + " (" + o.selfSize() + " B)");
        row(out, "retained size", Format.bytes(o.retainedSize()) + " (" + o.retainedSize() + " B)");
        row(out, "distance", AnalyzeReport.distance(o.distance()));
        if (o.dominator() != null) {
            row(out, "dominator", o.dominator().label() + " @" + o.dominator().id() + " (" + o.dominator().className() + ")");
        }
        row(out, "source", o.location() == null ? "-" : o.location().toString());
        row(out, "path", o.pathText().isEmpty() ? "(no path from a root)" : o.pathText());
        out.println();
        out.println("Edges (" + Format.count(o.edgeCount()) + (o.edges().size() < o.edgeCount() ? ", first "
                + o.edges().size() : "") + ")");
        edgeTable(o.edges(), out);
        out.println();
        out.println("Retainers (" + Format.count(o.retainerCount()) + (o.retainers().size() < o.retainerCount()
                ? ", first " + o.retainers().size() : "") + ")");
        edgeTable(o.retainers(), out);
        out.flush();
    }

    private static void edgeTable(List<ObjectInfo.Edge> edges, PrintWriter out) {
        if (edges.isEmpty()) {
            out.println("  none");
            return;
        }
        TextTable t = new TextTable("edge", "type", "object", "id>", "shallow>", "retained>");
        t.maxWidth(0, 40).maxWidth(2, 50);
        for (ObjectInfo.Edge e : edges) {
            t.row(e.label().isEmpty() ? "{" + e.name() + "}" : e.label(), e.type(), e.targetLabel(), "@" + e.id(),
                    Format.bytes(e.selfSize()), Format.bytes(e.retainedSize()));
        }
        out.print(t.render("  "));
    }

    private static void row(PrintWriter out, String label, String value) {
        out.println("  " + label + " ".repeat(Math.max(1, 15 - label.length())) + value);
    }

    public static void inspectJson(ObjectInfo o, Writer out) {
        try (Json j = new Json(out, true)) {
            j.startObject();
            inspectFields(o, j, Bounds.NONE);
            j.endObject();
        }
    }

    /** {@code inspect}'s document, into an open object. */
    public static void inspectFields(ObjectInfo o, Json j, Bounds b) {
        j.field("id", o.id()).field("type", o.type()).field("name", b.text(o.name()))
                .field("class", b.label(o.className())).field("label", b.label(o.label())).field("shallowBytes", o.selfSize())
                .field("retainedBytes", o.retainedSize());
        distance(j, o.distance());
        if (o.dominator() == null) {
            j.nullField("dominator");
        } else {
            j.startObject("dominator").field("id", o.dominator().id()).field("class", b.label(o.dominator().className()))
                    .field("label", b.label(o.dominator().label())).endObject();
        }
        JsonParts.location(j, o.location());
        j.field("pathText", b.text(o.pathText()));
        JsonParts.path(j, o.path(), b);
        j.field("edgeCount", o.edgeCount());
        edgesJson(j, "edges", o.edges(), b);
        j.field("retainerCount", o.retainerCount());
        edgesJson(j, "retainers", o.retainers(), b);
    }

    /** {@code "distance"} (null when no root reaches the object) and {@code "system"} (only GC roots reach it). */
    private static void distance(Json j, int d) {
        if (d < 0) {
            j.nullField("distance");
        } else {
            j.field("distance", d);
        }
        j.field("system", d >= Distances.SYSTEM_BASE);
    }

    private static void edgesJson(Json j, String name, List<ObjectInfo.Edge> edges, Bounds b) {
        j.startArray(name);
        for (ObjectInfo.Edge e : edges) {
            j.startObject().field("edgeType", e.type()).field("edge", b.label(e.name())).field("label", b.label(e.label()))
                    .field("id", e.id()).field("class", b.label(e.className())).field("objectLabel", b.label(e.targetLabel()))
                    .field("shallowBytes", e.selfSize()).field("retainedBytes", e.retainedSize()).endObject();
        }
        j.endArray();
    }

    // ---- dominators ----

    public static void dominatorsText(DominatorView.Node root, long total, int depth, PrintWriter out) {
        out.println("Dominator tree below " + root.label() + " @" + root.id() + " (" + root.className() + "): "
                + Format.bytes(root.retainedSize()) + " retained, " + Format.percent(root.retainedSize(), total)
                + " of the heap; biggest first, " + depth + (depth == 1 ? " level" : " levels"));
        TextTable t = new TextTable("retained>", "share>", "shallow>", "object");
        t.maxWidth(3, 140);
        // depth-first, iterative; a summary row follows the children shown
        record Frame(DominatorView.Node node, int level, String summary, long summaryBytes) {}
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(root, 0, null, 0));
        while (!stack.isEmpty()) {
            Frame f = stack.pop();
            String indent = "  ".repeat(f.level());
            if (f.summary() != null) {
                t.row(Format.bytes(f.summaryBytes()), Format.percent(f.summaryBytes(), total), "", indent + f.summary());
                continue;
            }
            DominatorView.Node n = f.node();
            String edge = f.level() == 0 ? "" : (n.edge() == null ? "(via other objects) " : n.edge() + " ");
            t.row(Format.bytes(n.retainedSize()), Format.percent(n.retainedSize(), total), Format.bytes(n.selfSize()),
                    indent + edge + n.label() + " @" + n.id() + (n.label().equals(n.className()) ? "" : " (" + n.className() + ")"));
            if (n.otherCount() > 0 && f.level() < depth) {
                stack.push(new Frame(null, f.level() + 1, "… " + Format.count(n.otherCount()) + " more", n.otherRetained()));
            }
            for (int i = n.children().size() - 1; i >= 0; i--) {
                stack.push(new Frame(n.children().get(i), f.level() + 1, null, 0));
            }
        }
        out.print(t.render("  "));
        out.flush();
    }

    public static void dominatorsJson(DominatorView.Node root, long total, int depth, Writer out) {
        try (Json j = new Json(out, true)) {
            j.startObject();
            dominatorsFields(root, total, depth, j, Bounds.NONE);
            j.endObject();
        }
    }

    /** {@code dominators}' document, into an open object: {@code totalBytes, depth, root: {..., children}}. */
    public static void dominatorsFields(DominatorView.Node root, long total, int depth, Json j, Bounds b) {
        j.field("totalBytes", total).field("depth", depth);
        j.startObject("root");
        nodeJson(j, root, b);
        j.endObject();
    }

    /** Writes a node's fields and its children; recursion depth is bounded by --depth (at most 50). */
    private static void nodeJson(Json j, DominatorView.Node n, Bounds b) {
        j.field("id", n.id()).field("class", b.label(n.className())).field("label", b.label(n.label()))
                .field("edge", b.label(n.edge()))
                .field("shallowBytes", n.selfSize()).field("retainedBytes", n.retainedSize())
                .field("childCount", n.childCount()).field("otherCount", n.otherCount())
                .field("otherRetainedBytes", n.otherRetained());
        j.startArray("children");
        for (DominatorView.Node c : n.children()) {
            j.startObject();
            nodeJson(j, c, b);
            j.endObject();
        }
        j.endArray();
    }

    // ---- search ----

    /**
     * A search's result, into an open object: {@code query}, {@code matched} and {@code matchedBytes} (all
     * matches), {@code classes} (the class names matched, cut to the list bound, with {@code classCount}), and
     * {@code objects}, biggest retained size first.
     */
    public static void searchFields(ObjectSearch.Result r, Json j, Bounds b) {
        j.startObject("query");
        JsonParts.nullable(j, "class", r.query().className());
        JsonParts.nullable(j, "string", r.query().stringContent());
        j.endObject();
        j.field("matched", r.matched()).field("matchedBytes", r.matchedBytes());
        if (r.query().className() != null) {
            j.field("classCount", r.classes().size());
            j.startArray("classes");
            for (String c : r.classes().subList(0, b.listItems(r.classes().size()))) {
                j.value(b.label(c));
            }
            j.endArray();
        }
        j.startArray("objects");
        for (ObjectSearch.Row row : r.rows()) {
            j.startObject().field("id", row.id()).field("class", b.label(row.className())).field("label", b.label(row.label()))
                    .field("shallowBytes", row.selfSize()).field("retainedBytes", row.retainedSize());
            distance(j, row.distance());
            j.endObject();
        }
        j.endArray();
        j.field("omitted", r.matched() - r.rows().size());
    }

    static String shorten(String s, int max) {
        String t = s.replace('\n', ' ');
        return t.length() <= max ? t : t.substring(0, max - 1) + "…";
    }
}
