package dev.leakhound.analysis.nodejs;

import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.BitSet;

/**
 * Closure scopes. V8 gives all closures created by one call of a function one shared Context (a
 * {@code system / Context} node with a variable edge per captured variable), so every closure created
 * there keeps every captured variable alive, even those only another closure uses. This class answers
 * what a closure captures and which closures hold a context ({@link Holders}); the diagnosis's
 * closure detectors and find-leaks' explanations both ask it.
 */
public final class ClosureScopes {
    private final V8Layout v8;
    private final HeapSnapshot s;

    public ClosureScopes(V8Layout v8) {
        this.v8 = v8;
        this.s = v8.snapshot();
    }

    /** The variables of a closure's scope: {edge, target} pairs in edge order; empty without a scope. */
    public List<int[]> variables(int closure) {
        int ctx = v8.contextOf(closure);
        List<int[]> vars = new ArrayList<>();
        if (ctx < 0) {
            return vars;
        }
        for (int e = s.firstEdge(ctx), end = s.endEdge(ctx); e < end; e++) {
            if (v8.isVariable(e)) {
                vars.add(new int[] {e, s.edgeTo(e)});
            }
        }
        return vars;
    }

    /**
     * The named variable a closure captures that best explains a leak: one pointing at a new object
     * ({@code isNew}) over an old one, then the biggest (self size plus edge count); functions and code
     * are skipped. Null when the closure captures none.
     */
    public String leakingVariable(int closure, boolean[] isNew) {
        int e = leakingVariableEdge(closure, isNew);
        return e < 0 ? null : s.edgeName(e);
    }

    /** The edge of the variable {@link #leakingVariable} names (from the closure's scope to the object), or -1. */
    public int leakingVariableEdge(int closure, boolean[] isNew) {
        if (closure < 0 || s.type(closure) != NodeType.CLOSURE) {
            return -1;
        }
        int ctx = v8.namedTarget(closure, v8.names().context);
        if (ctx < 0) {
            return -1;
        }
        int best = -1;
        long bestSize = -1;
        boolean bestNew = false;
        for (int e = s.firstEdge(ctx), end = s.endEdge(ctx); e < end; e++) {
            if (s.edgeType(e) != EdgeType.CONTEXT) {
                continue;
            }
            int t = s.edgeTo(e);
            int type = s.type(t);
            if (type == NodeType.CLOSURE || type == NodeType.CODE) {
                continue;
            }
            boolean fresh = isNew[t];
            long size = s.selfSize(t) + s.edgeCountOf(t);
            if (best < 0 || (fresh && !bestNew) || (fresh == bestNew && size > bestSize)) {
                best = e;
                bestSize = size;
                bestNew = fresh;
            }
        }
        return best;
    }

    /**
     * The closures holding each of a set of contexts (their {@code context} link), found in one pass
     * over the closures.
     */
    public Holders holders(int[] contexts) {
        int[] sorted = contexts.clone();
        Arrays.sort(sorted);
        int[] counts = new int[sorted.length];
        int[] pairs = new int[16];   // (context position, closure), in closure order
        int np = 0;
        if (sorted.length > 0) {
            BitSet wanted = new BitSet(s.nodeCount());
            for (int c : sorted) {
                wanted.set(c);
            }
            int contextName = v8.names().context;
            for (int v = 0, n = s.nodeCount(); v < n; v++) {
                if (s.type(v) != NodeType.CLOSURE) {
                    continue;
                }
                for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                    int to = s.edgeTo(e);
                    if (wanted.get(to) && s.edgeType(e) == EdgeType.INTERNAL && s.edgeNameOrIndex(e) == contextName) {
                        int at = Arrays.binarySearch(sorted, to);
                        if (np + 2 > pairs.length) {
                            pairs = Arrays.copyOf(pairs, pairs.length * 2);
                        }
                        pairs[np++] = at;
                        pairs[np++] = v;
                        counts[at]++;
                        break;
                    }
                }
            }
        }
        // group by context, keeping closure order
        int[] start = new int[sorted.length + 1];
        for (int i = 0; i < sorted.length; i++) {
            start[i + 1] = start[i] + counts[i];
        }
        int[] closures = new int[np / 2];
        int[] fill = Arrays.copyOf(start, sorted.length);
        for (int i = 0; i < np; i += 2) {
            closures[fill[pairs[i]]++] = pairs[i + 1];
        }
        return new Holders(sorted, start, closures);
    }

    /** Closures by the context they hold. */
    public static final class Holders {
        private final int[] contexts;
        private final int[] start;
        private final int[] closures;

        Holders(int[] contexts, int[] start, int[] closures) {
            this.contexts = contexts;
            this.start = start;
            this.closures = closures;
        }

        /** The closures holding {@code context} (one of those asked about), in ordinal order. */
        public int[] of(int context) {
            int i = Arrays.binarySearch(contexts, context);
            return i < 0 ? new int[0] : Arrays.copyOfRange(closures, start[i], start[i + 1]);
        }
    }
}
