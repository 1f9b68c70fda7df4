package dev.leakhound.core.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code trace_function_infos} and {@code trace_tree} of the committed allocation-tracking fixtures. The expected
 * numbers were computed once from the files with Python's json module (walking the nested tree recursively):
 * function infos, trace nodes, the sums of their counts and sizes, and the stack of the first traced
 * {@code FixtureItem} ({@code new FixtureItem(i)} on line 76 of scripts/fixtures/fixture-program.js, inside
 * {@code function buildKnownObjects()} whose parameter list opens at line 74, column 27, 1-based).
 */
class AllocationTracesTest {
    @TempDir
    Path dir;

    static Path fixture(String name) {
        return Path.of(System.getProperty("leakhound.root", "..")).resolve("testdata/snapshots").resolve(name);
    }

    /** The fixture unzipped, so both the sequential reader and the fast path read it. */
    private Path plain(String name) throws IOException {
        Path out = dir.resolve(name.replace(".gz", ""));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(fixture(name)))) {
            Files.copy(in, out);
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"node20-alloc-tracking.heapsnapshot.gz, 37, 63, 1794, 7340776",
                "node24-alloc-tracking.heapsnapshot.gz, 36, 60, 1378, 8453824"})
    void bothReadersReadTheTraces(String name, int functions, int traceNodes, long count, long size) throws IOException {
        Path p = plain(name);
        HeapSnapshot seq = SnapshotParser.readSequential(p, ReadOptions.defaults());
        HeapSnapshot fast = SnapshotParser.readFastPath(p, ParallelReaderTest.fast(4096, 1 << 16));
        HeapSnapshot gz = SnapshotParser.read(fixture(name));
        for (HeapSnapshot s : List.of(seq, fast, gz)) {
            AllocationTraces t = s.allocationTraces();
            assertThat(t).isNotNull();
            assertThat(t.functionCount()).isEqualTo(functions);
            assertThat(t.size()).isEqualTo(traceNodes);
            long c = 0;
            long b = 0;
            for (int i = 0; i < t.size(); i++) {
                c += t.count(i);
                b += t.allocatedSize(i);
                assertThat(t.parent(i)).isLessThan(i);
                assertThat(t.indexOfId(t.id(i))).isEqualTo(i);
            }
            assertThat(c).isEqualTo(count);
            assertThat(b).isEqualTo(size);
            assertThat(stackOfFirstTraced(s, "FixtureItem")).containsExactly(
                    "buildKnownObjects /work/wt-examples/scripts/fixtures/fixture-program.js:74:27",
                    " /work/wt-examples/scripts/fixtures/fixture-program.js:154:13",
                    "(root) :0:0");
        }
    }

    static List<String> stackOfFirstTraced(HeapSnapshot s, String className) {
        AllocationTraces t = s.allocationTraces();
        for (int v = 0; v < s.nodeCount(); v++) {
            if (s.name(v).equals(className) && s.traceNodeId(v) != 0) {
                List<String> frames = new ArrayList<>();
                for (int i = t.indexOfId(s.traceNodeId(v)); i >= 0; i = t.parent(i)) {
                    int f = t.function(i);
                    frames.add(t.functionName(f) + " " + t.scriptName(f) + ":" + t.line(f) + ":" + t.column(f));
                }
                return frames;
            }
        }
        return List.of();
    }

    @Test
    void snapshotsWithoutTrackingHaveNoTraces() {
        assertThat(SnapshotParser.read(fixture("node20.heapsnapshot.gz")).allocationTraces()).isNull();
        assertThat(SnapshotParser.read(fixture("node24.heapsnapshot.gz")).allocationTraces()).isNull();
    }

    @Test
    void aTraceNodePointingPastTheFunctionInfosIsAnError() throws IOException {
        String json = new String(new GZIPInputStream(Files.newInputStream(fixture("node20-alloc-tracking.heapsnapshot.gz")))
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int at = json.indexOf("\"trace_tree\":[1,0,");
        assertThat(at).isPositive();
        Path bad = dir.resolve("bad.heapsnapshot");
        Files.writeString(bad, json.substring(0, at) + "\"trace_tree\":[1,999," + json.substring(at + "\"trace_tree\":[1,0,".length()));
        assertThatThrownBy(() -> SnapshotParser.read(bad)).isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("function info 999");
        Path cut = dir.resolve("cut.heapsnapshot");
        Files.writeString(cut, json.substring(0, at) + "\"trace_tree\":[1,0,10,496]" + json.substring(json.indexOf(",\n\"samples\"")));
        assertThatThrownBy(() -> SnapshotParser.read(cut)).isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("trace_tree");
    }
}
