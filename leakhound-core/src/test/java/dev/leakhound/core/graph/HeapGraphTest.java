package dev.leakhound.core.graph;

import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The contract of {@link HeapGraph#build(HeapSnapshot, ProgressListener, java.util.function.Function)} and its locks. */
class HeapGraphTest {
    /** A hard limit, so a deadlock fails the test instead of hanging the build; the work takes milliseconds. */
    static final Duration NO_HANG = Duration.ofSeconds(60);

    static HeapSnapshot chain(int n) {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 0);
        int global = b.node(NodeType.OBJECT, "global", 10);
        b.edge(root, EdgeType.SHORTCUT, "global", global);
        int prev = global;
        for (int i = 0; i < n; i++) {
            int o = b.node(NodeType.OBJECT, "Link", 16);
            b.edge(prev, EdgeType.PROPERTY, "next", o);
            prev = o;
        }
        return b.build();
    }

    @Test
    void whatRunsAlongsideIsReturnedWithTheGraph() {
        HeapSnapshot s = chain(100);
        HeapGraph.Built<Integer> built = HeapGraph.build(s, ProgressListener.NONE, g -> g.distance(s.nodeCount() - 1));
        assertThat(built.alongside()).isEqualTo(101);
        assertThat(built.graph().retainedSize(s.rootOrdinal())).isEqualTo(10 + 100 * 16);
    }

    /**
     * The documented misuse, asking for the dominator tree from the work run beside its construction, used to
     * deadlock (the two locks taken in opposite orders). It fails at once now.
     */
    @Test
    void askingForTheDominatorTreeAlongsideItsConstructionFailsInsteadOfHanging() {
        HeapSnapshot s = chain(1000);
        assertTimeoutPreemptively(NO_HANG, () -> {
            assertThatThrownBy(() -> HeapGraph.build(s, ProgressListener.NONE, g -> g.dominatedAnyOrder()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("alongside");
            assertThatThrownBy(() -> HeapGraph.build(s, ProgressListener.NONE, g -> g.retainedSize(0)))
                    .isInstanceOf(IllegalStateException.class);
        });
    }

    /** Many threads asking for the lazily built child lists and the tree at once, in both orders: no deadlock, one answer. */
    @Test
    void concurrentCallersGetOneTreeWithoutDeadlock() throws Exception {
        HeapSnapshot s = chain(20_000);
        HeapGraph g = HeapGraph.buildWithoutDominators(s, ProgressListener.NONE);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<DominatedChildren> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            boolean childrenFirst = t % 2 == 0;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    if (childrenFirst) {
                        seen.add(g.dominatedAnyOrder());
                        g.idom(5);
                    } else {
                        g.idom(5);
                        seen.add(g.dominated());
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            th.start();
            all.add(th);
        }
        assertTimeoutPreemptively(NO_HANG, () -> {
            start.countDown();
            for (Thread th : all) {
                th.join();
            }
        });
        assertThat(failure.get()).isNull();
        assertThat(g.idom(5)).isEqualTo(4);
        assertThat(seen).hasSize(threads);
    }
}
