package dev.leakhound.analysis.leaks;

import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GroupMeasureTest {
    static Accumulation at(long containerId) {
        return new Accumulation(-1, containerId, "Array", "Item", new int[0], List.of(), List.of(), List.of());
    }

    @Test
    void containersAreFoundByIdInOnePassSharedAndMissingOnesIncluded() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 1, 0);
        int[] nodes = new int[10];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = b.node(NodeType.OBJECT, "X", 101 + 2L * i, 8);
            b.edge(root, EdgeType.ELEMENT, i, nodes[i]);
        }
        HeapSnapshot s = b.build();
        // in no particular order; 107 twice (two groups held by one container); 999 not (yet) in this snapshot
        int[] found = GroupMeasure.containers(s, List.of(at(115), at(107), at(999), at(101), at(107)));
        assertThat(found).containsExactly(nodes[7], nodes[3], -1, nodes[0], nodes[3]);
    }
}
