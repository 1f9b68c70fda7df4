package dev.leakhound.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A heap too small for the snapshot is one line that says how big the heap was and how to learn what is needed. */
class OutOfMemoryMessageTest {
    @Test
    void runningOutOfHeapIsOneLineNamingTheHeap() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx16m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "analyze", CliRun.fixture("node22.heapsnapshot.gz").toString(), "--no-index")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(err.strip()).matches("leakhound: out of memory in a [0-9.]+ MB Java heap; `leakhound info FILE` says how much"
                + " a snapshot needs, LEAKHOUND_HEAP=SIZE sets the heap");
    }
}
