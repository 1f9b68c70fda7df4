package dev.leakhound.report.html;

import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.report.Bounds;
import dev.leakhound.report.DiffReport;
import dev.leakhound.report.LeakReportRenderer;

import java.io.Writer;
import java.util.List;

/**
 * The find-leaks page: the verdict, the snapshots, each leak with its growth per snapshot, its
 * retainer path drawn as a chain, source position and fix, the dismissed groups, and (when the report
 * carries one) the per-class comparison of the first and last snapshot. Its data is
 * {@code find-leaks --json}'s document with page bounds ({@link Bounds#PAGE}), plus {@code classDiff}
 * ({@code diff --json}'s fields for the first and last snapshot, with page bounds).
 */
public final class FindLeaksHtml {
    private FindLeaksHtml() {}

    /** {@code timings}: the page also says how long the analysis took (as {@code --json --timings} does). */
    public static void write(LeakReport r, boolean timings, Writer out) {
        List<LeakReport.SnapshotInfo> snaps = r.snapshots();
        String title = "leakhound find-leaks: " + r.verdict() + " (" + AnalyzeHtml.fileName(snaps.get(0).file())
                + " … " + AnalyzeHtml.fileName(snaps.get(snaps.size() - 1).file()) + ")";
        HtmlPage.write(out, "find-leaks", title, j -> {
            LeakReportRenderer.fields(r, j, Bounds.PAGE, timings);
            if (r.classDiff() != null) {
                j.startObject("classDiff");
                DiffReport.fields(r.classDiff(), j, Bounds.PAGE);
                j.endObject();
            }
        });
    }
}
