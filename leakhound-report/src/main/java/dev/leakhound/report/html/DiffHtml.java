package dev.leakhound.report.html;

import dev.leakhound.analysis.diff.DiffResult;
import dev.leakhound.analysis.diff.SameProcessCheck;
import dev.leakhound.report.Json;

import java.io.Writer;
import java.util.List;

/**
 * The diff page: the two snapshots and the totals (headline numbers, equal to {@code diff --json}'s
 * {@code before}, {@code after}, {@code deltaBytes} and {@code totals}), a bar chart of the classes
 * that grew and shrank most, and the per-class Comparison table (sortable, filterable). Field names
 * follow {@code diff --json} where they overlap.
 */
public final class DiffHtml {
    /** Rows of the class table embedded in the page (the rest is summed in one line). */
    public static final int MAX_CLASSES = 3000;

    private DiffHtml() {}

    public static void write(DiffResult r, Writer out) {
        String title = "leakhound diff: " + name(r.before()) + " \u2192 " + name(r.after());
        HtmlPage.write(out, "diff", title, j -> data(r, j));
    }

    static void data(DiffResult r, Json j) {
        side(j, "before", r.before());
        side(j, "after", r.after());
        j.field("deltaBytes", r.deltaBytes());
        SameProcessCheck.Result c = r.check();
        j.startObject("ids").field("shared", c.sharedIds()).field("smallerNodeCount", c.smallerNodeCount())
                .field("agreeing", c.agreeingIds()).field("sameProcess", c.sameProcess()).endObject();
        j.startArray("warnings");
        for (String w : r.warnings()) {
            j.value(w);
        }
        j.endArray();
        j.field("classCount", r.classCount()).field("changed", r.classes().size());
        j.startObject("totals");
        delta(j, r.totals());
        j.endObject();
        // rows as arrays: [name, new, deleted, allocatedBytes, freedBytes, countBefore, countAfter, bytesBefore, bytesAfter]
        List<DiffResult.ClassDelta> classes = r.classes();
        int shown = Math.min(MAX_CLASSES, classes.size());
        j.startArray("classes");
        for (int i = 0; i < shown; i++) {
            DiffResult.ClassDelta d = classes.get(i);
            j.startArray().value(DominatorSample.shorten(d.name(), 300)).value(d.newCount()).value(d.deletedCount())
                    .value(d.allocatedBytes()).value(d.freedBytes()).value(d.countBefore()).value(d.countAfter())
                    .value(d.bytesBefore()).value(d.bytesAfter()).endArray();
        }
        j.endArray();
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

    private static void side(Json j, String field, DiffResult.Side s) {
        j.startObject(field);
        if (s.file() == null) {
            j.nullField("file");
        } else {
            j.field("file", s.file());
        }
        j.field("nodes", s.nodes()).field("totalBytes", s.totalBytes()).field("maxJsObjectId", s.maxJsObjectId()).endObject();
    }

    private static void delta(Json j, DiffResult.ClassDelta d) {
        j.field("newCount", d.newCount()).field("deletedCount", d.deletedCount()).field("deltaCount", d.deltaCount())
                .field("allocatedBytes", d.allocatedBytes()).field("freedBytes", d.freedBytes())
                .field("deltaBytes", d.deltaBytes())
                .field("countBefore", d.countBefore()).field("countAfter", d.countAfter())
                .field("bytesBefore", d.bytesBefore()).field("bytesAfter", d.bytesAfter());
    }

    private static String name(DiffResult.Side s) {
        return s.file() == null ? "(memory)" : AnalyzeHtml.fileName(s.file());
    }
}
