package dev.leakhound.report.html;

import dev.leakhound.analysis.profile.AllocationSites;
import dev.leakhound.analysis.profile.CallFrame;
import dev.leakhound.analysis.profile.HeapProfile;
import dev.leakhound.report.Bounds;
import dev.leakhound.report.Json;
import dev.leakhound.report.ProfileReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringWriter;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The call tree a profile page embeds: bounded to the biggest subtrees, still a tree, totals kept. */
class ProfilePageDataTest {
    static HeapProfile random(long seed, int nodes) {
        Random r = new Random(seed);
        HeapProfile.Builder b = new HeapProfile.Builder();
        b.node(-1, 1, new CallFrame("(root)", "0", "", -1, -1), 0);
        int[] parents = new int[nodes];
        parents[0] = -1;
        for (int i = 1; i < nodes; i++) {
            int parent = i - 1;
            for (int up = r.nextInt(5); up > 0 && parents[parent] >= 0; up--) {
                parent = parents[parent];
            }
            parents[i] = parent;
            b.node(parent, i + 1, new CallFrame("f" + r.nextInt(20), "1", "file:///a.js", r.nextInt(9), 0), r.nextInt(3) * 1000L);
        }
        return b.build();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void theEmbeddedTreeKeepsTheBiggestSubtreesAndStaysATree(long seed) {
        HeapProfile p = random(seed, 2000);
        int max = 1 + (int) (seed * 137 % 600);
        StringWriter w = new StringWriter();
        try (Json j = new Json(w, false)) {
            j.startObject();
            ProfileReport.tree(p, max, j, Bounds.PAGE);
            j.endObject();
        }
        Object t = JsonTree.at(JsonTree.parse(w.toString()), "tree");
        List<?> parent = (List<?>) JsonTree.at(t, "parent");
        List<?> total = (List<?>) JsonTree.at(t, "total");
        List<?> self = (List<?>) JsonTree.at(t, "self");
        int kept = parent.size();
        assertThat(kept).as("seed %d max %d", seed, max).isBetween(1, max);
        assertThat(JsonTree.num(t, "droppedNodes")).as("seed %d", seed).isEqualTo(p.nodeCount() - kept);
        assertThat(((Number) total.get(0)).longValue()).isEqualTo(p.totalBytes());
        assertThat(((Number) parent.get(0)).intValue()).isEqualTo(-1);
        long smallestKept = Long.MAX_VALUE;
        for (int i = 1; i < kept; i++) {
            int pi = ((Number) parent.get(i)).intValue();
            assertThat(pi).as("seed %d node %d", seed, i).isBetween(0, i - 1);
            assertThat(((Number) total.get(i)).longValue()).isLessThanOrEqualTo(((Number) total.get(pi)).longValue());
            assertThat(((Number) self.get(i)).longValue()).isLessThanOrEqualTo(((Number) total.get(i)).longValue());
            smallestKept = Math.min(smallestKept, ((Number) total.get(i)).longValue());
        }
        // nothing dropped is bigger than what was kept
        long biggestDropped = 0;
        long[] all = new long[p.nodeCount()];
        for (int i = 1; i < p.nodeCount(); i++) {
            all[i] = p.totalBytes(i);
        }
        java.util.Arrays.sort(all);
        if (kept < p.nodeCount()) {
            biggestDropped = all[p.nodeCount() - kept];   // the largest total not among the kept ones
            assertThat(biggestDropped).as("seed %d", seed).isLessThanOrEqualTo(smallestKept);
        }
        assertThat(AllocationSites.of(p).totalBytes()).isEqualTo(p.totalBytes());
    }
}
