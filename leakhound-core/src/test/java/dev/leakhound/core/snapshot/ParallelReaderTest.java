package dev.leakhound.core.snapshot;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parallel fast path against the sequential parser: same snapshot for every layout it accepts, and for
 * anything else (other key orders, odd formatting, corrupt or truncated files) it gives up so that the
 * sequential parser's result or error is what the caller sees. Buffer and block sizes are made tiny so that
 * small files cross every window and block boundary.
 */
class ParallelReaderTest {
    @TempDir
    Path dir;

    /** A random snapshot: every node type, big ids and sizes, string and index edge names, escapes. */
    static HeapSnapshot random(long seed, int n, int m) {
        Random r = new Random(seed);
        SnapshotBuilder b = new SnapshotBuilder();
        String[] names = {"", "global", "Array", "Object", "caf\u00e9", "q\"uote", "back\\slash", "line\nfeed",
            "\uD83D\uDE00", "system / Context", "(GC roots)", "x".repeat(300)};
        b.node(NodeType.SYNTHETIC, "", 1, 0);
        for (int i = 1; i < n; i++) {
            int type = r.nextInt(NodeType.NAMES.length);
            String name = r.nextInt(4) == 0 ? "s" + r.nextInt(5000) : names[r.nextInt(names.length)];
            long id = r.nextInt(10) == 0 ? 0xFFFF_FFF0L + r.nextInt(15) : 2L * i + 1;
            long size = r.nextInt(20) == 0 ? (1L << 40) + r.nextInt(1000) : r.nextInt(200);
            b.node(type, name, id, size);
        }
        for (int e = 0; e < m; e++) {
            int from = r.nextInt(n);
            int to = r.nextInt(n);
            int t = r.nextInt(EdgeType.NAMES.length);
            if (EdgeType.nameIsString(t)) {
                b.edge(from, t, r.nextInt(3) == 0 ? "p" + r.nextInt(3000) : names[r.nextInt(names.length)], to);
            } else {
                b.edge(from, t, r.nextInt(3) == 0 ? (int) 4_000_000_000L : r.nextInt(100_000), to);
            }
        }
        for (int i = 0; i < n / 10; i++) {
            b.location(r.nextInt(n), r.nextInt(50), r.nextInt(1000), r.nextInt(120));
        }
        return b.build();
    }

    static void assertIdentical(HeapSnapshot a, HeapSnapshot b) {
        assertThat(b.nodeCount()).isEqualTo(a.nodeCount());
        assertThat(b.edgeCount()).isEqualTo(a.edgeCount());
        assertThat(b.rootOrdinal()).isEqualTo(a.rootOrdinal());
        assertThat(b.nodeFieldCount()).isEqualTo(a.nodeFieldCount());
        assertThat(b.extraNativeBytes()).isEqualTo(a.extraNativeBytes());
        assertThat(b.hasTraceNodeIds()).isEqualTo(a.hasTraceNodeIds());
        assertThat(b.hasDetachedness()).isEqualTo(a.hasDetachedness());
        for (int i = 0; i < a.nodeCount(); i++) {
            assertThat(b.type(i)).as("type of %d", i).isEqualTo(a.type(i));
            assertThat(b.typeName(i)).isEqualTo(a.typeName(i));
            assertThat(b.nameIndex(i)).as("name of %d", i).isEqualTo(a.nameIndex(i));
            assertThat(b.id(i)).as("id of %d", i).isEqualTo(a.id(i));
            assertThat(b.selfSize(i)).as("size of %d", i).isEqualTo(a.selfSize(i));
            assertThat(b.firstEdge(i)).isEqualTo(a.firstEdge(i));
            assertThat(b.endEdge(i)).isEqualTo(a.endEdge(i));
            assertThat(b.traceNodeId(i)).isEqualTo(a.traceNodeId(i));
            assertThat(b.detachedness(i)).isEqualTo(a.detachedness(i));
        }
        for (int e = 0; e < a.edgeCount(); e++) {
            assertThat(b.edgeType(e)).as("type of edge %d", e).isEqualTo(a.edgeType(e));
            assertThat(b.edgeNameOrIndex(e)).as("name of edge %d", e).isEqualTo(a.edgeNameOrIndex(e));
            assertThat(b.edgeTo(e)).as("target of edge %d", e).isEqualTo(a.edgeTo(e));
        }
        assertThat(b.strings().size()).isEqualTo(a.strings().size());
        for (int i = 0; i < a.strings().size(); i++) {
            assertThat(b.strings().get(i)).isEqualTo(a.strings().get(i));
        }
        SnapshotLocations la = a.locations();
        SnapshotLocations lb = b.locations();
        assertThat(lb.size()).isEqualTo(la.size());
        for (int i = 0; i < la.size(); i++) {
            assertThat(lb.node(i)).isEqualTo(la.node(i));
            assertThat(lb.scriptId(i)).isEqualTo(la.scriptId(i));
            assertThat(lb.line(i)).isEqualTo(la.line(i));
            assertThat(lb.column(i)).isEqualTo(la.column(i));
        }
    }

    private Path write(String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    /** Options that take the fast path whatever the file's size, with the given window and block sizes. */
    static ReadOptions fast(int window, int block) {
        return ReadOptions.defaults().withFastPathMinBytes(0).withFastPathBuffers(window, block);
    }

    static HeapSnapshot sequential(Path p) {
        return SnapshotParser.readSequential(p, ReadOptions.defaults());
    }

    /** The fast path alone, which must not give up on the file. */
    private static HeapSnapshot parallel(Path p, int window, int block) {
        try {
            return SnapshotParser.readFastPath(p, fast(window, block));
        } catch (ParallelReader.Bail b) {
            throw new AssertionError("the fast path gave up: " + b.getMessage(), b);
        }
    }

    /** Whether the fast path alone gives up on the file. */
    private static boolean fastPathGivesUp(Path p) {
        try {
            SnapshotParser.readFastPath(p, fast(256, 64));
            return false;
        } catch (ParallelReader.Bail b) {
            return true;
        }
    }

    @Test
    void readsEveryV8LayoutLikeTheSequentialParser() throws IOException {
        HeapSnapshot a = random(1, 3000, 12000);
        SnapshotJson[] layouts = {new SnapshotJson(), new SnapshotJson(), new SnapshotJson()};
        layouts[1].sixFields = true;
        layouts[2].noDetachedness = true;
        for (int l = 0; l < layouts.length; l++) {
            Path p = write("layout" + l + ".heapsnapshot", layouts[l].bytes(a));
            HeapSnapshot seq = sequential(p);
            for (int window : new int[] {256, 257, 1000, 1 << 20}) {
                for (int block : new int[] {1, 7, 64, 4096, 1 << 22}) {
                    assertIdentical(seq, parallel(p, window, block));
                }
            }
        }
    }

    @Test
    void readsTheParserTestSampleAndFormattingWithinTheMargin() throws IOException {
        HeapSnapshot a = SnapshotParserTest.sample();
        Path p = write("sample.heapsnapshot", new SnapshotJson().bytes(a));
        assertIdentical(sequential(p), parallel(p, 256, 3));
        // whitespace around values and separators, as a pretty-printer might write it
        String spaced = new SnapshotJson().write(a).replace(",", " ,\r\n\t ");
        Path q = write("spaced.heapsnapshot", spaced.getBytes(StandardCharsets.UTF_8));
        assertIdentical(sequential(q), parallel(q, 256, 5));
    }

    @Test
    void traceNodeIdsAreKeptWhenPresentAndCostNothingWhenAllZero() throws IOException {
        HeapSnapshot a = random(4, 300, 900);
        String json = new SnapshotJson().write(a);
        Path zeros = write("zeros.heapsnapshot", json.getBytes(StandardCharsets.UTF_8));
        for (HeapSnapshot s : new HeapSnapshot[] {sequential(zeros), parallel(zeros, 256, 64)}) {
            assertThat(s.hasTraceNodeIds()).isTrue();
            assertThat(s.traceNodeId(5)).isZero();
            assertThat(s.memoryBytes()).isLessThan(a.memoryBytes() + 4L * a.nodeCount());
        }
        // node 5's line is "type,name,id,size,edges,trace,detachedness": give it trace id 17
        String[] lines = json.split("\n", -1);
        String[] f = lines[5].split(",", -1);   // "t,n,id,size,edges,trace,det," (separator at the end)
        f[5] = "17";
        lines[5] = String.join(",", f);
        Path traced = write("traced.heapsnapshot", String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        HeapSnapshot seq = sequential(traced);
        assertThat(seq.traceNodeId(5)).isEqualTo(17);
        assertThat(seq.traceNodeId(4)).isZero();
        assertIdentical(seq, parallel(traced, 256, 64));
    }

    @Test
    void decodesEveryEscapeAsTheSequentialParserAcrossWindowBoundaries() throws IOException {
        String ok = new SnapshotJson().write(random(6, 200, 600));
        // names the generator uses, replaced by escape-heavy and raw UTF-8 variants
        String mutated = ok.replace("\"global\"", "\"h\\ud800x\\udc00y\\ud800\\u0041z\\ud800\\ud800\"")
                .replace("\"Array\"", "\"\\/\\b\\f\\r\\t\\n\\\"\\\\ l\u00e9 \u4e2d \"")
                .replace("\"Object\"", "\"" + "\\u00e9".repeat(200) + "\"");
        Path p = write("esc.heapsnapshot", mutated.getBytes(StandardCharsets.UTF_8));
        HeapSnapshot seq = sequential(p);
        assertThat(seq.strings().find("h?x?y?Az??")[0]).isPositive();   // lone surrogates become '?'
        assertThat(seq.strings().find("Object")[0]).isNegative();
        for (int window : new int[] {256, 263, 300, 1 << 16}) {
            assertIdentical(seq, parallel(p, window, 97));
        }
    }

    /** Collects the notes a read sends, and can interrupt the reading thread at its first progress report. */
    static final class Listener implements ProgressListener {
        final List<String> notes = new ArrayList<>();
        final boolean interrupt;
        boolean interrupted;

        Listener(boolean interrupt) {
            this.interrupt = interrupt;
        }

        @Override
        public void progress(String phase, double fraction) {
            if (interrupt && !interrupted) {
                interrupted = true;
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void note(String message) {
            notes.add(message);
        }
    }

    @Test
    void givesUpOnOtherKeyOrdersSaysWhyAndTheSequentialParserReadsThem() throws IOException {
        HeapSnapshot a = random(2, 500, 2000);
        SnapshotJson stringsFirst = new SnapshotJson();
        stringsFirst.stringsFirst = true;
        SnapshotJson late = new SnapshotJson();
        late.nodesBeforeHeader = true;
        for (SnapshotJson j : new SnapshotJson[] {stringsFirst, late}) {
            Path p = write("order.heapsnapshot", j.bytes(a));
            assertThat(fastPathGivesUp(p)).isTrue();
            Listener listener = new Listener(false);
            assertIdentical(sequential(p), SnapshotParser.read(p, listener, fast(256, 64)));
            assertThat(listener.notes).singleElement().asString()
                    .contains(p.toString(), "'snapshot' is not the first key", "reading it sequentially");
        }
        // a file in V8's layout: no note
        Path v8 = write("v8.heapsnapshot", new SnapshotJson().bytes(a));
        Listener listener = new Listener(false);
        SnapshotParser.read(v8, listener, fast(256, 64));
        assertThat(listener.notes).isEmpty();
    }

    @Test
    void anInterruptStopsTheReadInsteadOfStartingItAgain() throws IOException {
        Path p = write("big.heapsnapshot", new SnapshotJson().bytes(random(1, 3000, 12000)));
        Listener listener = new Listener(true);
        try {
            assertThatThrownBy(() -> SnapshotParser.read(p, listener, fast(256, 64)))
                    .isInstanceOf(LeakhoundException.class)
                    .hasMessage(p + ": reading interrupted");
            assertThat(listener.interrupted).isTrue();
            assertThat(listener.notes).as("no sequential read after the interrupt").isEmpty();
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void givesUpOnWhitespaceRunsLongerThanItsWindow() throws IOException {
        HeapSnapshot a = random(3, 200, 800);
        String json = new SnapshotJson().write(a).replaceFirst("\n", " ".repeat(1000) + "\n");
        Path p = write("ws.heapsnapshot", json.getBytes(StandardCharsets.UTF_8));
        assertThat(fastPathGivesUp(p)).isTrue();
        assertIdentical(sequential(p), SnapshotParser.read(p, ProgressListener.NONE, fast(256, 64)));
    }

    /** The outcome of reading: the snapshot, or the exact error message. */
    private static Object outcome(java.util.function.Supplier<HeapSnapshot> read) {
        try {
            return read.get();
        } catch (SnapshotFormatException e) {
            return e.getMessage();
        }
    }

    private static void assertSameOutcome(Path p, int window, int block) {
        Object seq = outcome(() -> sequential(p));
        Object par = outcome(() -> SnapshotParser.read(p, ProgressListener.NONE, fast(window, block)));
        if (seq instanceof String) {
            assertThat(par).isEqualTo(seq);
        } else {
            assertThat(par).isInstanceOf(HeapSnapshot.class);
            assertIdentical((HeapSnapshot) seq, (HeapSnapshot) par);
        }
    }

    @Test
    void headerCountsThatDoNotMatchTheArraysGiveTheSequentialErrors() throws IOException {
        HeapSnapshot a = random(7, 300, 1000);
        String ok = new SnapshotJson().write(a);
        String[][] lies = {
            {"\"node_count\":300", "\"node_count\":301"},     // nodes end before the header says
            {"\"node_count\":300", "\"node_count\":299"},     // more values than declared
            {"\"node_count\":300", "\"node_count\":900"},     // a lower bound for the end past the real end
            {"\"edge_count\":1000", "\"edge_count\":999"},
            {"\"edge_count\":1000", "\"edge_count\":1001"},
        };
        for (String[] lie : lies) {
            assertThat(ok).contains(lie[0]);
            Path p = write("lie.heapsnapshot", ok.replace(lie[0], lie[1]).getBytes(StandardCharsets.UTF_8));
            assertThat(fastPathGivesUp(p)).isTrue();
            assertSameOutcome(p, 256, 64);
            assertThat(outcome(() -> sequential(p))).isInstanceOf(String.class);
        }
    }

    /**
     * Random damage (out-of-range header values such as a negative root_index, numbers too big for their
     * column, random bytes): the same snapshot or the same error (message and byte offset) from both readers.
     */
    static LongStream corruptionSeeds() {
        return Seeds.of("parallel-corruption", 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("corruptionSeeds")
    void corruptionGivesTheSequentialOutcome(long seed) {
        Seeds.check(seed, () -> corruptionOutcome(seed));
    }

    private static void corruptionOutcome(long seed) throws IOException {
        Random r = new Random(seed);
        byte[] data = Corruption.of(random(seed & 7, 120, 400), r);
        Path p = Files.createTempFile("corrupt", ".heapsnapshot");
        try {
            Files.write(p, data);
            assertSameOutcome(p, 256, 1 + r.nextInt(200));
            if (outcome(() -> sequential(p)) instanceof HeapSnapshot s) {
                Corruption.assertWellFormed(s);
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    static IntStream truncationPoints() {
        return Seeds.ints("parallel-truncation", 200, 0, 1_000_000);
    }

    @ParameterizedTest(name = "cut at {0}")
    @MethodSource("truncationPoints")
    void truncationGivesTheSequentialOutcome(int at) {
        Seeds.check(at, () -> truncationOutcome(at));
    }

    private static void truncationOutcome(int at) throws IOException {
        byte[] full = new SnapshotJson().bytes(random(5, 120, 400));
        Path p = Files.createTempFile("trunc", ".heapsnapshot");
        try {
            Files.write(p, java.util.Arrays.copyOf(full, at % full.length));
            assertSameOutcome(p, 256, 1 + at % 97);
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
