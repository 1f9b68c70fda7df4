package dev.leakhound.core.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Lengauer–Tarjan against the naive data-flow reference on random graphs (see {@link NaiveDominators}). */
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

    @Property(tries = 1000)
    void matchesNaiveReferenceOnSmallGraphs(@ForAll("smallGraphs") Case c) {
        NaiveDominators reference = checkAgainstReference(c);
        Statistics.label("weakly held nodes attached").collect(reference.attachedCount > 0);
        Statistics.label("cycle rest hung off the root").collect(reference.flatCount > 0);
        Statistics.label("weakly held nodes attached").coverage(k -> k.check(true).percentage(p -> p >= 20));
        Statistics.label("cycle rest hung off the root").coverage(k -> k.check(true).percentage(p -> p >= 20));
    }

    @Property(tries = 100)
    void matchesNaiveReferenceOnLargerGraphs(@ForAll("largerGraphs") Case c) {
        checkAgainstReference(c);
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

    @Provide
    Arbitrary<Case> smallGraphs() {
        return graphs(1, 60);
    }

    @Provide
    Arbitrary<Case> largerGraphs() {
        return graphs(60, 400);
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
    private static Arbitrary<Case> graphs(int minNodes, int maxNodes) {
        return Arbitraries.integers().between(minNodes, maxNodes).flatMap(n ->
                Arbitraries.integers().between(1, n).flatMap(k -> {
                    Arbitrary<int[]> edge = Combinators.combine(
                            Arbitraries.integers().between(0, n - 1),
                            Arbitraries.integers().between(0, n - 1),
                            Arbitraries.integers().between(0, 5),
                            Arbitraries.integers().between(0, 4))
                            .as((from, to, s, t) -> new int[] {from, to,
                                s == 0 || (from < k && to >= k && t != 0) ? 1 : 0});
                    Arbitrary<List<int[]>> edges = Arbitraries.integers().between(0, 3 * n)
                            .flatMap(m -> edge.list().ofSize(m));
                    Arbitrary<long[]> self = Arbitraries.oneOf(
                            Arbitraries.longs().between(0, 1L << 40), Arbitraries.longs().between(0, 3))
                            .array(long[].class).ofSize(n);
                    return Combinators.combine(Arbitraries.integers().between(0, k - 1), edges, self,
                                    Arbitraries.of(true, false))
                            .as((root, es, sizes, ring) -> new Case(n, root, withRing(es, ring ? k : n, n), sizes));
                }));
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
