package dev.leakhound.core.index;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.graph.Retainers;
import dev.leakhound.core.snapshot.AllocationTraces;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.core.snapshot.SnapshotLocations;
import dev.leakhound.core.snapshot.SnapshotParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The persisted index: what is read back equals a fresh parse on every committed fixture, and an index that
 * cannot be trusted (truncated, bytes flipped, another version, the snapshot changed under it) is rebuilt
 * with a notice, never used and never a crash. Also the folder's budget and permissions.
 */
class SnapshotStoreTest {
    @TempDir
    Path dir;

    private final List<String> notices = new ArrayList<>();

    /** Index files are written behind the caller: none may still be on its way into the folder JUnit deletes. */
    @AfterEach
    void writesDone() {
        SnapshotStore.awaitWrites();
    }

    static Stream<Path> fixtures() throws IOException {
        Path root = Path.of(System.getProperty("leakhound.root", "..")).toAbsolutePath().normalize();
        try (Stream<Path> s = Files.list(root.resolve("testdata/snapshots"))) {
            return s.filter(p -> p.toString().endsWith(".heapsnapshot.gz")).sorted().toList().stream();
        }
    }

    private ReadOptions read() {
        return ReadOptions.defaults().withIndex(IndexSettings.in(dir.resolve("cache"), notices::add));
    }

    private SnapshotStore.Opened open(Path file) {
        SnapshotStore.Opened o = SnapshotStore.open(file, read(), ProgressListener.NONE, false);
        o.graph().withDominators(ProgressListener.NONE, null);
        SnapshotStore.awaitWrites();
        return o;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void reopenedIndexEqualsAFreshParse(Path fixture) {
        SnapshotStore.Opened first = open(fixture);
        assertThat(first.fromIndex()).isFalse();
        SnapshotStore.Opened second = open(fixture);
        assertThat(second.fromIndex()).isTrue();
        assertThat(notices).isEmpty();
        HeapGraph fresh = HeapGraph.build(SnapshotParser.read(fixture, ProgressListener.NONE, ReadOptions.defaults()));
        assertSame(fresh, second.graph());
    }

    /** The snapshot alone (diff, find-leaks' first look): read from the index without its graph, or parsed. */
    @Test
    void theSnapshotAloneComesFromTheIndexWithoutAGraph() throws IOException {
        Path f = fixture();
        SnapshotStore.Opened written = SnapshotStore.open(f, read(), ProgressListener.NONE, false, false);
        SnapshotStore.awaitWrites();
        assertThat(written.fromIndex()).isFalse();
        assertThat(written.graph()).isNull();
        SnapshotStore.Opened again = SnapshotStore.open(f, read(), ProgressListener.NONE, false, false);
        assertThat(again.fromIndex()).isTrue();
        assertThat(again.graph()).isNull();
        assertThat(notices).isEmpty();
        HeapGraph fresh = HeapGraph.build(SnapshotParser.read(f, ProgressListener.NONE, ReadOptions.defaults()));
        assertSame(fresh, HeapGraph.build(again.snapshot()));
        // and a full open afterwards still finds the graph the first (snapshot-only) parse wrote
        SnapshotStore.Opened full = open(f);
        assertThat(full.fromIndex()).isTrue();
        assertSame(fresh, full.graph());
        HeapSnapshot plain = SnapshotStore.snapshot(f, ReadOptions.defaults(), ProgressListener.NONE);
        assertSame(fresh, HeapGraph.build(plain));
    }

    /** Every column of the snapshot and every result of the graph, node by node and edge by edge. */
    static void assertSame(HeapGraph want, HeapGraph got) {
        HeapSnapshot a = want.snapshot();
        HeapSnapshot b = got.snapshot();
        assertThat(b.nodeCount()).isEqualTo(a.nodeCount());
        assertThat(b.edgeCount()).isEqualTo(a.edgeCount());
        assertThat(b.rootOrdinal()).isEqualTo(a.rootOrdinal());
        assertThat(b.extraNativeBytes()).isEqualTo(a.extraNativeBytes());
        assertThat(b.hasTraceNodeIds()).isEqualTo(a.hasTraceNodeIds());
        assertThat(b.hasDetachedness()).isEqualTo(a.hasDetachedness());
        assertThat(b.strings().size()).isEqualTo(a.strings().size());
        for (int i = 0; i < a.strings().size(); i++) {
            same("string " + i, a.strings().get(i), b.strings().get(i));
        }
        for (int v = 0; v < a.nodeCount(); v++) {
            same("node " + v, List.of(a.typeName(v), a.name(v), a.id(v), a.selfSize(v), a.firstEdge(v), a.endEdge(v),
                    a.traceNodeId(v), a.detachedness(v), want.distance(v), want.pathEdge(v), want.className(v),
                    want.idom(v), want.retainedSize(v)),
                    List.of(b.typeName(v), b.name(v), b.id(v), b.selfSize(v), b.firstEdge(v), b.endEdge(v),
                    b.traceNodeId(v), b.detachedness(v), got.distance(v), got.pathEdge(v), got.className(v), got.idom(v),
                    got.retainedSize(v)));
        }
        for (int e = 0; e < a.edgeCount(); e++) {
            same("edge " + e, List.of(a.edgeTypeName(e), a.edgeName(e), a.edgeTo(e)),
                    List.of(b.edgeTypeName(e), b.edgeName(e), b.edgeTo(e)));
        }
        SnapshotLocations la = a.locations();
        SnapshotLocations lb = b.locations();
        assertThat(lb.size()).isEqualTo(la.size());
        for (int i = 0; i < la.size(); i++) {
            assertThat(new int[] {lb.node(i), lb.scriptId(i), lb.line(i), lb.column(i)})
                    .containsExactly(la.node(i), la.scriptId(i), la.line(i), la.column(i));
        }
        AllocationTraces ta = a.allocationTraces();
        AllocationTraces tb = b.allocationTraces();
        assertThat(tb == null).isEqualTo(ta == null);
        if (ta != null) {
            assertThat(tb.functionCount()).isEqualTo(ta.functionCount());
            for (int f = 0; f < ta.functionCount(); f++) {
                same("trace function " + f, List.of(ta.functionId(f), ta.functionName(f), ta.scriptName(f), ta.scriptId(f),
                        ta.line(f), ta.column(f)), List.of(tb.functionId(f), tb.functionName(f), tb.scriptName(f),
                        tb.scriptId(f), tb.line(f), tb.column(f)));
            }
            assertThat(tb.size()).isEqualTo(ta.size());
            for (int t = 0; t < ta.size(); t++) {
                same("trace node " + t, List.of(ta.id(t), ta.function(t), ta.parent(t), ta.count(t), ta.allocatedSize(t)),
                        List.of(tb.id(t), tb.function(t), tb.parent(t), tb.count(t), tb.allocatedSize(t)));
            }
        }
        assertSameRetainers(want, got);
        assertThat(got.bfsOrder()).containsExactly(want.bfsOrder());
        assertThat(got.unreachableCount()).isEqualTo(want.unreachableCount());
        assertThat(got.userRootCount()).isEqualTo(want.userRootCount());
        assertThat(got.classes().classCount()).isEqualTo(want.classes().classCount());
    }

    /** The retainer CSR position by position (the index's, mapped, against one built from the snapshot). */
    static void assertSameRetainers(HeapGraph want, HeapGraph got) {
        Retainers a = want.retainers();
        Retainers b = got.retainers();
        int n = want.snapshot().nodeCount();
        for (int v = 0; v < n; v++) {
            same("retainers of node " + v, List.of(a.first(v), a.end(v), a.count(v)), List.of(b.first(v), b.end(v), b.count(v)));
        }
        for (int i = 0; i < want.snapshot().edgeCount(); i++) {
            same("retainer " + i, List.of(a.edge(i), a.from(i)), List.of(b.edge(i), b.from(i)));
        }
    }

    /** A plain comparison: AssertJ per node would dominate the test's time. */
    private static void same(String what, Object want, Object got) {
        if (!want.equals(got)) {
            throw new AssertionError(what + ": expected " + want + " but the index gave " + got);
        }
    }

    private Path fixture() throws IOException {
        Path f = dir.resolve("snap.heapsnapshot.gz");
        Files.copy(fixtures().filter(p -> p.getFileName().toString().equals("node20.heapsnapshot.gz")).findFirst()
                .orElseThrow(), f, StandardCopyOption.REPLACE_EXISTING);
        return f;
    }

    private Path only(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("cache"))) {
            return s.filter(p -> p.toString().endsWith(suffix)).findFirst().orElseThrow();
        }
    }

    private void rebuiltWithNotice(Path f, String noticeContains) {
        SnapshotStore.Opened o = open(f);
        assertThat(o.fromIndex()).isFalse();
        assertThat(notices).anySatisfy(n -> assertThat(n).contains(noticeContains));
        notices.clear();
        SnapshotStore.Opened again = open(f);
        assertThat(again.fromIndex()).isTrue();
        assertThat(notices).isEmpty();
        assertSame(o.graph(), again.graph());
    }

    @Test
    void aFlippedByteAnywhereInTheBaseIsNeverTrusted() throws IOException {
        Path f = fixture();
        open(f);
        Path base = only(IndexStore.BASE);
        long size = Files.size(base);
        // a byte in each stretch of the file: header, sections, table, trailer
        for (long at : new long[] {3, 20, size / 3, size / 2, size - 100, size - 40, size - 5}) {
            flip(base, at);
            rebuiltWithNotice(f, "unusable");
        }
    }

    /** Opens {@code f} from its index and asks for its retainers, so that they are built and stored, or loaded. */
    private HeapGraph retainersAsked(Path f) {
        SnapshotStore.Opened o = open(f);
        assertThat(o.fromIndex()).isTrue();
        o.graph().retainers();
        SnapshotStore.awaitWrites();
        return o.graph();
    }

    private long offsetIn(Path file, String section, long within) throws IOException {
        try (IndexReader r = new IndexReader(java.nio.channels.FileChannel.open(file))) {
            IndexReader.Section s = r.sectionInfo(section);
            return s.offset() + Math.min(within, s.bytes() - 1);
        }
    }

    /** Retainers are stored once a command has built them, and the next command's equal the snapshot's. */
    @Test
    void retainersAreStoredOnceBuiltAndReadBackTheSame() throws IOException {
        Path f = fixture();
        open(f);
        assertThat(Files.list(dir.resolve("cache")).anyMatch(p -> p.toString().endsWith(IndexStore.RETAINERS))).isFalse();
        retainersAsked(f);
        assertThat(only(IndexStore.RETAINERS)).exists();
        HeapGraph fresh = HeapGraph.build(SnapshotParser.read(f, ProgressListener.NONE, ReadOptions.defaults()));
        HeapGraph again = retainersAsked(f);
        assertSameRetainers(fresh, again);
        assertThat(notices).isEmpty();
        IndexStore store = new IndexStore(IndexSettings.in(dir.resolve("cache"), notices::add));
        assertThat(store.list()).hasSize(1);
        assertThat(store.list().get(0).indexBytes()).isEqualTo(Files.size(only(IndexStore.BASE))
                + Files.size(only(IndexStore.DOMINATORS)) + Files.size(only(IndexStore.RETAINERS)));
        assertThat(store.clear()).isPositive();
        assertThat(Files.list(dir.resolve("cache")).count()).isZero();
    }

    /**
     * Damaged retainers (a flipped byte in a column, or in the file's table) are built from the snapshot
     * instead, with a notice, and stored again; the base is kept.
     */
    @Test
    void corruptRetainersAreBuiltAgainAndStoredAgain() throws IOException {
        Path f = fixture();
        open(f);
        retainersAsked(f);
        HeapGraph fresh = HeapGraph.build(SnapshotParser.read(f, ProgressListener.NONE, ReadOptions.defaults()));
        Path file = only(IndexStore.RETAINERS);
        for (long at : new long[] {offsetIn(file, "graph.retainers.edge", Long.MAX_VALUE / 2),
                offsetIn(file, "graph.retainers.from", 3), offsetIn(file, "graph.retainers.first", 0),
                Files.size(file) - 40}) {
            flip(only(IndexStore.RETAINERS), at);
            HeapGraph g = retainersAsked(f);
            assertSameRetainers(fresh, g);
            assertThat(notices).anySatisfy(n -> assertThat(n).contains("unusable"));
            notices.clear();
            HeapGraph again = retainersAsked(f);   // stored again: read back with no notice
            assertSameRetainers(fresh, again);
            assertThat(notices).isEmpty();
        }
    }

    @Test
    void aTruncatedOrEmptyIndexIsRebuilt() throws IOException {
        Path f = fixture();
        open(f);
        Path base = only(IndexStore.BASE);
        try (RandomAccessFile r = new RandomAccessFile(base.toFile(), "rw")) {
            r.setLength(r.length() / 2);
        }
        rebuiltWithNotice(f, "unusable");
        Files.write(only(IndexStore.BASE), new byte[0]);
        rebuiltWithNotice(f, "unusable");
    }

    @Test
    void anIndexOfAnotherVersionIsRebuilt() throws IOException {
        Path f = fixture();
        open(f);
        try (RandomAccessFile r = new RandomAccessFile(only(IndexStore.BASE).toFile(), "rw")) {
            r.seek(8);
            r.write(new byte[] {99, 0, 0, 0});
        }
        rebuiltWithNotice(f, "version 99");
    }

    /** A command that never asks for retainers never reads their file. */
    @Test
    void retainersAreReadOnlyWhenAskedFor() throws IOException {
        Path f = fixture();
        open(f);
        retainersAsked(f);
        flip(only(IndexStore.RETAINERS), offsetIn(only(IndexStore.RETAINERS), "graph.retainers.from", 3));
        SnapshotStore.Opened o = open(f);
        assertThat(o.fromIndex()).isTrue();
        assertThat(notices).isEmpty();
    }

    @Test
    void corruptDominatorsAreComputedAgain() throws IOException {
        Path f = fixture();
        SnapshotStore.Opened fresh = open(f);
        Path dom = only(IndexStore.DOMINATORS);
        flip(dom, Files.size(dom) / 2);
        SnapshotStore.Opened o = open(f);
        assertThat(o.fromIndex()).isTrue();
        assertThat(notices).anySatisfy(n -> assertThat(n).contains("dominators"));
        assertSame(fresh.graph(), o.graph());
    }

    @Test
    void aSnapshotRewrittenWithTheSameSizeAndTimeIsNotAnsweredFromItsOldIndex() throws IOException {
        Path f = fixture();
        open(f);
        FileTime t = Files.getLastModifiedTime(f);
        byte[] other = Files.readAllBytes(fixtures().filter(p -> p.getFileName().toString().equals("node22.heapsnapshot.gz"))
                .findFirst().orElseThrow());
        byte[] same = new byte[(int) Files.size(f)];
        System.arraycopy(other, 0, same, 0, Math.min(other.length, same.length));
        Files.write(f, same);   // same size, different bytes (not a valid gzip: what matters is the index is not used)
        Files.setLastModifiedTime(f, t);
        IndexStore.Source s = IndexStore.identify(f);
        IndexStore store = new IndexStore(IndexSettings.in(dir.resolve("cache"), notices::add));
        assertThat(store.open(store.baseFile(s), s, "base")).isNull();
        assertThat(notices).anySatisfy(n -> assertThat(n).contains("content changed"));
        assertThat(Files.exists(store.baseFile(s))).isFalse();
    }

    @Test
    void theFolderIsOwnerOnlyAndTheBudgetEvictsTheLeastRecentlyUsed() throws IOException {
        Path a = fixture();
        Path b = dir.resolve("b.heapsnapshot.gz");
        Files.copy(fixtures().filter(p -> p.getFileName().toString().equals("node22.heapsnapshot.gz")).findFirst()
                .orElseThrow(), b);
        open(a);
        Path cache = dir.resolve("cache");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
        try (Stream<Path> s = Files.list(cache)) {
            s.forEach(p -> {
                try {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
                            .isEqualTo("rw-------");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
        }
        IndexStore store = new IndexStore(IndexSettings.in(cache, notices::add));
        long sizeA = store.list().get(0).indexBytes();
        // a budget that holds b's index but not both: a, used longer ago, goes
        ReadOptions small = ReadOptions.defaults().withIndex(IndexSettings.in(cache, notices::add).withBudget(sizeA * 3 / 2));
        Files.setLastModifiedTime(only(IndexStore.BASE), FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        SnapshotStore.open(b, small, ProgressListener.NONE, false);
        SnapshotStore.awaitWrites();
        List<IndexStore.Entry> left = store.list();
        assertThat(left).hasSize(1);
        assertThat(left.get(0).snapshot()).isEqualTo(b.toAbsolutePath());
        assertThat(store.clear()).isPositive();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void anIndexBiggerThanTheBudgetIsNotKept() throws IOException {
        Path f = fixture();
        ReadOptions tiny = ReadOptions.defaults().withIndex(IndexSettings.in(dir.resolve("cache"), notices::add).withBudget(1000));
        SnapshotStore.open(f, tiny, ProgressListener.NONE, false);
        SnapshotStore.awaitWrites();
        assertThat(notices).anySatisfy(n -> assertThat(n).contains("not kept"));
        assertThat(new IndexStore(IndexSettings.in(dir.resolve("cache"), notices::add)).list()).isEmpty();
        assertThat(SnapshotStore.open(f, tiny, ProgressListener.NONE, false).fromIndex()).isFalse();
        SnapshotStore.awaitWrites();
    }

    @Test
    void anUnwritableFolderIsANoticeNotAFailure() throws IOException {
        Path f = fixture();
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        ReadOptions r = ReadOptions.defaults().withIndex(IndexSettings.in(file.resolve("cache"), notices::add));
        SnapshotStore.Opened o = SnapshotStore.open(f, r, ProgressListener.NONE, false);
        SnapshotStore.awaitWrites();
        assertThat(o.graph().snapshot().nodeCount()).isPositive();
        assertThat(notices).anySatisfy(n -> assertThat(n).contains("not written"));
    }

    private static void flip(Path file, long at) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(file.toFile(), "rw")) {
            r.seek(at);
            int b = r.read();
            r.seek(at);
            r.write(b ^ 0x5A);
        }
    }
}
