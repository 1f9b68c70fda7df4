package dev.leakhound.report;

import dev.leakhound.analysis.ClassSummary;
import dev.leakhound.analysis.explore.ClassInstances;
import dev.leakhound.analysis.explore.EdgeRow;
import dev.leakhound.analysis.explore.ObjectRow;
import dev.leakhound.analysis.explore.Page;
import dev.leakhound.analysis.strings.DuplicateStrings;
import dev.leakhound.core.graph.Distances;
import dev.leakhound.core.graph.HeapGraph;

import java.util.List;

/**
 * The JSON of {@code leakhound serve}'s views that no other command has: pages of a class's instances,
 * of an object's retainers (with distances, some retainers possibly ignored) and of its children in
 * Containment, and the Summary's class rows with the ids the other endpoints take. Every object is written
 * the same way: {@code id, class, label, distance (null when unreached), system, shallowBytes,
 * retainedBytes, edgeCount, retainerCount}.
 */
public final class ExploreReport {
    private ExploreReport() {}

    /** {@code total, offset, classes: [{classId, name, count, distance, shallowBytes, retainedBytes}]}. */
    public static void classes(List<ClassSummary.Row> rows, int offset, int limit, Json j, Bounds b) {
        j.field("total", rows.size()).field("offset", offset);
        j.startArray("classes");
        for (int i = offset; i < rows.size() && i < (long) offset + limit; i++) {
            ClassSummary.Row r = rows.get(i);
            j.startObject().field("classId", r.classId()).field("name", b.label(r.name())).field("count", r.count());
            if (r.minDistance() < 0) {
                j.nullField("distance");
            } else {
                j.field("distance", r.minDistance());
            }
            j.field("shallowBytes", r.shallowSize()).field("retainedBytes", r.retainedSize()).endObject();
        }
        j.endArray();
    }

    /**
     * The Summary under the "objects allocated between" filter: {@code total, offset, classes: [{classId, name,
     * count, distance, shallowBytes, retainedBytes: null}]}, most shallow bytes first.
     */
    public static void filteredClasses(List<ClassInstances.FilteredClass> rows, int offset, int limit, Json j, Bounds b) {
        j.field("total", rows.size()).field("offset", offset);
        j.startArray("classes");
        for (int i = offset; i < rows.size() && i < (long) offset + limit; i++) {
            ClassInstances.FilteredClass r = rows.get(i);
            j.startObject().field("classId", r.classId()).field("name", b.label(r.name())).field("count", r.count());
            if (r.minDistance() < 0) {
                j.nullField("distance");
            } else {
                j.field("distance", r.minDistance());
            }
            j.field("shallowBytes", r.shallowSize()).nullField("retainedBytes").endObject();
        }
        j.endArray();
    }

    /**
     * Summary's "Duplicated strings" filter: {@code texts, copies, wastedBytes} over all duplicated strings, then
     * {@code total, offset, strings: [{textId, text, copies, eachBytes, wastedBytes, sampleId}]}, the biggest
     * waste first; {@code textId} names the text for its copies' page.
     */
    public static void duplicates(HeapGraph g, DuplicateStrings.Tally t, int offset, int limit, Json j, Bounds b) {
        j.field("texts", t.texts()).field("copies", t.copies()).field("wastedBytes", t.wasted());
        List<DuplicateStrings.Text> rows = t.top();
        j.field("total", rows.size()).field("offset", offset);
        j.startArray("strings");
        for (int i = offset; i < rows.size() && i < (long) offset + limit; i++) {
            DuplicateStrings.Text x = rows.get(i);
            j.startObject().field("textId", x.text()).field("text", b.label(g.snapshot().strings().get(x.text())))
                    .field("copies", x.copies()).field("eachBytes", x.size()).field("wastedBytes", x.wasted())
                    .field("sampleId", g.snapshot().id(x.sample())).endObject();
        }
        j.endArray();
    }

    /** {@code total, offset, objects: [...]}. */
    public static void objects(Page<ObjectRow> p, Json j, Bounds b) {
        j.field("total", p.total()).field("offset", p.offset());
        j.startArray("objects");
        for (ObjectRow r : p.rows()) {
            j.startObject();
            object(r, j, b);
            j.endObject();
        }
        j.endArray();
    }

    /** {@code total, offset, edges: [{edgeType, edge, label, object: {...}}]}. */
    public static void edges(Page<EdgeRow> p, Json j, Bounds b) {
        j.field("total", p.total()).field("offset", p.offset());
        j.startArray("edges");
        for (EdgeRow e : p.rows()) {
            j.startObject().field("edgeType", e.edgeType()).field("edge", b.label(e.edgeName()))
                    .field("label", b.label(e.edgeLabel()));
            j.startObject("object");
            object(e.object(), j, b);
            j.endObject();
            j.endObject();
        }
        j.endArray();
    }

    /** One object's fields, into an open object. */
    public static void object(ObjectRow r, Json j, Bounds b) {
        j.field("id", r.id()).field("class", b.label(r.className())).field("label", b.label(r.label()));
        distance(r.distance(), j);
        j.field("shallowBytes", r.selfSize()).field("retainedBytes", r.retainedSize())
                .field("edgeCount", r.edgeCount()).field("retainerCount", r.retainerCount());
    }

    /** {@code "distance"} (null when no root reaches the object) and {@code "system"} (only GC roots reach it). */
    public static void distance(int d, Json j) {
        if (d < 0) {
            j.nullField("distance");
        } else {
            j.field("distance", d);
        }
        j.field("system", d >= Distances.SYSTEM_BASE);
    }
}
