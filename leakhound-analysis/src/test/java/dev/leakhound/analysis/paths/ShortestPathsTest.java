package dev.leakhound.analysis.paths;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RetainerPathsTest {

    /** root -> global; global.a.x -> T, global.b[0] -> T, global.c.d.e -> T, a weak global -> T, a cycle a <-> b. */
    @Test
    void shortestFirstWeakEdgesExcludedRenderedAsDevToolsReadsThem() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 0);
        int global = b.node(NodeType.OBJECT, "global", 10);
        int a = b.node(NodeType.OBJECT, "A", 10);
        int arr = b.node(NodeType.OBJECT, "Array", 10);
        int c = b.node(NodeType.OBJECT, "C", 10);
        int d = b.node(NodeType.OBJECT, "D", 10);
        int t = b.node(NodeType.OBJECT, "Session", 10);
        b.edge(root, EdgeType.SHORTCUT, "global", global);
        b.edge(global, EdgeType.PROPERTY, "a", a);
        b.edge(global, EdgeType.PROPERTY, "b", arr);
        b.edge(global, EdgeType.PROPERTY, "c", c);
        b.edge(global, EdgeType.WEAK, "w", t);
        b.edge(a, EdgeType.PROPERTY, "x", t);
        b.edge(a, EdgeType.PROPERTY, "peer", arr);
        b.edge(arr, EdgeType.PROPERTY, "back", a);
        b.edge(arr, EdgeType.ELEMENT, 0, t);
        b.edge(c, EdgeType.PROPERTY, "d", d);
        b.edge(d, EdgeType.PROPERTY, "e", t);
        HeapSnapshot s = b.build();
        HeapGraph g = HeapGraph.build(s);

        ShortestPaths.Result r = ShortestPaths.find(g, t, 10);
        List<String> texts = r.paths().stream().map(ShortestPaths.Path::text).toList();
        assertThat(texts).startsWith("global.a.x -> Session @" + s.id(t), "global.b[0] -> Session @" + s.id(t));
        assertThat(r.paths()).extracting(ShortestPaths.Path::length).isSorted();
        // every simple non-weak path: a.x, b[0], c.d.e, a.peer[0], b.back.x
        assertThat(texts).containsExactlyInAnyOrder("global.a.x -> Session @" + s.id(t), "global.b[0] -> Session @" + s.id(t),
                "global.c.d.e -> Session @" + s.id(t), "global.a.peer[0] -> Session @" + s.id(t),
                "global.b.back.x -> Session @" + s.id(t));
        assertThat(r.complete()).isTrue();
        assertThat(r.distance()).isEqualTo(3);

        assertThat(ShortestPaths.find(g, t, 2).paths()).hasSize(2);
    }

    @Test
    void onlyWeaklyHeldObjectHasNoPath() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 0);
        int global = b.node(NodeType.OBJECT, "global", 10);
        int t = b.node(NodeType.OBJECT, "Cached", 10);
        b.edge(root, EdgeType.SHORTCUT, "global", global);
        b.edge(global, EdgeType.WEAK, "ref", t);
        HeapGraph g = HeapGraph.build(b.build());
        ShortestPaths.Result r = ShortestPaths.find(g, t, 3);
        assertThat(r.distance()).isEqualTo(-1);
        assertThat(r.paths()).isEmpty();
    }

    @Test
    void userRootPathsComeBeforeGcRootPathsOfTheSameLength() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 0);
        int gc = b.node(NodeType.SYNTHETIC, "(GC roots)", 0);
        int handles = b.node(NodeType.SYNTHETIC, "(Handle scope)", 0);
        int global = b.node(NodeType.OBJECT, "global", 10);
        int holder = b.node(NodeType.OBJECT, "Holder", 10);
        int t = b.node(NodeType.OBJECT, "Thing", 10);
        b.edge(root, EdgeType.ELEMENT, 1, gc);          // created first: would win a tie
        b.edge(root, EdgeType.SHORTCUT, "global", global);
        b.edge(gc, EdgeType.ELEMENT, 1, handles);
        b.edge(handles, EdgeType.ELEMENT, 0, t);
        b.edge(global, EdgeType.PROPERTY, "holder", holder);
        b.edge(holder, EdgeType.PROPERTY, "thing", t);
        HeapGraph g = HeapGraph.build(b.build());
        List<ShortestPaths.Path> paths = ShortestPaths.find(g, t, 5).paths();
        assertThat(paths).hasSize(2);
        assertThat(paths.get(0).text()).startsWith("global.holder.thing");
        assertThat(paths.get(1).text()).startsWith("(GC roots)/(Handle scope)");
    }

    /**
     * Against brute force: on 300 random small graphs (seeded), the lengths of the k paths found are the
     * k smallest lengths among all simple non-weak paths from the root.
     */
    @Test
    void lengthsMatchBruteForce() {
        Random seeds = new Random(20240611);
        for (int trial = 0; trial < 300; trial++) {
            int nodes = 3 + seeds.nextInt(7);
            int k = 1 + seeds.nextInt(6);
            checkAgainstBruteForce(nodes, seeds.nextLong(), k);
        }
    }

    private static void checkAgainstBruteForce(int nodes, long seed, int k) {
        Random rnd = new Random(seed);
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 0);
        int global = b.node(NodeType.OBJECT, "global", 1);
        b.edge(root, EdgeType.SHORTCUT, "global", global);
        List<int[]> edges = new ArrayList<>();
        edges.add(new int[] {root, global, 0});
        for (int i = 2; i < nodes; i++) {
            b.node(NodeType.OBJECT, "N" + i, 1);
        }
        int m = nodes * 2;
        for (int i = 0; i < m; i++) {
            int from = 1 + rnd.nextInt(nodes - 1);
            int to = 1 + rnd.nextInt(nodes - 1);
            boolean weak = rnd.nextInt(6) == 0;
            b.edge(from, weak ? EdgeType.WEAK : EdgeType.PROPERTY, "p" + i, to);
            edges.add(new int[] {from, to, weak ? 1 : 0});
        }
        HeapSnapshot s = b.build();
        HeapGraph g = HeapGraph.build(s);
        int target = nodes - 1;
        List<Integer> all = new ArrayList<>();
        bruteForce(edges, root, target, new HashSet<>(Set.of(root)), 0, all);
        all.sort(Integer::compare);
        List<Integer> expected = all.subList(0, Math.min(k, all.size()));
        List<Integer> got = ShortestPaths.find(g, target, k).paths().stream().map(ShortestPaths.Path::length).toList();
        assertThat(got).as("nodes %d seed %d k %d", nodes, seed, k).isEqualTo(expected);
    }

    /** Depth-first enumeration of simple paths (small graphs only); one length per edge sequence. */
    private static void bruteForce(List<int[]> edges, int v, int target, Set<Integer> on, int len, List<Integer> out) {
        if (v == target) {
            out.add(len);
            return;
        }
        for (int[] e : edges) {
            if (e[0] != v || e[2] == 1 || on.contains(e[1])) {
                continue;
            }
            on.add(e[1]);
            bruteForce(edges, e[1], target, on, len + 1, out);
            on.remove(e[1]);
        }
    }
}
