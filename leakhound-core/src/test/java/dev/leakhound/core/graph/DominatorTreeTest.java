package dev.leakhound.core.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DominatorTreeTest {

    // Lengauer & Tarjan 1979, Figure 1: the flowgraph R, A..L and its dominator tree.
    private static final int R = 0, A = 1, B = 2, C = 3, D = 4, E = 5, F = 6, G = 7, H = 8, I = 9, J = 10,
            K = 11, L = 12;

    private static TestGraph paperGraph(java.util.function.IntUnaryOperator ordinal) {
        int[][] edges = {
            {R, A}, {R, B}, {R, C}, {A, D}, {B, A}, {B, D}, {B, E}, {C, F}, {C, G}, {D, L}, {E, H}, {F, I},
            {G, I}, {G, J}, {H, E}, {H, K}, {I, K}, {J, I}, {K, I}, {K, R}, {L, H},
        };
        TestGraph g = new TestGraph(13);
        for (int[] e : edges) {
            g.edge(ordinal.applyAsInt(e[0]), ordinal.applyAsInt(e[1]));
        }
        return g;
    }

    // idom per node R..L, from the paper's dominator tree.
    private static final int[] PAPER_IDOM = {R, R, R, R, R, R, C, C, R, R, G, R, D};

    @Test
    void lengauerTarjanPaperExample() {
        TestGraph g = paperGraph(x -> x);
        DominatorTree tree = g.dominators(R);

        assertThat(tree.idoms()).containsExactly(PAPER_IDOM);
        assertThat(tree.idom(L)).isEqualTo(D);
        assertThat(tree.root()).isEqualTo(R);
        assertThat(tree.unreachableCount()).isZero();
        assertThat(tree.preorder()[0]).isEqualTo(R);
        assertThat(tree.preorder()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        // The reference used by the property tests agrees on the known answer.
        assertThat(new NaiveDominators(13, R, g.edges()).idom).containsExactly(PAPER_IDOM);
    }

    @Test
    void paperExampleWithRootAsLastOrdinal() {
        DominatorTree tree = paperGraph(x -> 12 - x).dominators(12 - R);
        for (int v = R; v <= L; v++) {
            assertThat(tree.idom(12 - v)).as("idom of %s", "RABCDEFGHIJKL".charAt(v))
                    .isEqualTo(12 - PAPER_IDOM[v]);
        }
    }

    @Test
    void paperExampleRetainedSizesAndChildren() {
        DominatorTree tree = paperGraph(x -> x).dominators(R);
        long[] self = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
        long[] retained = tree.retainedSizes(self);
        // Dominator tree: R -> {A, B, C, D, E, H, I, K}, C -> {F, G}, G -> {J}, D -> {L}.
        assertThat(retained[R]).isEqualTo(91);
        assertThat(retained[C]).isEqualTo(4 + 7 + 8 + 11);
        assertThat(retained[G]).isEqualTo(8 + 11);
        assertThat(retained[D]).isEqualTo(5 + 13);
        assertThat(retained[J]).isEqualTo(11);
        assertThat(retained).containsExactly(NaiveDominators.retained(R, tree.idoms(), self));

        DominatedChildren children = tree.children(retained);
        assertThat(childrenOf(children, R)).containsExactly(C, D, K, I, H, E, B, A);
        assertThat(childrenOf(children, C)).containsExactly(G, F);
        assertThat(childrenOf(children, G)).containsExactly(J);
        assertThat(childrenOf(children, D)).containsExactly(L);
        assertThat(children.childCount(L)).isZero();
        assertThat(children.childList()).hasSize(12);
        assertThat(children.firstChild()).hasSize(14);
    }

    @Test
    void chainOfThreeMillionNodes() {
        int n = 3_000_000;
        int[] firstOut = new int[n + 1];
        int[] outTarget = new int[n - 1];
        for (int v = 0; v < n - 1; v++) {
            firstOut[v] = v;
            outTarget[v] = v + 1;
        }
        firstOut[n - 1] = n - 1;
        firstOut[n] = n - 1;

        DominatorTree tree = DominatorTree.compute(n, 0, firstOut, outTarget, null);

        assertThat(tree.idom(0)).isZero();
        assertThat(tree.idom(1)).isZero();
        assertThat(tree.idom(n / 2)).isEqualTo(n / 2 - 1);
        assertThat(tree.idom(n - 1)).isEqualTo(n - 2);
        int wrong = 0;
        for (int v = 1; v < n; v++) {
            if (tree.idom(v) != v - 1) {
                wrong++;
            }
        }
        assertThat(wrong).isZero();
        assertThat(tree.preorder()[n - 1]).isEqualTo(n - 1);

        long[] self = new long[n];
        Arrays.fill(self, 1L << 20); // 3M x 1 MiB overflows int: the sums must be long
        long[] retained = tree.retainedSizes(self);
        assertThat(retained[0]).isEqualTo((long) n << 20);
        assertThat(retained[n - 1]).isEqualTo(1L << 20);
        assertThat(retained[n / 2]).isEqualTo((long) (n - n / 2) << 20);

        DominatedChildren children = tree.children(retained);
        assertThat(children.childCount(0)).isEqualTo(1);
        assertThat(children.child(n - 2, 0)).isEqualTo(n - 1);
        assertThat(children.childCount(n - 1)).isZero();
    }

    @Test
    void ladderOfTwoMillionNodes() {
        // a_i = 2i, b_i = 2i+1. Edges a_i -> b_i (listed first, so the DFS runs a_0 b_0 a_1 b_1 ... 2M deep),
        // a_i -> a_{i+1}, b_i -> a_{i+1}. Both ways into a_{i+1} leave a_i: idom(a_{i+1}) = a_i, not its DFS parent b_i.
        int rungs = 1_000_000;
        int n = 2 * rungs;
        int[] firstOut = new int[n + 1];
        int[] outTarget = new int[3 * rungs];
        int pos = 0;
        for (int i = 0; i < rungs; i++) {
            int a = 2 * i;
            int b = a + 1;
            firstOut[a] = pos;
            outTarget[pos++] = b;
            if (i + 1 < rungs) {
                outTarget[pos++] = a + 2;
            }
            firstOut[b] = pos;
            if (i + 1 < rungs) {
                outTarget[pos++] = a + 2;
            }
        }
        firstOut[n] = pos;

        DominatorTree tree = DominatorTree.compute(n, 0, firstOut, outTarget, null);

        assertThat(tree.preorder()[n - 1]).isEqualTo(n - 1); // the DFS really went all the way down
        assertThat(tree.idom(1)).isZero();
        assertThat(tree.idom(2)).isZero();
        assertThat(tree.idom(n - 2)).isEqualTo(n - 4);
        assertThat(tree.idom(n - 1)).isEqualTo(n - 2);
        assertThat(tree.idom(rungs)).isEqualTo(rungs - 2);
        int wrong = 0;
        for (int i = 1; i < rungs; i++) {
            if (tree.idom(2 * i) != 2 * i - 2 || tree.idom(2 * i + 1) != 2 * i) {
                wrong++;
            }
        }
        assertThat(wrong).isZero();
        long[] retained = tree.retainedSizes(filled(n, 1));
        assertThat(retained[0]).isEqualTo(n);
        assertThat(retained[2]).isEqualTo(n - 2);
    }

    @Test
    void fullLadderOfTwoMillionNodes() {
        // Two rails with rungs both ways: a_i -> b_i, a_i -> a_{i+1}, b_i -> b_{i+1}, b_i -> a_{i+1}.
        // The DFS runs down the b rail first (2M deep counting the a leaves), and every node has two
        // disjoint paths from a_0, so all immediate dominators are a_0. Exercises long COMPRESS paths.
        int rungs = 1_000_000;
        int n = 2 * rungs;
        int[] firstOut = new int[n + 1];
        int[] outTarget = new int[4 * rungs];
        int pos = 0;
        for (int i = 0; i < rungs; i++) {
            int a = 2 * i;
            int b = a + 1;
            firstOut[a] = pos;
            outTarget[pos++] = b;
            if (i + 1 < rungs) {
                outTarget[pos++] = a + 2;
            }
            firstOut[b] = pos;
            if (i + 1 < rungs) {
                outTarget[pos++] = b + 2;
                outTarget[pos++] = a + 2;
            }
        }
        firstOut[n] = pos;

        DominatorTree tree = DominatorTree.compute(n, 0, firstOut, outTarget, null);

        assertThat(tree.preorder()[rungs]).isEqualTo(n - 1); // b_0 .. b_{rungs-1} come straight after a_0
        int notRoot = 0;
        for (int v = 0; v < n; v++) {
            if (tree.idom(v) != 0) {
                notRoot++;
            }
        }
        assertThat(notRoot).isZero();
    }

    @Test
    void skippedEdgesDoNotDominate() {
        // R -> A -> B, R -> B skipped.
        DominatorTree tree = new TestGraph(3).edge(0, 1).edge(1, 2).skipped(0, 2).dominators(0);
        assertThat(tree.idoms()).containsExactly(0, 0, 1);
        assertThat(tree.unreachableCount()).isZero();

        DominatorTree unskipped = new TestGraph(3).edge(0, 1).edge(1, 2).edge(0, 2).dominators(0);
        assertThat(unskipped.idoms()).containsExactly(0, 0, 0);
    }

    @Test
    void skipBitsBeyondTheFirstWordAndShortSkipArrays() {
        // Chain 0 -> 1 -> ... -> 99 plus a shortcut 70 -> 99; both ways into 99 sit past CSR position 63.
        int n = 100;
        TestGraph g = new TestGraph(n);
        for (int v = 0; v < 70; v++) {
            g.edge(v, v + 1);
        }
        g.edge(70, 71).edge(70, 99);
        for (int v = 71; v < 99; v++) {
            g.edge(v, v + 1);
        }
        int[] firstOut = g.firstOut();
        int[] outTarget = g.outTarget();
        int shortcut = firstOut[70] + 1;
        int last = firstOut[98];
        assertThat(outTarget[shortcut]).isEqualTo(99);
        assertThat(outTarget[last]).isEqualTo(99);
        assertThat(shortcut).isGreaterThanOrEqualTo(64);

        assertThat(DominatorTree.compute(n, 0, firstOut, outTarget, null).idom(99)).isEqualTo(70);

        long[] skip = new long[2];
        skip[shortcut >>> 6] |= 1L << shortcut;
        assertThat(DominatorTree.compute(n, 0, firstOut, outTarget, skip).idom(99)).isEqualTo(98);

        skip[last >>> 6] |= 1L << last;
        DominatorTree both = DominatorTree.compute(n, 0, firstOut, outTarget, skip);
        assertThat(both.unreachableCount()).isEqualTo(1); // only skipped retainers left: attached to the root
        assertThat(both.idom(99)).isZero();

        // Shorter skip arrays (BitSet.toLongArray trims zero words) read as "not skipped" past their end.
        assertThat(DominatorTree.compute(n, 0, firstOut, outTarget, new long[0]).idom(99)).isEqualTo(70);
        assertThat(DominatorTree.compute(n, 0, firstOut, outTarget, new long[] {0L}).idom(99)).isEqualTo(70);
    }

    @Test
    void selfEdgesAndDuplicateEdges() {
        // Reachable part: R -> A twice, A -> A, A -> B twice.
        TestGraph g = new TestGraph(3).edge(0, 1).edge(0, 1).edge(1, 1).edge(1, 2).edge(1, 2);
        assertThat(g.dominators(0).idoms()).containsExactly(0, 0, 1);
        g.edge(0, 2).edge(0, 2);
        assertThat(g.dominators(0).idoms()).containsExactly(0, 0, 0);
        g.edge(2, 2).edge(2, 0);
        assertThat(g.dominators(0).idoms()).containsExactly(0, 0, 0);
    }

    @Test
    void nodeRetainedOnlyByItselfCountsAsHavingNoRetainers() {
        // R alone; X -> X, X -> Y -> Z unreachable. Like DevTools (self edges are not essential), X is
        // attached to the root and Y, Z get their dominators below it. Were the self edge a retainer,
        // X would be part of the "clique" rest and Y, Z would hang directly off the root.
        TestGraph g = new TestGraph(4).edge(1, 1).edge(1, 2).edge(2, 3);
        DominatorTree tree = g.dominators(0);
        assertThat(tree.idoms()).containsExactly(0, 0, 1, 2);
        assertThat(tree.unreachableCount()).isEqualTo(3);
        assertThat(tree.preorder()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void weaklyHeldNodeIsAttachedToTheRootAndCanBypassDominators() {
        // R -> A -> B; W has no retainers, W -> B. W hangs off the root, so B can be reached
        // around A: idom(B) = R (DevTools does the same through its orphan-node rule).
        TestGraph g = new TestGraph(4).edge(0, 1).edge(1, 2).edge(3, 2);
        DominatorTree tree = g.dominators(0);
        assertThat(tree.idoms()).containsExactly(0, 0, 0, 0);
        assertThat(tree.unreachableCount()).isEqualTo(1);
        assertThat(tree.preorder()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void cycleBelowAWeaklyHeldNodeGetsNormalDominators() {
        // W (no retainers) -> P <-> Q, Q -> S: all found by the DFS from W.
        TestGraph g = new TestGraph(5).edge(1, 2).edge(2, 3).edge(3, 2).edge(3, 4);
        DominatorTree tree = g.dominators(0);
        assertThat(tree.idoms()).containsExactly(0, 0, 1, 2, 3);
        assertThat(tree.unreachableCount()).isEqualTo(4);
    }

    @Test
    void unreachableCycleHangsFlatOffTheRootAndIsIgnoredAsRetainer() {
        // R -> A -> B; cycle P <-> Q with Q -> S and Q -> B. Every node of the cycle part has a retainer,
        // so DevTools numbers them last with the root as parent and no DFS: all get the root directly
        // (S too, though only Q reaches it), and Q -> B does not change idom(B).
        int r = 0, a = 1, b = 2, p = 3, q = 4, s = 5;
        TestGraph g = new TestGraph(6).edge(r, a).edge(a, b).edge(p, q).edge(q, p).edge(q, s).edge(q, b);
        DominatorTree tree = g.dominators(r);
        assertThat(tree.idoms()).containsExactly(r, r, a, r, r, r);
        assertThat(tree.unreachableCount()).isEqualTo(3);
        assertThat(tree.preorder()).containsExactly(r, a, b, p, q, s);

        long[] retained = tree.retainedSizes(new long[] {1, 10, 100, 1000, 10000, 100000});
        assertThat(retained).containsExactly(111111, 110, 100, 1000, 10000, 100000);
    }

    @Test
    void rootMayHaveRetainersAndUnreachableNodesMayPointAtIt() {
        TestGraph g = new TestGraph(4).edge(0, 1).edge(1, 0).edge(2, 0).edge(3, 3);
        DominatorTree tree = g.dominators(0);
        assertThat(tree.idoms()).containsExactly(0, 0, 0, 0);
        assertThat(tree.unreachableCount()).isEqualTo(2);
    }

    @Test
    void singleNode() {
        DominatorTree tree = DominatorTree.compute(1, 0, new int[] {0, 0}, new int[0], null);
        assertThat(tree.idoms()).containsExactly(0);
        assertThat(tree.preorder()).containsExactly(0);
        assertThat(tree.retainedSizes(new long[] {7})).containsExactly(7);
        DominatedChildren children = tree.children(new long[] {7});
        assertThat(children.childList()).isEmpty();
        assertThat(children.firstChild()).containsExactly(0, 0);
    }

    @Test
    void childrenSortedByRetainedDescendingThenOrdinal() {
        // R = 0 -> D=1 (self 1), C=2 (5), B=3 (10), A=4 (5); A -> E=5 (5), so A and B both retain 10.
        TestGraph g = new TestGraph(6).edge(0, 1).edge(0, 2).edge(0, 3).edge(0, 4).edge(4, 5);
        DominatorTree tree = g.dominators(0);
        long[] retained = tree.retainedSizes(new long[] {0, 1, 5, 10, 5, 5});
        assertThat(retained).containsExactly(26, 1, 5, 10, 10, 5);
        DominatedChildren children = tree.children(retained);
        assertThat(childrenOf(children, 0)).containsExactly(3, 4, 2, 1);
        assertThat(childrenOf(children, 4)).containsExactly(5);
    }

    @Test
    void manyChildrenAreSortedByMerging() {
        // A star with 10,000 leaves and a few hundred distinct sizes (many ties): longer than the
        // insertion-sort runs, so the merge path sorts it.
        int n = 10_001;
        TestGraph g = new TestGraph(n);
        for (int v = 1; v < n; v++) {
            g.edge(0, v);
        }
        DominatorTree tree = g.dominators(0);
        Random random = new Random(42);
        long[] self = new long[n];
        for (int v = 1; v < n; v++) {
            self[v] = random.nextInt(300);
        }
        long[] retained = tree.retainedSizes(self);
        int[] order = childrenOf(tree.children(retained), 0);

        Integer[] expected = new Integer[n - 1];
        for (int v = 1; v < n; v++) {
            expected[v - 1] = v;
        }
        Arrays.sort(expected, (x, y) -> retained[x] != retained[y]
                ? Long.compare(retained[y], retained[x]) : Integer.compare(x, y));
        assertThat(order).containsExactly(Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
    }

    @Test
    void rejectsMalformedInput() {
        assertThatThrownBy(() -> DominatorTree.compute(2, 2, new int[] {0, 0, 0}, new int[0], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root 2");
        assertThatThrownBy(() -> DominatorTree.compute(2, 0, new int[] {0, 1, 1}, new int[] {5}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("targets 5");
        assertThatThrownBy(() -> DominatorTree.compute(2, 0, new int[] {0, 1}, new int[] {1}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("firstOut");
        assertThatThrownBy(() -> DominatorTree.compute(2, 0, new int[] {0, 2, 1}, new int[] {1, 1}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-decreasing");
        assertThatThrownBy(() -> DominatorTree.compute(2, 0, new int[] {0, 5, 1}, new int[] {1, 1}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at node 0");
        assertThatThrownBy(() -> DominatorTree.compute(0, 0, new int[] {0}, new int[0], null))
                .isInstanceOf(IllegalArgumentException.class);
        DominatorTree tree = DominatorTree.compute(2, 0, new int[] {0, 1, 1}, new int[] {1}, null);
        assertThatThrownBy(() -> tree.retainedSizes(new long[3])).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * {@link DominatorTree#workBytes} counts what {@link DominatorTree#compute} allocates (measured on this thread:
     * the public entry point also allocates the in-degrees and an empty skip bitset, which callers with essential
     * edges hand in), so that {@code leakhound info}'s memory estimate follows the arrays it describes.
     */
    @Test
    void workBytesIsWhatComputeAllocates() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int n = 300_000;
        Random r = new Random(7);
        int[] firstOut = new int[n + 1];
        int[] targets = new int[3 * n];
        int e = 0;
        for (int v = 0; v < n; v++) {
            firstOut[v] = e;
            if (v + 1 < n) {
                targets[e++] = v + 1;
            }
            targets[e++] = r.nextInt(n);
            targets[e++] = r.nextInt(n);
        }
        firstOut[n] = e;
        int[] out = Arrays.copyOf(targets, e);
        long self = 0;
        for (int v = 0; v < n; v++) {
            for (int k = firstOut[v]; k < firstOut[v + 1]; k++) {
                if (out[k] == v) {
                    self++;
                }
            }
        }
        DominatorTree.compute(n, 0, firstOut, out, null);   // warm up: classes and threads
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        DominatorTree.compute(n, 0, firstOut, out, null);
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        long expected = DominatorTree.workBytes(n, e - self) + 4L * n + ((e + 63) >>> 6) * 8;
        assertThat(allocated).as("allocated %d, counted %d", allocated, expected)
                .isBetween(expected, expected + 64 * 1024);
    }

    static int[] childrenOf(DominatedChildren children, int node) {
        return Arrays.copyOfRange(children.childList(), children.firstChild()[node], children.firstChild()[node + 1]);
    }

    private static long[] filled(int n, long value) {
        long[] a = new long[n];
        Arrays.fill(a, value);
        return a;
    }
}
