package dev.leakhound.report;

import dev.leakhound.analysis.Timings;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.memory.MemoryGrowth;
import dev.leakhound.analysis.memory.MemoryPoint;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryTextTest {
    private static final long MB = 1L << 20;

    private static MemoryPoint point(long t, long nativeBytes) {
        long anon = 5 * MB + MB + nativeBytes;
        return new MemoryPoint(t, anon + 40 * MB, anon, 40 * MB, 0, 4 * MB, 5 * MB, 5 * MB, MB, MB / 2, 200_000,
                Map.of("old_space", 3 * MB));
    }

    private static LeakReport report(MemoryGrowth m) {
        return new LeakReport(List.of(new LeakReport.SnapshotInfo("s1", 10, 100, 9), new LeakReport.SnapshotInfo("s2", 10, 100, 9),
                new LeakReport.SnapshotInfo("s3", 10, 100, 9)), List.of(), List.of(), null, Timings.none()).withMemory(m);
    }

    @Test
    void nativeGrowthIsTheVerdictEverywhere() {
        MemoryGrowth m = MemoryGrowth.judge(List.of(point(0, 30 * MB), point(1000, 40 * MB), point(2000, 60 * MB)),
                MemoryGrowth.DEFAULT_MIN_GROWTH);
        LeakReport r = report(m);
        assertThat(r.verdict()).isEqualTo("native-growth");
        StringWriter text = new StringWriter();
        LeakReportRenderer.text(r, new PrintWriter(text));
        assertThat(text.toString()).contains("Verdict    native-growth: the JS heap shows no leak, but resident memory grew by 20.0 MB",
                "  native       30.0 MB -> 40.0 MB -> 60.0 MB (+20.0 MB)", "MALLOC_ARENA_MAX");
        StringWriter json = new StringWriter();
        LeakReportRenderer.json(r, json);
        assertThat(json.toString()).contains("\"verdict\" : \"native-growth\"", "\"growth\" : \"native\"", "\"nativeGrowth\" : 20971520");
        StringWriter junit = new StringWriter();
        JUnitReport.write(r, "leakhound hunt x", junit);
        assertThat(junit.toString()).contains("failures=\"1\"", "classname=\"leakhound.memory\" name=\"native-growth\"",
                "<failure type=\"native-growth\"");
    }

    @Test
    void noGrowthLeavesNoLeak() {
        MemoryGrowth m = MemoryGrowth.judge(List.of(point(0, 30 * MB), point(1000, 34 * MB), point(2000, 34 * MB)),
                MemoryGrowth.DEFAULT_MIN_GROWTH);
        LeakReport r = report(m);
        assertThat(r.verdict()).isEqualTo("no-leak");
        StringWriter text = new StringWriter();
        LeakReportRenderer.text(r, new PrintWriter(text));
        assertThat(text.toString()).contains("Verdict    no-leak", "resident did not grow by 8.00 MB or more (0 B;");
        StringWriter junit = new StringWriter();
        JUnitReport.write(r, "leakhound hunt x", junit);
        assertThat(junit.toString()).contains("failures=\"0\"", "name=\"no leak\"");
    }
}
