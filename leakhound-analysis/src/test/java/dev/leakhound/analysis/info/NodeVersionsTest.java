package dev.leakhound.analysis.info;

import dev.leakhound.analysis.ExampleSnapshots;
import dev.leakhound.core.snapshot.SnapshotHeader;
import dev.leakhound.core.snapshot.SnapshotParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodeVersionsTest {
    static Path fixture(String name) {
        return ExampleSnapshots.root().resolve("testdata/snapshots").resolve(name);
    }

    /** Each fixture's range holds the Node major that wrote it (the fixtures' README), and names the feature. */
    @ParameterizedTest
    @CsvSource({
            "node14.heapsnapshot.gz, 14, NO_DETACHEDNESS, 0, 16",
            "node16.heapsnapshot.gz, 16, TYPES_END_AT_BIGINT, 16, 19",
            "node18.heapsnapshot.gz, 18, TYPES_END_AT_BIGINT, 16, 19",
            "node20.heapsnapshot.gz, 20, WASM_OBJECT_TYPE, 19, 21",
            "node20-alloc-tracking.heapsnapshot.gz, 20, WASM_OBJECT_TYPE, 19, 21",
            "node20-expose-internals.heapsnapshot.gz, 20, WASM_OBJECT_TYPE, 19, 21",
            "node20-numeric-values.heapsnapshot.gz, 20, WASM_OBJECT_TYPE, 19, 21",
            "node22.heapsnapshot.gz, 22, TYPES_END_AT_OBJECT_SHAPE, 21, 23",
            "node24.heapsnapshot.gz, 24, EXTRA_NATIVE_BYTES, 23, 0",
            "node24-alloc-tracking.heapsnapshot.gz, 24, EXTRA_NATIVE_BYTES, 23, 0",
    })
    void fixturesFallInTheirRange(String file, int major, NodeVersions.Signature signature, int from, int to) {
        NodeVersions.Range r = NodeVersions.of(SnapshotParser.readHeader(fixture(file)));
        assertThat(r.signature()).isEqualTo(signature);
        assertThat(r.from()).isEqualTo(from);
        assertThat(r.to()).isEqualTo(to);
        assertThat(r.known()).isTrue();
        assertThat(major).isGreaterThanOrEqualTo(r.from());
        if (r.to() > 0) {
            assertThat(major).isLessThanOrEqualTo(r.to());
        }
    }

    @Test
    void aTypeNoNodeWritesMakesTheRangeUnknown() {
        SnapshotHeader h = header(List.of("hidden", "array", "string", "object", "code", "closure", "regexp", "number",
                "native", "synthetic", "hermes cell"), true, true, false);
        NodeVersions.Range r = NodeVersions.of(h);
        assertThat(r.known()).isFalse();
        assertThat(r.signature()).isEqualTo(NodeVersions.Signature.UNKNOWN_TYPES);
        assertThat(r.unknownTypes()).containsExactly("hermes cell");
    }

    @Test
    void noTraceNodeIdOrExtraNativeBytesIsTheNewestLayout() {
        List<String> types = List.of("hidden", "array", "string", "object", "code", "closure", "regexp", "number",
                "native", "synthetic", "concatenated string", "sliced string", "symbol", "bigint", "object shape");
        assertThat(NodeVersions.of(header(types, false, true, false)).signature())
                .isEqualTo(NodeVersions.Signature.EXTRA_NATIVE_BYTES);
        assertThat(NodeVersions.of(header(types, true, true, true)).signature())
                .isEqualTo(NodeVersions.Signature.EXTRA_NATIVE_BYTES);
        assertThat(NodeVersions.of(header(types, true, true, false)).signature())
                .isEqualTo(NodeVersions.Signature.TYPES_END_AT_OBJECT_SHAPE);
    }

    static SnapshotHeader header(List<String> nodeTypes, boolean traceNodeId, boolean detachedness, boolean extra) {
        List<String> fields = new java.util.ArrayList<>(List.of("type", "name", "id", "self_size", "edge_count"));
        if (traceNodeId) {
            fields.add("trace_node_id");
        }
        if (detachedness) {
            fields.add("detachedness");
        }
        return new SnapshotHeader(Path.of("x.heapsnapshot"), 1000, false, 10, 20, 0, fields, nodeTypes,
                List.of("type", "name_or_index", "to_node"), List.of("context", "element"), true, 0, extra, 0, 500,
                1000,
                1000);
    }
}
