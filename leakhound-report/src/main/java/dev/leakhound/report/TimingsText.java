package dev.leakhound.report;

import dev.leakhound.analysis.Timings;

/** How long the steps of an analysis took, for {@code --timings}. */
public final class TimingsText {
    private TimingsText() {}

    /** {@code read 1.20 s, graph 0.80 s, analyze 12 ms} */
    public static String line(Timings t) {
        StringBuilder sb = new StringBuilder();
        for (Timings.Step s : t.steps()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.name()).append(' ').append(Format.millis(s.millis()));
        }
        return sb.length() == 0 ? "(not timed)" : sb.toString();
    }

    /** {@code "timings": [{"step","millis"}...]} */
    public static void json(Timings t, Json j) {
        j.startArray("timings");
        for (Timings.Step s : t.steps()) {
            j.startObject().field("step", s.name()).field("millis", s.millis()).endObject();
        }
        j.endArray();
    }
}
