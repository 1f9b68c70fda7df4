package dev.leakhound.report.html;

import java.io.Writer;

/**
 * The watch page: memory over time (rss, heapTotal, heapUsed, external) with memwatch's leak events
 * marked on the timeline, GC pauses per kind, memwatch's stats (estimated_base, usage_trend), and the
 * counts of {@code watch --json}'s {@code end} line as headline numbers. Data from a {@link WatchRecord}
 * (bounded however long the watch ran).
 */
public final class WatchHtml {
    private WatchHtml() {}

    public static void write(WatchRecord r, Writer out) {
        HtmlPage.write(out, "watch", "leakhound watch: " + r.target(), r::write);
    }
}
