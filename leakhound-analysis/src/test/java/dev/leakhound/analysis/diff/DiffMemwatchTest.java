package dev.leakhound.analysis.diff;

import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** memwatch's HeapDiff on a hand-built pair, against numbers worked out by hand from heapdiff.cc's rules. */
class DiffMemwatchTest {

    static HeapSnapshot before() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 1, 0);
        int gc = b.node(NodeType.SYNTHETIC, "(GC roots)", 3, 0);
        int alpha = b.node(NodeType.OBJECT, "Alpha", 5, 10);
        int arr = b.node(NodeType.ARRAY, "(object elements)", 7, 16);
        int hidden = b.node(NodeType.HIDDEN, "system / Foo", 9, 8);
        int zed = b.node(NodeType.OBJECT, "Zed", 11, 40);
        b.node(NodeType.OBJECT, "Ghost", 13, 1000);                    // unreachable: not in the set
        int cons = b.node(NodeType.CONCATENATED_STRING, "(concatenated string)", 15, 32);
        int accent = b.node(NodeType.OBJECT, "\u00e9-name", 17, 4);
        int fn = b.node(NodeType.CLOSURE, "f", 19, 32);
        b.edge(root, EdgeType.ELEMENT, 1, gc);
        b.edge(root, EdgeType.SHORTCUT, "global", alpha);
        b.edge(alpha, EdgeType.INTERNAL, "elements", arr);
        b.edge(alpha, EdgeType.INTERNAL, "h", hidden);
        b.edge(alpha, EdgeType.WEAK, "w", zed);                          // weak edges count for memwatch
        b.edge(gc, EdgeType.INTERNAL, "c", cons);
        b.edge(gc, EdgeType.INTERNAL, "e", accent);
        b.edge(alpha, EdgeType.PROPERTY, "f", fn);
        return b.build();
    }

    static HeapSnapshot after() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 1, 0);
        int gc = b.node(NodeType.SYNTHETIC, "(GC roots)", 3, 0);
        int alpha = b.node(NodeType.OBJECT, "Alpha", 5, 10);
        int arr = b.node(NodeType.ARRAY, "(object elements)", 7, 24);
        int fn = b.node(NodeType.CLOSURE, "f", 19, 32);
        int[] added = {
            b.node(NodeType.OBJECT, "Alpha", 21, 10),
            b.node(NodeType.NUMBER, "heap number", 23, 16),
            b.node(NodeType.STRING, "s", 25, 20),
            b.node(NodeType.NATIVE, "Node / Big", 27, 3_000_000_000L),   // memwatch's int would wrap
            b.node(NodeType.CODE, "code", 29, 100),
            b.node(NodeType.REGEXP, "a+", 31, 48),
            b.node(NodeType.OBJECT, "Zed", 33, 40),
            b.node(NodeType.HIDDEN, "system / Bar", 37, 8),             // counted, no detail row
            b.node(NodeType.OBJECT, "Ghost", 13, 1000),                  // unreachable before: allocated now
            b.node(NodeType.OBJECT, "apple", 39, 1),
        };
        b.node(NodeType.OBJECT, "Ghost2", 35, 500);                      // unreachable: not counted
        b.edge(root, EdgeType.ELEMENT, 1, gc);
        b.edge(root, EdgeType.SHORTCUT, "global", alpha);
        b.edge(alpha, EdgeType.INTERNAL, "elements", arr);
        b.edge(alpha, EdgeType.PROPERTY, "f", fn);
        for (int i = 0; i < added.length; i++) {
            b.edge(i % 2 == 0 ? arr : alpha, i % 2 == 0 ? EdgeType.ELEMENT : EdgeType.PROPERTY, "p" + i, added[i]);
        }
        return b.build();
    }

    @Test
    void matchesHandComputedHeapDiff() {
        Instant t0 = Instant.parse("2024-05-01T10:00:00Z");
        Instant t1 = Instant.parse("2024-05-01T10:05:00.250Z");
        MemwatchDiff.Result r = MemwatchDiff.compare(before(), t0, after(), t1);

        assertThat(r.before()).isEqualTo(new MemwatchDiff.Side(10, t0, 142));
        assertThat(r.after()).isEqualTo(new MemwatchDiff.Side(16, t1, 3_000_001_309L));
        assertThat(r.changeBytes()).isEqualTo(3_000_001_167L);
        // freed: hidden 9, Zed 11, concatenated string 15, é-name 17
        assertThat(r.freedNodes()).isEqualTo(4);
        // allocated: 21 23 25 27 29 31 33 37 13 39
        assertThat(r.allocatedNodes()).isEqualTo(10);
        assertThat(r.details()).containsExactly(
                new MemwatchDiff.Detail("Alpha", 10, 1, 0),
                new MemwatchDiff.Detail("Code", 100, 1, 0),
                new MemwatchDiff.Detail("Ghost", 1000, 1, 0),
                new MemwatchDiff.Detail("Native", 3_000_000_000L, 1, 0),
                new MemwatchDiff.Detail("Number", 16, 1, 0),
                new MemwatchDiff.Detail("RegExp", 48, 1, 0),
                new MemwatchDiff.Detail("String", 20, 1, 0),
                new MemwatchDiff.Detail("Zed", 0, 1, 1),
                new MemwatchDiff.Detail("apple", 1, 1, 0),
                new MemwatchDiff.Detail("\u00e9-name", -4, 0, 1));
    }

    @Test
    void duplicateIdsCountOnceAsInASet() {
        SnapshotBuilder b = new SnapshotBuilder();
        b.node(NodeType.SYNTHETIC, "", 1, 0);
        SnapshotBuilder a = new SnapshotBuilder();
        int root = a.node(NodeType.SYNTHETIC, "", 1, 0);
        int x = a.node(NodeType.OBJECT, "X", 5, 8);
        int y = a.node(NodeType.OBJECT, "X", 5, 8);
        a.edge(root, EdgeType.PROPERTY, "x", x).edge(root, EdgeType.PROPERTY, "y", y);
        MemwatchDiff.Result r = MemwatchDiff.compare(b.build(), null, a.build(), null);
        assertThat(r.allocatedNodes()).isEqualTo(1);
        assertThat(r.details()).containsExactly(new MemwatchDiff.Detail("X", 8, 1, 0));
    }

    @Test
    void codePointOrderIsByteOrder() {
        assertThat(MemwatchDiff.compareCodePoints("Zed", "apple")).isNegative();
        assertThat(MemwatchDiff.compareCodePoints("abc", "ab")).isPositive();
        assertThat(MemwatchDiff.compareCodePoints("ab", "ab")).isZero();
        // U+FF21 sorts below U+1F600 in UTF-8 bytes, though its UTF-16 unit is above the surrogate
        assertThat(MemwatchDiff.compareCodePoints("\uFF21", "\uD83D\uDE00")).isNegative();
        assertThat("\uFF21".compareTo("\uD83D\uDE00")).isPositive();
    }
}
