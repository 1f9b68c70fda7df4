package dev.leakhound.report;

import dev.leakhound.inspector.watch.Memwatch;
import dev.leakhound.inspector.watch.Watcher;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WatchReportTest {
    static final long T0 = 1_700_000_000_000L;

    @Test
    void leakReasonMatchesMemwatchOnTheBookExample() {
        // growth 6222576 bytes over 493 s is the example quoted from memwatch users: (8m 13s) - 43.33 mb/hr
        Memwatch.Leak l = new Memwatch.Leak(T0, T0 + 493_000, 6_222_576, 5);
        assertThat(WatchReport.leakReason(l)).isEqualTo("heap growth over 5 consecutive GCs (8m 13s) - 43.33 mb/hr");
    }

    @Test
    void aZeroDeltaLeavesTheRateOut() {
        assertThat(WatchReport.leakReason(new Memwatch.Leak(T0, T0, 1000, 5))).isEqualTo("heap growth over 5 consecutive GCs (0s)");
        assertThat(WatchReport.leakReason(new Memwatch.Leak(T0, T0 + 999, 2 << 20, 3)))
                .isEqualTo("heap growth over 3 consecutive GCs (0s) - 7207.21 mb/hr");
    }

    /**
     * The watch path through the same C++ reference as {@link NiceSizeTest}: a leak of {@code bytes} over
     * exactly one hour has a rate of {@code bytes}/hr, so its reason must end with memwatch's niceSize of it.
     * (Watch had its own port before, with Math.round: -112.5 became -112, "-1.12 kb" where C prints "-1.13 kb",
     * and no exponent form.)
     */
    @Test
    void leakRateMatchesCppReference() throws IOException {
        for (String[] f : NiceSizeTest.cppReference()) {
            Memwatch.Leak l = new Memwatch.Leak(T0, T0 + 3_600_000, Long.parseLong(f[0]), 5);
            assertThat(WatchReport.leakReason(l)).as("rate %s/hr", f[0])
                    .isEqualTo("heap growth over 5 consecutive GCs (60m 0s) - " + f[1] + "/hr");
        }
    }

    @Test
    void niceDeltaFollowsMemwatchUtil() {
        assertThat(WatchReport.niceDelta(0)).isEqualTo("0s");
        assertThat(WatchReport.niceDelta(60)).isEqualTo("60s");             // "above a minute" is strict
        assertThat(WatchReport.niceDelta(61)).isEqualTo("1m 1s");
        assertThat(WatchReport.niceDelta(493)).isEqualTo("8m 13s");
        assertThat(WatchReport.niceDelta(3600)).isEqualTo("60m 0s");
        assertThat(WatchReport.niceDelta(3725)).isEqualTo("1h 2m 5s");
    }

    @Test
    void leakLinesInTextAndJson() {
        Memwatch.Leak l = new Memwatch.Leak(T0, T0 + 493_000, 6_222_576, 5);
        StringWriter text = new StringWriter();
        new WatchReport(new PrintWriter(text), new PrintWriter(new StringWriter()), false).onLeak(l);
        assertThat(text.toString()).matches("\\d\\d:\\d\\d:\\d\\d  LEAK   heap growth over 5 consecutive GCs \\(8m 13s\\)"
                + " - 43.33 mb/hr  growth=6222576\\R");
        StringWriter json = new StringWriter();
        new WatchReport(new PrintWriter(json), new PrintWriter(new StringWriter()), true).onLeak(l);
        assertThat(json.toString().strip()).isEqualTo("{\"type\":\"leak\",\"start\":\"2023-11-14T22:13:20Z\","
                + "\"end\":\"2023-11-14T22:21:33Z\",\"growth\":6222576,"
                + "\"reason\":\"heap growth over 5 consecutive GCs (8m 13s) - 43.33 mb/hr\"}");
    }

    @Test
    void theEndLineAndTheSummary() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        WatchReport r = new WatchReport(new PrintWriter(out), new PrintWriter(err), true);
        Watcher.Result res = new Watcher.Result("watched for 3 s", 12, 4, 9, 1, List.of());
        r.end("watched for 3 s", res);
        r.summary("watched for 3 s", res, true);
        assertThat(out.toString().strip()).isEqualTo("{\"type\":\"end\",\"reason\":\"watched for 3 s\",\"samples\":12,"
                + "\"num_full_gc\":4,\"num_inc_gc\":9,\"leaks\":1}");
        assertThat(err.toString().strip()).isEqualTo("leakhound: watch ended: watched for 3 s (12 samples, 4 full GCs,"
                + " 1 leak events); GC recorder removed from the target");
    }
}
