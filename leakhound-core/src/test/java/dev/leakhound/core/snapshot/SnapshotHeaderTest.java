package dev.leakhound.core.snapshot;

import dev.leakhound.core.LeakhoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link SnapshotParser#readHeader}: what the header says, read without reading the rest. */
class SnapshotHeaderTest {
    @TempDir
    Path dir;

    static Path fixtures() {
        return Path.of(System.getProperty("leakhound.root", "..")).resolve("testdata/snapshots");
    }

    static Stream<Path> fixtureFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(fixtures())) {
            s.filter(p -> p.toString().endsWith(".heapsnapshot.gz")).sorted().forEach(out::add);
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(10);
        return out.stream();
    }

    /** The header agrees with the full read of the same file, and the file's size facts hold. */
    @ParameterizedTest
    @MethodSource("fixtureFiles")
    void aFixturesHeaderAgreesWithTheFullRead(Path file) throws IOException {
        SnapshotHeader h = SnapshotParser.readHeader(file);
        HeapSnapshot s = SnapshotParser.read(file);
        assertThat(h.nodeCount()).isEqualTo(s.nodeCount());
        assertThat(h.edgeCount()).isEqualTo(s.edgeCount());
        assertThat(h.nodeFieldCount()).isEqualTo(s.nodeFieldCount());
        assertThat(h.edgeFields()).containsExactly("type", "name_or_index", "to_node");
        assertThat(h.hasTraceNodeIds()).isEqualTo(s.hasTraceNodeIds());
        assertThat(h.hasDetachedness()).isEqualTo(s.hasDetachedness());
        assertThat(h.rootOrdinal()).isEqualTo(s.rootOrdinal());
        assertThat(h.extraNativeBytes()).isEqualTo(s.extraNativeBytes());
        assertThat(h.locations()).isEqualTo(s.locations().size() > 0);
        assertThat(h.nodeTypes()).startsWith("hidden", "array", "string", "object", "code", "closure");
        assertThat(h.gzip()).isTrue();
        assertThat(h.fileBytes()).isEqualTo(Files.size(file));
        byte[] json;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            json = in.readAllBytes();
        }
        assertThat(h.jsonBytes()).as("inflated size from the gzip trailer").isEqualTo(json.length);
        String text = new String(json, 0, (int) h.headerEnd(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"snapshot\":{").endsWith("}");
        assertThat(new String(json, (int) h.headerEnd(), 9, StandardCharsets.UTF_8)).isEqualTo(",\n\"nodes\"");
        // only the first compressed block was taken, whatever the file's size
        assertThat(h.bytesRead()).isLessThanOrEqualTo(128 << 10).isLessThan(Files.size(file));
        // the column count as the model holds it: trace ids only with allocation traces (the traces' own tables,
        // trace_function_infos and trace_tree, are counted apart)
        assertThat(HeapSnapshot.columnBytes(h.nodeCount(), h.edgeCount(), h.hasDetachedness(), h.hasAllocationTraces()))
                .isEqualTo(s.memoryBytes() - s.strings().memoryBytes()
                        - (s.allocationTraces() == null ? 0 : s.allocationTraces().memoryBytes()));
        assertThat(StringTable.estimatedBytes(s.strings().size(), s.strings().totalBytes()))
                .isGreaterThanOrEqualTo(s.strings().memoryBytes());
    }

    /** What each Node version writes, as the fixtures' README lists it. */
    @Test
    void fixtureFactsByNodeVersion() {
        SnapshotHeader node14 = SnapshotParser.readHeader(fixtures().resolve("node14.heapsnapshot.gz"));
        assertThat(node14.nodeFields()).containsExactly("type", "name", "id", "self_size", "edge_count", "trace_node_id");
        assertThat(node14.hasDetachedness()).isFalse();
        assertThat(node14.nodeTypes()).endsWith("bigint").hasSize(14);
        assertThat(node14.nodeCount()).isEqualTo(30890);
        assertThat(node14.edgeCount()).isEqualTo(127683);
        assertThat(node14.traceFunctionCount()).isZero();
        assertThat(node14.hasExtraNativeBytes()).isFalse();

        SnapshotHeader node20 = SnapshotParser.readHeader(fixtures().resolve("node20.heapsnapshot.gz"));
        assertThat(node20.nodeTypes()).endsWith("object shape", "wasm object");
        assertThat(node20.hasAllocationTraces()).isFalse();

        SnapshotHeader tracked = SnapshotParser.readHeader(fixtures().resolve("node20-alloc-tracking.heapsnapshot.gz"));
        assertThat(tracked.traceFunctionCount()).isEqualTo(35);
        assertThat(tracked.hasAllocationTraces()).isTrue();

        SnapshotHeader node24 = SnapshotParser.readHeader(fixtures().resolve("node24.heapsnapshot.gz"));
        assertThat(node24.nodeFields()).containsExactly("type", "name", "id", "self_size", "edge_count", "detachedness");
        assertThat(node24.hasTraceNodeIds()).isFalse();
        assertThat(node24.hasExtraNativeBytes()).isTrue();
        assertThat(node24.extraNativeBytes()).isZero();
        assertThat(node24.nodeTypes()).endsWith("object shape").hasSize(15);
        assertThat(node24.nodeCount()).isEqualTo(57871);

        SnapshotHeader node24tracked = SnapshotParser.readHeader(fixtures().resolve("node24-alloc-tracking.heapsnapshot.gz"));
        assertThat(node24tracked.hasTraceNodeIds()).isTrue();
        assertThat(node24tracked.traceFunctionCount()).isEqualTo(34);
    }

    /** A big plain file: the header is returned after reading one small buffer, and nothing after it is looked at. */
    @Test
    void readsOnlyAPrefixOfAPlainFile() throws IOException {
        String header = headerOf(SnapshotParserTest.sample());
        Path p = dir.resolve("garbage-after-header.heapsnapshot");
        byte[] garbage = new byte[24 << 20];
        new Random(1).nextBytes(garbage);
        try (OutputStream o = Files.newOutputStream(p)) {
            o.write(header.getBytes(StandardCharsets.UTF_8));
            o.write(",\"nodes\":[9,1,1,0,2,0,0,".getBytes(StandardCharsets.UTF_8));
            o.write(garbage);
        }
        SnapshotHeader h = SnapshotParser.readHeader(p);
        assertThat(h.nodeCount()).isEqualTo(7);
        assertThat(h.edgeCount()).isEqualTo(8);
        assertThat(h.gzip()).isFalse();
        assertThat(h.jsonBytes()).isEqualTo(Files.size(p));
        assertThat(h.headerEnd()).isEqualTo(header.length());
        assertThat(h.bytesRead()).isLessThanOrEqualTo(16 << 10);
        // the full read does look past the header, and fails there
        assertThatThrownBy(() -> SnapshotParser.read(p)).isInstanceOf(SnapshotFormatException.class);
    }

    /** For gzip, only the first compressed block is inflated: garbage later in the stream is never reached. */
    @Test
    void readsOnlyAPrefixOfAGzipFile() throws IOException {
        String header = headerOf(SnapshotParserTest.sample());
        byte[] noise = new byte[8 << 20];   // incompressible: the compressed file is about as big
        new Random(2).nextBytes(noise);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bo)) {
            o.write(header.getBytes(StandardCharsets.UTF_8));
            o.write(",\"nodes\":[".getBytes(StandardCharsets.UTF_8));
            o.write(noise);
        }
        byte[] gz = bo.toByteArray();
        // cut the compressed stream short, and corrupt its second half: neither is read
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
        for (int i = cut.length / 2; i < cut.length; i++) {
            cut[i] = 0x55;
        }
        Path p = dir.resolve("cut.heapsnapshot.gz");
        Files.write(p, cut);
        SnapshotHeader h = SnapshotParser.readHeader(p);
        assertThat(h.gzip()).isTrue();
        assertThat(h.nodeCount()).isEqualTo(7);
        assertThat(h.bytesRead()).isLessThanOrEqualTo(128 << 10);
        assertThat(h.fileBytes()).isEqualTo(cut.length);
    }

    /** V8 writes the header first; a re-serialized file may not, and its header is still found. */
    @Test
    void findsAHeaderAfterOtherMembers() throws IOException {
        SnapshotJson j = new SnapshotJson();
        j.nodesBeforeHeader = true;
        Path p = dir.resolve("nodes-first.heapsnapshot");
        Files.write(p, j.bytes(SnapshotParserTest.sample()));
        SnapshotHeader h = SnapshotParser.readHeader(p);
        assertThat(h.nodeCount()).isEqualTo(7);
        assertThat(h.headerEnd()).isGreaterThan(200);

        j = new SnapshotJson();
        j.stringsFirst = true;
        Files.write(p, j.bytes(SnapshotParserTest.sample()));
        assertThat(SnapshotParser.readHeader(p).edgeCount()).isEqualTo(8);
    }

    @Test
    void headerMembersOfNewerAndOtherProducers() throws IOException {
        SnapshotJson j = new SnapshotJson();
        j.headerExtra = "\"extra_native_bytes\":123456,\"root_index\":6,";
        j.sixFields = true;
        Path p = dir.resolve("chrome-like.heapsnapshot");
        Files.write(p, j.bytes(SnapshotParserTest.sample()));
        SnapshotHeader h = SnapshotParser.readHeader(p);
        assertThat(h.hasExtraNativeBytes()).isTrue();
        assertThat(h.extraNativeBytes()).isEqualTo(123456);
        assertThat(h.rootOrdinal()).isEqualTo(1);
        assertThat(h.hasTraceNodeIds()).isFalse();
        // trace_function_count is not used by the readers: one that is not a count is "unknown", not an error
        String json = new String(j.bytes(SnapshotParserTest.sample()), StandardCharsets.UTF_8)
                .replace("\"trace_function_count\":0", "\"trace_function_count\":\"many\"");
        Files.writeString(p, json);
        assertThat(SnapshotParser.readHeader(p).traceFunctionCount()).isEqualTo(-1);
    }

    @Test
    void badInputsAreOneLineErrors() throws IOException {
        assertThatThrownBy(() -> SnapshotParser.readHeader(dir.resolve("missing.heapsnapshot")))
                .isInstanceOf(LeakhoundException.class).hasMessageEndingWith("missing.heapsnapshot: no such file");
        assertThatThrownBy(() -> SnapshotParser.readHeader(dir))
                .isInstanceOf(LeakhoundException.class).hasMessageContaining("is a directory");
        Path empty = Files.write(dir.resolve("empty.heapsnapshot"), new byte[0]);
        assertThatThrownBy(() -> SnapshotParser.readHeader(empty))
                .isInstanceOf(SnapshotFormatException.class).hasMessageContaining("empty file");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello, not a snapshot\n");
        assertThatThrownBy(() -> SnapshotParser.readHeader(text))
                .isInstanceOf(SnapshotFormatException.class).hasMessageContaining("not a V8 heap snapshot");
        Path other = Files.writeString(dir.resolve("other.json"), "{\"name\":\"x\",\"version\":\"1.0\"}");
        assertThatThrownBy(() -> SnapshotParser.readHeader(other))
                .isInstanceOf(SnapshotFormatException.class).hasMessageContaining("no 'snapshot' header object");
        // cut inside the header: plain and gzip
        String header = headerOf(SnapshotParserTest.sample());
        for (int at : new int[] {1, 12, header.length() / 2, header.length() - 1}) {
            byte[] part = header.substring(0, at).getBytes(StandardCharsets.UTF_8);
            Path cut = Files.write(dir.resolve("cut-" + at + ".heapsnapshot"), part);
            assertThatThrownBy(() -> SnapshotParser.readHeader(cut)).as("cut at " + at)
                    .isInstanceOf(SnapshotFormatException.class).hasMessageContaining("truncated")
                    .message().doesNotContain("\n");
            Path cutGz = Files.write(dir.resolve("cut-" + at + ".heapsnapshot.gz"), gzip(part));
            assertThatThrownBy(() -> SnapshotParser.readHeader(cutGz)).as("gzip cut at " + at)
                    .isInstanceOf(SnapshotFormatException.class).hasMessageContaining("truncated");
        }
        // a header that declares more than the file can hold (the file was cut right after its header)
        Path short1 = Files.writeString(dir.resolve("short.heapsnapshot"),
                header.replace("\"node_count\":7", "\"node_count\":7000000") + ",\"nodes\":[");
        assertThatThrownBy(() -> SnapshotParser.readHeader(short1))
                .isInstanceOf(SnapshotFormatException.class).hasMessageContaining("more than a file of");
        Path badMeta = Files.writeString(dir.resolve("bad-meta.heapsnapshot"),
                header.replace("\"node_fields\":[\"type\",", "\"node_fields\":[") + ",\"nodes\":[");
        assertThatThrownBy(() -> SnapshotParser.readHeader(badMeta))
                .isInstanceOf(SnapshotFormatException.class).hasMessageContaining("has no 'type'");
    }

    @Test
    void inflatedSizeFromTheTrailerModulo4GiB() {
        long g4 = 1L << 32;
        assertThat(SnapshotHeader.inflatedSize(-1, 100)).isEqualTo(-1);
        assertThat(SnapshotHeader.inflatedSize(5000, 100)).isEqualTo(5000);
        assertThat(SnapshotHeader.inflatedSize(5000, 5000)).isEqualTo(5000);
        assertThat(SnapshotHeader.inflatedSize(5000, 5001)).isEqualTo(g4 + 5000);
        assertThat(SnapshotHeader.inflatedSize(5000, 3 * g4)).isEqualTo(3 * g4 + 5000);
        assertThat(SnapshotHeader.inflatedSize(5000, 3 * g4 + 5001)).isEqualTo(4 * g4 + 5000);
    }

    /** The {@code {"snapshot":{...}}} prefix of a snapshot as V8 writes it, without what follows the header. */
    private static String headerOf(HeapSnapshot s) {
        String json = new SnapshotJson().write(s);
        return json.substring(0, json.indexOf(",\"nodes\""));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bo)) {
            o.write(data);
        }
        return bo.toByteArray();
    }
}
