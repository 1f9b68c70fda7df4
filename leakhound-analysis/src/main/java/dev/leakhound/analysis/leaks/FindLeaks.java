package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.paths.Repeats;
import dev.leakhound.analysis.diff.SameProcessCheck;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.SnapshotParser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Finds what a growing process leaks, from two or more snapshots of it taken over time.
 *
 * <ol>
 * <li><b>Candidates</b> (DevTools' and memlab's "allocated between" rule): objects of the last
 *     snapshot whose id is above the first snapshot's largest JS object id; with three or more
 *     snapshots, also at most the second-to-last snapshot's largest id, so each candidate has
 *     survived at least one whole interval (short-lived garbage cannot).</li>
 * <li><b>Leak roots</b>: on the shortest-path (BFS) tree of the last snapshot, the topmost
 *     user-visible candidate of each branch (objects, closures, strings, native memory; V8's
 *     internal arrays, scopes and shapes are looked through). Every candidate below a leak root is
 *     attributed to it, so each new byte counts once.</li>
 * <li><b>Groups</b>: leak roots whose paths read the same once indexes, Map slots and dictionary
 *     keys are collapsed, and that have the same class.</li>
 * <li><b>Accumulation point</b>: for a group's representative, the nearest object above it that
 *     is older than the first snapshot and not a V8 internal (the Array, Map, emitter, scope...).
 *     In every snapshot, that object is found by id and the path from it to the leaked objects is
 *     followed again, giving the count and bytes it holds over time.</li>
 * <li><b>Verdict</b>: a group is a leak when it keeps growing at every step (count, or bytes by a
 *     clear margin) and its growth passes the thresholds; a full bounded cache, for example, turns
 *     over (new objects) without growing and is dismissed.</li>
 * </ol>
 */
public final class FindLeaks {

    /** Thresholds; the defaults work on real processes (see the README). */
    public record Options(long minBytes, long minCount, int maxLeaks, double bytesOnlyGrowth) {
        public static Options defaults() {
            return new Options(64 * 1024, 5, 10, 0.10);
        }
    }

    private static final int DICTIONARY_KEYS = 64;

    private FindLeaks() {}

    public static LeakReport run(List<Path> files, Options options, ProgressListener progress) {
        if (files.size() < 2) {
            throw new LeakhoundException("find-leaks needs at least two snapshots of the same process, taken some time apart");
        }
        long t0 = System.nanoTime();
        HeapSnapshot[] snaps = parseAll(files, progress);
        return analyze(snaps, options, progress, t0);
    }

    /** Parses the files, two at a time (the machine's cores permitting). */
    static HeapSnapshot[] parseAll(List<Path> files, ProgressListener progress) {
        int k = files.size();
        HeapSnapshot[] out = new HeapSnapshot[k];
        int threads = Math.min(k, Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "parse");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<HeapSnapshot>> fs = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                Path p = files.get(i);
                boolean report = i == k - 1;
                fs.add(pool.submit(() -> SnapshotParser.read(p, report ? progress : ProgressListener.NONE)));
            }
            for (int i = 0; i < k; i++) {
                try {
                    out[i] = fs.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    if (e.getCause() instanceof Error er) {
                        throw er;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LeakhoundException("interrupted");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    public static LeakReport analyze(HeapSnapshot[] snaps, Options o, ProgressListener progress, long t0) {
        int k = snaps.length;
        long[] maxId = new long[k];
        List<LeakReport.SnapshotInfo> infos = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            maxId[i] = snaps[i].maxJsObjectId();
            infos.add(new LeakReport.SnapshotInfo(name(snaps[i]), snaps[i].nodeCount(), snaps[i].totalSelfSize(), maxId[i]));
        }
        checkSameProcess(snaps, maxId);

        HeapSnapshot last = snaps[k - 1];
        progress.progress("finding leaks", 0);
        HeapGraph g = HeapGraph.buildWithoutDominators(last, progress);
        long firstMax = maxId[0];
        long survivedMax = k >= 3 ? maxId[k - 2] : Long.MAX_VALUE;
        int n = last.nodeCount();

        // candidates and leak roots on the BFS tree
        boolean[] cand = new boolean[n];
        for (int v = 0; v < n; v++) {
            long id = last.id(v);
            cand[v] = (id & 1) == 1 && id > firstMax && id <= survivedMax;
        }
        int[] top = new int[n];
        Arrays.fill(top, -1);
        int[] order = g.bfsOrder();
        for (int v : order) {
            int p = g.pathParent(v);
            int above = p < 0 ? -1 : top[p];
            top[v] = above >= 0 ? above : (cand[v] && significant(last, v) ? v : -1);
        }
        // attribute new bytes and same-class counts to leak roots
        long[] rootBytes = new long[n];
        long[] rootNative = new long[n];
        int[] rootCount = new int[n];
        int[] classOf = g.classes().classOfArray();
        for (int v : order) {
            int r = top[v];
            if (r >= 0 && cand[v]) {
                rootBytes[r] += last.selfSize(v);
                if (last.type(v) == NodeType.NATIVE) {
                    rootNative[r] += last.selfSize(v);
                }
                if (classOf[v] == classOf[r]) {
                    rootCount[r]++;
                }
            }
        }
        // group leak roots by normalized path + class
        PathKeys keys = new PathKeys(g);
        Map<String, Group> groups = new LinkedHashMap<>();
        for (int v : order) {
            if (top[v] != v) {
                continue;
            }
            String key = keys.key(v) + " -> " + g.className(v);
            Group gr = groups.computeIfAbsent(key, kk -> new Group());
            gr.roots++;
            gr.bytes += rootBytes[v];
            gr.nativeBytes += rootNative[v];
            gr.count += rootCount[v];
            if (gr.representative < 0 || rootBytes[v] > rootBytes[gr.representative]) {
                gr.representative = v;
            }
        }
        List<Group> ranked = new ArrayList<>(groups.values());
        ranked.sort((a, b) -> Long.compare(b.bytes, a.bytes));

        // measure the biggest groups in every snapshot through their accumulation points
        int measure = Math.min(ranked.size(), Math.max(o.maxLeaks() * 2, 12));
        List<Group> measured = new ArrayList<>();
        for (int i = 0; i < measure; i++) {
            Group gr = ranked.get(i);
            if (gr.bytes < o.minBytes() / 4) {
                break;
            }
            locateContainer(g, gr, cand, firstMax, keys);
            measured.add(gr);
        }
        for (Group gr : measured) {
            gr.counts = new long[k];
            gr.bytesPer = new long[k];
        }
        for (int i = 0; i < k; i++) {
            HeapGraph gi = i == k - 1 ? g : HeapGraph.buildWithoutDominators(snaps[i], ProgressListener.NONE);
            Measure.of(gi, measured, i);
            if (i < k - 1) {
                snaps[i] = null;   // no longer needed: let it go
            }
            progress.progress("finding leaks", (i + 1.0) / k);
        }

        // verdicts, explanations
        SourceLocator locator = new SourceLocator(g);
        for (Group gr : measured) {
            gr.containerPath = RetainerPath.shortest(g, gr.container);
        }
        Map<Integer, List<Integer>> scopeOwners = Group.scopeOwners(last, measured);
        List<LeakReport.Leak> leaks = new ArrayList<>();
        List<LeakReport.Leak> dismissed = new ArrayList<>();
        for (Group gr : measured) {
            String reason = judge(gr, o);
            Explain.Result ex = Explain.of(g, locator, gr, keys, cand);
            LeakReport.Leak leak = new LeakReport.Leak(0, ex.summary(), ex.pattern(), ex.culprit(), g.className(gr.representative),
                    gr.bytesPer[k - 1], gr.counts[k - 1], gr.bytesPer[k - 1] - gr.bytesPer[0], gr.bytes, gr.count,
                    gr.counts, gr.bytesPer, gr.containerInfo(g, keys, locator, scopeOwners), ex.path(), ex.pathText(),
                    ex.location(), ex.hint(), reason);
            if (reason == null) {
                leaks.add(leak);
            } else if (reason != null && dismissed.size() < 5) {
                dismissed.add(leak);
            }
        }
        leaks.sort((a, b) -> Long.compare(Math.max(b.growthBytes(), b.newBytes()), Math.max(a.growthBytes(), a.newBytes())));
        // rank every leak, then keep the first maxLeaks
        List<LeakReport.Leak> rankedLeaks = new ArrayList<>();
        for (int i = 0; i < Math.min(leaks.size(), o.maxLeaks()); i++) {
            LeakReport.Leak l = leaks.get(i);
            rankedLeaks.add(new LeakReport.Leak(i + 1, l.summary(), l.pattern(), l.culprit(), l.leakedClass(),
                    l.retainedBytes(), l.count(), l.growthBytes(), l.newBytes(), l.newCount(), l.countsPerSnapshot(),
                    l.bytesPerSnapshot(), l.container(), l.path(), l.pathText(), l.location(), l.hint(), null));
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new LeakReport(!rankedLeaks.isEmpty(), infos, rankedLeaks, dismissed, ms);
    }

    private static String name(HeapSnapshot s) {
        return s.source() == null ? "(memory)" : s.source().toString();
    }

    /** Ids are only stable within one process: snapshots of two processes share few of them. */
    static void checkSameProcess(HeapSnapshot[] snaps, long[] maxId) {
        for (int i = 1; i < snaps.length; i++) {
            if (maxId[i] < maxId[i - 1]) {
                throw new LeakhoundException(name(snaps[i]) + " was taken before " + name(snaps[i - 1])
                        + " (its object ids are older); give the snapshots in the order they were taken");
            }
        }
        HeapSnapshot a = snaps[0];
        HeapSnapshot b = snaps[snaps.length - 1];
        // Shared ids must keep naming the same objects (two runs of one program share most ids, but
        // not their meaning). How many ids are shared is not required to be high: a process whose heap
        // turned over between the snapshots legitimately shares few.
        SameProcessCheck.Result same = SameProcessCheck.of(a, b);
        if (!same.idsAgree() || same.sharedIds() < Math.max(1, Math.min(1000, same.smallerNodeCount() / 100))) {
            String why = same.problem(name(a), name(b));
            throw new LeakhoundException(why != null ? why : name(a) + " and " + name(b)
                    + " do not look like snapshots of one process: they share only " + same.sharedIds() + " object ids");
        }
    }

    /** User-visible objects can be leak roots; V8's internal arrays, scopes and shapes are looked through. */
    static boolean significant(HeapSnapshot s, int v) {
        int t = s.type(v);
        switch (t) {
            case NodeType.OBJECT:
                return !s.strings().startsWithAscii(s.nameIndex(v), "system / ");
            case NodeType.CLOSURE:
            case NodeType.STRING:
            case NodeType.CONCATENATED_STRING:
            case NodeType.SLICED_STRING:
            case NodeType.NATIVE:
            case NodeType.REGEXP:
            case NodeType.NUMBER:
            case NodeType.SYMBOL:
            case NodeType.BIGINT:
                return true;
            default:
                return false;
        }
    }

    /** Whether a node existed before the first snapshot (embedder nodes, with even ids, count as old). */
    static boolean isOld(HeapSnapshot s, int v, long firstMax) {
        long id = s.id(v);
        return (id & 1) == 0 || id <= firstMax;
    }

    private static void locateContainer(HeapGraph g, Group gr, boolean[] cand, long firstMax, PathKeys keys) {
        HeapSnapshot s = g.snapshot();
        int v = gr.representative;
        List<Integer> below = new ArrayList<>();   // edges from the container down to the leak root
        int c = v;
        while (true) {
            int e = g.pathEdge(c);
            int p = g.pathParent(c);
            if (e < 0 || p < 0) {
                break;
            }
            below.add(e);
            c = p;
            // an older element of the same chain (a linked list's node) is not where things accumulate
            boolean sameChain = g.classes().classOf(c) == g.classes().classOf(v);
            if (c == s.rootOrdinal() || (!cand[c] && isOld(s, c, firstMax) && significant(s, c) && !sameChain)
                    || (isOld(s, c, firstMax) && s.strings().equalsAscii(s.nameIndex(c), "system / Context"))) {
                break;
            }
        }
        Collections.reverse(below);
        gr.container = c;
        gr.patternEdges = below;
        gr.containerId = s.id(c);
        gr.leakClass = g.className(v);
        List<String> labels = new ArrayList<>();
        for (int e : below) {
            labels.add(keys.label(s.edgeFrom(e), e));
        }
        gr.patternLabels = labels;
        gr.pattern = Repeats.collapse(labels, 2);
    }

    /** Null when the group is a leak, else why not. */
    static String judge(Group gr, Options o) {
        long[] c = gr.counts;
        long[] b = gr.bytesPer;
        int k = c.length;
        if (gr.bytes < o.minBytes()) {
            return "only " + gr.bytes + " new bytes (threshold " + o.minBytes() + ")";
        }
        boolean countGrows = true;
        boolean bytesGrow = true;
        for (int i = 1; i < k; i++) {
            countGrows &= c[i] > c[i - 1];
            bytesGrow &= b[i] > b[i - 1] * (1 + o.bytesOnlyGrowth() / (k - 1)) && b[i] > b[i - 1];
        }
        if (countGrows) {
            if (c[k - 1] - c[0] < o.minCount()) {
                return "grew by only " + (c[k - 1] - c[0]) + " objects (threshold " + o.minCount() + ")";
            }
            return null;
        }
        if (bytesGrow && b[k - 1] - b[0] >= o.minBytes()) {
            return null;
        }
        return "does not keep growing: count " + Arrays.toString(c) + ", bytes " + Arrays.toString(b)
                + " (objects are replaced, not accumulated)";
    }

    /** One group of leak roots. */
    static final class Group {
        int roots;
        long bytes;
        long nativeBytes;
        /** Ids of the members at the first snapshot, and how many of them are still members at the last. */
        long[] firstMemberIds;
        long firstMembersKept = -1;
        long count;
        int representative = -1;
        int container = -1;
        List<Integer> patternEdges = List.of();
        long containerId;
        String leakClass;
        List<String> patternLabels = List.of();
        /** Shortest path from the roots to the container (set before the groups are explained). */
        List<RetainerPath.Step> containerPath = List.of();
        /** The path from the accumulation point to the leaked objects, repeats folded. */
        List<Repeats.Unit> pattern = List.of();
        long[] counts;
        long[] bytesPer;

        LeakReport.Container containerInfo(HeapGraph g, PathKeys keys, SourceLocator locator,
                                           Map<Integer, List<Integer>> scopeOwners) {
            HeapSnapshot s = g.snapshot();
            return new LeakReport.Container(s.id(container), g.className(container), RetainerPath.render(g, containerPath),
                    keys.pattern(patternEdges), scope(g, locator, containerPath, scopeOwners));
        }

        /** The closure scope (Context) a container is a variable of, or -1 when it is not one. */
        int scopeContext(HeapSnapshot s) {
            List<RetainerPath.Step> p = containerPath;
            if (p.size() < 2 || s.edgeType(p.get(p.size() - 1).edge()) != EdgeType.CONTEXT) {
                return -1;
            }
            return p.get(p.size() - 2).node();
        }

        /**
         * For the groups' closure scopes, the functions whose internal "context" link points at each, in
         * edge order: one pass over the edges for all groups.
         */
        static Map<Integer, List<Integer>> scopeOwners(HeapSnapshot s, List<Group> groups) {
            Map<Integer, List<Integer>> owners = new HashMap<>();
            for (Group gr : groups) {
                int ctx = gr.scopeContext(s);
                if (ctx >= 0) {
                    owners.put(ctx, new ArrayList<>());
                }
            }
            if (owners.isEmpty()) {
                return owners;
            }
            java.util.BitSet wanted = new java.util.BitSet(s.nodeCount());
            owners.keySet().forEach(wanted::set);
            for (int v = 0, n = s.nodeCount(); v < n; v++) {
                if (s.type(v) != NodeType.CLOSURE) {
                    continue;
                }
                for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                    int to = s.edgeTo(e);
                    if (wanted.get(to) && s.edgeType(e) == EdgeType.INTERNAL
                            && s.strings().equalsAscii(s.edgeNameOrIndex(e), "context")) {
                        owners.get(to).add(v);
                    }
                }
            }
            return owners;
        }

        /** When the container is a closure variable: which script's function scope holds it. */
        String scope(HeapGraph g, SourceLocator locator, List<RetainerPath.Step> p, Map<Integer, List<Integer>> owners) {
            int ctx = scopeContext(g.snapshot());
            if (ctx < 0) {
                return null;
            }
            String variable = p.get(p.size() - 1).edgeName();
            List<String> names = new ArrayList<>();
            String url = null;
            for (int fn : owners.getOrDefault(ctx, List.of())) {
                names.add(RetainerPath.label(g, fn));
                if (url == null) {
                    url = locator.scriptOfClosure(fn);
                }
            }
            if (url != null && !url.isEmpty()) {
                String fns = names.size() == 1 ? names.get(0)
                        : String.join(", ", names.subList(0, Math.min(3, names.size())))
                                + (names.size() > 3 ? " and " + (names.size() - 3) + " more" : "");
                return "variable `" + variable + "` in " + url + " (in the scope of " + fns + ")";
            }
            return "variable `" + variable + "` of a closure scope";
        }
    }

    /** Normalized path keys: indexes, Map slots and dictionary keys collapsed. */
    static final class PathKeys {
        private final HeapGraph g;
        private final HeapSnapshot s;
        private final Map<Integer, Boolean> dictionary = new HashMap<>();
        private final Map<Integer, String> cache = new HashMap<>();

        PathKeys(HeapGraph g) {
            this.g = g;
            this.s = g.snapshot();
        }

        String key(int v) {
            List<String> parts = new ArrayList<>();
            int c = v;
            while (true) {
                int e = g.pathEdge(c);
                int p = g.pathParent(c);
                if (e < 0 || p < 0) {
                    break;
                }
                parts.add(label(p, e));
                c = p;
            }
            Collections.reverse(parts);
            return Repeats.key(parts);
        }

        String pattern(List<Integer> edges) {
            List<String> parts = new ArrayList<>();
            for (int e : edges) {
                parts.add(label(s.edgeFrom(e), e));
            }
            return Repeats.key(parts);
        }

        /** The normalized label of edge e leaving node from. */
        String label(int from, int e) {
            int t = s.edgeType(e);
            switch (t) {
                case EdgeType.ELEMENT:
                    return "[*]";
                case EdgeType.HIDDEN:
                    return "{#*}";
                case EdgeType.PROPERTY:
                    if (isDictionary(from)) {
                        return "[*]";
                    }
                    // Node's timer lists are doubly linked: either direction is the same list
                    if (s.strings().equalsAscii(s.edgeNameOrIndex(e), "_idlePrev")) {
                        return "._idleNext";
                    }
                    return cached(e);
                case EdgeType.INTERNAL: {
                    int name = s.edgeNameOrIndex(e);
                    String text = cache.get(name);
                    if (text == null) {
                        String raw = s.strings().get(name);
                        text = raw.isEmpty() || Character.isDigit(raw.charAt(0)) ? "{*}" : RetainerPath.edgeLabel(s, e);
                        cache.put(name, text);
                    }
                    return text;
                }
                case EdgeType.SHORTCUT:
                    return s.name(s.edgeTo(e)).isEmpty() ? "{root}" : "{" + s.name(s.edgeTo(e)) + "}";
                default:
                    return cached(e);
            }
        }

        private String cached(int e) {
            int key = (s.edgeType(e) << 28) ^ s.edgeNameOrIndex(e);
            return cache.computeIfAbsent(-1 - (key & 0x7FFFFFFF), k -> RetainerPath.edgeLabel(s, e));
        }

        /** An object with many named properties is used as a dictionary: its keys are data. */
        boolean isDictionary(int node) {
            return dictionary.computeIfAbsent(node, v -> {
                int props = 0;
                for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                    if (s.edgeType(e) == EdgeType.PROPERTY && ++props > DICTIONARY_KEYS) {
                        return true;
                    }
                }
                return false;
            });
        }
    }
}
