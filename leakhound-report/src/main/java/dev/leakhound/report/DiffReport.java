package dev.leakhound.report;

import dev.leakhound.analysis.diff.DiffResult;
import dev.leakhound.analysis.diff.MemwatchDiff;
import dev.leakhound.analysis.diff.SameProcessCheck;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Renders {@code leakhound diff}: DevTools-style Comparison as text or JSON, and memwatch's HeapDiff JSON. */
public final class DiffReport {
    private DiffReport() {}

    // ---- Comparison ----

    public static void text(DiffResult r, int top, PrintWriter out) {
        DiffResult.Side b = r.before();
        DiffResult.Side a = r.after();
        out.println("Before  " + name(b.file()) + "    " + Format.count(b.nodes()) + " nodes    " + Format.bytes(b.totalBytes()));
        out.println("After   " + name(a.file()) + "    " + Format.count(a.nodes()) + " nodes    " + Format.bytes(a.totalBytes())
                + "    (" + Format.signedBytes(r.deltaBytes()) + ", " + Format.signedCount((long) a.nodes() - b.nodes()) + " nodes)");
        SameProcessCheck.Result c = r.check();
        out.println("Ids     " + Format.count(c.sharedIds()) + " shared (" + Format.percent(c.sharedIds(), c.smallerNodeCount())
                + " of the smaller snapshot's nodes); " + Format.percent(c.agreeingIds(), c.sharedIds())
                + " of them name the same kind of object in both");
        out.println();
        List<DiffResult.ClassDelta> rows = r.classes();
        int shown = Math.min(top, rows.size());
        out.println("Classes by size delta (top " + shown + " of " + Format.count(rows.size())
                + " that changed; objects matched by id, self sizes)");
        TextTable t = new TextTable("class", "# new>", "# deleted>", "# delta>", "alloc. size>", "freed size>", "size delta>");
        t.maxWidth(0, 50);
        for (int i = 0; i < shown; i++) {
            row(t, rows.get(i).name(), rows.get(i));
        }
        row(t, "total (" + Format.count(rows.size()) + " classes)", r.totals());
        out.print(t.render("  "));
        if (rows.size() > shown) {
            int more = rows.size() - shown;
            out.println("  (" + Format.count(more) + (more == 1 ? " more class" : " more classes")
                    + "; --top N shows more, --json all)");
        }
        out.flush();
    }

    private static void row(TextTable t, String name, DiffResult.ClassDelta d) {
        t.row(name, Format.count(d.newCount()), Format.count(d.deletedCount()), Format.signedCount(d.deltaCount()),
                Format.bytes(d.allocatedBytes()), Format.bytes(d.freedBytes()), Format.signedBytes(d.deltaBytes()));
    }

    private static String name(String file) {
        return file == null ? "(memory)" : file;
    }

    /**
     * One JSON document: {@code before}/{@code after} ({@code file, nodes, totalBytes, maxJsObjectId}),
     * {@code ids} (the same-process check), {@code warnings}, {@code classes} (every class that changed,
     * biggest size delta first) and {@code totals}.
     */
    public static void json(DiffResult r, Writer out) {
        try (Json j = new Json(out, true)) {
            j.startObject();
            fields(r, j, Bounds.NONE);
            j.endObject();
        }
    }

    /**
     * The document's fields, into an open object (also what the diff page and the find-leaks page's class
     * comparison embed). With bounds, {@code classes} keeps the first {@link Bounds#maxRows()} and
     * {@code classesOmitted} sums the rest.
     */
    public static void fields(DiffResult r, Json j, Bounds b) {
        side(j, "before", r.before());
        side(j, "after", r.after());
        j.field("deltaBytes", r.deltaBytes());
        SameProcessCheck.Result c = r.check();
        j.startObject("ids").field("shared", c.sharedIds()).field("smallerNodeCount", c.smallerNodeCount())
                .field("agreeing", c.agreeingIds()).field("sameProcess", c.sameProcess()).endObject();
        j.startArray("warnings");
        for (DiffResult.Warning w : r.warnings()) {
            j.value(warning(w, r.check()));
        }
        j.endArray();
        j.field("classCount", r.classCount());
        List<DiffResult.ClassDelta> classes = r.classes();
        int shown = b.rows(classes.size());
        j.startArray("classes");
        for (int i = 0; i < shown; i++) {
            DiffResult.ClassDelta d = classes.get(i);
            j.startObject().field("name", b.label(d.name()));
            delta(j, d);
            j.endObject();
        }
        j.endArray();
        if (shown < classes.size()) {
            long nw = 0;
            long del = 0;
            long delta = 0;
            for (int i = shown; i < classes.size(); i++) {
                nw += classes.get(i).newCount();
                del += classes.get(i).deletedCount();
                delta += classes.get(i).deltaBytes();
            }
            j.startObject("classesOmitted").field("classes", classes.size() - shown).field("newCount", nw)
                    .field("deletedCount", del).field("deltaBytes", delta).endObject();
        }
        j.startObject("totals");
        delta(j, r.totals());
        j.endObject();
    }

    /** How a warning about a comparison reads. */
    public static String warning(DiffResult.Warning w, SameProcessCheck.Result check) {
        return switch (w.kind()) {
            case DIFFERENT_PROCESSES_FORCED -> check.problem(w.before(), w.after())
                    + "; compared anyway (--force): objects matched by id may be different objects";
            case AFTER_LOOKS_OLDER -> w.after() + " looks older than " + w.before() + " (its newest object id is "
                    + check.afterMaxJsId() + ", below " + check.beforeMaxJsId() + "); did you mean to swap them? (leakhound diff "
                    + w.after() + " " + w.before() + ")";
        };
    }

    private static void side(Json j, String field, DiffResult.Side s) {
        j.startObject(field).field("file", s.file()).field("nodes", s.nodes()).field("totalBytes", s.totalBytes())
                .field("maxJsObjectId", s.maxJsObjectId()).endObject();
    }

    private static void delta(Json j, DiffResult.ClassDelta d) {
        j.field("newCount", d.newCount()).field("deletedCount", d.deletedCount()).field("deltaCount", d.deltaCount())
                .field("allocatedBytes", d.allocatedBytes()).field("freedBytes", d.freedBytes())
                .field("deltaBytes", d.deltaBytes())
                .field("countBefore", d.countBefore()).field("countAfter", d.countAfter())
                .field("bytesBefore", d.bytesBefore()).field("bytesAfter", d.bytesAfter());
    }

    // ---- memwatch ----

    /**
     * memwatch's HeapDiff object, keys in memwatch's order:
     * {@code {before:{nodes,time,size_bytes,size}, after:{...}, change:{size_bytes,size,freed_nodes,
     * allocated_nodes,details:[{what,size_bytes,size,+,-}]}}}; {@code time} as {@code JSON.stringify}
     * writes a Date (ISO-8601, UTC, milliseconds).
     */
    public static void memwatch(MemwatchDiff.Result r, Writer out) {
        try (Json j = new Json(out, true)) {
            j.startObject();
            memwatchSide(j, "before", r.before());
            memwatchSide(j, "after", r.after());
            j.startObject("change");
            j.field("size_bytes", r.changeBytes()).field("size", niceSize(r.changeBytes()))
                    .field("freed_nodes", r.freedNodes()).field("allocated_nodes", r.allocatedNodes());
            j.startArray("details");
            for (MemwatchDiff.Detail d : r.details()) {
                j.startObject().field("what", d.what()).field("size_bytes", d.sizeBytes()).field("size", niceSize(d.sizeBytes()))
                        .field("+", d.added()).field("-", d.freed()).endObject();
            }
            j.endArray();
            j.endObject();
            j.endObject();
        }
    }

    private static void memwatchSide(Json j, String field, MemwatchDiff.Side s) {
        j.startObject(field).field("nodes", s.nodes()).field("time", isoTime(s.time()))
                .field("size_bytes", s.sizeBytes()).field("size", niceSize(s.sizeBytes())).endObject();
    }

    private static final DateTimeFormatter JS_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** As JavaScript's {@code Date.prototype.toJSON}: {@code 2024-05-01T12:34:56.789Z}; null stays null. */
    public static String isoTime(Instant t) {
        return t == null ? null : JS_DATE.format(t);
    }

    /** memwatch's {@code mw_util::niceSize}: see {@link NiceSize}. */
    public static String niceSize(long bytes) {
        return NiceSize.of(bytes);
    }
}
