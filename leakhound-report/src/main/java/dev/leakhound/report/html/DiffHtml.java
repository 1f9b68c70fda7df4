package dev.leakhound.report.html;

import dev.leakhound.analysis.diff.DiffResult;
import dev.leakhound.report.Bounds;
import dev.leakhound.report.DiffReport;

import java.io.Writer;

/**
 * The diff page: the two snapshots and the totals, a bar chart of the classes that grew and shrank
 * most, and the per-class Comparison table (sortable, filterable). Its data is {@code diff --json}'s
 * document with page bounds ({@link Bounds#PAGE}).
 */
public final class DiffHtml {
    private DiffHtml() {}

    public static void write(DiffResult r, Writer out) {
        String title = "leakhound diff: " + name(r.before()) + " \u2192 " + name(r.after());
        HtmlPage.write(out, "diff", title, j -> DiffReport.fields(r, j, Bounds.PAGE));
    }

    private static String name(DiffResult.Side s) {
        return s.file() == null ? "(memory)" : AnalyzeHtml.fileName(s.file());
    }
}
