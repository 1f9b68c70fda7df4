package dev.leakhound.analysis.objects;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The sampled top of the dominator tree that the analyze page draws as a treemap. */
class DominatorSampleTest {
    /** {@code width} chains of {@code depth} objects hanging off the global. */
    static HeapSnapshot wide(int width, int depth) {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 1, 0);
        int global = b.node(NodeType.OBJECT, "global", 3, 10);
        b.edge(root, EdgeType.SHORTCUT, "1", global);
        long id = 5;
        for (int i = 0; i < width; i++) {
            int prev = global;
            for (int k = 0; k < depth; k++) {
                int o = b.node(NodeType.OBJECT, "C" + (i % 7), id, 1000 - i);
                id += 2;
                b.edge(prev, EdgeType.PROPERTY, "p" + k, o);
                prev = o;
            }
        }
        return b.build();
    }

    @Test
    void dominatorSampleIsTheLargestNodesOfAConnectedTopOfTheTree() {
        HeapGraph g = HeapGraph.build(wide(500, 30));
        DominatorSample s = DominatorSample.of(g, 300, 25, 1_000_000);
        assertThat(s.size()).isEqualTo(300);
        assertThat(s.node()[0]).isEqualTo(g.snapshot().rootOrdinal());
        Map<Integer, Integer> perParent = new HashMap<>();
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        long smallestTaken = Long.MAX_VALUE;
        for (int i = 0; i < s.size(); i++) {
            taken.add(s.node()[i]);
            if (i == 0) {
                continue;
            }
            assertThat(s.parent()[i]).isLessThan(i);
            assertThat(g.idom(s.node()[i])).as("parent is the dominator").isEqualTo(s.node()[s.parent()[i]]);
            perParent.merge(s.parent()[i], 1, Integer::sum);
            smallestTaken = Math.min(smallestTaken, g.retainedSize(s.node()[i]));
        }
        assertThat(perParent.values()).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(25));
        // best first: no child offered by a sampled node (its 25 biggest) that was left out is bigger than what was taken
        for (int i = 0; i < s.size(); i++) {
            int v = s.node()[i];
            for (int c = 0; c < Math.min(25, g.childCount(v)); c++) {
                int child = g.child(v, c);
                if (!taken.contains(child)) {
                    assertThat(g.retainedSize(child)).isLessThanOrEqualTo(smallestTaken);
                }
            }
        }
        // it goes deep where the big nodes are: chain heads and their descendants both appear
        assertThat(perParent.keySet().stream().mapToInt(p -> p).max().getAsInt()).isGreaterThan(1);
        // the share threshold cuts small nodes
        DominatorSample coarse = DominatorSample.of(g, 300, 25, 10);
        assertThat(coarse.size()).isLessThan(300);
        for (int i = 0; i < coarse.size(); i++) {
            assertThat(g.retainedSize(coarse.node()[i])).isGreaterThanOrEqualTo(g.retainedSize(g.snapshot().rootOrdinal()) / 10);
        }
    }


    @Test
    void columnsDescribeTheSampledNodes() {
        HeapGraph g = HeapGraph.build(wide(50, 5));
        DominatorSample s = DominatorSample.of(g);
        HeapSnapshot snap = g.snapshot();
        assertThat(s.parent()[0]).isEqualTo(-1);
        assertThat(s.label()[0]).isEqualTo("(root)");
        for (int i = 0; i < s.size(); i++) {
            int v = s.node()[i];
            assertThat(s.id()[i]).isEqualTo(snap.id(v));
            assertThat(s.className()[i]).isEqualTo(g.className(v));
            assertThat(s.self()[i]).isEqualTo(snap.selfSize(v));
            assertThat(s.retained()[i]).isEqualTo(g.retainedSize(v));
            assertThat(s.children()[i]).isEqualTo(g.childCount(v));
        }
    }
}
