package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.RetainerPath;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Closures whose scope keeps data alive. V8 gives all closures created by one call of a function
 * one shared Context (a {@code system / Context} node with a {@code context} edge per captured
 * variable, {@code scope_info} naming the function's scope, {@code previous} the enclosing one).
 * Every closure created there keeps every captured variable, even those only another closure uses.
 *
 * <ul>
 * <li><b>Chains</b> (Meteor's "replaceThing", 2013): a Context whose variable leads, within a few
 *     steps, to a closure holding another Context of the same scope. Contexts are grouped by their
 *     ScopeInfo; for each, a breadth-first search of at most {@value #LINK_DEPTH} steps and
 *     {@value #LINK_NODES} nodes finds the next link; chains are followed iteratively.</li>
 * <li><b>Scopes</b>: contexts of one function scope (not module scopes: module state is reported as
 *     collections or suspects) that together retain at least minBytes, with the variables holding it.</li>
 * </ul>
 */
final class Closures {
    static final int LINK_DEPTH = 4;
    static final int LINK_NODES = 64;

    private final Heap h;
    private final HeapSnapshot s;
    private final HeapGraph g;
    /** Contexts sorted by ScopeInfo: scope << 32 | context. */
    private final long[] byScope;
    private final Set<Integer> chainScopes = new HashSet<>();

    Closures(Heap h) {
        this.h = h;
        this.s = h.s;
        this.g = h.g;
        byScope = h.contexts;
    }

    /** Closures by the context they hold, for the contexts asked about first (one pass over the nodes). */
    private Map<Integer, Heap.IntList> holders;

    private void holdersFor(Set<Integer> contexts) {
        if (holders == null) {
            holders = new HashMap<>();
        }
        Set<Integer> missing = new HashSet<>();
        for (int c : contexts) {
            if (!holders.containsKey(c)) {
                missing.add(c);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        java.util.BitSet wanted = new java.util.BitSet(s.nodeCount());
        for (int c : missing) {
            holders.put(c, new Heap.IntList());
            wanted.set(c);
        }
        for (int v = 0, n = s.nodeCount(); v < n; v++) {
            if (s.type(v) != NodeType.CLOSURE) {
                continue;
            }
            int c = h.internalEdge(v, h.context);
            if (c >= 0 && wanted.get(c)) {
                holders.get(c).add(v);
            }
        }
    }

    /** Contexts worth knowing the closures of: the chains found, and scopes findScopes may report. */
    private Set<Integer> interesting() {
        Set<Integer> out = new HashSet<>(chainMembers);
        for (int i = 0; i < byScope.length; ) {
            int j = i;
            long naive = 0;
            while (j < byScope.length && scope(byScope[j]) == scope(byScope[i])) {
                naive += g.retainedSize(ctx(byScope[j]));
                j++;
            }
            if (naive >= h.o.minBytes() && !chainScopes.contains(scope(byScope[i])) && !moduleLevel(ctx(byScope[i]))
                    && variablesBound(i, j) >= h.o.minBytes()) {
                for (int k = i; k < j; k++) {
                    out.add(ctx(byScope[k]));
                }
            }
            i = j;
        }
        return out;
    }

    private static int scope(long p) {
        return (int) (p >>> 32);
    }

    private static int ctx(long p) {
        return (int) p;
    }

    /** Whether a context belongs to a module's (or script's) top level: its enclosing one is not a function's. */
    boolean moduleLevel(int ctx) {
        int prev = h.internalEdge(ctx, h.previous);
        return prev < 0 || !h.isContext(prev);
    }

    // ---- chains ----

    void findChains(List<Finding> out, List<String> checked) {
        int groups = 0;
        int longest = 0;
        int reported = 0;
        for (int i = 0; i < byScope.length; ) {
            int j = i;
            while (j < byScope.length && scope(byScope[j]) == scope(byScope[i])) {
                j++;
            }
            groups++;
            if (j - i >= h.o.minChain()) {
                int len = chain(i, j);
                longest = Math.max(longest, Math.abs(len));
                if (len > 0) {
                    reported++;
                }
            }
            i = j;
        }
        // one pass over the closures finds who holds the chains' contexts and the scopes findScopes may report
        Set<Integer> wanted = interesting();
        holdersFor(wanted);
        for (Object[] p : pendingReports) {
            @SuppressWarnings("unchecked")
            Map<Integer, int[]> next = (Map<Integer, int[]>) p[4];
            @SuppressWarnings("unchecked")
            List<Integer> edges = (List<Integer>) p[3];
            report((Integer) p[0], (Integer) p[1], (Integer) p[2], edges, next, out);
        }
        checked.add("closure chains: " + Heap.count(byScope.length) + " closure scopes (contexts) of " + Heap.count(groups)
                + " functions, longest chain of one function's scopes " + longest + "; " + reported
                + " reported (threshold " + h.o.minChain() + " links)");
    }

    private final List<Object[]> pendingReports = new ArrayList<>();
    private final Set<Integer> chainMembers = new HashSet<>();

    /**
     * Finds the longest chain among contexts byScope[from..to) (contexts an earlier finding claimed, such
     * as listeners' scopes, are left out); returns its length, negative when it is not to be reported.
     * The links and the chain lengths are found on int arrays indexed by position in the group; only a
     * group whose chain is reported builds the maps the report reads.
     */
    private int chain(int from, int to) {
        int scope = scope(byScope[from]);
        int size = to - from;
        if (linkNext == null || linkNext.length < size) {
            int cap = Math.max(size, 64);
            linkNext = new int[cap];
            linkSeen = new int[cap];
            linkPointed = new int[cap];
            linkTarget = new int[cap];
        }
        int links = 0;
        for (int i = from; i < to; i++) {
            int c = ctx(byScope[i]);
            int nx = h.claimed.get(c) ? -1 : h.links[i];
            // position of the next context in the group (contexts of a scope are sorted by ordinal); -1: no
            // link, -2: a link to a context the scan did not list (not an object node)
            int k = nx < 0 ? -1 : Arrays.binarySearch(byScope, from, to, ((long) scope << 32) | nx) - from;
            linkNext[i - from] = nx < 0 ? -1 : k < 0 ? -2 : k;
            linkTarget[i - from] = nx;
            if (nx >= 0) {
                links++;
            }
        }
        if (links + 1 < h.o.minChain()) {
            return -links - (links == 0 ? 0 : 1);
        }
        int stamp = ++pointedStamp;
        for (int i = 0; i < size; i++) {
            if (linkNext[i] >= 0) {
                linkPointed[linkNext[i]] = stamp;
            }
        }
        int bestLen = 0;
        for (int i = 0; i < size; i++) {
            if (linkNext[i] == -1 || linkPointed[i] == stamp) {
                continue;
            }
            int len = 1;
            int walk = ++seenStamp;
            for (int x = i; x >= 0 && linkNext[x] != -1 && linkSeen[x] != walk; x = linkNext[x]) {
                linkSeen[x] = walk;
                len++;
            }
            bestLen = Math.max(bestLen, len);
        }
        if (bestLen < h.o.minChain()) {
            return -bestLen;
        }
        return reportedChain(from, to, scope);
    }

    private int[] linkNext;
    private int[] linkSeen;
    private int[] linkPointed;
    private int[] linkTarget;
    private int seenStamp;
    private int pointedStamp;
    /**
     * For each scope group of at least {@code minChain} contexts, the context each of its contexts links to
     * (-1: none), per entry of byScope; reads no dominator tree (run beside it, see {@link Heap#scanned}).
     */
    int[] allLinks(int minChain) {
        int[] out = new int[byScope.length];
        Arrays.fill(out, -1);
        for (int i = 0; i < byScope.length; ) {
            int j = i;
            while (j < byScope.length && scope(byScope[j]) == scope(byScope[i])) {
                j++;
            }
            if (j - i >= minChain) {
                int scope = scope(byScope[i]);
                startGroup(i, j);
                for (int k = i; k < j; k++) {
                    out[k] = link(ctx(byScope[k]), scope);
                }
                endGroup(i, j);
            }
            i = j;
        }
        return out;
    }

    private void startGroup(int from, int to) {
        if (group == null) {
            group = new java.util.BitSet(s.nodeCount());
            oddContexts = oddContexts();
        }
        for (int i = from; i < to; i++) {
            group.set(ctx(byScope[i]));
        }
    }

    private void endGroup(int from, int to) {
        for (int i = from; i < to; i++) {
            group.clear(ctx(byScope[i]));
        }
    }

    /** The contexts of the scope group being searched. */
    private java.util.BitSet group;
    /** Context nodes that are neither objects nor strings (not in {@link #byScope}); null when there are none. */
    private java.util.BitSet oddContexts;

    private java.util.BitSet oddContexts() {
        java.util.BitSet odd = null;
        for (int v = 0, n = s.nodeCount(); v < n; v++) {
            if (s.nameIndex(v) == h.systemContext) {
                int t = s.type(v);
                if (t != NodeType.OBJECT && t != NodeType.STRING) {
                    if (odd == null) {
                        odd = new java.util.BitSet(n);
                    }
                    odd.set(v);
                }
            }
        }
        return odd;
    }

    /** A chain long enough to report: its head and links, chosen exactly as over the maps the report reads. */
    private int reportedChain(int from, int to, int scope) {
        Map<Integer, int[]> next = new HashMap<>();   // context -> {next context, first edge of the link}
        for (int i = from; i < to; i++) {
            int c = ctx(byScope[i]);
            if (linkNext[i - from] != -1) {
                next.put(c, new int[] {linkTarget[i - from]});
            }
        }
        Set<Integer> pointed = new HashSet<>();
        for (int[] nx : next.values()) {
            pointed.add(nx[0]);
        }
        int bestHead = -1;
        int bestLen = 0;
        for (int c : next.keySet()) {
            if (pointed.contains(c)) {
                continue;
            }
            int len = 1;
            Set<Integer> seen = new HashSet<>();
            for (int x = c; next.containsKey(x) && seen.add(x); x = next.get(x)[0]) {
                len++;
            }
            if (len > bestLen) {
                bestLen = len;
                bestHead = c;
            }
        }
        if (bestHead < 0 || bestLen < h.o.minChain()) {
            return -bestLen;
        }
        chainScopes.add(scope);
        Set<Integer> seen = new HashSet<>();
        for (int x = bestHead, i = 0; x >= 0 && i < bestLen && seen.add(x); i++) {
            chainMembers.add(x);
            int[] nx = next.get(x);
            x = nx == null ? -1 : nx[0];
        }
        startGroup(from, to);
        link(bestHead, scope);   // again, for its edges
        endGroup(from, to);
        pendingReports.add(new Object[] {bestHead, bestLen, scope, linkPath(), next});
        return bestLen;
    }

    // BFS state reused across calls: at most LINK_NODES nodes; membership by a per-search stamp (no allocation)
    private int[] bfsMark;
    private int bfsStamp;
    private final int[] bfsNode = new int[LINK_NODES];
    private final int[] bfsVia = new int[LINK_NODES];
    private final int[] bfsFrom = new int[LINK_NODES];
    private final int[] bfsDepth = new int[LINK_NODES];
    /** Where the last link found ends: the queue entry it leaves from and its last edge. */
    private int linkHead;
    private int linkEdge;

    /** The edges of the last link {@link #link} found, from the context to the next one. */
    private List<Integer> linkPath() {
        List<Integer> edges = new ArrayList<>();
        edges.add(linkEdge);
        for (int x = linkHead; bfsVia[x] >= 0; x = bfsFrom[x]) {
            edges.add(0, bfsVia[x]);
        }
        return edges;
    }

    /**
     * The next context of the same scope that context c leads to, or -1 (bounded BFS; {@link #linkPath}
     * gives the edges). {@link #group} holds the scope's contexts.
     */
    private int link(int c, int scope) {
        if (bfsMark == null) {
            bfsMark = new int[s.nodeCount()];
        }
        int stamp = ++bfsStamp;
        int count = 1;
        bfsMark[c] = stamp;
        bfsNode[0] = c;
        bfsVia[0] = -1;
        bfsFrom[0] = -1;
        bfsDepth[0] = 0;
        for (int head = 0; head < count; head++) {
            int v = bfsNode[head];
            if (bfsDepth[head] >= LINK_DEPTH) {
                continue;
            }
            for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                int t = s.edgeType(e);
                if (v == c ? !h.isVariable(e) : !(t == EdgeType.PROPERTY || t == EdgeType.ELEMENT
                        || t == EdgeType.CONTEXT || t == EdgeType.INTERNAL && s.edgeNameOrIndex(e) == h.context)) {
                    continue;
                }
                int to = s.edgeTo(e);
                // a context of this scope: one of the group (every object context with a ScopeInfo is in it;
                // the only one marked as seen is c itself, queued nodes are not of the group), or a context
                // node of another type, which the scan does not list (none in the snapshots seen so far)
                if (group.get(to)) {
                    if (to == c) {
                        continue;
                    }
                    linkHead = head;
                    linkEdge = e;
                    return to;
                }
                if (oddContexts != null && oddContexts.get(to) && h.internalEdge(to, h.scopeInfo) == scope) {
                    linkHead = head;
                    linkEdge = e;
                    return to;
                }
                if (count < LINK_NODES && bfsMark[to] != stamp) {
                    int tt = s.type(to);
                    if (tt != NodeType.OBJECT && tt != NodeType.CLOSURE) {
                        continue;
                    }
                    bfsMark[to] = stamp;
                    bfsNode[count] = to;
                    bfsVia[count] = e;
                    bfsFrom[count] = head;
                    bfsDepth[count] = bfsDepth[head] + 1;
                    count++;
                }
            }
        }
        return -1;
    }

    private void report(int head, int length, int scope, List<Integer> edges, Map<Integer, int[]> next, List<Finding> out) {
        String var = h.variableName(edges.get(0));
        StringBuilder seg = new StringBuilder();
        for (int e : edges) {
            seg.append(RetainerPath.edgeLabel(s, e));
        }
        // the closures that hold a context of the chain (they share it)
        Set<Integer> members = new HashSet<>();
        for (int x = head, i = 0; x >= 0 && i < length && members.add(x); i++) {
            int[] nx = next.get(x);
            x = nx == null ? -1 : nx[0];
        }
        Map<Integer, int[]> holders = closuresOf(members);
        long bytes = g.retainedSize(head);
        List<RetainerPath.Step> path = h.path(head);
        String fnName = scopeFunction(scope, head);
        int linkTarget = s.edgeTo(edges.get(0));
        List<Finding.Fact> facts = new ArrayList<>();
        facts.add(Finding.Fact.count("links", length));
        facts.add(Finding.Fact.text("scope", (fnName == null ? "a function's scope" : fnName + "()'s scope")
                + " (ScopeInfo @" + s.id(scope) + ")"));
        facts.add(Finding.Fact.text("linking variable", var + " → " + h.ref(linkTarget)));
        facts.add(Finding.Fact.text("link", seg + " → the next context"));
        List<String> fns = holderLines(holders);
        facts.add(Finding.Fact.list("held by", fns));
        facts.add(Finding.Fact.bytes("per link", bytes / Math.max(1, length)));
        List<Long> ids = new ArrayList<>();
        int x = head;
        for (int i = 0; i < 5 && x >= 0; i++) {
            ids.add(s.id(x));
            int[] nx = next.get(x);
            x = nx == null ? -1 : nx[0];
        }
        for (int m : members) {
            h.claimed.set(m);
        }
        int holder = holders.isEmpty() ? -1 : holders.values().iterator().next()[1];
        String title = "a chain of " + Heap.count(length) + " closure scopes of " + (fnName == null ? "one function"
                : fnName + "()") + ": each keeps the previous one alive through the variable " + Heap.q(var) + " ("
                + seg + ")";
        String fix = "Every call of " + (fnName == null ? "the function" : fnName + "()") + " creates a scope whose variable "
                + Heap.q(var) + " points at the previous result, and a closure created in the same call ("
                + (holder >= 0 ? h.label(holder) : "a function") + ") keeps that scope alive although it may never use "
                + Heap.q(var) + ": V8 gives all closures of one call a single shared context. Set " + Heap.q(var)
                + " = null when it is no longer needed, or move the closure that uses it out of that function.";
        out.add(new Finding("closure-chain", title, bytes, length, s.id(head), g.className(head), h.render(path), path,
                holder >= 0 ? h.locate(holder) : null, facts, ids, fix));
    }

    /** Closures (by SharedFunctionInfo) whose context is one of {@code contexts}: key -> {count, sample closure}. */
    private Map<Integer, int[]> closuresOf(Set<Integer> contexts) {
        holdersFor(contexts);   // a no-op when findChains asked for them already
        Map<Integer, int[]> out = new LinkedHashMap<>();
        for (int c : contexts) {
            Heap.IntList l = holders.get(c);
            for (int i = 0; i < l.size(); i++) {
                int v = l.get(i);
                int key = h.sharedInfo(v);
                int[] acc = out.computeIfAbsent(key >= 0 ? key : -2 - v, k -> new int[] {0, v});
                acc[0]++;
            }
        }
        return out;
    }

    private List<String> holderLines(Map<Integer, int[]> holders) {
        List<Map.Entry<Integer, int[]>> rows = new ArrayList<>(holders.entrySet());
        rows.sort((a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0]));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < rows.size() && i < 4; i++) {
            out.add(Heap.count(rows.get(i).getValue()[0]) + " × " + h.function(rows.get(i).getValue()[1]));
        }
        if (rows.isEmpty()) {
            out.add("(no live closure holds them directly)");
        }
        return out;
    }

    /**
     * The name of the function a scope belongs to. V8's ScopeInfo lists the scope's context-local names
     * and then the function's name (as hidden string slots): the last string that is not one of the
     * context's variables. Null when none.
     */
    String scopeFunction(int scopeInfo, int ctx) {
        Set<Integer> vars = new HashSet<>();
        for (int e = s.firstEdge(ctx), end = s.endEdge(ctx); e < end; e++) {
            if (s.edgeType(e) == EdgeType.CONTEXT) {
                vars.add(s.edgeNameOrIndex(e));
            }
        }
        String name = null;
        for (int e = s.firstEdge(scopeInfo), end = s.endEdge(scopeInfo); e < end; e++) {
            int t = s.edgeTo(e);
            if (s.type(t) == NodeType.STRING && s.edgeType(e) == EdgeType.HIDDEN) {
                // compare by text: variable names are edge names, the slot holds a string node
                String text = s.name(t);
                boolean isVar = false;
                for (int vi : vars) {
                    if (s.strings().get(vi).equals(text)) {
                        isVar = true;
                        break;
                    }
                }
                if (!isVar) {
                    name = text;
                }
            }
        }
        return name == null || name.isEmpty() ? null : name;
    }

    private String varName(int key) {
        return key >= 0 ? s.strings().get(key) : "(slot " + (-1 - key) + ")";
    }

    // ---- scopes that keep a lot alive ----

    void findScopes(List<Finding> out, List<String> checked) {
        long floor = h.o.minBytes();
        int candidates = 0;
        int reported = 0;
        long biggest = 0;
        for (int i = 0; i < byScope.length; ) {
            int j = i;
            while (j < byScope.length && scope(byScope[j]) == scope(byScope[i])) {
                j++;
            }
            int scope = scope(byScope[i]);
            long naive = 0;
            for (int k = i; k < j; k++) {
                naive += g.retainedSize(ctx(byScope[k]));
            }
            if (naive >= floor && !chainScopes.contains(scope) && !moduleLevel(ctx(byScope[i]))) {
                candidates++;
                long b = scopeGroup(i, j, out);
                biggest = Math.max(biggest, Math.abs(b));
                if (b > 0) {
                    reported++;
                }
            }
            i = j;
        }
        checked.add("closure scopes: " + Heap.count(byScope.length) + " contexts; " + candidates
                + " function scopes retain " + Heap.bytes(floor) + " or more before de-duplication; " + reported
                + " reported (threshold " + Heap.bytes(floor) + ", module scopes excluded)");
    }

    /**
     * At least what {@link #scopeGroup} counts for byScope[from..to): what the variables of every unclaimed
     * context hold on their own, unclaimed (scopeGroup counts only the contexts no other one dominates). It
     * only shrinks as findings claim nodes. A group below minBytes by it cannot be reported.
     */
    private long variablesBound(int from, int to) {
        long sum = 0;
        for (int k = from; k < to; k++) {
            int c = ctx(byScope[k]);
            if (h.claimed.get(c)) {
                continue;
            }
            for (int e = s.firstEdge(c), end = s.endEdge(c); e < end; e++) {
                if (!h.isVariable(e)) {
                    continue;
                }
                int t = s.edgeTo(e);
                if (g.idom(t) == c && !h.claimed.get(t)) {
                    sum += g.retainedSize(t);
                }
            }
        }
        return sum;
    }

    /** Reports one scope group if it holds enough that no earlier finding claimed; returns bytes, negative if not. */
    private long scopeGroup(int from, int to, List<Finding> out) {
        long bound = variablesBound(from, to);
        if (bound < h.o.minBytes()) {   // the least it must hold (internalFactor >= 1)
            return -bound;
        }
        Set<Integer> members = new HashSet<>();
        for (int k = from; k < to; k++) {
            int c = ctx(byScope[k]);
            if (!h.claimed.get(c)) {
                members.add(c);
            }
        }
        // top-level members: no other member among their dominators
        List<Integer> top = new ArrayList<>();
        for (int c : members) {
            boolean nested = false;
            int d = g.idom(c);
            for (int step = 0; step < 32 && d >= 0 && d != s.rootOrdinal(); step++) {
                if (members.contains(d)) {
                    nested = true;
                    break;
                }
                d = g.idom(d);
            }
            if (!nested) {
                top.add(c);
            }
        }
        // variables: what each holds on its own (dominated by the context), claimed parts left out
        Map<Integer, long[]> byVar = new HashMap<>();   // name index -> {bytes, count, sample target}
        long bytes = 0;
        for (int c : top) {
            for (int e = s.firstEdge(c), end = s.endEdge(c); e < end; e++) {
                if (!h.isVariable(e)) {
                    continue;
                }
                int t = s.edgeTo(e);
                if (g.idom(t) != c || h.claimed.get(t)) {
                    continue;
                }
                long r = g.retainedSize(t);
                // named variables by string index, unnamed slots by -1 - slot
                int key = s.edgeType(e) == EdgeType.CONTEXT ? s.edgeNameOrIndex(e) : -1 - s.edgeNameOrIndex(e);
                long[] acc = byVar.computeIfAbsent(key, k -> new long[] {0, 0, t});
                acc[0] += r;
                acc[1]++;
                bytes += r;
            }
        }
        Map<Integer, int[]> holders = closuresOf(new HashSet<>(top));
        int sampleClosure = -1;
        for (int[] v : holders.values()) {
            if (sampleClosure < 0) {
                sampleClosure = v[1];
            }
        }
        boolean internal = sampleClosure >= 0 && Boolean.TRUE.equals(h.ownCode(sampleClosure));
        long need = internal ? h.o.minBytes() * h.o.internalFactor() : h.o.minBytes();
        if (bytes < need || top.isEmpty()) {
            return -bytes;
        }
        int scope = scope(byScope[from]);
        int biggest = top.get(0);
        for (int c : top) {
            if (g.retainedSize(c) > g.retainedSize(biggest)) {
                biggest = c;
            }
        }
        String fnName = scopeFunction(scope, biggest);
        List<Map.Entry<Integer, long[]>> vars = new ArrayList<>(byVar.entrySet());
        vars.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        List<String> varLines = new ArrayList<>();
        for (int i = 0; i < vars.size() && i < 4; i++) {
            long[] v = vars.get(i).getValue();
            varLines.add(varName(vars.get(i).getKey()) + " → " + g.className((int) v[2]) + " ×" + Heap.count(v[1])
                    + " (" + Heap.bytes(v[0]) + ")");
        }
        String mainVar = vars.isEmpty() ? "?" : varName(vars.get(0).getKey());
        List<RetainerPath.Step> path = h.path(biggest);
        List<Finding.Fact> facts = new ArrayList<>();
        facts.add(Finding.Fact.text("scope", (fnName == null ? "a function's scope" : fnName + "()'s scope")
                + " (ScopeInfo @" + s.id(scope) + ")"));
        facts.add(Finding.Fact.count("contexts", top.size()));
        facts.add(Finding.Fact.list("variables", varLines));
        facts.add(Finding.Fact.list("held by", holderLines(holders)));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < top.size() && i < 5; i++) {
            ids.add(s.id(top.get(i)));
        }
        for (int c : top) {
            h.claimed.set(c);
        }
        String title = (top.size() == 1 ? "a closure scope of " : Heap.count(top.size()) + " closure scopes of ")
                + (fnName == null ? "one function" : fnName + "()") + " keep " + Heap.bytes(bytes) + " alive through "
                + Heap.q(mainVar) + (sampleClosure >= 0 ? ", held by " + h.label(sampleClosure) : "");
        String fix = "A function created in " + (fnName == null ? "that scope" : fnName + "()") + " is still reachable, so"
                + " its scope and every variable captured there stay alive (V8 shares one context among all closures of a"
                + " call). If " + Heap.q(mainVar) + " is not needed by the long-lived function, set it to null when done,"
                + " or create that function outside the scope that holds the data; if it is a cache, bound it.";
        out.add(new Finding("closure-scope", title, bytes, top.size(), s.id(biggest), g.className(biggest),
                h.render(path), path, sampleClosure >= 0 ? h.locate(sampleClosure) : null, facts, ids, fix));
        return bytes;
    }
}
