package dev.leakhound.report.html;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.diff.DiffResult;
import dev.leakhound.report.Bounds;
import dev.leakhound.report.DiffReport;
import dev.leakhound.report.Json;
import dev.leakhound.report.JsonParts;

import java.io.Writer;
import java.util.List;

/**
 * The find-leaks page: the verdict, the snapshots, each leak with its growth per snapshot, its
 * retainer path drawn as a chain, source position and fix, the dismissed groups, and (when given)
 * the per-class comparison of the first and last snapshot. Field names follow
 * {@code find-leaks --json} where they overlap.
 */
public final class FindLeaksHtml {
    /** Rows of the class comparison embedded in the page. */
    public static final int MAX_CLASS_ROWS = 2000;

    private FindLeaksHtml() {}

    /** {@code classDiff} may be null (then the page has no class table). */
    public static void write(LeakReport r, DiffResult classDiff, Writer out) {
        List<LeakReport.SnapshotInfo> snaps = r.snapshots();
        String title = "leakhound find-leaks: " + r.verdict() + " (" + AnalyzeHtml.fileName(snaps.get(0).file())
                + " … " + AnalyzeHtml.fileName(snaps.get(snaps.size() - 1).file()) + ")";
        HtmlPage.write(out, "find-leaks", title, j -> data(r, classDiff, j));
    }

    static void data(LeakReport r, DiffResult classDiff, Json j) {
        j.field("verdict", r.verdict()).field("millis", r.millis());
        j.startArray("snapshots");
        for (LeakReport.SnapshotInfo s : r.snapshots()) {
            j.startObject().field("file", s.file()).field("nodes", s.nodes()).field("totalBytes", s.totalBytes()).endObject();
        }
        j.endArray();
        j.startArray("leaks");
        for (LeakReport.Leak l : r.leaks()) {
            leak(j, l);
        }
        j.endArray();
        j.startArray("dismissed");
        for (LeakReport.Leak l : r.dismissed()) {
            leak(j, l);
        }
        j.endArray();
        if (classDiff != null) {
            j.startObject("classDiff");
            DiffReport.fields(classDiff, j, Bounds.PAGE);
            j.endObject();
        }
    }

    /** Steps of a retainer path kept in a page (see {@link Bounds#PAGE}). */
    public static final int MAX_PATH_STEPS = Bounds.PAGE.maxPathSteps();

    static void writePath(Json j, List<RetainerPath.Step> path) {
        JsonParts.path(j, path, Bounds.PAGE);
    }

    /** A long text cut in the middle: {@code head … tail}. */
    static String middle(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int half = (max - 1) / 2;
        return s.substring(0, half) + "…" + s.substring(s.length() - half);
    }

    private static void leak(Json j, LeakReport.Leak l) {
        j.startObject();
        j.field("rank", l.rank()).field("summary", l.summary()).field("pattern", l.pattern())
                .field("culprit", l.culprit()).field("leakedClass", l.leakedClass())
                .field("retainedBytes", l.retainedBytes()).field("count", l.count())
                .field("growthBytes", l.growthBytes()).field("newBytes", l.newBytes()).field("newCount", l.newCount());
        j.startArray("countsPerSnapshot");
        for (long c : l.countsPerSnapshot()) {
            j.value(c);
        }
        j.endArray().startArray("bytesPerSnapshot");
        for (long b : l.bytesPerSnapshot()) {
            j.value(b);
        }
        j.endArray();
        writePath(j, l.path());
        j.field("pathText", middle(l.pathText(), 2000));
        j.startObject("container").field("id", l.container().id()).field("class", l.container().className())
                .field("pathText", middle(l.container().pathText(), 2000)).field("pattern", l.container().pattern())
                .field("scope", l.container().scope()).endObject();
        SourceLocator.Location loc = l.location();
        if (loc == null) {
            j.nullField("location");
        } else {
            j.startObject("location").field("file", loc.file()).field("line", loc.line())
                    .field("column", loc.column()).field("userCode", loc.isUserCode()).endObject();
        }
        j.field("hint", l.hint());
        if (l.reason() != null) {
            j.field("reason", l.reason());
        }
        j.endObject();
    }
}
