package dev.leakhound.analysis.diff;

import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The primitive-array implementations against naive ones written with hash maps and sets, straight
 * from the definitions, on random snapshot pairs with shared, added, removed and re-classed ids,
 * zero-size nodes, weak edges and unreachable nodes.
 */
class DiffPropertyTest {
    static final int[] TYPES = {NodeType.OBJECT, NodeType.OBJECT, NodeType.OBJECT, NodeType.CLOSURE, NodeType.STRING,
        NodeType.HIDDEN, NodeType.ARRAY, NodeType.NATIVE, NodeType.CODE, NodeType.CONCATENATED_STRING, NodeType.NUMBER,
        NodeType.REGEXP, NodeType.SYNTHETIC, NodeType.SYMBOL};
    static final String[] NAMES = {"A", "B", "Function", "Zed", "apple", "(string)", "x"};
    static final String[] TYPE_NAMES = {"hidden", "array", "string", "object", "code", "closure", "regexp", "number",
        "native", "synthetic", "concatenated string", "sliced string", "symbol", "bigint", "object shape", "wasm object"};

    /** One node of a generated snapshot. */
    record N(long id, int type, String name, long size) {}

    /** A generated pair: nodes and edges ({from, to, weak?}) of each side. */
    record Pair(List<N> before, List<int[]> beforeEdges, List<N> after, List<int[]> afterEdges) {
        HeapSnapshot build(boolean first) {
            SnapshotBuilder b = new SnapshotBuilder();
            for (N n : first ? before : after) {
                b.node(n.type(), n.name(), n.id(), n.size());
            }
            for (int[] e : first ? beforeEdges : afterEdges) {
                if (e[2] == 1) {
                    b.edge(e[0], EdgeType.WEAK, "w", e[1]);
                } else {
                    b.edge(e[0], EdgeType.PROPERTY, "p", e[1]);
                }
            }
            return b.build();
        }
    }

    /**
     * The seeds of the tries: the same on every run, {@code -Dleakhound.seed=S} replays the single seed S and
     * {@code -Dleakhound.seedBase=B} derives another sequence. Each try's seed is in its name and failure message.
     */
    static LongStream seeds(String property, int count) {
        Long only = Long.getLong("leakhound.seed");
        if (only != null) {
            return LongStream.of(only);
        }
        long[] edge = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE};
        Random r = new Random(Long.getLong("leakhound.seedBase", 0x6c65616b686f756eL) ^ property.hashCode());
        return LongStream.range(0, count).map(i -> i < edge.length ? edge[(int) i] : r.nextLong());
    }

    static LongStream comparisonSeeds() {
        return seeds("diff-comparison", 500);
    }

    static LongStream memwatchSeeds() {
        return seeds("diff-memwatch", 500);
    }

    static LongStream sameProcessSeeds() {
        return seeds("diff-same-process", 300);
    }

    /** The pair a seed stands for: 1 to 80 ids, then everything else from the same generator. */
    static Pair pair(long seed) {
        Random rnd = new Random(seed);
        return generate(1 + rnd.nextInt(80), rnd);
    }

    /** Runs a property on the pair of {@code seed}; a failure names the seed and how to replay it. */
    static void check(long seed, java.util.function.Consumer<Pair> property) {
        try {
            property.accept(pair(seed));
        } catch (Throwable t) {
            throw new AssertionError("failed with seed " + seed + " (replay it alone with -Dleakhound.seed=" + seed
                    + "): " + t, t);
        }
    }

    static Pair generate(int n, Random rnd) {
        List<N> before = new ArrayList<>();
        List<N> after = new ArrayList<>();
        before.add(new N(1, NodeType.SYNTHETIC, "", 0));
        after.add(new N(1, NodeType.SYNTHETIC, "", 0));
        for (int i = 0; i < n; i++) {
            long id = 3 + 2L * i;
            N node = randomNode(id, rnd);
            int fate = rnd.nextInt(10);
            if (fate < 3) {                 // only before: freed
                before.add(node);
            } else if (fate < 6) {          // only after: allocated
                after.add(node);
            } else if (fate < 9) {          // both, maybe grown
                before.add(node);
                after.add(new N(id, node.type(), node.name(), rnd.nextInt(4) == 0 ? rnd.nextInt(200) : node.size()));
            } else {                        // both, but a different kind of object
                before.add(node);
                after.add(randomNode(id, rnd));
            }
        }
        java.util.Collections.shuffle(before.subList(1, before.size()), rnd);
        java.util.Collections.shuffle(after.subList(1, after.size()), rnd);
        return new Pair(before, edges(before.size(), rnd), after, edges(after.size(), rnd));
    }

    static N randomNode(long id, Random rnd) {
        int t = TYPES[rnd.nextInt(TYPES.length)];
        long size = rnd.nextInt(5) == 0 ? 0 : 1 + rnd.nextInt(300);
        if (rnd.nextInt(40) == 0) {
            size = 3_000_000_000L + rnd.nextInt(1000);
        }
        return new N(id, t, NAMES[rnd.nextInt(NAMES.length)], size);
    }

    static List<int[]> edges(int n, Random rnd) {
        List<int[]> e = new ArrayList<>();
        int m = rnd.nextInt(2 * n + 1);
        for (int i = 0; i < m; i++) {
            int from = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(n);
            e.add(new int[] {from, rnd.nextInt(n), rnd.nextInt(5) == 0 ? 1 : 0});
        }
        return e;
    }

    // ---- naive references ----

    static String naiveClass(N n) {
        switch (n.type()) {
            case NodeType.OBJECT:
            case NodeType.NATIVE:
                return n.name();
            case NodeType.HIDDEN: return "(system)";
            case NodeType.CODE: return "(compiled code)";
            case NodeType.CLOSURE: return "Function";
            case NodeType.REGEXP: return "RegExp";
            default: return "(" + TYPE_NAMES[n.type()] + ")";
        }
    }

    /** class -> id -> self size, nodes of size 0 left out. */
    static Map<String, Map<Long, Long>> byClass(List<N> nodes) {
        Map<String, Map<Long, Long>> m = new HashMap<>();
        for (N n : nodes) {
            if (n.size() != 0) {
                m.computeIfAbsent(naiveClass(n), k -> new HashMap<>()).put(n.id(), n.size());
            }
        }
        return m;
    }

    static List<DiffResult.ClassDelta> naiveComparison(Pair p) {
        Map<String, Map<Long, Long>> b = byClass(p.before());
        Map<String, Map<Long, Long>> a = byClass(p.after());
        Set<String> all = new TreeSet<>(b.keySet());
        all.addAll(a.keySet());
        List<DiffResult.ClassDelta> out = new ArrayList<>();
        for (String c : all) {
            Map<Long, Long> x = b.getOrDefault(c, Map.of());
            Map<Long, Long> y = a.getOrDefault(c, Map.of());
            long nw = 0;
            long del = 0;
            long alloc = 0;
            long freed = 0;
            for (var e : y.entrySet()) {
                if (!x.containsKey(e.getKey())) {
                    nw++;
                    alloc += e.getValue();
                }
            }
            for (var e : x.entrySet()) {
                if (!y.containsKey(e.getKey())) {
                    del++;
                    freed += e.getValue();
                }
            }
            long bb = x.values().stream().mapToLong(Long::longValue).sum();
            long ab = y.values().stream().mapToLong(Long::longValue).sum();
            out.add(new DiffResult.ClassDelta(c, x.size(), y.size(), bb, ab, nw, del, alloc, freed));
        }
        return out;
    }

    static Set<Long> naiveReachable(List<N> nodes, List<int[]> edges) {
        Map<Integer, List<Integer>> adj = new HashMap<>();
        for (int[] e : edges) {
            adj.computeIfAbsent(e[0], k -> new ArrayList<>()).add(e[1]);
        }
        Set<Integer> seen = new HashSet<>();
        ArrayDeque<Integer> todo = new ArrayDeque<>();
        todo.add(0);
        seen.add(0);
        while (!todo.isEmpty()) {
            for (int w : adj.getOrDefault(todo.poll(), List.of())) {
                if (seen.add(w)) {
                    todo.add(w);
                }
            }
        }
        Set<Long> ids = new HashSet<>();
        for (int v : seen) {
            ids.add(nodes.get(v).id());
        }
        return ids;
    }

    static String naiveWhat(N n) {
        switch (n.type()) {
            case NodeType.ARRAY: return "Array";
            case NodeType.STRING: return "String";
            case NodeType.OBJECT: return n.name();
            case NodeType.CODE: return "Code";
            case NodeType.CLOSURE: return "Closure";
            case NodeType.REGEXP: return "RegExp";
            case NodeType.NUMBER: return "Number";
            case NodeType.NATIVE: return "Native";
            default: return null;
        }
    }

    // ---- properties ----

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("comparisonSeeds")
    void comparisonMatchesNaiveHashMapVersion(long seed) {
        check(seed, DiffPropertyTest::comparisonMatches);
    }

    private static void comparisonMatches(Pair p) {
        HeapSnapshot b = p.build(true);
        HeapSnapshot a = p.build(false);
        DiffResult r = SnapshotDiff.compare(b, a, SameProcessCheck.of(b, a), List.of());
        List<DiffResult.ClassDelta> naive = naiveComparison(p);
        List<DiffResult.ClassDelta> changed = naive.stream().filter(DiffResult.ClassDelta::changed).toList();
        assertThat(r.classes()).containsExactlyInAnyOrderElementsOf(changed);
        for (int i = 1; i < r.classes().size(); i++) {
            assertThat(r.classes().get(i - 1).deltaBytes()).isGreaterThanOrEqualTo(r.classes().get(i).deltaBytes());
        }
        for (DiffResult.ClassDelta d : r.classes()) {
            assertThat(d.countAfter() - d.countBefore()).isEqualTo(d.deltaCount());
        }
        long[] t = new long[8];
        for (DiffResult.ClassDelta d : naive) {
            t[0] += d.countBefore();
            t[1] += d.countAfter();
            t[2] += d.bytesBefore();
            t[3] += d.bytesAfter();
            t[4] += d.newCount();
            t[5] += d.deletedCount();
            t[6] += d.allocatedBytes();
            t[7] += d.freedBytes();
        }
        assertThat(r.totals()).isEqualTo(new DiffResult.ClassDelta("total", t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]));
        assertThat(r.classCount()).isEqualTo(naiveClassNames(p).size());
    }

    static Set<String> naiveClassNames(Pair p) {
        Set<String> s = new HashSet<>();
        for (N n : p.before()) {
            s.add(naiveClass(n));
        }
        for (N n : p.after()) {
            s.add(naiveClass(n));
        }
        return s;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("memwatchSeeds")
    void memwatchMatchesNaiveSetVersion(long seed) {
        check(seed, DiffPropertyTest::memwatchMatches);
    }

    private static void memwatchMatches(Pair p) {
        Set<Long> rb = naiveReachable(p.before(), p.beforeEdges());
        Set<Long> ra = naiveReachable(p.after(), p.afterEdges());
        Map<Long, N> byIdB = new HashMap<>();
        p.before().forEach(n -> byIdB.put(n.id(), n));
        Map<Long, N> byIdA = new HashMap<>();
        p.after().forEach(n -> byIdA.put(n.id(), n));
        long sizeB = rb.stream().mapToLong(id -> byIdB.get(id).size()).sum();
        long sizeA = ra.stream().mapToLong(id -> byIdA.get(id).size()).sum();
        TreeMap<String, long[]> details = new TreeMap<>();
        long freed = 0;
        long allocated = 0;
        for (long id : rb) {
            if (!ra.contains(id)) {
                freed++;
                String w = naiveWhat(byIdB.get(id));
                if (w != null) {
                    long[] d = details.computeIfAbsent(w, k -> new long[3]);
                    d[0] -= byIdB.get(id).size();
                    d[2]++;
                }
            }
        }
        for (long id : ra) {
            if (!rb.contains(id)) {
                allocated++;
                String w = naiveWhat(byIdA.get(id));
                if (w != null) {
                    long[] d = details.computeIfAbsent(w, k -> new long[3]);
                    d[0] += byIdA.get(id).size();
                    d[1]++;
                }
            }
        }
        List<MemwatchDiff.Detail> expected = new ArrayList<>();
        details.forEach((w, d) -> expected.add(new MemwatchDiff.Detail(w, d[0], d[1], d[2])));

        MemwatchDiff.Result r = MemwatchDiff.compare(p.build(true), null, p.build(false), null);
        assertThat(r.before().sizeBytes()).isEqualTo(sizeB);
        assertThat(r.after().sizeBytes()).isEqualTo(sizeA);
        assertThat(r.before().nodes()).isEqualTo(p.before().size());
        assertThat(r.freedNodes()).isEqualTo(freed);
        assertThat(r.allocatedNodes()).isEqualTo(allocated);
        assertThat(r.details()).containsExactlyElementsOf(expected);   // ASCII names: String order = byte order
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("sameProcessSeeds")
    void sameProcessCountsMatchNaiveVersion(long seed) {
        check(seed, DiffPropertyTest::sameProcessCountsMatch);
    }

    private static void sameProcessCountsMatch(Pair p) {
        Map<Long, N> byIdA = new HashMap<>();
        p.after().forEach(n -> byIdA.put(n.id(), n));
        long shared = 0;
        long agreeing = 0;
        for (N x : p.before()) {
            N y = byIdA.get(x.id());
            if (y == null) {
                continue;
            }
            shared++;
            boolean internal = x.type() == NodeType.HIDDEN || x.type() == NodeType.ARRAY || x.type() == NodeType.CODE
                    || x.type() == NodeType.OBJECT_SHAPE;
            if (x.type() == y.type() && (internal || x.name().equals(y.name()))) {
                agreeing++;
            }
        }
        SameProcessCheck.Result r = SameProcessCheck.of(p.build(true), p.build(false));
        assertThat(r.sharedIds()).isEqualTo(shared);
        assertThat(r.agreeingIds()).isEqualTo(agreeing);
        assertThat(r.smallerNodeCount()).isEqualTo(Math.min(p.before().size(), p.after().size()));
    }
}
