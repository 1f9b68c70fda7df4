package dev.leakhound.core.graph;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.List;

/**
 * Independent reference for the property tests: dominator sets by the textbook data-flow iteration
 * Dom(root) = {root}, Dom(n) = {n} ∪ ⋂ Dom(p) over predecessors p, on bitsets, iterated to a fixpoint.
 *
 * <p>It applies DevTools' rule for unreachable nodes in its declarative form (see DominatorTree's class
 * comment): an edge counts unless skipped or a self edge; nodes not reachable from the root that have no
 * counting incoming edge get a virtual edge from the root; dominators are computed on everything reachable
 * from the root over counting and virtual edges; every other node gets the root as immediate dominator.
 */
final class NaiveDominators {
    final int[] idom;
    final int unreachableCount;
    /** Unreachable nodes with no counting retainer (given a virtual edge from the root). */
    final int attachedCount;
    /** Nodes left outside the graph and given the root directly (unreachable cycles and what hangs off them). */
    final int flatCount;

    NaiveDominators(int n, int root, List<int[]> edges) {
        boolean[][] counts = new boolean[n][n];   // counts[u][v]: some counting edge u -> v
        boolean[] hasRetainer = new boolean[n];
        for (int[] e : edges) {
            if (e[2] == 0 && e[0] != e[1]) {
                counts[e[0]][e[1]] = true;
                hasRetainer[e[1]] = true;
            }
        }
        boolean[] reachedFromRoot = reach(n, counts, List.of(root));
        int unreachable = 0;
        java.util.ArrayList<Integer> starts = new java.util.ArrayList<>(List.of(root));
        boolean[] virtualFromRoot = new boolean[n];
        for (int v = 0; v < n; v++) {
            if (!reachedFromRoot[v]) {
                unreachable++;
                if (!hasRetainer[v]) {
                    virtualFromRoot[v] = true;
                    starts.add(v);
                }
            }
        }
        this.unreachableCount = unreachable;
        boolean[] inGraph = reach(n, counts, starts);
        this.attachedCount = starts.size() - 1;
        int outside = 0;
        for (int v = 0; v < n; v++) {
            if (!inGraph[v]) {
                outside++;
            }
        }
        this.flatCount = outside;

        BitSet all = new BitSet(n);
        for (int v = 0; v < n; v++) {
            if (inGraph[v]) {
                all.set(v);
            }
        }
        BitSet[] dom = new BitSet[n];
        for (int v = 0; v < n; v++) {
            if (inGraph[v]) {
                dom[v] = (BitSet) all.clone();
            }
        }
        dom[root] = new BitSet(n);
        dom[root].set(root);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int v = 0; v < n; v++) {
                if (!inGraph[v] || v == root) {
                    continue;
                }
                BitSet next = (BitSet) all.clone();
                for (int u = 0; u < n; u++) {
                    if (inGraph[u] && counts[u][v]) {
                        next.and(dom[u]);
                    }
                }
                if (virtualFromRoot[v]) {
                    next.and(dom[root]);
                }
                next.set(v);
                if (!next.equals(dom[v])) {
                    dom[v] = next;
                    changed = true;
                }
            }
        }
        idom = new int[n];
        for (int v = 0; v < n; v++) {
            if (v == root || !inGraph[v]) {
                idom[v] = root;
                continue;
            }
            // The strict dominator with the largest dominator set is the immediate one.
            int best = -1;
            for (int d = dom[v].nextSetBit(0); d >= 0; d = dom[v].nextSetBit(d + 1)) {
                if (d != v && (best < 0 || dom[d].cardinality() > dom[best].cardinality())) {
                    best = d;
                }
            }
            idom[v] = best;
        }
    }

    /** retained[v] = sum of self sizes of all nodes whose dominator chain (itself included) passes through v. */
    static long[] retained(int root, int[] idom, long[] self) {
        long[] retained = new long[idom.length];
        for (int u = 0; u < idom.length; u++) {
            int x = u;
            for (int steps = 0; ; steps++) {
                if (steps > idom.length) {
                    throw new AssertionError("dominator chain of " + u + " does not reach the root");
                }
                retained[x] += self[u];
                if (x == root) {
                    break;
                }
                x = idom[x];
            }
        }
        return retained;
    }

    private static boolean[] reach(int n, boolean[][] counts, List<Integer> starts) {
        boolean[] seen = new boolean[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int s : starts) {
            if (!seen[s]) {
                seen[s] = true;
                queue.add(s);
            }
        }
        while (!queue.isEmpty()) {
            int u = queue.poll();
            for (int v = 0; v < n; v++) {
                if (counts[u][v] && !seen[v]) {
                    seen[v] = true;
                    queue.add(v);
                }
            }
        }
        return seen;
    }
}
