package dev.leakhound.cli;

import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** watch tells where the memory is: per sample, and what grew from the first sample to the last. */
class WatchMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void samplesSplitMemoryAndTheEndSaysWhatGrew() throws Exception {
        Path script = tmp.resolve("buffers.js");
        Files.writeString(script, """
                const stash = [];
                setInterval(() => { if (stash.length < 100) stash.push(Buffer.alloc(1 << 20, 1)); }, 50);
                """);
        CliRun r = CliRun.of("watch", "--interval", "0.5", "--duration", "2.5", "--json", "--", "node", script.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonObj> lines = r.out().lines().map(l -> (JsonObj) Json.parse(l)).toList();
        JsonObj sample = lines.stream().filter(o -> "sample".equals(o.str("type"))).findFirst().orElseThrow();
        assertThat(sample.map()).containsKeys("rssAnon", "rssFile", "nativeOutsideV8", "code", "arrayBuffers", "spaces");
        JsonObj end = lines.get(lines.size() - 1);
        assertThat(end.str("type")).isEqualTo("end");
        // 1 MiB every 50 ms for over two seconds: far more than one MiB between the first sample and the last
        assertThat(end.obj("growth").lng("arrayBuffers", 0)).isGreaterThan(1L << 20);
        assertThat(end.obj("growth").lng("external", 0)).isGreaterThanOrEqualTo(end.obj("growth").lng("arrayBuffers", 0));
        assertThat(r.err()).contains("leakhound: memory from the first sample to the last: resident ", "external +",
                "(buffers +", "native outside V8 ");
    }
}
