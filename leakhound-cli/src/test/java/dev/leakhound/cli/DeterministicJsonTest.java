package dev.leakhound.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --json} is for machines: two runs on one file print the same bytes (no timings unless
 * {@code --timings}), and {@code --timings} adds the timing fields without changing the others.
 */
class DeterministicJsonTest {

    @Test
    void analyzeJsonIsByteIdenticalAcrossRuns() {
        String file = CliRun.fixture("node20.heapsnapshot.gz").toString();
        CliRun a = CliRun.of("analyze", file, "--json");
        CliRun b = CliRun.of("analyze", file, "--json");
        assertThat(a.exit()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        assertThat(a.out()).doesNotContain("Millis").doesNotContain("\"timings\"").doesNotContain(" ms]");
        assertThat(a.out()).contains("\"checked\"").contains("\"verdict\"");
    }

    @Test
    void timingsAreOnlyPrintedWhenAskedFor() {
        String file = CliRun.fixture("node20.heapsnapshot.gz").toString();
        CliRun timed = CliRun.of("analyze", file, "--json", "--timings");
        assertThat(timed.exit()).isZero();
        assertThat(timed.out()).contains("\"readMillis\"").contains("\"analyzeMillis\"").contains("\"timings\"")
                .contains("\"millis\"").containsPattern("scan: one pass over [0-9,]+ nodes and [0-9,]+ edges \\[\\d+ ms]");
        CliRun text = CliRun.of("analyze", file);
        assertThat(text.out()).doesNotContain("Time      ").doesNotContainPattern("\\[\\d+ ms]");
        CliRun timedText = CliRun.of("analyze", file, "--timings");
        assertThat(timedText.out()).contains("Time      read ").containsPattern("\\[\\d+ ms]");
    }

    @Test
    void diffJsonIsByteIdenticalAcrossRuns(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        String file = CliRun.fixture("node20.heapsnapshot.gz").toString();
        CliRun a = CliRun.of("diff", file, file, "--json");
        CliRun b = CliRun.of("diff", file, file, "--json");
        assertThat(a.exit()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        Path html1 = tmp.resolve("a.html");
        Path html2 = tmp.resolve("b.html");
        assertThat(CliRun.of("analyze", file, "--html", html1.toString()).exit()).isZero();
        assertThat(CliRun.of("analyze", file, "--html", html2.toString()).exit()).isZero();
        assertThat(Files.readString(html1)).as("an HTML page without --timings is the same every run")
                .isEqualTo(Files.readString(html2));
    }
}
