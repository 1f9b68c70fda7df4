package dev.leakhound.report.html;

import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.analysis.objects.DominatorSample;
import dev.leakhound.report.AnalyzeReport;
import dev.leakhound.report.Bounds;
import dev.leakhound.report.Json;

import java.io.Writer;
import java.nio.file.Path;

/**
 * The analyze page: headline numbers, statistics, a drill-down treemap of the dominator tree, the
 * class summary as a sortable and filterable table, the largest objects with their retainer paths and
 * source positions, and the diagnosis. Its data is {@code analyze --json}'s document with page bounds
 * ({@link Bounds#PAGE}), plus {@code dominators}, the sampled top of the dominator tree.
 */
public final class AnalyzeHtml {
    private AnalyzeHtml() {}

    /** {@code a} must carry a dominator sample (analyzed with {@code dominators} on). */
    public static void write(SnapshotAnalysis a, boolean timings, Writer out) {
        String name = a.file().equals("(memory)") ? a.file() : fileName(a.file());
        HtmlPage.write(out, "analyze", "leakhound analyze: " + name, j -> {
            AnalyzeReport.fields(a, j, Bounds.PAGE, timings);
            if (a.dominators() != null) {
                dominators(a.dominators(), j);
            }
        });
    }

    /**
     * {@code "dominators": {"nodes","maxNodes","maxChildren","parent":[...], "id":[...], "cls":[...],
     * "label":[...], "edge":[...], "self":[...], "retained":[...], "children":[...]}} as parallel columns.
     */
    public static void dominators(DominatorSample d, Json j) {
        int n = d.size();
        j.startObject("dominators");
        j.field("nodes", n).field("maxNodes", d.maxNodes()).field("maxChildren", d.maxChildren());
        j.startArray("parent");
        for (int i = 0; i < n; i++) {
            j.value(d.parent()[i]);
        }
        j.endArray().startArray("id");
        for (int i = 0; i < n; i++) {
            j.value(d.id()[i]);
        }
        j.endArray().startArray("cls");
        for (int i = 0; i < n; i++) {
            j.value(Bounds.PAGE.label(d.className()[i]));
        }
        j.endArray().startArray("label");
        for (int i = 0; i < n; i++) {
            j.value(Bounds.PAGE.label(d.label()[i]));
        }
        j.endArray().startArray("edge");
        for (int i = 0; i < n; i++) {
            j.value(Bounds.PAGE.label(d.edge()[i]));
        }
        j.endArray().startArray("self");
        for (int i = 0; i < n; i++) {
            j.value(d.self()[i]);
        }
        j.endArray().startArray("retained");
        for (int i = 0; i < n; i++) {
            j.value(d.retained()[i]);
        }
        j.endArray().startArray("children");
        for (int i = 0; i < n; i++) {
            j.value(d.children()[i]);
        }
        j.endArray();
        j.endObject();
    }

    static String fileName(String file) {
        Path p = Path.of(file).getFileName();
        return p == null ? file : p.toString();
    }
}
