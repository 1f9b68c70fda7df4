package dev.leakhound.report.html;

import dev.leakhound.analysis.ClassSummary;
import dev.leakhound.analysis.LargestObjects;
import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.analysis.SourceLocator;
import dev.leakhound.analysis.Statistics;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.report.Json;

import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/**
 * The analyze page: headline numbers, statistics, a drill-down treemap of the dominator tree, the
 * class summary as a sortable and filterable table, and the largest objects with their retainer
 * paths and source positions. Field names follow {@code analyze --json} where they overlap.
 */
public final class AnalyzeHtml {
    /** Rows of the class table embedded in the page (the rest is summed in one line). */
    public static final int MAX_CLASSES = 3000;

    private AnalyzeHtml() {}

    public static void write(SnapshotAnalysis a, HeapGraph g, Writer out) {
        String name = a.file().equals("(memory)") ? a.file() : fileName(a.file());
        HtmlPage.write(out, "analyze", "leakhound analyze: " + name, j -> data(a, g, j));
    }

    static void data(SnapshotAnalysis a, HeapGraph g, Json j) {
        j.field("file", a.file()).field("nodes", a.nodeCount()).field("edges", a.edgeCount())
                .field("totalBytes", a.totalSize()).field("unreachableNodes", a.unreachableNodes())
                .field("readMillis", a.readMillis()).field("analyzeMillis", a.analyzeMillis());
        Statistics s = a.statistics();
        j.startObject("statistics")
                .field("total", s.total()).field("v8Heap", s.v8Heap()).field("native", s.native_())
                .field("typedArrays", s.typedArrays()).field("code", s.code()).field("strings", s.strings())
                .field("jsArrays", s.jsArrays()).field("system", s.system()).field("other", s.other())
                .endObject();

        List<ClassSummary.Row> classes = a.classes();
        j.field("classCount", classes.size());
        // rows as arrays: [name, count, distance|null, shallowBytes, retainedBytes]
        j.startArray("classes");
        int shown = Math.min(MAX_CLASSES, classes.size());
        for (int i = 0; i < shown; i++) {
            ClassSummary.Row r = classes.get(i);
            j.startArray().value(DominatorSample.shorten(r.name(), 300)).value(r.count());
            if (r.minDistance() < 0 || r.minDistance() >= 100_000_000) {
                run(j, () -> j.gen().writeNull());
            } else {
                j.value(r.minDistance());
            }
            j.value(r.shallowSize()).value(r.retainedSize()).endArray();
        }
        j.endArray();
        long restCount = 0;
        long restShallow = 0;
        for (int i = shown; i < classes.size(); i++) {
            restCount += classes.get(i).count();
            restShallow += classes.get(i).shallowSize();
        }
        j.startObject("classesOmitted").field("classes", classes.size() - shown).field("count", restCount)
                .field("shallowBytes", restShallow).endObject();

        SourceLocator locator = new SourceLocator(g);
        j.startArray("largest");
        for (LargestObjects.Row r : a.largest()) {
            j.startObject().field("id", r.id()).field("class", r.className()).field("label", r.label())
                    .field("shallowBytes", r.selfSize()).field("retainedBytes", r.retainedSize())
                    .field("distance", r.distance()).field("pathText", FindLeaksHtml.middle(r.pathText(), 2000));
            FindLeaksHtml.writePath(j, r.path());
            SourceLocator.Location loc = locator.of(r.node());
            if (loc == null) {
                j.nullField("location");
            } else {
                j.startObject("location").field("file", loc.file()).field("line", loc.line())
                        .field("column", loc.column()).field("userCode", loc.isUserCode()).endObject();
            }
            j.endObject();
        }
        j.endArray();
        DominatorSample.of(g).write(g, j, "dominators");
        diagnosis(a.diagnosis(), j);
    }

    /** The diagnosis: suspects and pattern findings with their evidence, paths and source positions. */
    static void diagnosis(dev.leakhound.analysis.diagnosis.Diagnosis d, Json j) {
        if (d == null) {
            j.nullField("diagnosis");
            return;
        }
        j.startObject("diagnosis").field("verdict", d.verdict()).field("healthy", d.healthy());
        j.startArray("suspects");
        for (var s : d.suspects()) {
            j.startObject().field("kind", s.kind()).field("class", s.className()).field("label", s.label())
                    .field("count", s.count()).field("retainedBytes", s.retainedBytes())
                    .field("pathText", FindLeaksHtml.middle(s.pathText(), 2000));
            FindLeaksHtml.writePath(j, s.path());
            location(j, s.location());
            if (s.accumulation() != null) {
                j.startObject("accumulation").field("label", s.accumulation().label())
                        .field("class", s.accumulation().className()).field("retainedBytes", s.accumulation().retainedBytes())
                        .field("pathText", FindLeaksHtml.middle(s.accumulation().pathText(), 2000)).endObject();
            }
            j.endObject();
        }
        j.endArray();
        j.startArray("findings");
        for (var f : d.findings()) {
            j.startObject().field("kind", f.kind()).field("title", f.title()).field("bytes", f.bytes())
                    .field("count", f.count()).field("class", f.className())
                    .field("pathText", FindLeaksHtml.middle(f.pathText(), 2000)).field("fix", f.fix());
            FindLeaksHtml.writePath(j, f.path());
            location(j, f.location());
            j.startArray("evidence");
            for (var fact : f.evidence()) {
                j.startObject().field("name", fact.name()).field("type", fact.type().name());
                Object v = fact.value();
                if (v instanceof Number n) {
                    j.field("value", n.longValue());
                } else if (v instanceof List<?> l) {
                    j.startArray("value");
                    for (Object o : l.subList(0, Math.min(20, l.size()))) {
                        j.value(DominatorSample.shorten(String.valueOf(o), 300));
                    }
                    j.endArray();
                } else {
                    j.field("value", v == null ? null : DominatorSample.shorten(String.valueOf(v), 2000));
                }
                j.endObject();
            }
            j.endArray();
            j.endObject();
        }
        j.endArray();
        j.startArray("notes");
        for (String n : d.notes()) {
            j.value(n);
        }
        j.endArray();
        j.endObject();
    }

    private static void location(Json j, SourceLocator.Location loc) {
        if (loc == null) {
            j.nullField("location");
        } else {
            j.startObject("location").field("file", loc.file()).field("line", loc.line())
                    .field("column", loc.column()).field("userCode", loc.isUserCode()).endObject();
        }
    }

    static String fileName(String file) {
        Path p = Path.of(file).getFileName();
        return p == null ? file : p.toString();
    }

    private interface IoAction {
        void run() throws java.io.IOException;
    }

    private static void run(Json j, IoAction a) {
        try {
            a.run();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
