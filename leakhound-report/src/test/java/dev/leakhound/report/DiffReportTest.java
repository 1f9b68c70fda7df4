package dev.leakhound.report;

import dev.leakhound.analysis.diff.DiffResult;
import dev.leakhound.analysis.diff.MemwatchDiff;
import dev.leakhound.analysis.diff.SameProcessCheck;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiffReportTest {

    static String resource(String name) throws IOException {
        try (InputStream in = DiffReportTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void niceSizeFollowsMemwatchFormula() {
        assertThat(DiffReport.niceSize(0)).isEqualTo("0 bytes");
        assertThat(DiffReport.niceSize(1024)).isEqualTo("1024 bytes");      // "above" is strict
        assertThat(DiffReport.niceSize(1025)).isEqualTo("1 kb");            // 1.00 printed by %g
        assertThat(DiffReport.niceSize(1536)).isEqualTo("1.5 kb");
        assertThat(DiffReport.niceSize(1152)).isEqualTo("1.13 kb");         // 112.5 rounds away from zero
        assertThat(DiffReport.niceSize(-1152)).isEqualTo("-1.13 kb");       // ... on both sides
        assertThat(DiffReport.niceSize(1048576)).isEqualTo("1024 kb");
        assertThat(DiffReport.niceSize(1234567)).isEqualTo("1.18 mb");
        assertThat(DiffReport.niceSize(3_000_000_000L)).isEqualTo("2861.02 mb");   // wrapped negative in memwatch
        assertThat(DiffReport.niceSize(12_345_678_901L)).isEqualTo("11773.8 mb");  // 6 significant digits
        assertThat(DiffReport.niceSize(1L << 40)).isEqualTo("1.04858e+06 mb");
    }

    /** 3,242 values printed by memwatch's formula compiled with g++ (the .cc file next to the .tsv). */
    @Test
    void niceSizeMatchesCppReference() throws IOException {
        int checked = 0;
        for (String line : resource("niceSize-reference.tsv").split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            assertThat(DiffReport.niceSize(Long.parseLong(f[0]))).as("niceSize(%s)", f[0]).isEqualTo(f[1]);
            checked++;
        }
        assertThat(checked).isGreaterThan(3000);
    }

    @Test
    void timeIsWrittenAsJavaScriptDates() {
        assertThat(DiffReport.isoTime(Instant.parse("2024-05-01T10:05:00Z"))).isEqualTo("2024-05-01T10:05:00.000Z");
        assertThat(DiffReport.isoTime(Instant.parse("2024-05-01T10:05:00.123456Z"))).isEqualTo("2024-05-01T10:05:00.123Z");
        assertThat(DiffReport.isoTime(null)).isNull();
    }

    static MemwatchDiff.Result memwatchSample() {
        return new MemwatchDiff.Result(
                new MemwatchDiff.Side(10, Instant.parse("2024-05-01T10:00:00Z"), 142),
                new MemwatchDiff.Side(16, Instant.parse("2024-05-01T10:05:00.250Z"), 3_000_001_309L),
                4, 10, List.of(
                        new MemwatchDiff.Detail("Alpha", 10, 1, 0),
                        new MemwatchDiff.Detail("Native", 3_000_000_000L, 1, 0),
                        new MemwatchDiff.Detail("\u00e9-name", -4, 0, 1)));
    }

    @Test
    void memwatchJsonHasHeapDiffShape() throws IOException {
        StringWriter w = new StringWriter();
        DiffReport.memwatch(memwatchSample(), w);
        assertThat(w.toString() + "\n").isEqualTo(resource("diff-memwatch.approved.json"));
    }

    static DiffResult comparisonSample() {
        List<DiffResult.ClassDelta> rows = List.of(
                new DiffResult.ClassDelta("Foo", 2, 3, 150, 230, 2, 1, 130, 50),
                new DiffResult.ClassDelta("Function", 1, 2, 10, 42, 1, 0, 32, 0),
                new DiffResult.ClassDelta("(string)", 1, 2, 20, 44, 1, 0, 24, 0),
                new DiffResult.ClassDelta("Qux", 1, 0, 5, 0, 0, 1, 0, 5));
        return new DiffResult(new DiffResult.Side("a.heapsnapshot", 8, 215, 23),
                new DiffResult.Side("b.heapsnapshot", 11, 2_000_361, 33),
                new SameProcessCheck.Result(6, 8, 6, 23, 33), rows,
                new DiffResult.ClassDelta("total", 6, 9, 215, 2_000_361, 4, 1, 186, 55), 8,
                List.of("something to know"));
    }

    @Test
    void textTableIsSortedAsGivenCutAtTopAndTotalled() throws IOException {
        StringWriter w = new StringWriter();
        DiffReport.text(comparisonSample(), 3, new PrintWriter(w));
        assertThat(w.toString()).isEqualTo(resource("diff-text.approved.txt"));
    }

    @Test
    void jsonHasEveryChangedClassAndTotals() throws IOException {
        StringWriter w = new StringWriter();
        DiffReport.json(comparisonSample(), w);
        assertThat(w.toString() + "\n").isEqualTo(resource("diff.approved.json"));
    }
}
