package dev.leakhound.core.snapshot;

import dev.leakhound.core.Seeds;
import dev.leakhound.core.graph.HeapGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotParserTest {
    @TempDir
    Path dir;

    /** A small graph with every feature the parser must carry through. */
    static HeapSnapshot sample() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 1, 0);
        int gcRoots = b.node(NodeType.SYNTHETIC, "(GC roots)", 3, 0);
        int global = b.node(NodeType.OBJECT, "global", 5, 40);
        int arr = b.node(NodeType.OBJECT, "Array", 7, 32);
        int big = b.node(NodeType.NATIVE, "system / JSArrayBufferData", 2_172_998_432L, 6_000_000_000L);
        int str = b.node(NodeType.STRING, "caf\u00e9 \uD83D\uDE00 \"q\" \\ <script>", 9, 48);
        int fn = b.node(NodeType.CLOSURE, "handler", 11, 64);
        b.edge(root, EdgeType.ELEMENT, 1, gcRoots);
        b.edge(root, EdgeType.SHORTCUT, "2", global);
        b.edge(global, EdgeType.PROPERTY, "leakArray", arr);
        b.edge(global, EdgeType.PROPERTY, "handler", fn);
        b.edge(arr, EdgeType.ELEMENT, 0, str);
        b.edge(arr, EdgeType.ELEMENT, 4_000_000_000L > 0 ? 1 : 0, big);
        b.edge(fn, EdgeType.WEAK, "weak", arr);
        b.edge(gcRoots, EdgeType.ELEMENT, 0, big);
        b.location(fn, 3, 10, 20);
        return b.build();
    }

    private Path write(String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bo)) {
            o.write(data);
        }
        return bo.toByteArray();
    }

    static void assertSame(HeapSnapshot a, HeapSnapshot b) {
        assertThat(b.nodeCount()).isEqualTo(a.nodeCount());
        assertThat(b.edgeCount()).isEqualTo(a.edgeCount());
        for (int i = 0; i < a.nodeCount(); i++) {
            assertThat(b.type(i)).as("type of %d", i).isEqualTo(a.type(i));
            assertThat(b.name(i)).as("name of %d", i).isEqualTo(a.name(i));
            assertThat(b.id(i)).isEqualTo(a.id(i));
            assertThat(b.selfSize(i)).isEqualTo(a.selfSize(i));
            assertThat(b.firstEdge(i)).isEqualTo(a.firstEdge(i));
        }
        for (int e = 0; e < a.edgeCount(); e++) {
            assertThat(b.edgeType(e)).isEqualTo(a.edgeType(e));
            assertThat(b.edgeName(e)).isEqualTo(a.edgeName(e));
            assertThat(b.edgeTo(e)).isEqualTo(a.edgeTo(e));
        }
        assertThat(b.locations().size()).isEqualTo(a.locations().size());
    }

    @Test
    void readsV8LayoutWithEveryFeature() throws IOException {
        HeapSnapshot a = sample();
        HeapSnapshot b = SnapshotParser.read(write("a.heapsnapshot", new SnapshotJson().bytes(a)));
        assertSame(a, b);
        assertThat(b.id(4)).isEqualTo(2_172_998_432L);          // above 2^31: unsigned
        assertThat(b.selfSize(4)).isEqualTo(6_000_000_000L);    // above 2^32: long
        assertThat(b.name(5)).isEqualTo("caf\u00e9 \uD83D\uDE00 \"q\" \\ <script>");
        assertThat(b.hasTraceNodeIds()).isTrue();
        assertThat(b.hasDetachedness()).isTrue();
        int loc = b.locations().find(6);
        assertThat(loc).isGreaterThanOrEqualTo(0);
        assertThat(b.locations().line1(loc)).isEqualTo(11);
        assertThat(b.locations().column1(loc)).isEqualTo(21);
    }

    @Test
    void readsNode24SixFieldLayoutAndPre2021Layout() throws IOException {
        HeapSnapshot a = sample();
        SnapshotJson six = new SnapshotJson();
        six.sixFields = true;
        HeapSnapshot b = SnapshotParser.read(write("six.heapsnapshot", six.bytes(a)));
        assertSame(a, b);
        assertThat(b.nodeFieldCount()).isEqualTo(6);
        assertThat(b.hasTraceNodeIds()).isFalse();
        assertThat(b.hasDetachedness()).isTrue();
        SnapshotJson old = new SnapshotJson();
        old.noDetachedness = true;
        HeapSnapshot c = SnapshotParser.read(write("old.heapsnapshot", old.bytes(a)));
        assertSame(a, c);
        assertThat(c.hasDetachedness()).isFalse();
    }

    @Test
    void keyOrderAndWhitespaceDoNotMatter() throws IOException {
        HeapSnapshot a = sample();
        SnapshotJson j = new SnapshotJson();
        j.stringsFirst = true;
        j.indent = "\n  ";
        assertSame(a, SnapshotParser.read(write("first.heapsnapshot", j.bytes(a))));
        SnapshotJson k = new SnapshotJson();
        k.nodesBeforeHeader = true;
        assertSame(a, SnapshotParser.read(write("late.heapsnapshot", k.bytes(a))));
    }

    @Test
    void readsGzipByContentNotByName() throws IOException {
        HeapSnapshot a = sample();
        assertSame(a, SnapshotParser.read(write("plain-name.heapsnapshot", gzip(new SnapshotJson().bytes(a)))));
    }

    @Test
    void unknownNodeAndEdgeTypesAreKept() throws IOException {
        String json = new SnapshotJson().write(sample())
                .replace("\"wasm object\"]", "\"wasm object\",\"future thing\"]")
                .replace("\"shortcut\",\"weak\"]", "\"shortcut\",\"weak\",\"future edge\"]");
        // make node 3 (Array) of the new type 16 and edge 2 of the new edge type 7
        json = json.replaceFirst("\n3,(\\d+),7,", "\n16,$1,7,");
        HeapSnapshot b = SnapshotParser.read(write("u.heapsnapshot", json.getBytes(StandardCharsets.UTF_8)));
        assertThat(b.type(3)).isEqualTo(NodeType.FIRST_UNKNOWN);
        assertThat(b.typeName(3)).isEqualTo("future thing");
    }

    private void assertRejected(String name, byte[] data, String... messageParts) throws IOException {
        Path p = write(name, data);
        assertThatThrownBy(() -> SnapshotParser.read(p))
                .isInstanceOf(SnapshotFormatException.class)
                .satisfies(ex -> {
                    assertThat(ex.getMessage()).startsWith(p.toString() + ": ");
                    assertThat(ex.getMessage()).doesNotContain("\n");
                    for (String part : messageParts) {
                        assertThat(ex.getMessage()).contains(part);
                    }
                });
    }

    @Test
    void refusesEmptyGarbageAndNonSnapshots() throws IOException {
        assertRejected("empty", new byte[0], "empty file");
        assertRejected("garbage", "hello world".getBytes(StandardCharsets.UTF_8), "not a V8 heap snapshot", "at byte 0");
        assertRejected("json-array", "[1,2,3]".getBytes(StandardCharsets.UTF_8), "not a V8 heap snapshot");
        assertRejected("other-json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "no 'snapshot' header");
        byte[] random = new byte[4096];
        new Random(7).nextBytes(random);
        random[0] = '{';
        assertRejected("random", random);
    }

    @Test
    void refusesTruncatedFilesWithOffset() throws IOException {
        byte[] full = new SnapshotJson().bytes(sample());
        int cut = new String(full, StandardCharsets.UTF_8).indexOf("\"edges\":[") + 20;
        byte[] part = java.util.Arrays.copyOf(full, cut);
        assertRejected("trunc", part, "unexpected end of file inside 'edges'", "truncated", "at byte " + cut);
        byte[] gz = gzip(full);
        assertRejected("trunc.gz", java.util.Arrays.copyOf(gz, gz.length / 2));
    }

    @Test
    void refusesTwoConcatenatedDocuments() throws IOException {
        byte[] one = new SnapshotJson().bytes(sample());
        byte[] two = new byte[one.length * 2];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        assertRejected("two", two, "concatenated", "at byte " + one.length);
    }

    @Test
    void refusesInconsistentCounts() throws IOException {
        String ok = new SnapshotJson().write(sample());
        assertRejected("nodecount", ok.replace("\"node_count\":7", "\"node_count\":8").getBytes(StandardCharsets.UTF_8),
                "'nodes' ends after 49 values");
        assertRejected("edgecount", ok.replace("\"edge_count\":8", "\"edge_count\":9").getBytes(StandardCharsets.UTF_8),
                "edge_count values add up to 8");
        assertRejected("lying-header", ok.replace("\"node_count\":7", "\"node_count\":2000000000").getBytes(StandardCharsets.UTF_8),
                "more than a file of");
    }

    @Test
    void refusesBadEdgeTargetsAndStringIndexes() throws IOException {
        String ok = new SnapshotJson().write(sample());
        // first edge: root -> (GC roots), "1,1,7"
        assertRejected("misaligned", ok.replace("\"edges\":[1,1,7", "\"edges\":[1,1,8").getBytes(StandardCharsets.UTF_8),
                "to_node 8, not a multiple of the 7 node fields");
        assertRejected("past-end", ok.replace("\"edges\":[1,1,7", "\"edges\":[1,1,700").getBytes(StandardCharsets.UTF_8),
                "past the last node");
        assertRejected("bad-name", ok.replaceFirst("\"nodes\":\\[9,1,", "\"nodes\":[9,999,").getBytes(StandardCharsets.UTF_8),
                "node name 999 is outside the strings table");
        assertRejected("bad-type", ok.replaceFirst("\"nodes\":\\[9,", "\"nodes\":[99,").getBytes(StandardCharsets.UTF_8),
                "type 99");
        assertRejected("fraction", ok.replaceFirst("\"nodes\":\\[9,", "\"nodes\":[9.5,").getBytes(StandardCharsets.UTF_8),
                "fraction");
        assertRejected("negative", ok.replaceFirst("\"nodes\":\\[9,", "\"nodes\":[-9,").getBytes(StandardCharsets.UTF_8),
                "non-negative integer");
    }

    /** Both readers (the fast path allowed whatever the size, and the sequential pass) refuse it with one message. */
    private void assertRejectedByBoth(String name, String json, String... messageParts) throws IOException {
        Path p = write(name, json.getBytes(StandardCharsets.UTF_8));
        String sequential = null;
        try {
            SnapshotParser.readSequential(p, ReadOptions.defaults());
        } catch (SnapshotFormatException e) {
            sequential = e.getMessage();
        }
        assertThat(sequential).as("the sequential reader's error").isNotNull();
        assertThatThrownBy(() -> SnapshotParser.read(p, ProgressListener.NONE, ParallelReaderTest.fast(256, 64)))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessage(sequential);
        assertRejected(name, json.getBytes(StandardCharsets.UTF_8), messageParts);
    }

    /** The JSON with value {@code index} of the array {@code section} replaced by {@code value}. */
    static String withValue(String json, String section, int index, String value) {
        int at = json.indexOf("\"" + section + "\":[") + section.length() + 4;
        for (int i = 0; i < index; i++) {
            at = json.indexOf(',', at) + 1;
        }
        while (!Character.isDigit(json.charAt(at))) {
            at++;
        }
        int end = at;
        while (Character.isDigit(json.charAt(end))) {
            end++;
        }
        return json.substring(0, at) + value + json.substring(end);
    }

    private static String withHeader(String member) {
        SnapshotJson j = new SnapshotJson();
        j.headerExtra = member + ",";
        return j.write(sample());
    }

    @Test
    void refusesARootIndexThatIsNotANode() throws IOException {
        // 7 nodes of 7 fields: a root index must be one of 0, 7, ..., 42
        assertRejectedByBoth("negative-root", withHeader("\"root_index\":-7"), "root_index -7", "(at byte ");
        assertRejectedByBoth("minus-one-root", withHeader("\"root_index\":-1"), "root_index -1");
        assertRejectedByBoth("misaligned-root", withHeader("\"root_index\":3"), "root_index 3", "7 node fields");
        assertRejectedByBoth("past-root", withHeader("\"root_index\":49"), "root_index 49", "7 nodes");
        assertRejectedByBoth("huge-root", withHeader("\"root_index\":9223372036854775807"), "root_index 9223372036854775807");
        assertRejectedByBoth("fraction-root", withHeader("\"root_index\":7.5"), "root_index", "not an integer");
        assertRejectedByBoth("text-root", withHeader("\"root_index\":\"7\""), "root_index", "not an integer");
        assertRejectedByBoth("null-root", withHeader("\"root_index\":null"), "root_index", "not an integer");
        // the header comes first in the fast path's layout: it reports the error itself, without a second read
        Path negative = write("negative-root-fast", withHeader("\"root_index\":-7").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> SnapshotParser.readFastPath(negative, ParallelReaderTest.fast(256, 64)))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessage(negative + ": snapshot.root_index -7 is negative, not a node index (at byte 1)");
        HeapSnapshot s = SnapshotParser.read(write("root.heapsnapshot", withHeader("\"root_index\":42")
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(s.rootOrdinal()).isEqualTo(6);
    }

    @Test
    void refusesOtherHeaderValuesOutOfRange() throws IOException {
        String ok = new SnapshotJson().write(sample());
        assertRejectedByBoth("negative-extra", withHeader("\"extra_native_bytes\":-5"), "extra_native_bytes -5");
        assertRejectedByBoth("text-extra", withHeader("\"extra_native_bytes\":\"x\""), "extra_native_bytes");
        assertRejectedByBoth("huge-nodes", ok.replace("\"node_count\":7", "\"node_count\":3000000000"),
                "snapshot.node_count = 3000000000 exceeds what leakhound supports");
        assertRejectedByBoth("huge-edges", ok.replace("\"edge_count\":8", "\"edge_count\":2147483648"),
                "snapshot.edge_count = 2147483648 exceeds what leakhound supports");
        assertRejectedByBoth("negative-nodes", ok.replace("\"node_count\":7", "\"node_count\":-7"),
                "snapshot.node_count");
        assertThat(SnapshotParser.read(write("extra.heapsnapshot", withHeader("\"extra_native_bytes\":12345")
                .getBytes(StandardCharsets.UTF_8))).extraNativeBytes()).isEqualTo(12345);
    }

    @Test
    void refusesTraceNodeIdsOutsideTheIntRange() throws IOException {
        String ok = new SnapshotJson().write(sample());
        // node 3's trace_node_id is value 3 * 7 + 5 of 'nodes'
        assertRejectedByBoth("trace", withValue(ok, "nodes", 26, "2147483648"), "node 3", "trace_node_id 2147483648");
        assertRejectedByBoth("trace32", withValue(ok, "nodes", 26, "4294967296"), "trace_node_id 4294967296");
        HeapSnapshot s = SnapshotParser.read(write("max-trace.heapsnapshot",
                withValue(ok, "nodes", 26, "2147483647").getBytes(StandardCharsets.UTF_8)));
        assertThat(s.traceNodeId(3)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void refusesDetachednessThatIsNotAStateCode() throws IOException {
        String ok = new SnapshotJson().write(sample());
        assertRejectedByBoth("detached", withValue(ok, "nodes", 27, "128"), "node 3", "detachedness 128");
        HeapSnapshot s = SnapshotParser.read(write("detached.heapsnapshot",
                withValue(ok, "nodes", 27, "2").getBytes(StandardCharsets.UTF_8)));
        assertThat(s.detachedness(3)).isEqualTo(2);
    }

    @Test
    void refusesScriptLineAndColumnOutsideTheIntRangeInsteadOfClamping() throws IOException {
        String ok = new SnapshotJson().write(sample());
        // the one location: [object_index, script_id, line, column]
        assertRejectedByBoth("script", withValue(ok, "locations", 1, "2147483648"), "location 0", "script_id 2147483648");
        assertRejectedByBoth("line", withValue(ok, "locations", 2, "4294967296"), "location 0", "line 4294967296");
        assertRejectedByBoth("column", withValue(ok, "locations", 3, "99999999999"), "location 0", "column 99999999999");
        HeapSnapshot s = SnapshotParser.read(write("max-loc.heapsnapshot",
                withValue(ok, "locations", 3, "2147483647").getBytes(StandardCharsets.UTF_8)));
        assertThat(s.locations().column(0)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void theFirstProblemInFileOrderIsTheOneReported() throws IOException {
        String ok = new SnapshotJson().write(sample());
        // node 1's type is out of range, and node 5's name is not a number: both readers report node 1
        String both = withValue(withValue(ok, "nodes", 7, "99"), "nodes", 36, "x");
        assertRejectedByBoth("type-then-syntax", both, "node 1 has type 99");
        // the other way round: the syntax error comes first
        String reversed = withValue(withValue(ok, "nodes", 7, "x"), "nodes", 35, "99");
        assertRejectedByBoth("syntax-then-type", reversed, "expected a non-negative integer in 'nodes' but found 'x'");
    }

    @Test
    void refusesGzipBombInBoundedTimeAndMemory() throws IOException {
        // 1 GiB of spaces compresses to about 1 MB: far past any real snapshot's ratio
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bo, 1 << 16)) {
            o.write("{\"snapshot\":".getBytes(StandardCharsets.UTF_8));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 1024; i++) {
                o.write(spaces);
            }
        }
        assertRejected("bomb.gz", bo.toByteArray(), "gzip bomb");
    }

    /** Cutting a valid document anywhere gives a clean format error, never another exception. */
    static IntStream truncationPoints() {
        return Seeds.ints("parser-truncation", 200, 0, 10_000);
    }

    @ParameterizedTest(name = "cut at {0}")
    @MethodSource("truncationPoints")
    void anyTruncationIsAFormatError(int at) {
        Seeds.check(at, () -> truncatedIsAFormatError(at));
    }

    private static void truncatedIsAFormatError(int at) throws IOException {
        byte[] full = new SnapshotJson().bytes(sample());
        int cut = at % full.length;
        Path p = Files.createTempFile("trunc", ".heapsnapshot");
        try {
            Files.write(p, java.util.Arrays.copyOf(full, cut));
            assertThatThrownBy(() -> SnapshotParser.read(p)).isInstanceOf(SnapshotFormatException.class);
        } finally {
            Files.deleteIfExists(p);
        }
    }

    /**
     * Random damage (out-of-range header values such as a negative root_index, numbers too big for their
     * column, random bytes) either still parses into a well-formed snapshot or fails as a format error.
     */
    static LongStream corruptionSeeds() {
        return Seeds.of("parser-corruption", 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("corruptionSeeds")
    void corruptionNeverEscapesAsAnotherException(long seed) {
        Seeds.check(seed, () -> corruptedParsesOrIsAFormatError(seed));
    }

    private static void corruptedParsesOrIsAFormatError(long seed) throws IOException {
        byte[] data = Corruption.of(sample(), new Random(seed));
        Path p = Files.createTempFile("corrupt", ".heapsnapshot");
        try {
            Files.write(p, data);
            try {
                HeapSnapshot s = SnapshotParser.read(p);
                // what is accepted is well-formed: the graph kernels run on it
                Corruption.assertWellFormed(s);
                HeapGraph.build(s);
            } catch (SnapshotFormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    @Test
    void decodesEscapesAndRawUtf8LikeV8AndOtherProducers() throws IOException {
        String ok = new SnapshotJson().write(sample());
        // a lone high surrogate (V8 writes '?' itself; others may write the escape) and raw UTF-8 bytes
        String mutated = ok.replace("\"handler\"", "\"h\\ud800x\"").replace("\"leakArray\"", "\"l\u00e9akArray\"");
        HeapSnapshot s = SnapshotParser.read(write("esc.heapsnapshot", mutated.getBytes(StandardCharsets.UTF_8)));
        assertThat(s.name(6)).isEqualTo("h?x");
        assertThat(s.edgeName(3)).isEqualTo("l\u00e9akArray");  // edges of root (2), (GC roots) (1), then global
    }
}
