package dev.leakhound.report.html;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;

import static dev.leakhound.report.html.HtmlReportsTest.IMG;
import static dev.leakhound.report.html.HtmlReportsTest.SCRIPT;
import static org.assertj.core.api.Assertions.assertThat;

/** The watch page's data: bounded however long the watch, exact counts, hostile strings kept as data. */
class HtmlWatchPageTest {
    @Test
    void aLongWatchIsDownsampledKeepingPeaksAndEveryGcPause() {
        WatchRecord r = new WatchRecord("node " + SCRIPT, 0.5, 1_000);
        int n = 23_456;
        long peakAt = 17_001;
        for (int i = 0; i < n; i++) {
            long heap = 1_000_000 + i;
            r.sample(1_000 + 500L * i, i == peakAt ? 999_999_999 : 50_000_000, 40_000_000, heap, 1_000, 10, 0);
            r.gc("minor", 0.5);
            if (i % 100 == 0) {
                r.gc("major", 2.0);
                r.stats(new WatchRecord.Stats(1_000 + 500L * i, i / 100 + 1, i, i / 100 + 1, 1.5, heap, heap, 1, heap));
            }
        }
        r.leak(new WatchRecord.Leak(1_000, 2_000, 123_456, "heap growth over 5 consecutive GCs (1s) - " + IMG));
        r.end("watched for 3 s", n, 235, n, 1);
        assertThat(r.points()).isLessThanOrEqualTo(WatchRecord.MAX_POINTS).isGreaterThan(WatchRecord.MAX_POINTS / 4);
        StringWriter w = new StringWriter();
        WatchHtml.write(r, w);
        String html = w.toString();
        // the target (a command line) is in the title, escaped; nowhere else outside the data
        assertThat(java.util.regex.Pattern.compile("<script", java.util.regex.Pattern.CASE_INSENSITIVE).matcher(html).results().count()).isEqualTo(2);
        assertThat(html).doesNotContainIgnoringCase("<img").contains("<title>leakhound watch: node &lt;script&gt;alert(1)&lt;/script&gt;</title>");
        int data = html.indexOf("id=\"leakhound-data\">");
        assertThat(html.substring(html.indexOf("</title>"), data)).doesNotContain("alert(");
        assertThat(html.substring(html.indexOf("</script>", data))).doesNotContain("alert(");
        Object d = JsonTree.pageData(html);
        assertThat(JsonTree.at(d, "target")).isEqualTo("node " + SCRIPT);
        assertThat(JsonTree.at(d, "leaks", 0, "reason").toString()).endsWith(IMG);
        assertThat(JsonTree.num(d, "end", "samples")).isEqualTo(n);
        assertThat(JsonTree.num(d, "end", "num_full_gc")).isEqualTo(235);
        assertThat(JsonTree.num(d, "last", "heapUsed")).isEqualTo(1_000_000 + n - 1);
        @SuppressWarnings("unchecked")
        List<Number> rss = (List<Number>) JsonTree.at(d, "series", "rss");
        long spp = JsonTree.num(d, "samplesPerPoint");
        assertThat(rss).hasSize(r.points());
        assertThat(spp * rss.size()).isGreaterThanOrEqualTo(n);
        assertThat(rss.stream().mapToLong(Number::longValue).max().orElseThrow()).as("the peak survives").isEqualTo(999_999_999);
        // every GC is in the per-point sums and in the per-kind totals
        @SuppressWarnings("unchecked")
        List<Number> minor = (List<Number>) JsonTree.at(d, "gc", 0, "counts");
        assertThat(minor.stream().mapToLong(Number::longValue).sum()).isEqualTo(n);
        assertThat(JsonTree.num(d, "gc", 0, "count")).isEqualTo(n);
        assertThat(JsonTree.at(d, "gc", 1, "kind")).isEqualTo("major");
        assertThat(((Number) JsonTree.at(d, "gc", 1, "pauseMs")).doubleValue()).isEqualTo(2.0 * 235);
        // stats thinned but the latest kept
        List<?> stats = (List<?>) JsonTree.at(d, "stats");
        assertThat(stats.size()).isLessThanOrEqualTo(WatchRecord.MAX_STATS);
        assertThat(JsonTree.num(d, "stats", stats.size() - 1, "num_full_gc")).isEqualTo(235);
        assertThat(JsonTree.num(d, "statsSeen")).isEqualTo(235);
        assertThat(html.length()).as("bounded page").isLessThan(1_500_000);
    }

    @Test
    void aRunningWatchSaysSoAndCountsWhatItSaw() {
        WatchRecord r = new WatchRecord("pid 42", 2, 0);
        r.sample(2_000, 10, 9, 8, 7, 6, 0);
        r.gc("major", 1.25);
        r.stats(new WatchRecord.Stats(2_000, 1, 0, 1, 0, 8, 8, 0, 0));
        StringWriter w = new StringWriter();
        WatchHtml.write(r, w);
        Object d = JsonTree.pageData(w.toString());
        assertThat(JsonTree.at(d, "end", "running")).isEqualTo(true);
        assertThat(JsonTree.num(d, "end", "samples")).isEqualTo(1);
        assertThat(JsonTree.num(d, "end", "num_full_gc")).isEqualTo(1);
        assertThat(JsonTree.num(d, "series", "heapUsed", 0)).isEqualTo(8);
    }
}
