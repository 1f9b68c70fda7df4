package dev.leakhound.analysis.nodejs;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chains: objects of one kind each keeping the previous one alive through a short link. The classic
 * Node.js case is Meteor's "replaceThing" (2013): a closure scope whose variable leads, within a few
 * steps, to a closure holding another scope of the same function, and so on. A link is the edges from
 * one member to the next; the variable that carries it is the link's {@code ::name} step. Two
 * searches share these rules: {@link ContextLinks} (the diagnosis: contexts of one ScopeInfo) and
 * {@link #repeatingSegment} (find-leaks: new objects of one class).
 */
public final class ChainLinks {
    /** How far a link may reach: edges, and nodes visited per search. */
    public static final int LINK_DEPTH = 4;
    public static final int LINK_NODES = 64;

    private ChainLinks() {}

    /** The variable a link goes through: the name of its last {@code context} edge, or null. */
    public static String linkingVariable(HeapSnapshot s, List<Integer> edges) {
        String var = null;
        for (int e : edges) {
            if (s.edgeType(e) == EdgeType.CONTEXT) {
                var = s.edgeName(e);
            }
        }
        return var;
    }

    /** How a link reads: its edges' labels ({@code ::originalThing.someMethod}); a closure's scope link reads as nothing. */
    public static String segmentText(HeapSnapshot s, List<Integer> edges) {
        StringBuilder sb = new StringBuilder();
        for (int e : edges) {
            sb.append(RetainerPath.edgeLabel(s, e));
        }
        return sb.toString();
    }

    /**
     * Links between the contexts of one function scope. Contexts are searched group by group (all
     * contexts with one ScopeInfo): a breadth-first search of at most {@value #LINK_DEPTH} steps and
     * {@value #LINK_NODES} nodes from a context, its first step a variable, then properties, elements,
     * variables and closures' scope links through objects and closures, ends at the first context of the
     * same group. Reuses its arrays between searches (membership by a per-search stamp).
     */
    public static final class ContextLinks {
        private final HeapSnapshot s;
        private final V8Layout v8;
        private final BitSet group;
        /** Context nodes that are neither objects nor strings (not in the scan's groups); null when none. */
        private BitSet oddContexts;
        private boolean oddDone;
        private int[] mark;
        private int stamp;
        private final int[] node = new int[LINK_NODES];
        private final int[] via = new int[LINK_NODES];
        private final int[] from = new int[LINK_NODES];
        private final int[] depth = new int[LINK_NODES];
        private int lastHead;
        private int lastEdge;

        public ContextLinks(V8Layout v8) {
            this.v8 = v8;
            this.s = v8.snapshot();
            this.group = new BitSet(s.nodeCount());
        }

        /** Makes {@code contexts[from..to)} the group the next searches end in. */
        public void startGroup(long[] byScope, int from, int to) {
            if (!oddDone) {
                oddContexts = oddContexts();
                oddDone = true;
            }
            for (int i = from; i < to; i++) {
                group.set((int) byScope[i]);
            }
        }

        public void endGroup(long[] byScope, int from, int to) {
            for (int i = from; i < to; i++) {
                group.clear((int) byScope[i]);
            }
        }

        private BitSet oddContexts() {
            BitSet odd = null;
            int name = v8.names().systemContext;
            for (int v = 0, n = s.nodeCount(); v < n; v++) {
                if (s.nameIndex(v) == name) {
                    int t = s.type(v);
                    if (t != NodeType.OBJECT && t != NodeType.STRING) {
                        if (odd == null) {
                            odd = new BitSet(n);
                        }
                        odd.set(v);
                    }
                }
            }
            return odd;
        }

        /** The next context of the group (whose ScopeInfo is {@code scope}) that context {@code c} links to, or -1. */
        public int next(int c, int scope) {
            if (mark == null) {
                mark = new int[s.nodeCount()];
            }
            int st = ++stamp;
            int count = 1;
            int contextName = v8.names().context;
            mark[c] = st;
            node[0] = c;
            via[0] = -1;
            from[0] = -1;
            depth[0] = 0;
            for (int head = 0; head < count; head++) {
                int v = node[head];
                if (depth[head] >= LINK_DEPTH) {
                    continue;
                }
                for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                    int t = s.edgeType(e);
                    if (v == c ? !v8.isVariable(e) : !(t == EdgeType.PROPERTY || t == EdgeType.ELEMENT
                            || t == EdgeType.CONTEXT || t == EdgeType.INTERNAL && s.edgeNameOrIndex(e) == contextName)) {
                        continue;
                    }
                    int to = s.edgeTo(e);
                    // a context of this scope: one of the group (every object context with a ScopeInfo is in it;
                    // the only one marked as seen is c itself, queued nodes are not of the group), or a context
                    // node of another type, which the scan does not list
                    if (group.get(to)) {
                        if (to == c) {
                            continue;
                        }
                        lastHead = head;
                        lastEdge = e;
                        return to;
                    }
                    if (oddContexts != null && oddContexts.get(to) && v8.scopeInfo(to) == scope) {
                        lastHead = head;
                        lastEdge = e;
                        return to;
                    }
                    if (count < LINK_NODES && mark[to] != st) {
                        int tt = s.type(to);
                        if (tt != NodeType.OBJECT && tt != NodeType.CLOSURE) {
                            continue;
                        }
                        mark[to] = st;
                        node[count] = to;
                        via[count] = e;
                        from[count] = head;
                        depth[count] = depth[head] + 1;
                        count++;
                    }
                }
            }
            return -1;
        }

        /** The edges of the last link {@link #next} found, from the context to the next one. */
        public List<Integer> lastLink() {
            List<Integer> edges = new ArrayList<>();
            edges.add(lastEdge);
            for (int x = lastHead; via[x] >= 0; x = from[x]) {
                edges.add(0, via[x]);
            }
            return edges;
        }
    }

    /**
     * The link that makes {@code root} (a new object) the head of a chain of new objects of its class:
     * the labels of the first path, within six steps over new objects, to another new object of the
     * class from which the same labels lead to a third one. A link that does not repeat (a payload of
     * the same class hanging off the member) is not the chain's link. Null when there is none.
     */
    public static List<Integer> repeatingSegment(HeapGraph g, int root, boolean[] isNew) {
        HeapSnapshot s = g.snapshot();
        int cls = g.classes().classOf(root);
        Map<Integer, Integer> viaEdge = new HashMap<>();   // node -> edge it was reached by
        Map<Integer, Integer> parent = new HashMap<>();
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        queue.add(new int[] {root, 0});
        viaEdge.put(root, -1);
        List<Integer> firstFound = null;
        while (!queue.isEmpty() && viaEdge.size() < 4000) {
            int[] cur = queue.poll();
            int v = cur[0];
            if (cur[1] >= 6) {
                continue;
            }
            for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                int t = s.edgeType(e);
                if (t == EdgeType.WEAK || t == EdgeType.SHORTCUT) {
                    continue;
                }
                int to = s.edgeTo(e);
                if (viaEdge.containsKey(to) || !isNew[to]) {
                    continue;
                }
                viaEdge.put(to, e);
                parent.put(to, v);
                if (g.classes().classOf(to) == cls) {
                    List<Integer> edges = new ArrayList<>();
                    for (int x = to; x != root; x = parent.get(x)) {
                        edges.add(0, viaEdge.get(x));
                    }
                    if (follow(s, to, edges, isNew, g, cls)) {
                        return edges;
                    }
                    if (firstFound == null) {
                        firstFound = edges;
                    }
                }
                queue.add(new int[] {to, cur[1] + 1});
            }
        }
        return firstFound;
    }

    /** Whether following {@code edges}' labels (same types and names, any index) from {@code start} reaches a new member. */
    private static boolean follow(HeapSnapshot s, int start, List<Integer> edges, boolean[] isNew, HeapGraph g, int cls) {
        int[] frontier = {start};
        for (int link : edges) {
            int type = s.edgeType(link);
            boolean indexed = type == EdgeType.ELEMENT || type == EdgeType.HIDDEN;
            int name = s.edgeNameOrIndex(link);
            int[] next = new int[0];
            for (int v : frontier) {
                for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                    if (s.edgeType(e) == type && (indexed || s.edgeNameOrIndex(e) == name) && isNew[s.edgeTo(e)]) {
                        next = Arrays.copyOf(next, next.length + 1);
                        next[next.length - 1] = s.edgeTo(e);
                        if (next.length >= 16) {
                            break;
                        }
                    }
                }
            }
            if (next.length == 0) {
                return false;
            }
            frontier = next;
        }
        for (int v : frontier) {
            if (g.classes().classOf(v) == cls && v != start) {
                return true;
            }
        }
        return false;
    }
}
