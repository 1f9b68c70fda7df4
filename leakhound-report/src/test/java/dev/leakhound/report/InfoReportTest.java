package dev.leakhound.report;

import dev.leakhound.analysis.info.Machine;
import dev.leakhound.analysis.info.SnapshotInfo;
import dev.leakhound.core.snapshot.SnapshotHeader;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InfoReportTest {
    private static final long GIB = 1L << 30;

    /** A header as Node 20 writes it for s530 (7.26M nodes), or with the given node types. */
    private static SnapshotHeader header(List<String> nodeTypes, long traceFunctions, boolean extra, int root) {
        List<String> fields = new ArrayList<>(List.of("type", "name", "id", "self_size", "edge_count", "trace_node_id",
                "detachedness"));
        return new SnapshotHeader(Path.of("/data/app.heapsnapshot"), 556_670_303L, false, 7_262_814, 22_105_879,
                traceFunctions, fields, nodeTypes, List.of("type", "name_or_index", "to_node"),
                List.of("context", "element", "property", "internal", "hidden", "shortcut", "weak"), true,
                extra ? 4096 : 0, extra, root, 873, 16_384, 556_670_303L);
    }

    private static final List<String> NODE20_TYPES = List.of("hidden", "array", "string", "object", "code", "closure",
            "regexp", "number", "native", "synthetic", "concatenated string", "sliced string", "symbol", "bigint",
            "object shape", "wasm object");

    private static String text(SnapshotInfo info) {
        StringWriter w = new StringWriter();
        InfoReport.text(info, new PrintWriter(w));
        for (String line : w.toString().split("\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(110);
        }
        return w.toString();
    }

    @Test
    void theThreeVerdicts() {
        SnapshotHeader h = header(NODE20_TYPES, 0, false, 0);
        String fits = text(SnapshotInfo.of(h, 2, new Machine(2 * GIB, 24 * GIB, 20 * GIB, -1, 2)));
        assertThat(fits).contains("Counts      7,262,814 nodes, 22,105,879 edges", "19 to 21", "\"wasm object\"",
                "This JVM    2.00 GB of heap at most: enough", "Verdict     analyze fits in this JVM's heap");
        assertThat(fits).doesNotContain("Native", "Root");
        String small = text(SnapshotInfo.of(h, 2, new Machine(GIB / 2, 24 * GIB, 20 * GIB, -1, 2)));
        assertThat(small.replaceAll("\\s+", " ")).contains("512 MB of heap at most: too little",
                "give analyze more heap: LEAKHOUND_HEAP=1536m ./leakhound analyze /data/app.heapsnapshot");
        String machine = text(SnapshotInfo.of(h, 2, new Machine(4 * GIB, 24 * GIB, 20 * GIB, 512L << 20, 2)));
        assertThat(machine.replaceAll("\\s+", " ")).contains("cgroup limit 512 MB", ": too little",
                "this machine has too little memory",
                "is available within the cgroup limit", "LEAKHOUND_HEAP=1536m");
    }

    @Test
    void headerFactsInTheText() {
        String tracked = text(SnapshotInfo.of(header(NODE20_TYPES, 35, true, 7), 2,
                new Machine(2 * GIB, -1, -1, -1, 1)));
        assertThat(tracked.replaceAll("\\s+", " ")).contains("yes: allocation stacks of 35 functions",
                "Native 4.00 KB outside the walked heap",
                "Root node 7 (root_index)", "23 or newer", "physical memory unknown", "1 processor");
        List<String> hermes = new ArrayList<>(NODE20_TYPES);
        hermes.add("hermes cell");
        String unknown = text(SnapshotInfo.of(header(hermes, -1, false, 0), 2, new Machine(2 * GIB, -1, -1, -1, 1)));
        assertThat(unknown.replaceAll("\\s+", " ")).contains(
                "unknown: node types no Node release leakhound knows writes: \"hermes cell\"",
                "unknown: the header has no trace_function_count");
    }

    @Test
    void heapFlagAndRounding() {
        assertThat(InfoReport.heapFlag(2 * GIB)).isEqualTo("2g");
        assertThat(InfoReport.heapFlag(1536L << 20)).isEqualTo("1536m");
        assertThat(InfoReport.heapFlag((1536L << 20) - 5)).isEqualTo("1536m");
        assertThat(InfoReport.twoDigits(2_905_126)).isEqualTo(2_900_000);
        assertThat(InfoReport.twoDigits(23_680)).isEqualTo(24_000);
        assertThat(InfoReport.twoDigits(95)).isEqualTo(95);
        assertThat(InfoReport.twoDigits(0)).isZero();
    }
}
