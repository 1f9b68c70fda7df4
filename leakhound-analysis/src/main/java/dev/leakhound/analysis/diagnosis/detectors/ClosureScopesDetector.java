package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Claims;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisContext;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.analysis.diagnosis.NodeScan;
import dev.leakhound.analysis.nodejs.ClosureScopes;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Function scopes that keep a lot alive: the contexts of one ScopeInfo (not module scopes: module
 * state is reported as collections or suspects) whose variables together hold {@code minBytes} on
 * their own (what each variable's value dominates), counted once: a context nested under another of
 * the group (in the dominator tree) is counted with it. Node's own functions need
 * {@code internalFactor} times that. Reads the claims (claimed contexts and values are left out, and a
 * scope whose ScopeInfo a chain claimed is skipped); claims the contexts it reports.
 */
public final class ClosureScopesDetector implements Detector {
    @Override
    public FindingKind kind() {
        return FindingKind.CLOSURE_SCOPE;
    }

    @Override
    public Result detect(DiagnosisContext c, Claims claimed) {
        long floor = c.options().minBytes();
        long[] byScope = c.scan().contexts();
        HeapGraph g = c.graph();
        Claims mine = claimed.forDetector();
        int candidates = 0;
        List<int[]> groups = new ArrayList<>();   // {from, to} of groups whose variables may hold enough
        for (int i = 0; i < byScope.length; ) {
            int j = NodeScan.groupEnd(byScope, i);
            int scope = NodeScan.scope(byScope[i]);
            long naive = 0;
            for (int k = i; k < j; k++) {
                naive += g.retainedSize(NodeScan.context(byScope[k]));
            }
            if (naive >= floor && !claimed.has(scope) && !c.v8().isModuleLevel(NodeScan.context(byScope[i]))) {
                candidates++;
                if (variablesBound(c, claimed, byScope, i, j) >= floor) {
                    groups.add(new int[] {i, j});
                }
            }
            i = j;
        }
        // the closures holding the candidate groups' contexts: one pass over the closures for all of them
        List<Integer> wanted = new ArrayList<>();
        for (int[] gr : groups) {
            for (int k = gr[0]; k < gr[1]; k++) {
                wanted.add(NodeScan.context(byScope[k]));
            }
        }
        ClosureScopes.Holders holders = c.scopes().holders(wanted.stream().mapToInt(Integer::intValue).toArray());
        List<Finding> out = new ArrayList<>();
        Marks marks = groups.isEmpty() ? null : new Marks(c.snapshot().nodeCount());
        for (int[] gr : groups) {
            Finding f = scopeGroup(c, mine, holders, byScope, gr[0], gr[1], marks);
            if (f != null) {
                out.add(f);
            }
        }
        return new Result(out, new Check.ClosureScopes(byScope.length, candidates, out.size(), floor), mine.added());
    }

    /**
     * At least what {@link #scopeGroup} counts for byScope[from..to): what the variables of every unclaimed
     * context hold on their own, unclaimed (scopeGroup counts only the contexts no other one dominates). A
     * group below minBytes by it cannot be reported.
     */
    private static long variablesBound(DiagnosisContext c, Claims claimed, long[] byScope, int from, int to) {
        HeapSnapshot s = c.snapshot();
        HeapGraph g = c.graph();
        long sum = 0;
        for (int k = from; k < to; k++) {
            int ctx = NodeScan.context(byScope[k]);
            if (claimed.has(ctx)) {
                continue;
            }
            for (int e = s.firstEdge(ctx), end = s.endEdge(ctx); e < end; e++) {
                if (!c.v8().isVariable(e)) {
                    continue;
                }
                int t = s.edgeTo(e);
                if (g.idom(t) == ctx && !claimed.has(t)) {
                    sum += g.retainedSize(t);
                }
            }
        }
        return sum;
    }

    /** Reports one scope group if it holds enough that no earlier finding claimed; null if not. */
    private static Finding scopeGroup(DiagnosisContext c, Claims mine, ClosureScopes.Holders holders, long[] byScope,
                                      int from, int to, Marks marks) {
        HeapSnapshot s = c.snapshot();
        HeapGraph g = c.graph();
        DiagnosisOptions o = c.options();
        for (int k = from; k < to; k++) {
            int ctx = NodeScan.context(byScope[k]);
            if (!mine.has(ctx)) {
                marks.set(ctx, Marks.MEMBER);
            }
        }
        // top-level members: no other member among their dominators (the whole chain up, remembered per node)
        List<Integer> top = new ArrayList<>();
        for (int k = from; k < to; k++) {
            int ctx = NodeScan.context(byScope[k]);
            if (marks.get(ctx) == Marks.MEMBER && !hasMemberAbove(g, ctx, marks)) {
                top.add(ctx);
            }
        }
        marks.clear();
        // variables: what each holds on its own (dominated by the context), claimed parts left out
        Map<Integer, long[]> byVar = new LinkedHashMap<>();   // name index, or -1 - slot -> {bytes, count, sample}
        long bytes = 0;
        for (int ctx : top) {
            for (int e = s.firstEdge(ctx), end = s.endEdge(ctx); e < end; e++) {
                if (!c.v8().isVariable(e)) {
                    continue;
                }
                int t = s.edgeTo(e);
                if (g.idom(t) != ctx || mine.has(t)) {
                    continue;
                }
                long r = g.retainedSize(t);
                int key = s.edgeType(e) == EdgeType.CONTEXT ? s.edgeNameOrIndex(e) : -1 - s.edgeNameOrIndex(e);
                long[] acc = byVar.computeIfAbsent(key, x -> new long[] {0, 0, t});
                acc[0] += r;
                acc[1]++;
                bytes += r;
            }
        }
        // the functions holding the top contexts
        Map<Integer, int[]> byFunction = new LinkedHashMap<>();   // function key -> {count, sample closure}
        for (int ctx : top) {
            for (int closure : holders.of(ctx)) {
                byFunction.computeIfAbsent(c.v8().functionKey(closure), x -> new int[] {0, closure})[0]++;
            }
        }
        int sampleClosure = byFunction.isEmpty() ? -1 : byFunction.values().iterator().next()[1];
        boolean internal = sampleClosure >= 0 && Boolean.TRUE.equals(c.locator().ownCode(sampleClosure));
        long need = internal ? o.minBytes() * o.internalFactor() : o.minBytes();
        if (bytes < need || top.isEmpty()) {
            return null;
        }
        int scope = NodeScan.scope(byScope[from]);
        int biggest = top.get(0);
        for (int ctx : top) {
            if (g.retainedSize(ctx) > g.retainedSize(biggest)) {
                biggest = ctx;
            }
        }
        List<Map.Entry<Integer, long[]>> vars = new ArrayList<>(byVar.entrySet());
        vars.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        List<Finding.Variable> variables = new ArrayList<>();
        for (int i = 0; i < vars.size() && i < 4; i++) {
            long[] v = vars.get(i).getValue();
            variables.add(new Finding.Variable(varName(s, vars.get(i).getKey()), g.className((int) v[2]), v[1], v[0]));
        }
        List<int[]> fnRows = new ArrayList<>(byFunction.values());
        fnRows.sort((a, b) -> Integer.compare(b[0], a[0]));
        List<Finding.FunctionCount> fns = new ArrayList<>();
        for (int i = 0; i < fnRows.size() && i < 4; i++) {
            fns.add(new Finding.FunctionCount(fnRows.get(i)[0], c.function(fnRows.get(i)[1])));
        }
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < top.size() && i < 5; i++) {
            ids.add(s.id(top.get(i)));
        }
        for (int ctx : top) {
            mine.add(ctx);
        }
        Finding.ClosureScope detail = new Finding.ClosureScope(c.v8().scopeFunctionName(scope, biggest), s.id(scope),
                top.size(), variables, vars.isEmpty() ? null : varName(s, vars.get(0).getKey()), fns,
                sampleClosure >= 0 ? c.label(sampleClosure) : null);
        return c.finding(FindingKind.CLOSURE_SCOPE, bytes, top.size(), biggest,
                sampleClosure >= 0 ? c.locator().of(sampleClosure) : null, ids, detail);
    }

    /**
     * Per node, for the scope group being looked at: a member, or known to be under a member or not. Reset
     * after each group by undoing only what was set, so a group costs what it touches, not the node count.
     */
    static final class Marks {
        static final byte MEMBER = 1;
        static final byte UNDER = 2;
        static final byte NOT_UNDER = 3;
        private final byte[] state;
        private int[] touched = new int[64];
        private int touchedCount;

        Marks(int nodes) {
            state = new byte[nodes];
        }

        byte get(int node) {
            return state[node];
        }

        void set(int node, byte value) {
            if (state[node] == 0) {
                if (touchedCount == touched.length) {
                    touched = java.util.Arrays.copyOf(touched, touchedCount * 2);
                }
                touched[touchedCount++] = node;
            }
            state[node] = value;
        }

        void clear() {
            for (int i = 0; i < touchedCount; i++) {
                state[touched[i]] = 0;
            }
            touchedCount = 0;
        }
    }

    /**
     * Whether a member of the group dominates {@code ctx} (climbing the dominator tree to the root; the
     * answer for each node passed is remembered, so each node is climbed through once per group).
     */
    static boolean hasMemberAbove(HeapGraph g, int ctx, Marks marks) {
        int root = g.snapshot().rootOrdinal();
        int climbedFrom = ctx;
        boolean result = false;
        for (int d = g.idom(ctx); d >= 0 && d != root && d != ctx; d = g.idom(d)) {
            byte m = marks.get(d);
            if (m == Marks.MEMBER || m == Marks.UNDER) {
                result = true;
                break;
            }
            if (m == Marks.NOT_UNDER) {
                break;
            }
        }
        // remember the answer for every node climbed through (up to where the answer came from)
        byte answer = result ? Marks.UNDER : Marks.NOT_UNDER;
        for (int d = g.idom(climbedFrom); d >= 0 && d != root && d != ctx; d = g.idom(d)) {
            if (marks.get(d) != 0) {
                break;
            }
            marks.set(d, answer);
        }
        return result;
    }

    private static String varName(HeapSnapshot s, int key) {
        return key >= 0 ? s.strings().get(key) : "(slot " + (-1 - key) + ")";
    }
}
