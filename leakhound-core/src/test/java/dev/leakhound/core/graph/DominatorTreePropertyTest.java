package dev.leakhound.core.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakhound.core.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Semi-NCA against the naive data-flow reference on random graphs (see {@link NaiveDominators}). */
class DominatorTreePropertyTest {

    record Case(int n, int root, List<int[]> edges, long[] self) {
        TestGraph graph() {
            TestGraph g = new TestGraph(n);
            for (int[] e : edges) {
                if (e[2] == 0) {
                    g.edge(e[0], e[1]);
                } else {
                    g.skipped(e[0], e[1]);
                }
            }
            return g;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("n=" + n + " root=" + root + " edges=");
            for (int[] e : edges) {
                sb.append(e[0]).append(e[2] == 0 ? "->" : "-x>").append(e[1]).append(' ');
            }
            return sb.append("self=").append(Arrays.toString(self)).toString();
        }
    }

    static LongStream smallSeeds() {
        return Seeds.of("dominators-small", 1000);
    }

    static LongStream largerSeeds() {
        return Seeds.of("dominators-larger", 100);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("smallSeeds")
    void matchesNaiveReferenceOnSmallGraphs(long seed) {
        Seeds.check(seed, () -> checkAgainstReference(graph(new Random(seed), 1, 60)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("largerSeeds")
    void matchesNaiveReferenceOnLargerGraphs(long seed) {
        Seeds.check(seed, () -> checkAgainstReference(graph(new Random(seed), 60, 400)));
    }

    /**
     * The small graphs exercise both ways of hanging unreachable parts off the root, each in at least a fifth
     * of the tries (otherwise the property above would say little about them).
     */
    @Test
    void smallGraphsOftenHaveBothKindsOfUnreachableParts() {
        long[] seeds = smallSeeds().toArray();
        int attached = 0;
        int flat = 0;
        for (long seed : seeds) {
            Case c = graph(new Random(seed), 1, 60);
            NaiveDominators reference = new NaiveDominators(c.n(), c.root(), c.edges());
            attached += reference.attachedCount > 0 ? 1 : 0;
            flat += reference.flatCount > 0 ? 1 : 0;
        }
        assertThat(attached).as("graphs with weakly held nodes attached").isGreaterThanOrEqualTo(seeds.length / 5);
        assertThat(flat).as("graphs with a cycle rest hung off the root").isGreaterThanOrEqualTo(seeds.length / 5);
    }

    private static NaiveDominators checkAgainstReference(Case c) {
        DominatorTree tree = c.graph().dominators(c.root());
        NaiveDominators reference = new NaiveDominators(c.n(), c.root(), c.edges());

        assertThat(tree.idoms()).as("idoms").containsExactly(reference.idom);
        assertThat(tree.unreachableCount()).isEqualTo(reference.unreachableCount);
        int[] preorder = tree.preorder();
        assertThat(preorder).hasSize(c.n());
        assertThat(preorder[0]).isEqualTo(c.root());
        boolean[] seen = new boolean[c.n()];
        for (int v : preorder) {
            assertThat(seen[v]).as("node %d twice in preorder", v).isFalse();
            seen[v] = true;
        }

        long[] retained = tree.retainedSizes(c.self());
        assertThat(retained).as("retained").containsExactly(NaiveDominators.retained(c.root(), reference.idom, c.self()));

        DominatedChildren children = tree.children(retained);
        for (int v = 0; v < c.n(); v++) {
            int[] kids = DominatorTreeTest.childrenOf(children, v);
            int[] expected = new int[c.n()];
            int count = 0;
            for (int u = 0; u < c.n(); u++) {
                if (u != c.root() && reference.idom[u] == v) {
                    expected[count++] = u;
                }
            }
            assertThat(kids).as("children of %d", v).containsExactlyInAnyOrder(Arrays.copyOf(expected, count));
            for (int i = 1; i < kids.length; i++) {
                long before = retained[kids[i - 1]];
                long after = retained[kids[i]];
                assertThat(before > after || (before == after && kids[i - 1] < kids[i]))
                        .as("children of %d in order at %d", v, i).isTrue();
            }
        }
        return reference;
    }

    /**
     * Random directed graphs: up to 3 edges per node on average, any pair (so self edges and duplicates
     * occur), about one edge in six skipped. Ordinals from a random cut {@code k} up form a second region,
     * the root lies below the cut, and edges from below the cut into the region are mostly skipped. In
     * half of the graphs the region also carries a ring through all its nodes, so every node in it has a
     * retainer: an unreachable cycle with things hanging off it. Together this makes both kinds of
     * unreachable parts common: nodes without (counting) retainers and cycles that only retain each
     * other. Self sizes up to 2^40, or tiny so that ties occur.
     */
    static Case graph(Random r, int minNodes, int maxNodes) {
        int n = minNodes + r.nextInt(maxNodes - minNodes + 1);
        int k = 1 + r.nextInt(n);
        int m = r.nextInt(3 * n + 1);
        List<int[]> edges = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            int from = r.nextInt(n);
            int to = r.nextInt(n);
            int s = r.nextInt(6);
            int t = r.nextInt(5);
            edges.add(new int[] {from, to, s == 0 || (from < k && to >= k && t != 0) ? 1 : 0});
        }
        long[] self = new long[n];
        for (int v = 0; v < n; v++) {
            self[v] = r.nextBoolean() ? (long) (r.nextDouble() * ((1L << 40) + 1)) : r.nextInt(4);
        }
        int root = r.nextInt(k);
        boolean ring = r.nextBoolean();
        return new Case(n, root, withRing(edges, ring ? k : n, n), self);
    }

    /** The edges plus a ring from through ordinals {@code from..n-1}, inserted at random-ish positions. */
    private static List<int[]> withRing(List<int[]> edges, int from, int n) {
        List<int[]> all = new ArrayList<>(edges);
        for (int v = from; v < n; v++) {
            int[] ringEdge = {v, v + 1 < n ? v + 1 : from, 0};
            all.add(all.isEmpty() ? 0 : (v * 7919) % (all.size() + 1), ringEdge);
        }
        return all;
    }
}
