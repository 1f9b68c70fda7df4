package dev.leakhound.analysis.leaks;

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

/** find-leaks on hand-built snapshot series whose ids follow V8's rules (odd, increasing). */
class FindLeaksSyntheticTest {

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
        for (int i = 0; i < 50; i++) {
            int o = b.node(NodeType.OBJECT, "Base", 201 + 2L * i, 40);
            b.edge(global, EdgeType.PROPERTY, "base" + i, o);
        }
        for (int i = 0; i < itemIds.length; i++) {
            int item = b.node(NodeType.OBJECT, "Item", itemIds[i], 48);
            int str = b.node(NodeType.STRING, "payload-" + itemIds[i], itemIds[i] + 2, 1000);
            b.edge(store, EdgeType.ELEMENT, i, item);
            b.edge(item, EdgeType.PROPERTY, "payload", str);
        }
        return b.build();
    }

    static long[] ids(int from, int count) {
        long[] r = new long[count];
        for (int i = 0; i < count; i++) {
            r[i] = 1001 + 4L * (from + i);   // an Item and its payload string take two consecutive odd ids
        }
        return r;
    }

    static LeakReport run(HeapSnapshot... s) {
        return FindLeaks.analyze(s, FindLeaks.Options.defaults(), ProgressListener.NONE);
    }

    @Test
    void aGrowingArrayIsALeakNamedAfterItsVariable() {
        // 20 items, then 100, then 200: nothing is ever removed
        LeakReport r = run(process(ids(0, 20), 0), process(ids(0, 100), 2), process(ids(0, 200), 4));
        assertThat(r.verdict()).isEqualTo("leak");
        LeakReport.Leak top = r.leaks().get(0);
        assertThat(top.pattern()).isEqualTo(LeakPattern.ARRAY);
        assertThat(top.culprit()).isEqualTo("store");
        assertThat(top.leakedClass()).isEqualTo("Item");
        assertThat(top.countsPerSnapshot()).containsExactly(20, 100, 200);
        // every Item brings its 1000-byte payload: bytes follow the counts exactly
        assertThat(top.bytesPerSnapshot()).containsExactly(20 * 1048L, 100 * 1048L, 200 * 1048L);
        assertThat(top.container().id()).isEqualTo(101);
        assertThat(top.pathText()).startsWith("global.store[");
        // allocated after s1 and alive at s2 (the survival rule): items 20..99
        assertThat(top.newCount()).isEqualTo(80);
    }

    @Test
    void aFullBoundedCacheThatTurnsOverIsNoLeak() {
        // always 300 items; half of them replaced by newer ones between snapshots
        LeakReport r = run(process(ids(0, 300), 0), process(ids(150, 300), 2), process(ids(300, 300), 4));
        assertThat(r.verdict()).isEqualTo("no-leak");
        assertThat(r.dismissed()).isNotEmpty();
        assertThat(r.dismissed().get(0).dismissal().reason()).isEqualTo(LeakReport.Dismissal.Reason.NOT_GROWING);
    }

    @Test
    void aQueueThatTurnsOverButGrowsIsALeakOfTheQueueShape() {
        // the consumer takes the oldest items, the producer adds more than it takes
        LeakReport r = run(process(ids(0, 100), 0), process(ids(50, 200), 2), process(ids(120, 330), 4));
        assertThat(r.verdict()).isEqualTo("leak");
        assertThat(r.leaks().get(0).pattern()).isEqualTo(LeakPattern.QUEUE);
    }

    @Test
    void smallGrowthStaysUnderTheThresholds() {
        LeakReport r = run(process(ids(0, 20), 0), process(ids(0, 21), 2), process(ids(0, 22), 4));
        assertThat(r.verdict()).isEqualTo("no-leak");
    }

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
}
