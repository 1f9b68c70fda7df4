package dev.leakhound.core.graph;

import dev.leakhound.core.Seeds;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.SnapshotParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HeapGraph#distancesIgnoring(int[])} ("ignore this retainer") on a real Node.js 20 snapshot:
 * ignoring nothing, or an object that holds nothing, gives the graph's own distances; ignoring objects
 * never brings anything nearer, and an ignored object keeps its own distance.
 */
class DistancesIgnoringTest {
    static HeapGraph g;

    @BeforeAll
    static void read() {
        Path f = Path.of(System.getProperty("leakhound.root", "..")).resolve("testdata/snapshots/node20.heapsnapshot.gz");
        g = HeapGraph.buildWithoutDominators(SnapshotParser.read(f, ProgressListener.NONE), ProgressListener.NONE);
    }

    /** Unreached last: the order in which "nearer" is meant. */
    static long rank(int d) {
        return d < 0 ? Long.MAX_VALUE : d;
    }

    @Test
    void ignoringNothingOrALeafChangesNothing() {
        HeapSnapshot s = g.snapshot();
        int[] none = g.distancesIgnoring(new int[0]);
        int leaf = -1;
        for (int v = 0; v < s.nodeCount(); v++) {
            assertThat(none[v]).as("node %d", v).isEqualTo(g.distance(v));
            if (leaf < 0 && s.edgeCountOf(v) == 0 && g.distance(v) > 0) {
                leaf = v;
            }
        }
        int[] d = g.distancesIgnoring(new int[] {leaf});
        for (int v = 0; v < s.nodeCount(); v++) {
            assertThat(d[v]).as("node %d with leaf %d ignored", v, leaf).isEqualTo(g.distance(v));
        }
    }

    static LongStream seeds() {
        return Seeds.of("distances-ignoring", 12);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void ignoringNeverBringsAnythingNearer(long seed) {
        Seeds.check(seed, () -> {
            HeapSnapshot s = g.snapshot();
            Random r = new Random(seed);
            int[] ignored = new int[1 + r.nextInt(3)];
            for (int i = 0; i < ignored.length; i++) {
                int v;
                do {
                    v = r.nextInt(s.nodeCount());
                } while (v == s.rootOrdinal() || s.edgeCountOf(v) == 0 || g.distance(v) < 0);
                ignored[i] = v;
            }
            int[] d = g.distancesIgnoring(ignored);
            int changed = 0;
            for (int v = 0; v < s.nodeCount(); v++) {
                assertThat(rank(d[v])).as("node %d", v).isGreaterThanOrEqualTo(rank(g.distance(v)));
                if (d[v] != g.distance(v)) {
                    changed++;
                }
            }
            if (ignored.length == 1) {
                assertThat(d[ignored[0]]).isEqualTo(g.distance(ignored[0]));
            }
            assertThat(changed).isLessThan(s.nodeCount());
        });
    }

    @Test
    void ignoringTheGlobalsPushesWhatOnlyTheyHoldToTheSystemDistances() {
        HeapSnapshot s = g.snapshot();
        int root = s.rootOrdinal();
        java.util.List<Integer> users = new java.util.ArrayList<>();
        for (int v = 0; v < s.nodeCount(); v++) {
            if (g.distance(v) == 1) {
                users.add(v);
            }
        }
        int[] d = g.distancesIgnoring(users.stream().mapToInt(Integer::intValue).toArray());
        for (int v = 0; v < s.nodeCount(); v++) {
            if (v != root && g.distance(v) != 1) {
                assertThat(d[v] < 0 || d[v] >= Distances.SYSTEM_BASE).as("node %d at %d", v, d[v]).isTrue();
            }
        }
    }
}
