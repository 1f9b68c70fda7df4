package dev.leakhound.report;

import dev.leakhound.analysis.leaks.Baseline;
import dev.leakhound.analysis.leaks.LeakPattern;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.core.LeakhoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The baseline file: what --write-baseline writes, --baseline reads back; a bad file is one line. */
class BaselineFileTest {
    @TempDir
    Path tmp;

    @Test
    void writtenBaselinesReadBackAndAcceptTheirLeaks() throws IOException {
        LeakReport r = CiReports.report(List.of(CiReports.leak(1, LeakPattern.ARRAY, "cache", "CacheEntry", 20, null),
                CiReports.leak(2, LeakPattern.MAP, "sessions", "Session", 10, null)));
        Path f = tmp.resolve("leak-baseline.json");
        BaselineFile.write(f, r);
        String text = Files.readString(f);
        assertThat(text).contains("\"leakhoundBaseline\" : 1", "\"about\"", "\"countPerStep\" : 20", "\"summary\" : \"`cache` (Array)");
        Baseline b = BaselineFile.read(f);
        assertThat(b.source()).isEqualTo(f.toString());
        assertThat(b.entries()).extracting(Baseline.Entry::signature)
                .containsExactly(r.leaks().get(0).signature().id(), r.leaks().get(1).signature().id());
        assertThat(b.entries().get(0).countPerStep()).isEqualTo(20);
        assertThat(b.entries().get(0).bytesPerStep()).isEqualTo(20 * 64);
        assertThat(b.entries().get(0).path()).isEqualTo("{global}.cache @ [*]");
        LeakReport applied = b.apply(r, 10);
        assertThat(applied.verdict()).isEqualTo("accepted");
        assertThat(applied.failing()).isEmpty();
        // a leak without a baseline entry is new; unknown fields are ignored
        Files.writeString(f, text.replace("\"about\"", "\"later\" : {\"x\" : [1]}, \"about\""));
        LeakReport more = CiReports.report(List.of(r.leaks().get(0), r.leaks().get(1),
                CiReports.leak(3, LeakPattern.ARRAY, "other", "Other", 1, null)));
        LeakReport judged = BaselineFile.read(f).apply(more, 10);
        assertThat(judged.leaks()).extracting(l -> l.status()).containsExactly(LeakReport.Status.ACCEPTED,
                LeakReport.Status.ACCEPTED, LeakReport.Status.NEW);
        assertThat(judged.verdict()).isEqualTo("leak");
    }

    @Test
    void aBadBaselineIsOneLineSayingWhatIsWrong() throws IOException {
        String sig = "0123456789abcdef";
        bad("missing.json", null, "no such file");
        bad("broken.json", "{\"leakhoundBaseline\": 1, \"leaks\": [", "not valid JSON (");
        bad("array.json", "[]", "not a leakhound baseline (no \"leakhoundBaseline\" version field)");
        bad("other.json", "{\"version\": \"2.1.0\"}", "not a leakhound baseline");
        bad("text-version.json", "{\"leakhoundBaseline\": \"1\", \"leaks\": []}", "\"leakhoundBaseline\" must be a version number");
        bad("v2.json", "{\"leakhoundBaseline\": 2, \"leaks\": []}", "a version 2 baseline; this leakhound reads version 1");
        bad("noleaks.json", "{\"leakhoundBaseline\": 1}", "\"leaks\" must be an array");
        bad("entry.json", "{\"leakhoundBaseline\": 1, \"leaks\": [3]}", "leak #1 is not an object");
        bad("sig.json", "{\"leakhoundBaseline\": 1, \"leaks\": [{\"signature\": \"xyz\", \"countPerStep\": 1, \"bytesPerStep\": 1}]}",
                "leak #1: \"signature\" must be 16 hex digits");
        bad("growth.json", "{\"leakhoundBaseline\": 1, \"leaks\": [{\"signature\": \"" + sig + "\", \"bytesPerStep\": 1}]}",
                "leak #1: \"countPerStep\" must be a number >= 0");
        bad("negative.json", "{\"leakhoundBaseline\": 1, \"leaks\": [{\"signature\": \"" + sig + "\", \"countPerStep\": 1,"
                + " \"bytesPerStep\": -5}]}", "leak #1: \"bytesPerStep\" must be a number >= 0");
        Files.write(tmp.resolve("latin1.json"), new byte[] {'{', (byte) 0xE9, '}'});
        bad("latin1.json", null, "not UTF-8 text");
        assertThat(BaselineFile.read(write("empty.json", "{\"leakhoundBaseline\": 1, \"leaks\": []}")).entries()).isEmpty();
    }

    private Path write(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private void bad(String name, String text, String why) throws IOException {
        Path f = text == null ? tmp.resolve(name) : write(name, text);
        assertThatThrownBy(() -> BaselineFile.read(f)).isInstanceOf(LeakhoundException.class)
                .hasMessageStartingWith("bad baseline " + f + ": ")
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
