package dev.leakhound.analysis.leaks;

import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Defects of find-leaks found in review (issue 9), each with a test that failed before its fix. */
class FindLeaksDefectsTest {
    /** global.a holds ItemA objects, global.b ItemB: a[k] and b[k] items at snapshot k (ids in creation order). */
    static HeapSnapshot[] twoArrays(int[] a, int[] b) {
        int k = a.length;
        // creation order: phase by phase, A's items then B's
        long[][] idsA = new long[k][];
        long[][] idsB = new long[k][];
        long next = 1001;
        for (int p = 0; p < k; p++) {
            int addA = a[p] - (p == 0 ? 0 : a[p - 1]);
            int addB = b[p] - (p == 0 ? 0 : b[p - 1]);
            idsA[p] = new long[addA];
            idsB[p] = new long[addB];
            for (int i = 0; i < addA; i++, next += 4) idsA[p][i] = next;
            for (int i = 0; i < addB; i++, next += 4) idsB[p][i] = next;
        }
        HeapSnapshot[] out = new HeapSnapshot[k];
        for (int snap = 0; snap < k; snap++) {
            SnapshotBuilder sb = new SnapshotBuilder();
            int root = sb.node(NodeType.SYNTHETIC, "", 1, 0);
            int global = sb.node(NodeType.OBJECT, "global", 41, 64);
            sb.edge(root, EdgeType.SHORTCUT, "1", global);
            for (int i = 0; i < 50; i++) {
                sb.edge(global, EdgeType.PROPERTY, "base" + i, sb.node(NodeType.OBJECT, "Base", 201 + 2L * i, 40));
            }
            int arrA = sb.node(NodeType.OBJECT, "Array", 101, 32);
            int arrB = sb.node(NodeType.OBJECT, "Array", 103, 32);
            sb.edge(global, EdgeType.PROPERTY, "a", arrA);
            sb.edge(global, EdgeType.PROPERTY, "b", arrB);
            int ia = 0;
            int ib = 0;
            for (int p = 0; p <= snap; p++) {
                for (long id : idsA[p]) {
                    int item = sb.node(NodeType.OBJECT, "ItemA", id, 48);
                    sb.edge(arrA, EdgeType.ELEMENT, ia++, item);
                    sb.edge(item, EdgeType.PROPERTY, "payload", sb.node(NodeType.STRING, "a-" + id, id + 2, 1000));
                }
                for (long id : idsB[p]) {
                    int item = sb.node(NodeType.OBJECT, "ItemB", id, 48);
                    sb.edge(arrB, EdgeType.ELEMENT, ib++, item);
                    sb.edge(item, EdgeType.PROPERTY, "payload", sb.node(NodeType.STRING, "b-" + id, id + 2, 1000));
                }
            }
            out[snap] = sb.build();
        }
        return out;
    }

    /** Defect 6: --max-leaks was applied in measuring order (new bytes), before the ranking by growth. */
    @Test
    void maxLeaksCutsAfterRanking() {
        // A: steady, the most new bytes (280 items); B: few new items, then a burst in the last interval,
        // so it grew most (990 items) and ranks first
        HeapSnapshot[] s = twoArrays(new int[] {20, 300, 320}, new int[] {10, 80, 1000});
        LeakReport all = FindLeaks.analyze(s.clone(), new FindLeaks.Options(64 * 1024, 5, 10, 0.10), ProgressListener.NONE);
        assertThat(all.leaks()).extracting(LeakReport.Leak::leakedClass).containsExactly("ItemB", "ItemA");
        LeakReport one = FindLeaks.analyze(s.clone(), new FindLeaks.Options(64 * 1024, 5, 1, 0.10), ProgressListener.NONE);
        assertThat(one.leaks()).extracting(LeakReport.Leak::leakedClass).containsExactly("ItemB");
        assertThat(one.leaks().get(0).rank()).isEqualTo(1);
        assertThat(one.leaks().get(0).growthBytes()).isEqualTo(990 * 1048L);
    }

    /** global.head: a linked list {value: {n, text}, older: previous}; the payload is a plain Object too. */
    static HeapSnapshot linkedList(int length) {
        SnapshotBuilder sb = new SnapshotBuilder();
        int root = sb.node(NodeType.SYNTHETIC, "", 1, 0);
        int global = sb.node(NodeType.OBJECT, "global", 41, 64);
        sb.edge(root, EdgeType.SHORTCUT, "1", global);
        for (int i = 0; i < 50; i++) {
            sb.edge(global, EdgeType.PROPERTY, "base" + i, sb.node(NodeType.OBJECT, "Base", 201 + 2L * i, 40));
        }
        int prev = -1;
        for (int i = 0; i < length; i++) {
            long id = 1001 + 6L * i;
            int node = sb.node(NodeType.OBJECT, "Object", id, 32);
            int value = sb.node(NodeType.OBJECT, "Object", id + 2, 32);
            sb.edge(value, EdgeType.PROPERTY, "text", sb.node(NodeType.STRING, "payload " + i, id + 4, 1000));
            sb.edge(node, EdgeType.PROPERTY, "value", value);
            if (prev >= 0) {
                sb.edge(node, EdgeType.PROPERTY, "older", prev);
            }
            prev = node;
        }
        sb.edge(global, EdgeType.PROPERTY, "head", prev);
        return sb.build();
    }

    /**
     * Defect 8: the first path to another object of the class was taken as the link, so a list whose
     * payload is a plain Object like its nodes read "linked through .value".
     */
    @Test
    void aLinkedListIsLinkedThroughTheLinkThatRepeats() {
        LeakReport r = FindLeaks.analyze(new HeapSnapshot[] {linkedList(20), linkedList(100), linkedList(200)},
                FindLeaks.Options.defaults(), ProgressListener.NONE);
        assertThat(r.verdict()).isEqualTo("leak");
        LeakReport.Leak top = r.leaks().get(0);
        assertThat(top.pattern()).isEqualTo(LeakPattern.CHAIN);
        // before the fix: link ".value" (the payload is an Object, like the list's nodes)
        assertThat(top.detail()).isEqualTo(new LeakReport.Chain("head", null, ".older"));
        assertThat(top.culprit()).isEqualTo("head");
    }
}
