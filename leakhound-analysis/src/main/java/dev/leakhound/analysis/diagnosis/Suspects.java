package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.ClassSummary;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.core.graph.ClassIndex;
import dev.leakhound.core.graph.DominatedChildren;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotLocations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Leak suspects after Eclipse MAT's Leak Suspects report ({@code FindLeaksQuery}, {@code BigDropRatio}):
 *
 * <ul>
 * <li><b>Single suspects</b>: MAT takes the top-level dominators (children of the dominator tree's
 *     root) retaining at least the threshold. In a V8 heap the top of the dominator tree is the
 *     engine's (the global object, native contexts, module scopes, Node's timer lists), so the
 *     descent goes through such <em>transparent</em> nodes (V8-internal types, {@code system / *}
 *     objects, the user roots, and objects or functions of Node's own code) and stops at the first
 *     node of the application's that retains at least the threshold.</li>
 * <li><b>Accumulation point</b>: from a suspect, descend into the biggest dominated child (children
 *     are sorted biggest first) while it holds at least {@code bigDrop} (70%) of its parent.</li>
 * <li><b>Group suspects</b>: a class whose objects not dominated by another of its objects together
 *     retain at least the threshold (the class retained size of {@link ClassSummary}), limited to
 *     classes defined in application code (a member has a source position outside Node). Their
 *     accumulation point is the deepest node that at least {@code groupCover} (80%) of the objects'
 *     shortest paths from the roots share (MAT: merged shortest paths).</li>
 * </ul>
 * The threshold is max(suspectShare of the heap, minBytes). Iterative throughout.
 */
final class Suspects {
    static final int MAX_SUSPECTS = 10;
    /** Nodes the descent for single suspects visits at most. */
    static final int MAX_DESCENT_STEPS = 100_000;
    /** Steps of one member's shortest path looked at when merging paths. */
    static final int MAX_PATH_STEPS = 10_000;
    static final int GROUP_SAMPLE = 1000;
    static final int TOP_LEVEL_STEPS = 64;

    private Suspects() {}

    static List<Suspect> find(DiagnosisContext h, long threshold, List<ClassSummary.Row> classes) {
        List<Suspect> out = new ArrayList<>();
        singles(h, threshold, out);
        List<Suspect> groups = new ArrayList<>();
        groups(h, threshold, classes, groups);
        // a class suspect that accumulates where a single suspect does says nothing new
        Set<Long> points = new HashSet<>();
        for (Suspect s : out) {
            if (s.accumulation() != null) {
                points.add(s.accumulation().id());
            }
        }
        for (Suspect s : groups) {
            if (s.accumulation() == null || !points.contains(s.accumulation().id())) {
                out.add(s);
            }
        }
        out.sort((a, b) -> Long.compare(b.retainedBytes(), a.retainedBytes()));
        return out.size() > MAX_SUSPECTS ? new ArrayList<>(out.subList(0, MAX_SUSPECTS)) : out;
    }

    /** Nodes the descent looks through: the engine's and Node's own structures. */
    static boolean transparent(DiagnosisContext h, int v) {
        HeapSnapshot s = h.s;
        if (v == s.rootOrdinal()) {
            return true;
        }
        int t = s.type(v);
        if (t == NodeType.SYNTHETIC || t == NodeType.HIDDEN || t == NodeType.ARRAY || t == NodeType.CODE
                || t == NodeType.OBJECT_SHAPE || t == NodeType.NUMBER) {
            return true;
        }
        if (h.g.distance(v) == 1) {
            return true;   // a global object
        }
        if (h.v8.isSystemObject(v)) {
            return true;
        }
        Boolean own = h.locator.ownCode(v);
        return own != null && own;
    }

    /**
     * Functions and scopes the descent also looks through, but reports when nothing below them is big
     * enough: a function's retained size is its scope's variables, and a variable names the data better.
     */
    static boolean soft(DiagnosisContext h, int v) {
        return h.s.type(v) == NodeType.CLOSURE || h.v8.isContext(v);
    }

    private static void singles(DiagnosisContext h, long threshold, List<Suspect> out) {
        HeapGraph g = h.g;
        // children in any order (built on the second core beside the retained sizes); the few at or above the
        // threshold are sorted here, biggest first as in the sorted tree, instead of sorting every child list
        DominatedChildren ch = g.dominatedAnyOrder();
        int[] stack = new int[64];
        int sp = 0;
        stack[sp++] = h.s.rootOrdinal();
        int guard = 0;
        int[] big = new int[16];
        while (sp > 0 && out.size() < MAX_SUSPECTS && guard++ < MAX_DESCENT_STEPS) {
            int v = stack[--sp];
            boolean any = false;
            int nb = 0;
            for (int i = 0, k = ch.childCount(v); i < k; i++) {
                int c = ch.child(v, i);
                if (g.retainedSize(c) >= threshold) {
                    if (nb == big.length) {
                        big = Arrays.copyOf(big, nb * 2);
                    }
                    big[nb++] = c;
                }
            }
            sortBiggestFirst(g, big, nb);
            for (int i = 0; i < nb; i++) {
                int c = big[i];
                any = true;
                if (transparent(h, c) || soft(h, c)) {
                    if (sp == stack.length) {
                        stack = Arrays.copyOf(stack, sp * 2);
                    }
                    stack[sp++] = c;
                } else {
                    out.add(single(h, c));
                }
            }
            if (!any && v != h.s.rootOrdinal() && soft(h, v) && !transparent(h, v)) {
                int f = v;
                if (h.v8.isContext(v)) {
                    f = -1;   // report the function holding the scope, when it is the scope's dominator
                    int d = g.idom(v);
                    if (d >= 0 && h.s.type(d) == NodeType.CLOSURE && !transparent(h, d)) {
                        f = d;
                    }
                }
                if (f >= 0) {
                    out.add(single(h, f));
                }
            }
        }
    }

    private static Suspect single(DiagnosisContext h, int v) {
        HeapGraph g = h.g;
        List<RetainerPath.Step> path = h.path(v);
        int a = v;
        DominatedChildren ch = g.dominatedAnyOrder();
        while (ch.childCount(a) > 0) {
            int c = biggestChild(g, ch, a);
            if (g.retainedSize(c) < h.o.bigDrop() * g.retainedSize(a)) {
                break;
            }
            a = c;
        }
        return new Suspect(Suspect.Kind.OBJECT, h.s.id(v), g.className(v), h.label(v), 1, g.retainedSize(v), h.render(path),
                path, h.locator.of(v), accumulation(h, a, 0, 0));
    }

    /** Sorts {@code a[0..n)} as the sorted dominator tree orders children: bigger retained size, then smaller ordinal. */
    static void sortBiggestFirst(HeapGraph g, int[] a, int n) {
        for (int i = 1; i < n; i++) {   // insertion sort: a handful of nodes
            int x = a[i];
            int j = i - 1;
            while (j >= 0 && before(g, x, a[j])) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }

    private static boolean before(HeapGraph g, int x, int y) {
        long rx = g.retainedSize(x);
        long ry = g.retainedSize(y);
        return rx > ry || rx == ry && x < y;
    }

    /** The first child of {@code v} in the sorted dominator tree's order. */
    static int biggestChild(HeapGraph g, DominatedChildren ch, int v) {
        int best = ch.child(v, 0);
        for (int i = 1, k = ch.childCount(v); i < k; i++) {
            int c = ch.child(v, i);
            if (before(g, c, best)) {
                best = c;
            }
        }
        return best;
    }

    static Suspect.Accumulation accumulation(DiagnosisContext h, int a, int covered, int sampled) {
        HeapGraph g = h.g;
        DominatedChildren ch = g.dominatedAnyOrder();
        int k = ch.childCount(a);
        List<ClassShare> top = ClassShare.top(g, ch.childList(), ch.firstChild()[a], ch.firstChild()[a] + k, 3);
        List<RetainerPath.Step> path = h.path(a);
        return new Suspect.Accumulation(h.s.id(a), g.className(a), h.label(a), g.retainedSize(a), k, top, h.render(path),
                path, covered, sampled);
    }

    private static void groups(DiagnosisContext h, long threshold, List<ClassSummary.Row> classes, List<Suspect> out) {
        List<ClassSummary.Row> candidates = new ArrayList<>();
        for (ClassSummary.Row r : classes) {
            if (r.retainedSize() >= threshold && r.count() > 1) {
                candidates.add(r);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        Map<Integer, SourceLocator.Location> defined = definedInApplicationCode(h, candidates);
        if (defined.isEmpty()) {
            return;
        }
        TopLevel top = topLevelSamples(h, defined.keySet());
        for (ClassSummary.Row r : candidates) {
            int c = r.classId();
            if (!defined.containsKey(c)) {
                continue;
            }
            int members = top.counts[c][0];
            int sampled = Math.min(top.counts[c][1], GROUP_SAMPLE);
            if (members < 2 || sampled == 0) {
                continue;
            }
            int[] sample = top.samples[c];
            int[] point = mergedPathsPoint(h, sample, sampled);
            List<RetainerPath.Step> path = h.path(sample[0]);
            Suspect.Accumulation acc = point[0] < 0 ? null : accumulation(h, point[0], point[1], sampled);
            out.add(new Suspect(Suspect.Kind.CLASS, -1, r.name(), r.name(), members, r.retainedSize(), h.render(path), path,
                    defined.get(c), acc));
        }
    }

    /** The candidate classes defined in application code (a member has a source position outside Node), with that position. */
    private static Map<Integer, SourceLocator.Location> definedInApplicationCode(DiagnosisContext h,
                                                                                List<ClassSummary.Row> candidates) {
        HeapSnapshot s = h.s;
        ClassIndex ci = h.g.classes();
        Map<Integer, SourceLocator.Location> defined = new HashMap<>();
        Set<Integer> wanted = new HashSet<>();
        for (ClassSummary.Row r : candidates) {
            wanted.add(r.classId());
        }
        SnapshotLocations locs = s.locations();
        for (int i = 0, n = locs.size(); i < n && defined.size() < wanted.size(); i++) {
            int v = locs.node(i);
            int c = ci.classOf(v);
            if (s.type(v) != NodeType.OBJECT || !wanted.contains(c) || defined.containsKey(c)) {
                continue;
            }
            SourceLocator.Location l = h.locator.of(v);
            if (l != null && l.isUserCode()) {
                defined.put(c, l);
            }
        }
        return defined;
    }

    /** Per class: a sample of its top-level members and {members, sampled} counts. */
    private record TopLevel(int[][] samples, int[][] counts) {}

    /**
     * The top-level members of the classes (no other member on their dominator chain, looked at up to
     * {@value #TOP_LEVEL_STEPS} dominators up; a member of a linked structure finds its neighbour in one
     * step), and an even sample of {@value #GROUP_SAMPLE} of them (reservoir sampling, seeded so runs repeat).
     */
    private static TopLevel topLevelSamples(DiagnosisContext h, Set<Integer> classes) {
        HeapGraph g = h.g;
        ClassIndex ci = g.classes();
        int[][] samplesOf = new int[ci.classCount()][];
        int[][] countsOf = new int[ci.classCount()][];   // [members, sampled]
        for (int c : classes) {
            samplesOf[c] = new int[GROUP_SAMPLE];
            countsOf[c] = new int[2];
        }
        int[] classOf = ci.classOfArray();
        int[][] membersOf = members(h, classes);
        SplittableRandom rnd = new SplittableRandom(42);
        int root = h.s.rootOrdinal();
        for (int c : classes) {
            int[] cnt = countsOf[c];
            int[] smp = samplesOf[c];
            for (int x : membersOf[c]) {
                boolean nested = false;
                int d = g.idom(x);
                for (int step = 0; step < TOP_LEVEL_STEPS && d >= 0 && d != root; step++) {
                    if (classOf[d] == c) {
                        nested = true;
                        break;
                    }
                    d = g.idom(d);
                }
                if (nested) {
                    continue;
                }
                if (cnt[0] < GROUP_SAMPLE) {
                    smp[cnt[0]] = x;
                    cnt[1]++;
                } else {
                    int j = rnd.nextInt(cnt[0] + 1);
                    if (j < GROUP_SAMPLE) {
                        smp[j] = x;
                    }
                }
                cnt[0]++;
            }
        }
        return new TopLevel(samplesOf, countsOf);
    }

    /**
     * MAT's merged shortest paths: the deepest node on the sampled members' shortest paths that at least
     * {@code groupCover} of them pass through (more of them on ties). Returns {node, how many pass}; node -1 if none.
     */
    private static int[] mergedPathsPoint(DiagnosisContext h, int[] sample, int sampled) {
        HeapGraph g = h.g;
        Map<Integer, int[]> through = new HashMap<>();
        for (int i = 0; i < sampled; i++) {
            int v = sample[i];
            for (int step = 0; v >= 0 && v != h.s.rootOrdinal() && step < MAX_PATH_STEPS; step++) {
                through.computeIfAbsent(v, x -> new int[1])[0]++;
                v = g.pathParent(v);
            }
        }
        int need = (int) Math.ceil(h.o.groupCover() * sampled);
        int best = -1;
        int bestCount = 0;
        for (Map.Entry<Integer, int[]> e : through.entrySet()) {
            int v = e.getKey();
            int n = e.getValue()[0];
            if (n < need) {
                continue;
            }
            if (best < 0 || g.distance(v) > g.distance(best) || g.distance(v) == g.distance(best) && n > bestCount) {
                best = v;
                bestCount = n;
            }
        }
        return new int[] {best, bestCount};
    }

    /** Per class id of {@code classes}: its members with a non-zero size, in ordinal order (one pass over the nodes). */
    private static int[][] members(DiagnosisContext h, Set<Integer> classes) {
        int[] classOf = h.g.classes().classOfArray();
        int[][] lists = new int[h.g.classes().classCount()][];
        int[] sizes = new int[lists.length];
        for (int c : classes) {
            lists[c] = new int[16];
        }
        for (int v = 0, n = h.s.nodeCount(); v < n; v++) {
            int c = classOf[v];
            int[] l = lists[c];
            if (l != null && h.s.selfSize(v) > 0) {
                if (sizes[c] == l.length) {
                    l = Arrays.copyOf(l, l.length * 2);
                    lists[c] = l;
                }
                l[sizes[c]++] = v;
            }
        }
        for (int c : classes) {
            lists[c] = Arrays.copyOf(lists[c], sizes[c]);
        }
        return lists;
    }
}
