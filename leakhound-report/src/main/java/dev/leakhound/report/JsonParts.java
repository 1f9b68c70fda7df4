package dev.leakhound.report;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;

import java.util.List;

/** The JSON shapes every document shares: retainer paths and source locations, written in one place. */
public final class JsonParts {
    private JsonParts() {}

    /**
     * {@code "path": [{"edge","edgeType","node","label","id"}...]}, from the first step below the root.
     * With a step bound, a longer path keeps its first and last halves with {@code {"elided": N}} between.
     */
    public static void path(Json j, List<RetainerPath.Step> path, Bounds b) {
        j.startArray("path");
        int n = path.size();
        int max = b.maxPathSteps();
        int half = max / 2;
        for (int i = 0; i < n; i++) {
            if (max > 0 && n > max && i == half) {
                j.startObject().field("elided", n - 2 * half).endObject();
                i = n - half - 1;
                continue;
            }
            RetainerPath.Step st = path.get(i);
            j.startObject().field("edge", b.label(st.edgeName())).field("edgeType", st.edgeType())
                    .field("node", b.label(st.nodeClass())).field("label", b.label(st.nodeLabel())).field("id", st.id())
                    .endObject();
        }
        j.endArray();
    }

    /**
     * {@code "location": {"file","line","column","userCode"}} or null; a position mapped through a source map is
     * the original one, with the position in the script that ran in {@code "generated": {"file","line","column"}}.
     */
    public static void location(Json j, SourceLocator.Location l) {
        location(j, "location", l);
    }

    public static void location(Json j, String field, SourceLocator.Location l) {
        if (l == null) {
            j.nullField(field);
        } else {
            j.startObject(field).field("file", l.file()).field("line", l.line()).field("column", l.column())
                    .field("userCode", l.isUserCode());
            if (l.generated() != null) {
                SourceLocator.Location g = l.generated();
                j.startObject("generated").field("file", g.file()).field("line", g.line()).field("column", g.column())
                        .endObject();
            }
            j.endObject();
        }
    }

    /** A string field that may be null. */
    public static void nullable(Json j, String field, String value) {
        if (value == null) {
            j.nullField(field);
        } else {
            j.field(field, value);
        }
    }

    /** A list of longs. */
    public static void longs(Json j, String field, long[] values) {
        j.startArray(field);
        for (long v : values) {
            j.value(v);
        }
        j.endArray();
    }
}
