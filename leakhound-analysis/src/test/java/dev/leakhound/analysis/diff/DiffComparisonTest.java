package dev.leakhound.analysis.diff;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Comparison and the same-process check on hand-built pairs, against numbers worked out by hand. */
class DiffComparisonTest {

    /*
     * BEFORE                              AFTER
     *  id 1  root (synthetic, 0 B)         id 1  root
     *  id 11 Foo 100                       id 11 Foo 100
     *  id 13 Foo 50          (deleted)     id 25 Foo 60, id 27 Foo 70   (new)
     *  id 15 Bar 30                        id 15 Bar 40  (same object, grew: not new, not freed)
     *  id 17 Baz 0           (skipped)     id 33 Baz 0   (skipped: self size 0)
     *  id 19 "hello" 20                    id 19 "hello" 20, id 29 "world" 24 (new)
     *  id 21 object Function 10            id 21 object Function 10, id 31 closure f 32 (new, class Function)
     *  id 23 Qux 5                         id 23 Quux 5  (changed class: deleted from Qux, new in Quux)
     */
    static HeapSnapshot before() {
        SnapshotBuilder b = new SnapshotBuilder();
        b.node(NodeType.SYNTHETIC, "", 1, 0);
        b.node(NodeType.OBJECT, "Foo", 11, 100);
        b.node(NodeType.OBJECT, "Foo", 13, 50);
        b.node(NodeType.OBJECT, "Bar", 15, 30);
        b.node(NodeType.OBJECT, "Baz", 17, 0);
        b.node(NodeType.STRING, "hello", 19, 20);
        b.node(NodeType.OBJECT, "Function", 21, 10);
        b.node(NodeType.OBJECT, "Qux", 23, 5);
        return b.build();
    }

    static HeapSnapshot after() {
        SnapshotBuilder b = new SnapshotBuilder();
        b.node(NodeType.SYNTHETIC, "", 1, 0);
        b.node(NodeType.OBJECT, "Foo", 27, 70);
        b.node(NodeType.OBJECT, "Foo", 11, 100);
        b.node(NodeType.OBJECT, "Foo", 25, 60);
        b.node(NodeType.OBJECT, "Bar", 15, 40);
        b.node(NodeType.STRING, "world", 29, 24);
        b.node(NodeType.STRING, "hello", 19, 20);
        b.node(NodeType.CLOSURE, "f", 31, 32);
        b.node(NodeType.OBJECT, "Function", 21, 10);
        b.node(NodeType.OBJECT, "Quux", 23, 5);
        b.node(NodeType.OBJECT, "Baz", 33, 0);
        return b.build();
    }

    @Test
    void comparisonMatchesHandComputedNumbers() {
        HeapSnapshot b = before();
        HeapSnapshot a = after();
        DiffResult r = SnapshotDiff.compare(b, a, SameProcessCheck.of(b, a), List.of());

        assertThat(r.classes()).extracting(DiffResult.ClassDelta::name)
                .containsExactly("Foo", "Function", "(string)", "Quux", "Qux");
        assertThat(r.classes().get(0)).isEqualTo(new DiffResult.ClassDelta("Foo", 2, 3, 150, 230, 2, 1, 130, 50));
        assertThat(r.classes().get(0).deltaCount()).isEqualTo(1);
        assertThat(r.classes().get(0).deltaBytes()).isEqualTo(80);
        assertThat(r.classes().get(1)).isEqualTo(new DiffResult.ClassDelta("Function", 1, 2, 10, 42, 1, 0, 32, 0));
        assertThat(r.classes().get(2)).isEqualTo(new DiffResult.ClassDelta("(string)", 1, 2, 20, 44, 1, 0, 24, 0));
        assertThat(r.classes().get(3)).isEqualTo(new DiffResult.ClassDelta("Quux", 0, 1, 0, 5, 1, 0, 5, 0));
        assertThat(r.classes().get(4)).isEqualTo(new DiffResult.ClassDelta("Qux", 1, 0, 5, 0, 0, 1, 0, 5));
        assertThat(r.classes().get(4).deltaBytes()).isEqualTo(-5);

        // Bar (same id, grew) and Baz (self size 0) and the root are not rows
        assertThat(r.totals()).isEqualTo(new DiffResult.ClassDelta("total", 6, 9, 215, 361, 5, 2, 191, 55));
        assertThat(r.before().totalBytes()).isEqualTo(215);
        assertThat(r.after().totalBytes()).isEqualTo(361);
        assertThat(r.deltaBytes()).isEqualTo(146);
        assertThat(r.before().nodes()).isEqualTo(8);
        assertThat(r.after().nodes()).isEqualTo(11);
        assertThat(r.classCount()).isEqualTo(8);   // (synthetic) Foo Bar Baz (string) Function Qux Quux
    }

    @Test
    void identicalSnapshotsHaveNoChanges() {
        HeapSnapshot b = before();
        DiffResult r = SnapshotDiff.compare(b, before(), SameProcessCheck.of(b, b), List.of());
        assertThat(r.classes()).isEmpty();
        assertThat(r.totals().newCount()).isZero();
        assertThat(r.totals().deletedCount()).isZero();
        assertThat(r.totals().countAfter()).isEqualTo(6);
    }

    @Test
    void sameProcessCheckCountsSharedAndAgreeingIds() {
        SameProcessCheck.Result c = SameProcessCheck.of(before(), after());
        // shared: 1 11 15 19 21 23; id 23 is Qux before and Quux after
        assertThat(c.sharedIds()).isEqualTo(6);
        assertThat(c.agreeingIds()).isEqualTo(5);
        assertThat(c.smallerNodeCount()).isEqualTo(8);
        assertThat(c.beforeMaxJsId()).isEqualTo(23);
        assertThat(c.afterMaxJsId()).isEqualTo(33);
        assertThat(c.enoughShared()).isTrue();
        assertThat(c.idsAgree()).isFalse();   // 5/6 < 98%
        assertThat(c.sameProcess()).isFalse();
        assertThat(c.afterLooksOlder()).isFalse();
    }

    /** Internal types are compared by type only; objects, strings, closures by type and name. */
    @Test
    void internalNamesMayChangeButTypesMayNot() {
        SnapshotBuilder b = new SnapshotBuilder();
        b.node(NodeType.CODE, "(object elements)", 3, 8);
        b.node(NodeType.ARRAY, "", 5, 8);
        b.node(NodeType.STRING, "x", 7, 8);
        b.node(NodeType.OBJECT, "A", 9, 8);
        SnapshotBuilder a = new SnapshotBuilder();
        a.node(NodeType.CODE, "(constant pool)", 3, 8);   // renamed internal: agrees
        a.node(NodeType.HIDDEN, "", 5, 8);                // other type: disagrees
        a.node(NodeType.STRING, "y", 7, 8);               // other string: disagrees
        a.node(NodeType.OBJECT, "A", 9, 8);               // same: agrees
        SameProcessCheck.Result c = SameProcessCheck.of(b.build(), a.build());
        assertThat(c.sharedIds()).isEqualTo(4);
        assertThat(c.agreeingIds()).isEqualTo(2);
    }

    @Test
    void enforceRefusesTwoProcessesUnlessForced() {
        // 100 objects; AFTER shares 10 ids (< 20%), all agreeing
        SnapshotBuilder b = new SnapshotBuilder();
        SnapshotBuilder a = new SnapshotBuilder();
        for (int i = 0; i < 100; i++) {
            b.node(NodeType.OBJECT, "T", 2L * i + 1, 16);
            a.node(NodeType.OBJECT, "T", i < 10 ? 2L * i + 1 : 1001 + 2L * i, 16);
        }
        SameProcessCheck.Result c = SameProcessCheck.of(b.build(), a.build());
        assertThat(c.sharedIds()).isEqualTo(10);
        assertThat(c.enoughShared()).isFalse();
        assertThatThrownBy(() -> SameProcessCheck.enforce(c, "x.heapsnapshot", "y.heapsnapshot", false))
                .isInstanceOf(LeakhoundException.class)
                .hasMessage("x.heapsnapshot and y.heapsnapshot do not look like snapshots of one process: they share 10 "
                        + "of 100 object ids (10.0%; ids are only stable within one process); use --force to compare them anyway");
        List<DiffResult.Warning> w = SameProcessCheck.enforce(c, "x.heapsnapshot", "y.heapsnapshot", true);
        assertThat(w).containsExactly(new DiffResult.Warning(DiffResult.Warning.Kind.DIFFERENT_PROCESSES_FORCED,
                "x.heapsnapshot", "y.heapsnapshot"));
    }

    @Test
    void enforceWarnsWhenAfterLooksOlder() {
        SnapshotBuilder b = new SnapshotBuilder();
        SnapshotBuilder a = new SnapshotBuilder();
        for (int i = 0; i < 100; i++) {
            b.node(NodeType.OBJECT, "T", 2L * i + 1, 16);
            if (i < 90) {
                a.node(NodeType.OBJECT, "T", 2L * i + 1, 16);
            }
        }
        b.edge(0, EdgeType.PROPERTY, "p", 1);
        SameProcessCheck.Result c = SameProcessCheck.of(b.build(), a.build());
        assertThat(c.sameProcess()).isTrue();
        assertThat(c.afterLooksOlder()).isTrue();
        List<DiffResult.Warning> w = SameProcessCheck.enforce(c, "new.heapsnapshot", "old.heapsnapshot", false);
        assertThat(w).containsExactly(new DiffResult.Warning(DiffResult.Warning.Kind.AFTER_LOOKS_OLDER,
                "new.heapsnapshot", "old.heapsnapshot"));
        assertThat(c.afterMaxJsId()).isEqualTo(179);
        assertThat(c.beforeMaxJsId()).isEqualTo(199);
    }
}
