package dev.leakhound.core.graph;

import dev.leakhound.core.Parallel;

import java.util.Arrays;

/**
 * Immediate dominators of a heap graph, retained sizes and the dominator tree's child lists.
 *
 * <p><b>Algorithm.</b> Semi-NCA (SNCA) as described by Georgiadis, Tarjan &amp; Werneck, "Finding dominators in
 * practice", JGAA 10(1), 2006, and Georgiadis' thesis "Linear-Time Algorithms for Dominators and Related
 * Problems" (Princeton, 2005): semidominators exactly as in Lengauer &amp; Tarjan, "A Fast Algorithm for
 * Finding Dominators in a Flowgraph", ACM TOPLAS 1(1), 1979 (EVAL with path compression, LINK without
 * balancing, the <em>simple</em> variant), then each immediate dominator as the nearest common ancestor of
 * the DFS parent and the semidominator in the tree built so far: in preorder,
 * {@code idom(w) = parent(w); while idom(w) > semi(w): idom(w) = idom(idom(w))}. The paper reports SNCA at
 * least as fast as Lengauer–Tarjan on real graphs; it needs no buckets, and its EVAL can carry semidominator
 * values instead of vertices, so it gets by with six n-sized arrays reused across the phases (plus the
 * predecessor lists) where Lengauer–Tarjan needed ten; at 10M nodes that is about 160 MB less. The result is
 * the same: both compute the exact dominators of the same graph. Everything is iterative: the DFS keeps its
 * path on explicit stacks (node and next edge per depth, in arrays that are free at that time) and marks
 * visited nodes in a bitset, and COMPRESS uses an explicit int stack, so graphs millions deep cannot overflow
 * the Java stack. The essential in-degrees (needed for the predecessor lists and step 2 below) are counted on
 * a second thread while the DFS runs, or handed in by the caller.
 *
 * <p>Work is done on preorder numbers (root = 0): the predecessor lists are rebuilt as a CSR indexed
 * by number, holding numbers, so the main loop reads them front to back. In the LINK-EVAL forest a vertex
 * is linked exactly when it has been processed (its number is above the one being processed), so the
 * forest's parent pointers need no "unlinked" marker and can live in an array that held something else
 * before. All arrays are allocated before the first traversal, so an out-of-memory shows up at the start.
 *
 * <p><b>Which edges count.</b> An edge counts ("essential", in DevTools' words) unless its bit is set in
 * {@code skip} or it is a self edge. DevTools' {@code computeIsEssentialEdge} also drops self edges; it
 * matters for the rule below: a node whose only retainer is itself counts as having no retainers.
 * Duplicate edges are harmless. Deciding which edges are weak is the caller's job, through {@code skip}
 * (DevTools also drops shortcut edges not leaving the root, WeakMap table&rarr;value edges and edges from
 * non-page-owned into page-owned nodes).
 *
 * <p><b>Nodes unreachable from the root</b>, mirroring {@code buildDominatorTreeAndCalculateRetainedSizes}
 * in devtools-frontend {@code front_end/entrypoints/heap_snapshot_worker/HeapSnapshot.ts} (read at
 * commit 204e83192cc0720501e89c3bdf6f35a86abb157d):
 * <ol>
 * <li>DFS from the root over essential edges.</li>
 * <li>If nodes are left, then for every still-unvisited node in ascending ordinal order that has <em>no</em>
 *     essential incoming edge at all (DevTools: "only weak retainers"), make the root its DFS parent and
 *     run the DFS from it. In dominator terms this adds a virtual edge root&rarr;v (DevTools sets such an
 *     "orphan" node's semidominator to the root). Nodes reached from it get their dominators normally in
 *     the graph of everything visited so far plus these virtual edges. So a weakly held object with a
 *     strong edge into the reachable graph is a second way in, and can move a reachable node's immediate
 *     dominator up (for example to the root).</li>
 * <li>Every node still unvisited (unreachable cycles and whatever hangs off them only) is numbered after
 *     all others, in ascending ordinal order, with the root as DFS parent and <em>no</em> DFS from it.
 *     In DevTools' loop these nodes all end with the root as immediate dominator: their semidominators
 *     point at other such nodes, whose buckets are never emptied because no node has them as DFS parent,
 *     and the final step resolves {@code dom[0]} to the root. So each gets the root as immediate dominator
 *     <em>directly</em>, even when it is only reachable through another member (a cycle P&harr;Q with
 *     Q&rarr;S gives idom(S) = root, not Q). Their outgoing edges change nobody's dominator either: their
 *     numbers, and so their semidominators, exceed every number of steps 1&ndash;2. This class assigns the
 *     root to them directly and leaves them out of the main loop, which gives the same result.</li>
 * </ol>
 * {@link #unreachableCount()} counts the nodes of steps 2 and 3 (DevTools' "N nodes are unreachable from
 * the root"). {@link #preorder()} lists the nodes in the order above: the root's DFS, then each attached
 * node's DFS, then the step-3 nodes.
 */
public final class DominatorTree {
    private final int root;
    private final int[] idom;
    private final int[] preorder;
    private final int unreachableCount;

    private DominatorTree(int root, int[] idom, int[] preorder, int unreachableCount) {
        this.root = root;
        this.idom = idom;
        this.preorder = preorder;
        this.unreachableCount = unreachableCount;
    }

    /**
     * Immediate dominators by Semi-NCA (iterative DFS, Lengauer–Tarjan semidominators with path compression,
     * then nearest common ancestors; see the class comment). Graph: forward CSR. Edges of node v are positions
     * {@code firstOut[v] .. firstOut[v+1]-1} in {@code outTarget} (target node ordinals). {@code skip} is a
     * bitset over edge positions (bit e set = ignore edge e), or null; words past its end count as zero, so
     * {@code BitSet.toLongArray()} output works. Self edges and duplicate edges may occur. Nodes not
     * reachable from the root over non-skipped edges are attached to the root the way Chrome DevTools does
     * it (class comment), so every node ends with a dominator.
     *
     * @throws IllegalArgumentException if the arrays do not describe a graph of {@code nodeCount} nodes
     */
    public static DominatorTree compute(int nodeCount, int root, int[] firstOut, int[] outTarget, long[] skip) {
        return compute(nodeCount, root, firstOut, outTarget, skip, true, null, 0);
    }

    /**
     * {@link #compute(int, int, int[], int[], long[])}; {@code validate = false} skips the pass that checks
     * every edge target, for arrays that are known good (a parsed snapshot's, which the parser checked).
     * {@code inDegree} (n entries, consumed), if not null, holds each node's essential in-edge count under
     * {@code skip} (self edges excluded) and {@code essential} their sum, computed by the caller.
     */
    static DominatorTree compute(int nodeCount, int root, int[] firstOut, int[] outTarget, long[] skip,
                                 boolean validate, int[] inDegree, long essentialCount) {
        final int n = nodeCount;
        if (n <= 0) {
            throw new IllegalArgumentException("nodeCount must be positive: " + n);
        }
        if (root < 0 || root >= n) {
            throw new IllegalArgumentException("root " + root + " is not a node ordinal below " + n);
        }
        if (firstOut == null || firstOut.length < n + 1) {
            throw new IllegalArgumentException("firstOut needs nodeCount + 1 = " + (n + 1) + " entries");
        }
        final int edgeEnd = firstOut[n];
        if (firstOut[0] < 0 || edgeEnd > outTarget.length) {
            throw new IllegalArgumentException("edge positions " + firstOut[0] + ".." + edgeEnd
                    + " do not fit outTarget of length " + outTarget.length);
        }
        final long[] skipBits = skipWords(skip, edgeEnd);

        // Six n-sized arrays, each reused across phases. "node" = ordinal, "number" = preorder number.
        final int[] pre = new int[n];        // node -> number; then label; then the result idoms
        final int[] vertex = new int[n];     // number -> node; kept as preorder()
        final int[] idom = new int[n];       // number -> number of the DFS parent; turned into the idom in place
        final int[] cursor = new int[n];     // DFS edge cursor by depth; then the LINK-EVAL forest
        final int[] semi = inDegree != null ? inDegree : new int[n]; // node -> essential in-degree; then number -> semi
        final int[] firstIn = new int[n + 1]; // DFS node stack by depth; then the predecessor lists
        final long[] visited = new long[(n + 63) >>> 6];

        // Validate first (nothing below may index out of range), then count essential in-degrees on another
        // thread while this one runs the DFS, which does not need them until step 2.
        if (validate) {
            for (int v = 0; v < n; v++) {
                if (firstOut[v + 1] < firstOut[v] || firstOut[v + 1] > edgeEnd) {
                    throw new IllegalArgumentException("firstOut is not non-decreasing up to firstOut[nodeCount] at node " + v);
                }
            }
            for (int e = firstOut[0]; e < edgeEnd; e++) {
                final int w = outTarget[e];
                if (w < 0 || w >= n) {
                    throw new IllegalArgumentException("edge " + e + " of node " + sourceOf(firstOut, n, e) + " targets "
                            + w + ", not a node ordinal below " + n);
                }
            }
        }
        final Parallel.Task<Long> inDegrees = inDegree != null ? null
                : Parallel.fork("in-degrees", () -> countInDegrees(n, firstOut, outTarget, skipBits, semi));

        // Step 1: DFS from the root.
        int reached;
        try {
            reached = dfs(root, 0, 0, firstOut, outTarget, skipBits, visited, pre, vertex, idom, firstIn, cursor);
        } finally {
            if (inDegrees != null) {
                inDegrees.join();
            }
        }
        final long essential = inDegrees != null ? inDegrees.join() : essentialCount;
        final int[] preds = new int[(int) essential]; // essential <= edge positions, which are ints
        int visitedCount = reached;
        if (visitedCount < n) {
            // Step 2: nodes with no essential retainer hang off the root; DFS from each.
            for (int v = 0; v < n; v++) {
                if ((visited[v >>> 6] & (1L << v)) == 0 && semi[v] == 0) {
                    visitedCount = dfs(v, 0, visitedCount, firstOut, outTarget, skipBits, visited, pre, vertex, idom,
                            firstIn, cursor);
                }
            }
        }
        final int lt = visitedCount; // numbers 0..lt-1 go through the main loop
        // Step 3: everything else is numbered last and gets the root directly.
        for (int v = 0, num = lt; num < n; v++) {
            if ((visited[v >>> 6] & (1L << v)) == 0) {
                pre[v] = num;
                vertex[num] = v;
                idom[num] = 0;
                num++;
            }
        }

        // Predecessor lists by number: firstIn[k] first holds the running end, then is decremented to the start.
        int acc = 0;
        for (int k = 0; k < n; k++) {
            acc += semi[vertex[k]];
            firstIn[k] = acc;
        }
        firstIn[n] = acc;
        for (int v = 0; v < n; v++) {
            final int vNum = pre[v];
            for (int e = firstOut[v], to = firstOut[v + 1]; e < to; e++) {
                final int w = outTarget[e];
                if (w != v && !isSkipped(skipBits, e)) {
                    preds[--firstIn[pre[w]]] = vNum;
                }
            }
        }

        // Semidominators, numbers lt-1 .. 1. The forest: ancestor[x] is meaningful once x is linked (x > w).
        // label[x] is the least semidominator on x's compressed forest path (SNCA's EVAL returns that value).
        final Forest forest = new Forest(cursor, pre);
        final int[] ancestor = cursor;
        final int[] label = pre;
        for (int w = lt - 1; w >= 1; w--) {
            // Predecessors numbered lt or above are step-3 nodes, ignored as in DevTools (class comment;
            // their semi would be their own number, above w, so they could not lower semi(w) anyway).
            int s = w;
            boolean orphan = true;
            for (int i = firstIn[w], end = firstIn[w + 1]; i < end; i++) {
                final int v = preds[i];
                if (v >= lt) {
                    continue;
                }
                orphan = false;
                if (v < w) {
                    // Not processed yet, so still a forest root with semi(v) = v: EVAL(v) = v without the loads.
                    if (v < s) {
                        s = v;
                    }
                    continue;
                }
                // EVAL(v): a vertex whose forest parent is a root needs no compression (the common case)
                final int u = ancestor[v] <= w ? label[v] : forest.eval(v, w);
                if (u < s) {
                    s = u;
                }
            }
            if (orphan) {
                s = 0; // attached in step 2: its only predecessor is the virtual edge from the root
            }
            semi[w] = s;
            label[w] = s;
            ancestor[w] = idom[w]; // LINK(parent(w), w)
        }

        // Immediate dominators in preorder: the nearest common ancestor of the DFS parent and the
        // semidominator, climbing the dominator tree built so far.
        idom[0] = 0;
        for (int w = 1; w < lt; w++) {
            final int sw = semi[w];
            int x = idom[w];
            while (x > sw) {
                x = idom[x];
            }
            idom[w] = x;
        }

        final int[] result = pre; // labels are not read any more
        for (int k = 0; k < lt; k++) {
            result[vertex[k]] = vertex[idom[k]];
        }
        for (int k = lt; k < n; k++) {
            result[vertex[k]] = root;
        }
        return new DominatorTree(root, result, vertex, n - reached);
    }

    /**
     * Heap bytes {@link #compute} allocates for a graph of {@code nodes} with {@code essentialEdges} counted edges,
     * in-degrees handed in: four n-sized int arrays and the predecessor starts (n+1), the visited bitset and the
     * predecessor lists (an int per essential edge). Two of them outlive it, as {@link #idoms()} and
     * {@link #preorder()}.
     */
    public static long workBytes(long nodes, long essentialEdges) {
        return 20 * nodes + 4 + ((nodes + 63) >>> 6) * 8 + 4 * essentialEdges;
    }

    /** The LINK-EVAL forest of the semidominator phase, with a growable stack for COMPRESS. */
    private static final class Forest {
        private final int[] ancestor;
        private final int[] label;
        private int[] stack = new int[1024];

        Forest(int[] ancestor, int[] label) {
            this.ancestor = ancestor;
            this.label = label;
        }

        /**
         * EVAL(v) for a linked v (v &gt; w, the number being processed): the least semidominator on v's
         * forest path below the forest root, after COMPRESS. A vertex x is linked exactly when x &gt; w.
         */
        int eval(int v, int w) {
            final int[] anc = ancestor;
            if (anc[v] <= w) {
                return label[v];   // the forest parent is a root: nothing to compress
            }
            // COMPRESS(v), iteratively: collect the path below the forest root's child, then fold top-down.
            int[] st = stack;
            int sp = 0;
            int x = v;
            while (anc[x] > w) {
                if (sp == st.length) {
                    st = Arrays.copyOf(st, sp * 2);
                    stack = st;
                }
                st[sp++] = x;
                x = anc[x];
            }
            final int[] lab = label;
            while (sp > 0) {
                x = st[--sp];
                final int a = anc[x];
                if (lab[a] < lab[x]) {
                    lab[x] = lab[a];
                }
                anc[x] = anc[a];
            }
            return lab[v];
        }
    }

    /**
     * Iterative DFS from {@code start} (numbered {@code next}, DFS parent {@code parentNumber}) over essential
     * edges to unvisited nodes, in edge order; the path is kept on explicit stacks (node and next edge per
     * depth), and "visited" is a bitset, which stays in cache. Returns the next free number.
     */
    private static int dfs(int start, int parentNumber, int next, int[] firstOut, int[] outTarget, long[] skip,
                           long[] visited, int[] pre, int[] vertex, int[] parent, int[] nodeStack, int[] edgeStack) {
        int num = next;
        visited[start >>> 6] |= 1L << start;
        pre[start] = num;
        vertex[num] = start;
        parent[num] = parentNumber;
        num++;
        int sp = 0;
        nodeStack[0] = start;
        edgeStack[0] = firstOut[start];
        while (sp >= 0) {
            final int v = nodeStack[sp];
            int e = edgeStack[sp];
            final int end = firstOut[v + 1];
            int w = -1;
            while (e < end) {
                final int t = outTarget[e];
                // a self edge is never taken: v is visited
                final boolean take = (skip[e >>> 6] & (1L << e)) == 0 && (visited[t >>> 6] & (1L << t)) == 0;
                e++;
                if (take) {
                    w = t;
                    break;
                }
            }
            if (w >= 0) {
                edgeStack[sp] = e;
                visited[w >>> 6] |= 1L << w;
                pre[w] = num;
                vertex[num] = w;
                parent[num] = pre[v];
                num++;
                sp++;
                nodeStack[sp] = w;
                edgeStack[sp] = firstOut[w];
            } else {
                sp--;
            }
        }
        return num;
    }

    /** Counts each node's essential in-edges into {@code count}; returns their total. */
    private static long countInDegrees(int n, int[] firstOut, int[] outTarget, long[] skip, int[] count) {
        long essential = 0;
        for (int v = 0; v < n; v++) {
            for (int e = firstOut[v], to = firstOut[v + 1]; e < to; e++) {
                final int w = outTarget[e];
                if (w != v && (skip[e >>> 6] & (1L << e)) == 0) {
                    count[w]++;
                    essential++;
                }
            }
        }
        return essential;
    }

    /** The node whose edge range holds position {@code e} (for error messages). */
    private static int sourceOf(int[] firstOut, int n, int e) {
        int v = 0;
        while (v < n - 1 && firstOut[v + 1] <= e) {
            v++;
        }
        return v;
    }

    private static boolean isSkipped(long[] skip, int e) {
        return (skip[e >>> 6] & (1L << e)) != 0;
    }

    /** The skip bitset with at least one word per 64 edge positions (missing words read as zero). */
    private static long[] skipWords(long[] skip, int edgeEnd) {
        final int words = (int) (((long) edgeEnd + 63) >>> 6);
        if (skip == null) {
            return new long[Math.max(words, 1)];
        }
        return skip.length >= words ? skip : Arrays.copyOf(skip, words);
    }

    /** A tree read back from an index file (see {@link GraphIndexIO}). */
    static DominatorTree restore(int root, int[] idom, int[] preorder, int unreachableCount) {
        return new DominatorTree(root, idom, preorder, unreachableCount);
    }

    public int root() {
        return root;
    }

    /** Immediate dominator of {@code node}; {@code idom(root) == root}. */
    public int idom(int node) {
        return idom[node];
    }

    /** The immediate dominator array itself (indexed by node ordinal), no copy. */
    public int[] idoms() {
        return idom;
    }

    /** Nodes that were not reachable from the root over non-skipped edges and were attached to it. */
    public int unreachableCount() {
        return unreachableCount;
    }

    /** Nodes in the DFS order used (root first, then attached subgraphs, then the rest), length nodeCount. */
    public int[] preorder() {
        return preorder;
    }

    /**
     * {@code retained[v] = self[v] +} the sum of the retained sizes of the nodes {@code v} immediately
     * dominates, as long sums. One pass in reverse preorder: every node's dominator comes earlier in it.
     */
    public long[] retainedSizes(long[] selfSize) {
        final int n = idom.length;
        if (selfSize.length != n) {
            throw new IllegalArgumentException("selfSize has " + selfSize.length + " entries for " + n + " nodes");
        }
        final long[] retained = Arrays.copyOf(selfSize, n);
        for (int k = n - 1; k >= 1; k--) {
            final int v = preorder[k];
            retained[idom[v]] += retained[v];
        }
        return retained;
    }

    /**
     * Children of each node in the dominator tree as CSR, each node's children sorted by
     * {@code retained} descending, ties by ordinal ascending.
     */
    public DominatedChildren children(long[] retained) {
        final int n = idom.length;
        if (retained.length != n) {
            throw new IllegalArgumentException("retained has " + retained.length + " entries for " + n + " nodes");
        }
        final DominatedChildren c = childrenByOrdinal();
        final int[] first = c.firstChild();
        final int[] list = c.childList();
        int longest = 0;
        for (int v = 0; v < n; v++) {
            longest = Math.max(longest, first[v + 1] - first[v]);
        }
        final int[] buffer = new int[longest];
        for (int v = 0; v < n; v++) {
            RetainedOrder.sort(list, first[v], first[v + 1], retained, buffer);
        }
        return c;
    }

    /** Children of each node in the dominator tree as CSR, each node's children in ascending ordinal order. */
    public DominatedChildren childrenByOrdinal() {
        final int n = idom.length;
        final int[] first = new int[n + 1];
        final int[] list = new int[n - 1];
        for (int v = 0; v < n; v++) {
            if (v != root) {
                first[idom[v]]++;
            }
        }
        int acc = 0;
        for (int v = 0; v < n; v++) {
            acc += first[v];
            first[v] = acc; // running end; decremented to the start below
        }
        first[n] = acc;
        for (int v = n - 1; v >= 0; v--) {
            if (v != root) {
                list[--first[idom[v]]] = v; // each slice ends up in ascending ordinal order
            }
        }
        return new DominatedChildren(first, list);
    }
}
