package dev.leakhound.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NiceSizeTest {
    /** The (bytes, expected) pairs memwatch's formula printed, compiled with g++ (niceSize-reference.cc). */
    static List<String[]> cppReference() throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : DiffReportTest.resource("niceSize-reference.tsv").split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                rows.add(line.split("\t"));
            }
        }
        assertThat(rows).hasSizeGreaterThan(3000);
        return rows;
    }

    @Test
    void followsMemwatchFormula() {
        assertThat(NiceSize.of(0)).isEqualTo("0 bytes");
        assertThat(NiceSize.of(512)).isEqualTo("512 bytes");
        assertThat(NiceSize.of(1024)).isEqualTo("1024 bytes");      // "above" is strict
        assertThat(NiceSize.of(1025)).isEqualTo("1 kb");            // 1.00 printed by %g
        assertThat(NiceSize.of(1536)).isEqualTo("1.5 kb");
        assertThat(NiceSize.of(1152)).isEqualTo("1.13 kb");         // 112.5 rounds away from zero
        assertThat(NiceSize.of(-1152)).isEqualTo("-1.13 kb");       // ... on both sides (Math.round gave -1.12)
        assertThat(NiceSize.of(10L << 20)).isEqualTo("10 mb");      // C++ prints 10, not 10.00
        assertThat(NiceSize.of(1234567)).isEqualTo("1.18 mb");
        assertThat(NiceSize.of(3L << 30)).isEqualTo("3072 mb");     // memwatch's int wrapped here
        assertThat(NiceSize.of(12_345_678_901L)).isEqualTo("11773.8 mb");  // 6 significant digits
        assertThat(NiceSize.of(1L << 40)).isEqualTo("1.04858e+06 mb");     // %g's exponent form
    }

    @Test
    void matchesCppReference() throws IOException {
        for (String[] f : cppReference()) {
            assertThat(NiceSize.of(Long.parseLong(f[0]))).as("niceSize(%s)", f[0]).isEqualTo(f[1]);
        }
    }
}
