package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.nodejs.Collections;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * find-leaks on hand-built snapshot series whose ids follow V8's rules (odd, increasing): one series
 * per shape the classifier tells apart, with counts and bytes derived by hand from the series.
 */
class FindLeaksSyntheticTest {
    /** Self size of an Item and of its payload string. */
    static final long ITEM = 48;
    static final long PAYLOAD = 1000;

    /**
     * A process with global.store (an Array, id 101) holding Items with the given ids, each Item
     * holding a 1000-byte string; plus a steady base of 50 other objects.
     */
    static HeapSnapshot process(long[] itemIds, long extraBaseIdOffset) {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 1, 0);
        int global = b.node(NodeType.OBJECT, "global", 41, 64);
        int store = b.node(NodeType.OBJECT, "Array", 101, 32);
        int elements = b.node(NodeType.ARRAY, "(object elements)", 103 + extraBaseIdOffset, 16L + 8L * itemIds.length);
        b.edge(root, EdgeType.SHORTCUT, "1", global);
        b.edge(global, EdgeType.PROPERTY, "store", store);
        b.edge(store, EdgeType.INTERNAL, "elements", elements);
        base(b, global);
        for (int i = 0; i < itemIds.length; i++) {
            int item = b.node(NodeType.OBJECT, "Item", itemIds[i], ITEM);
            int str = b.node(NodeType.STRING, "payload-" + itemIds[i], itemIds[i] + 2, PAYLOAD);
            b.edge(store, EdgeType.ELEMENT, i, item);
            b.edge(item, EdgeType.PROPERTY, "payload", str);
        }
        return b.build();
    }

    /** 50 objects every snapshot has. */
    static void base(SnapshotBuilder b, int global) {
        for (int i = 0; i < 50; i++) {
            b.edge(global, EdgeType.PROPERTY, "base" + i, b.node(NodeType.OBJECT, "Base", 201 + 2L * i, 40));
        }
    }

    static long[] ids(int from, int count) {
        long[] r = new long[count];
        for (int i = 0; i < count; i++) {
            r[i] = 1001 + 4L * (from + i);   // an Item and its payload string take two consecutive odd ids
        }
        return r;
    }

    static LeakReport run(HeapSnapshot... s) {
        return run(FindLeaks.Options.defaults(), s);
    }

    static LeakReport run(FindLeaks.Options o, HeapSnapshot... s) {
        return FindLeaks.analyze(s, o, ProgressListener.NONE);
    }

    @Test
    void aGrowingArrayIsALeakNamedAfterItsVariable() {
        // 20 items, then 100, then 200: nothing is ever removed
        LeakReport r = run(process(ids(0, 20), 0), process(ids(0, 100), 2), process(ids(0, 200), 4));
        assertThat(r.verdict()).isEqualTo("leak");
        LeakReport.Leak top = r.leaks().get(0);
        assertThat(top.rank()).isEqualTo(1);
        assertThat(top.pattern()).isEqualTo(LeakPattern.ARRAY);
        assertThat(top.culprit()).isEqualTo("store");
        assertThat(top.leakedClass()).isEqualTo("Item");
        assertThat(top.detail()).isEqualTo(new LeakReport.Collection("store", Collections.Kind.ARRAY));
        assertThat(top.countsPerSnapshot()).containsExactly(20, 100, 200);
        // every Item brings its 1000-byte payload: bytes follow the counts exactly
        assertThat(top.bytesPerSnapshot()).containsExactly(20 * 1048L, 100 * 1048L, 200 * 1048L);
        assertThat(top.growthBytes()).isEqualTo(180 * 1048L);
        assertThat(top.container().id()).isEqualTo(101);
        assertThat(top.container().className()).isEqualTo("Array");
        assertThat(top.container().pattern()).isEqualTo("[*]");
        assertThat(top.container().scope()).isNull();
        assertThat(top.pathText()).startsWith("global.store[");
        // allocated after s1 and alive at s2 (the survival rule): items 20..99
        assertThat(top.newCount()).isEqualTo(80);
        assertThat(top.newBytes()).isEqualTo(80 * 1048L);
        assertThat(top.dismissal()).isNull();
        assertThat(r.classDiff()).as("not asked for").isNull();
    }

    @Test
    void twoSnapshotsOfALeakingProcessAreEnough() {
        // with two snapshots every object allocated after the first counts (no survival interval to ask for)
        LeakReport r = run(process(ids(0, 20), 0), process(ids(0, 200), 2));
        assertThat(r.verdict()).isEqualTo("leak");
        LeakReport.Leak top = r.leaks().get(0);
        assertThat(top.pattern()).isEqualTo(LeakPattern.ARRAY);
        assertThat(top.culprit()).isEqualTo("store");
        assertThat(top.countsPerSnapshot()).containsExactly(20, 200);
        assertThat(top.newCount()).isEqualTo(180);
        assertThat(top.newBytes()).isEqualTo(180 * 1048L);
        assertThat(r.snapshots()).hasSize(2);
    }

    @Test
    void theClassComparisonComesWithTheReportWhenAskedFor() {
        LeakReport r = run(FindLeaks.Options.defaults().withClassDiff(true), process(ids(0, 20), 0),
                process(ids(0, 100), 2), process(ids(0, 200), 4));
        assertThat(r.classDiff()).isNotNull();
        var item = r.classDiff().classes().stream().filter(c -> c.name().equals("Item")).findFirst().orElseThrow();
        assertThat(item.countBefore()).isEqualTo(20);
        assertThat(item.countAfter()).isEqualTo(200);
        assertThat(item.newCount()).isEqualTo(180);
        assertThat(item.deletedCount()).isZero();
    }

    @Test
    void aFullBoundedCacheThatTurnsOverIsNoLeak() {
        // always 300 items; half of them replaced by newer ones between snapshots
        LeakReport r = run(process(ids(0, 300), 0), process(ids(150, 300), 2), process(ids(300, 300), 4));
        assertThat(r.verdict()).isEqualTo("no-leak");
        assertThat(r.dismissed()).hasSize(1);
        LeakReport.Leak d = r.dismissed().get(0);
        assertThat(d.rank()).isZero();
        assertThat(d.countsPerSnapshot()).containsExactly(300, 300, 300);
        assertThat(d.dismissal()).isEqualTo(new LeakReport.Dismissal(LeakReport.Dismissal.Reason.NOT_GROWING, 0, 64 * 1024));
    }

    @Test
    void tooFewNewBytesAreDismissedWithTheNumbers() {
        // 20 new items survive an interval: 20 × 1,048 B, over a quarter of --min-bytes (so measured), under it
        LeakReport r = run(process(ids(0, 20), 0), process(ids(0, 40), 2), process(ids(0, 60), 4));
        assertThat(r.verdict()).isEqualTo("no-leak");
        assertThat(r.dismissed()).extracting(LeakReport.Leak::dismissal)
                .containsExactly(new LeakReport.Dismissal(LeakReport.Dismissal.Reason.TOO_FEW_BYTES, 20 * 1048L, 64 * 1024));
    }

    @Test
    void tooFewNewObjectsAreDismissedWithTheNumbers() {
        // grows at every step, by 90 objects; 100 asked for
        FindLeaks.Options o = new FindLeaks.Options(64 * 1024, 100, 10, 0.10);
        LeakReport r = run(o, process(ids(0, 20), 0), process(ids(0, 90), 2), process(ids(0, 110), 4));
        assertThat(r.verdict()).isEqualTo("no-leak");
        assertThat(r.dismissed()).extracting(LeakReport.Leak::dismissal)
                .containsExactly(new LeakReport.Dismissal(LeakReport.Dismissal.Reason.TOO_FEW_OBJECTS, 90, 100));
    }

    @Test
    void smallGrowthStaysUnderTheThresholds() {
        // one new item: not even measured (under a quarter of --min-bytes)
        LeakReport r = run(process(ids(0, 20), 0), process(ids(0, 21), 2), process(ids(0, 22), 4));
        assertThat(r.verdict()).isEqualTo("no-leak");
        assertThat(r.dismissed()).isEmpty();
    }

    @Test
    void aQueueThatTurnsOverButGrowsIsALeakOfTheQueueShape() {
        // the consumer takes the oldest items, the producer adds more than it takes
        LeakReport r = run(process(ids(0, 100), 0), process(ids(50, 200), 2), process(ids(120, 330), 4));
        assertThat(r.verdict()).isEqualTo("leak");
        LeakReport.Leak top = r.leaks().get(0);
        assertThat(top.pattern()).isEqualTo(LeakPattern.QUEUE);
        assertThat(top.culprit()).isEqualTo("store");
        // the first 100 members: items 0..99, of which 100..119 are gone... all of them: 0..99 left by the last
        assertThat(top.detail()).isEqualTo(new LeakReport.Queue("store", 100, 0));
        assertThat(top.countsPerSnapshot()).containsExactly(100, 200, 330);
    }

    // ---- collections other than Arrays ----

    /** Items with the given range of indexes, each 48 B with a 1000 B payload; ids from the index. */
    static int item(SnapshotBuilder b, String cls, int i) {
        long id = 1001 + 8L * i;
        int item = b.node(NodeType.OBJECT, cls, id, ITEM);
        b.edge(item, EdgeType.PROPERTY, "payload", b.node(NodeType.STRING, cls + "-" + i, id + 2, PAYLOAD));
        return item;
    }

    interface Holder {
        /** Adds what holds items {@code [0, count)} below {@code global}. */
        void build(SnapshotBuilder b, int global, int count);
    }

    static HeapSnapshot[] series(Holder holder, int... counts) {
        HeapSnapshot[] out = new HeapSnapshot[counts.length];
        for (int k = 0; k < counts.length; k++) {
            SnapshotBuilder b = new SnapshotBuilder();
            int root = b.node(NodeType.SYNTHETIC, "", 1, 0);
            int global = b.node(NodeType.OBJECT, "global", 41, 64);
            b.edge(root, EdgeType.SHORTCUT, "1", global);
            base(b, global);
            holder.build(b, global, counts[k]);
            out[k] = b.build();
        }
        return out;
    }

    /** A Map or Set: its OrderedHashMap/Set table holds the entries in numbered internal slots. */
    static Holder hashed(String cls, String name) {
        return (b, global, count) -> {
            int coll = b.node(NodeType.OBJECT, cls, 101, 32);
            int table = b.node(NodeType.ARRAY, "system / OrderedHashMap", 103, 24L + 24L * count);
            b.edge(global, EdgeType.PROPERTY, name, coll);
            b.edge(coll, EdgeType.INTERNAL, "table", table);
            for (int i = 0; i < count; i++) {
                b.edge(table, EdgeType.INTERNAL, Integer.toString(7 + 3 * i), item(b, "Request", i));
            }
        };
    }

    @Test
    void aMapThatOnlyGainsEntriesIsAMapLeak() {
        LeakReport r = run(series(hashed("Map", "requests"), 20, 100, 200));
        LeakReport.Leak top = r.leaks().get(0);
        assertThat(top.pattern()).isEqualTo(LeakPattern.MAP);
        assertThat(top.culprit()).isEqualTo("requests");
        assertThat(top.detail()).isEqualTo(new LeakReport.Collection("requests", Collections.Kind.MAP));
        assertThat(top.container().className()).isEqualTo("Map");
        assertThat(top.container().pattern()).isEqualTo("{table}{*}");
        assertThat(top.countsPerSnapshot()).containsExactly(20, 100, 200);
        assertThat(top.newCount()).isEqualTo(80);
    }

    @Test
    void aSetThatOnlyGainsEntriesIsASetLeak() {
        LeakReport r = run(series(hashed("Set", "seen"), 20, 100, 200));
        LeakReport.Leak top = r.leaks().get(0);
        assertThat(top.pattern()).isEqualTo(LeakPattern.SET);
        assertThat(top.detail()).isEqualTo(new LeakReport.Collection("seen", Collections.Kind.SET));
        assertThat(top.countsPerSnapshot()).containsExactly(20, 100, 200);
    }

    @Test
    void anObjectWithManyKeysIsADictionaryAndItsKeysAreData() {
        Holder dict = (b, global, count) -> {
            int o = b.node(NodeType.OBJECT, "Object", 101, 32);
            b.edge(global, EdgeType.PROPERTY, "sessions", o);
            for (int i = 0; i < count; i++) {
                b.edge(o, EdgeType.PROPERTY, "session-" + i, item(b, "Session", i));
            }
        };
        // more than 64 keys at every snapshot: each key is data, so the entries are one group
        LeakReport r = run(series(dict, 70, 200, 400));
        assertThat(r.leaks()).hasSize(1);
        LeakReport.Leak top = r.leaks().get(0);
        assertThat(top.pattern()).isEqualTo(LeakPattern.DICTIONARY);
        assertThat(top.culprit()).isEqualTo("sessions");
        assertThat(top.detail()).isEqualTo(new LeakReport.Collection("sessions", Collections.Kind.DICTIONARY));
        assertThat(top.container().pattern()).isEqualTo("[*]");
        assertThat(top.countsPerSnapshot()).containsExactly(70, 200, 400);
        assertThat(top.newCount()).isEqualTo(130);
    }

    @Test
    void aCacheInAClosuresScopeIsAMemoizationLeakWithItsScope() {
        Holder memo = (b, global, count) -> {
            int fn = b.node(NodeType.CLOSURE, "render", 105, 32);
            int ctx = b.node(NodeType.OBJECT, "system / Context", 107, 40);
            int shared = b.node(NodeType.CODE, "render", 109, 40);
            int script = b.node(NodeType.CODE, "file:///app/render.js", 111, 40);
            b.edge(global, EdgeType.PROPERTY, "render", fn);
            b.edge(fn, EdgeType.INTERNAL, "context", ctx);
            b.edge(fn, EdgeType.INTERNAL, "shared", shared);
            b.edge(shared, EdgeType.INTERNAL, "script", script);
            int map = b.node(NodeType.OBJECT, "Map", 101, 32);
            int table = b.node(NodeType.ARRAY, "system / OrderedHashMap", 103, 24L + 24L * count);
            b.edge(ctx, EdgeType.CONTEXT, "fragmentCache", map);
            b.edge(map, EdgeType.INTERNAL, "table", table);
            for (int i = 0; i < count; i++) {
                b.edge(table, EdgeType.INTERNAL, Integer.toString(7 + 3 * i), item(b, "Fragment", i));
            }
        };
        LeakReport r = run(series(memo, 20, 100, 200));
        LeakReport.Leak top = r.leaks().get(0);
        assertThat(top.pattern()).isEqualTo(LeakPattern.MEMOIZE);
        assertThat(top.culprit()).isEqualTo("fragmentCache");
        assertThat(top.detail()).isEqualTo(new LeakReport.Collection("fragmentCache", Collections.Kind.MAP));
        assertThat(top.container().scope())
                .isEqualTo(new LeakReport.Scope("fragmentCache", "/app/render.js", List.of("render()"), 1));
        assertThat(top.container().pathText()).isEqualTo("global.render::fragmentCache -> Map @101");
    }

    @Test
    void buffersKeptAreNamedForTheirMemoryOutsideTheHeap() {
        Holder buffers = (b, global, count) -> {
            int arr = b.node(NodeType.OBJECT, "Array", 101, 32);
            b.edge(global, EdgeType.PROPERTY, "chunks", arr);
            for (int i = 0; i < count; i++) {
                long id = 1001 + 8L * i;
                int buf = b.node(NodeType.OBJECT, "ChunkRecord", id, 40);
                int store = b.node(NodeType.NATIVE, "system / JSArrayBufferData", id + 2, 4096);
                b.edge(arr, EdgeType.ELEMENT, i, buf);
                b.edge(buf, EdgeType.INTERNAL, "backing_store", store);
            }
        };
        LeakReport r = run(series(buffers, 20, 100, 200));
        LeakReport.Leak top = r.leaks().get(0);
        assertThat(top.pattern()).isEqualTo(LeakPattern.BUFFERS);
        assertThat(top.culprit()).isEqualTo("chunks");
        // 80 new records survived an interval, each with 4 KB of backing store
        assertThat(top.detail()).isEqualTo(new LeakReport.Buffers("chunks", 80 * 4096L));
        assertThat(top.newBytes()).isEqualTo(80 * (4096L + 40));
        assertThat(top.bytesPerSnapshot()).containsExactly(20 * 4136L, 100 * 4136L, 200 * 4136L);
    }

    @Test
    void aLinkedChainWithoutAClosureVariableIsAChain() {
        Holder list = (b, global, count) -> {
            int prev = -1;
            for (int i = 0; i < count; i++) {
                long id = 1001 + 8L * i;
                int node = b.node(NodeType.OBJECT, "Entry", id, 32);
                b.edge(node, EdgeType.PROPERTY, "text", b.node(NodeType.STRING, "entry " + i, id + 2, PAYLOAD));
                if (prev >= 0) {
                    b.edge(node, EdgeType.PROPERTY, "next", prev);
                }
                prev = node;
            }
            b.edge(global, EdgeType.PROPERTY, "log", prev);
        };
        LeakReport r = run(series(list, 20, 100, 200));
        assertThat(r.leaks()).as("%s", r.dismissed()).hasSize(1);
        LeakReport.Leak top = r.leaks().get(0);
        assertThat(top.pattern()).isEqualTo(LeakPattern.CHAIN);
        assertThat(top.culprit()).isEqualTo("log");
        assertThat(top.detail()).isEqualTo(new LeakReport.Chain("log", null, ".next"));
        assertThat(top.container().className()).isEqualTo("global");
        assertThat(top.container().pattern()).isEqualTo(".log(.next)+");
        // the members are what the repeated link reaches from the head: all entries but the head itself
        assertThat(top.countsPerSnapshot()).containsExactly(19, 99, 199);
        assertThat(top.newCount()).isEqualTo(80);
    }

    @Test
    void aChainThroughClosureScopesNamesItsVariable() {
        // the replaceThing leak: theThing.someMethod's scope keeps originalThing, the previous theThing
        Holder chain = (b, global, count) -> {
            int module = b.node(NodeType.OBJECT, "system / Context", 105, 40);
            int main = b.node(NodeType.CLOSURE, "main", 107, 32);
            b.edge(global, EdgeType.PROPERTY, "main", main);
            b.edge(main, EdgeType.INTERNAL, "context", module);
            int prev = -1;
            for (int i = 0; i < count; i++) {
                long id = 1001 + 8L * i;
                int thing = b.node(NodeType.OBJECT, "Object", id, 32);
                int method = b.node(NodeType.CLOSURE, "someMethod", id + 2, 32);
                int ctx = b.node(NodeType.OBJECT, "system / Context", id + 4, 40);
                b.edge(thing, EdgeType.PROPERTY, "longStr", b.node(NodeType.STRING, "*".repeat(20) + i, id + 6, 2000));
                b.edge(thing, EdgeType.PROPERTY, "someMethod", method);
                b.edge(method, EdgeType.INTERNAL, "context", ctx);
                if (prev >= 0) {
                    b.edge(ctx, EdgeType.CONTEXT, "originalThing", prev);
                }
                prev = thing;
            }
            b.edge(module, EdgeType.CONTEXT, "theThing", prev);
        };
        LeakReport r = run(series(chain, 20, 100, 200));
        LeakReport.Leak top = r.leaks().get(0);
        assertThat(top.pattern()).isEqualTo(LeakPattern.CLOSURE_CHAIN);
        assertThat(top.culprit()).isEqualTo("originalThing");
        assertThat(top.detail()).isEqualTo(new LeakReport.Chain("theThing", "originalThing", ".someMethod::originalThing"));
        // the accumulation point is the module's scope itself (not one of its variables)
        assertThat(top.container().className()).isEqualTo("system / Context");
        assertThat(top.container().scope()).isNull();
        assertThat(top.container().pattern()).isEqualTo("::theThing(.someMethod::originalThing)+");
    }

    // ---- refusals ----

    @Test
    void snapshotsOfDifferentProcessesAreRefused() {
        HeapSnapshot a = process(ids(0, 20), 0);
        SnapshotBuilder other = new SnapshotBuilder();
        int root = other.node(NodeType.SYNTHETIC, "", 7, 0);
        List<Integer> nodes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            nodes.add(other.node(NodeType.OBJECT, "X", 900_001 + 2L * i, 10));
            other.edge(root, EdgeType.ELEMENT, i, nodes.get(i));
        }
        HeapSnapshot b = other.build();
        assertThatThrownBy(() -> run(a, b)).isInstanceOf(LeakhoundException.class)
                .hasMessageContaining("do not look like snapshots of one process");
    }

    @Test
    void snapshotsInTheWrongOrderAreRefused() {
        assertThatThrownBy(() -> run(process(ids(0, 100), 2), process(ids(0, 20), 0)))
                .isInstanceOf(LeakhoundException.class).hasMessageContaining("in the order they were taken");
    }

    @Test
    void oneSnapshotIsRefused() {
        assertThatThrownBy(() -> FindLeaks.run(List.of(java.nio.file.Path.of("s1.heapsnapshot")),
                FindLeaks.Options.defaults(), ProgressListener.NONE))
                .isInstanceOf(LeakhoundException.class).hasMessageContaining("at least two snapshots");
    }
}
