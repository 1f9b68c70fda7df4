package dev.leakhound.cli;

import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * hunt's memory section and its verdicts for memory that grows outside the JS heap, against real node processes
 * whose memory grows fast (tens of MB a second) so that each interval sees far more than the 4 MiB asked.
 */
class HuntMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void buffersGrowingWithoutALeakInTheHeapAreExternalGrowthWithTheirHolder() throws Exception {
        Path script = tmp.resolve("buffers.js");
        // few, big Buffers: find-leaks needs --min-count new objects to call a leak, and this test asks for more
        // than the target ever makes, which is the case of a handful of big Buffers
        Files.writeString(script, """
                const stash = [];
                setInterval(() => { if (stash.length < 100) stash.push(Buffer.alloc(4 << 20, 1)); }, 150);
                """);
        CliRun r = CliRun.of("hunt", "--interval", "1.5", "--warmup", "1", "--min-count", "1000000", "--json",
                "--fail-on-leak", "--", "node", script.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        JsonObj doc = (JsonObj) Json.parse(r.out());
        assertThat(doc.str("verdict")).as(r.out()).isEqualTo("external-growth");
        JsonObj memory = doc.obj("memory");
        assertThat(memory.str("growth")).isEqualTo("external");
        assertThat(memory.lng("externalGrowth", 0)).isGreaterThanOrEqualTo(4L << 20);
        assertThat(memory.lng("arrayBufferGrowth", 0)).isGreaterThanOrEqualTo(4L << 20);
        assertThat(memory.arr("points")).hasSize(3);
        List<Object> holders = memory.arr("holders");
        assertThat(holders).isNotEmpty();
        JsonObj top = (JsonObj) holders.get(0);
        assertThat(top.str("kind")).isEqualTo("external-memory");
        assertThat(top.str("title")).contains("`stash`");
    }

    @Test
    void residentGrowthOutsideV8IsNativeGrowthWithWhatCanSeeIt() throws Exception {
        Path script = tmp.resolve("worker-grows.js");
        // the main thread's heap stays flat; a worker thread's own isolate grows, which no snapshot of the main
        // thread sees and which no figure of the main isolate counts
        Files.writeString(script, """
                const { Worker } = require('worker_threads');
                new Worker(`const a = []; setInterval(() => { if (a.length < 8e6) for (let i = 0; i < 20000; i++) a.push({ i }); }, 50);`,
                           { eval: true });
                setInterval(() => {}, 1000);
                """);
        CliRun r = CliRun.of("hunt", "--interval", "1.5", "--warmup", "1", "--fail-on-leak", "--", "node", script.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).as(r.out()).contains("Verdict    native-growth: the JS heap shows no leak, but resident memory grew by ");
        assertThat(r.out()).contains("Memory     where the process's memory is", "  native ", "  file-backed ",
                "  spaces ", "A heap snapshot cannot see this memory", "MALLOC_ARENA_MAX", "jemalloc", "heaptrack");
    }
}
