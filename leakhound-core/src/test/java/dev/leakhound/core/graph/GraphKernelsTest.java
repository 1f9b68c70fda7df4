package dev.leakhound.core.graph;

import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotArrays;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import dev.leakhound.core.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optimized distance BFS and essential-edge pass against straightforward reference versions (the
 * code they replaced, kept here): same distances, path edges, path parents, BFS order and skip bits on
 * random heaps that contain every special case the kernels handle.
 */
class GraphKernelsTest {

    /** A random heap: user roots and GC roots, weak and shortcut edges, DevTools' filtered edges, WeakMap pairs. */
    static HeapSnapshot randomHeap(long seed, int n, int m) {
        Random r = new Random(seed);
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 1, 0);
        int gcRoots = b.node(NodeType.SYNTHETIC, "(GC roots)", 3, 0);
        int sub = b.node(NodeType.SYNTHETIC, "(Handle scope)", 5, 0);
        b.edge(root, EdgeType.ELEMENT, 1, gcRoots);
        b.edge(gcRoots, EdgeType.ELEMENT, 1, sub);
        int nativeContext = b.node(NodeType.HIDDEN, "system / NativeContext", 7, 40);
        int descriptors = b.node(NodeType.ARRAY, "(map descriptors)", 9, 40);
        int table = b.node(NodeType.ARRAY, "system / EphemeronHashTable", 11, 40);
        String[] names = {"Object", "Array", "Foo", "system / Context", "(map descriptors)", "system / NativeContext"};
        int first = b.node(NodeType.OBJECT, "global", 13, 24);
        int objectTable = b.node(NodeType.OBJECT, "system / EphemeronHashTable", 1_000_001, 40);
        for (int i = 8; i < n; i++) {
            int type = r.nextInt(10) == 0 ? NodeType.SYNTHETIC : r.nextInt(NodeType.FIRST_UNKNOWN);
            b.node(type, names[r.nextInt(names.length)], 2L * i + 1, r.nextInt(100));
        }
        // user roots (shortcut and other edges from the root), GC-root holders
        b.edge(root, EdgeType.SHORTCUT, "1", first);
        for (int i = 0; i < 3; i++) {
            b.edge(root, r.nextBoolean() ? EdgeType.SHORTCUT : EdgeType.ELEMENT, "x" + i, 8 + r.nextInt(n - 8));
        }
        b.edge(root, EdgeType.WEAK, "w", 8 + r.nextInt(n - 8));
        for (int i = 0; i < 5; i++) {
            b.edge(sub, EdgeType.INTERNAL, "h" + i, 8 + r.nextInt(n - 8));
        }
        b.edge(first, EdgeType.PROPERTY, "ctx", nativeContext);
        b.edge(sub, EdgeType.INTERNAL, "desc", descriptors);
        b.edge(sub, EdgeType.INTERNAL, "table", table);
        b.edge(first, EdgeType.PROPERTY, "map", objectTable);
        b.edge(nativeContext, EdgeType.INTERNAL, "sloppy_function_map", 8 + r.nextInt(n - 8));
        b.edge(nativeContext, EdgeType.INTERNAL, "other_map", 8 + r.nextInt(n - 8));
        for (int i = 0; i < 8; i++) {
            if (i % 2 == 0) {
                b.edge(descriptors, EdgeType.ELEMENT, i, 8 + r.nextInt(n - 8));
            } else {
                b.edge(descriptors, EdgeType.INTERNAL, Integer.toString(i), 8 + r.nextInt(n - 8));
            }
        }
        for (int i = 0; i < 9; i++) {
            int key = 8 + r.nextInt(n - 8);
            int value = 8 + r.nextInt(n - 8);
            int tableId = i % 3 == 0 ? 11 : i % 3 == 1 ? 1_000_001 : 99;
            String pair = i + " / part of key (Foo @" + (2 * key + 1) + ") -> value (Foo @" + (2 * value + 1)
                    + ") pair in WeakMap (table @" + tableId + ")";
            b.edge(tableId == 1_000_001 ? objectTable : table, EdgeType.INTERNAL, pair, value);
            b.edge(key, EdgeType.INTERNAL, pair, value);
        }
        for (int e = 0; e < m; e++) {
            int from = 3 + r.nextInt(n - 3);
            int to = r.nextInt(n);
            int t = r.nextInt(7);   // the seven V8 edge types
            if (EdgeType.nameIsString(t)) {
                b.edge(from, t, "p" + r.nextInt(20), to);
            } else {
                b.edge(from, t, r.nextInt(10), to);
            }
        }
        return b.build();
    }

    static LongStream seeds() {
        return Seeds.of("graph-kernels", 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void distancesAndSkipBitsMatchTheReference(long seed) {
        Seeds.check(seed, () -> {
            Random r = new Random(seed);
            int n = 12 + r.nextInt(300);
            check(randomHeap(seed, n, r.nextInt(4 * n)));
        });
    }

    @Test
    void bigHeapCrossesTheParentLookupThreshold() {
        check(randomHeap(42, 80_000, 200_000));
    }

    private static void check(HeapSnapshot s) {
        WeakMapEdges weakMaps = new WeakMapEdges(s);
        Reference ref = Reference.compute(s, weakMaps);
        Distances d = Distances.compute(s, weakMaps);
        int n = s.nodeCount();
        assertThat(d.distance).containsExactly(ref.dist);
        assertThat(d.parentEdge).containsExactly(ref.parent);
        assertThat(d.userRootCount).isEqualTo(ref.userRoots);
        assertThat(d.order()).containsExactly(ref.order);
        for (int v = 0; v < n; v++) {
            assertThat(d.parentNode(v)).as("parent of %d", v).isEqualTo(ref.parentNode[v]);
        }
        long[] skip = HeapGraph.nonEssentialEdges(s, d, weakMaps);
        long[] want = Reference.nonEssentialEdges(s, ref, weakMaps);
        assertThat(Arrays.copyOf(skip, want.length)).containsExactly(want);
        // and the graph built from them (in-degrees counted alongside the BFS, corrected by the page-owned
        // rule): the same dominators as the validating public entry point on the reference skip bits
        HeapGraph g = HeapGraph.build(s);
        for (int v = 0; v < n; v++) {
            assertThat(g.distance(v)).isEqualTo(ref.dist[v]);
        }
        assertThat(g.bfsOrder()).containsExactly(ref.order);
        DominatorTree direct = DominatorTree.compute(n, s.rootOrdinal(), SnapshotArrays.firstEdge(s),
                SnapshotArrays.edgeTo(s), want);
        assertThat(g.dominatorTree().idoms()).containsExactly(direct.idoms());
        assertThat(g.unreachableCount()).isEqualTo(direct.unreachableCount());
    }

    /** The implementation these kernels replaced, verbatim in substance. */
    static final class Reference {
        int[] dist;
        int[] parent;
        int[] parentNode;
        int[] order;
        int userRoots;

        static Reference compute(HeapSnapshot s, WeakMapEdges weakMaps) {
            int n = s.nodeCount();
            int root = s.rootOrdinal();
            int[] dist = new int[n];
            Arrays.fill(dist, Distances.UNREACHED);
            int[] parent = new int[n];
            Arrays.fill(parent, -1);
            int[] queue = new int[n + 1];
            int[] parentNode = new int[n];
            Arrays.fill(parentNode, -1);
            int tail = 0;
            int userRoots = 0;
            for (int e = s.firstEdge(root), end = s.endEdge(root); e < end; e++) {
                if (s.edgeType(e) == EdgeType.WEAK) {
                    continue;
                }
                int t = s.edgeTo(e);
                if (s.type(t) == NodeType.SYNTHETIC || dist[t] != Distances.UNREACHED) {
                    continue;
                }
                dist[t] = 1;
                parent[t] = e;
                parentNode[t] = root;
                queue[tail++] = t;
                userRoots++;
            }
            tail = bfs(s, weakMaps, queue, 0, tail, dist, parent, parentNode);
            if (dist[root] == Distances.UNREACHED) {
                dist[root] = userRoots == 0 ? 0 : Distances.SYSTEM_BASE;
            }
            int head = tail;
            queue[tail++] = root;
            tail = bfs(s, weakMaps, queue, head, tail, dist, parent, parentNode);
            dist[root] = 0;
            int[] order = new int[tail];
            order[0] = root;
            int k = 1;
            for (int i = 0; i < tail; i++) {
                if (queue[i] != root) {
                    order[k++] = queue[i];
                }
            }
            Reference r = new Reference();
            r.dist = dist;
            r.parent = parent;
            r.parentNode = parentNode;
            r.order = Arrays.copyOf(order, k);
            r.userRoots = userRoots;
            return r;
        }

        private static int bfs(HeapSnapshot s, WeakMapEdges weakMaps, int[] queue, int head, int tail, int[] dist,
                               int[] parent, int[] parentNode) {
            int sloppy = indexOf(s, "sloppy_function_map");
            int nativeContext = indexOf(s, "system / NativeContext");
            int descriptors = indexOf(s, "(map descriptors)");
            while (head < tail) {
                int v = queue[head++];
                int d = dist[v] + 1;
                int vt = s.type(v);
                for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                    int et = s.edgeType(e);
                    if (et == EdgeType.WEAK) {
                        continue;
                    }
                    int t = s.edgeTo(e);
                    if (dist[t] != Distances.UNREACHED) {
                        continue;
                    }
                    if (vt == NodeType.HIDDEN && et != EdgeType.ELEMENT && et != EdgeType.HIDDEN) {
                        if (s.edgeNameOrIndex(e) == sloppy && s.nameIndex(v) == nativeContext) {
                            continue;
                        }
                    } else if (vt == NodeType.ARRAY && (et == EdgeType.ELEMENT || et == EdgeType.HIDDEN
                            || et == EdgeType.INTERNAL)) {
                        if (s.nameIndex(v) == descriptors) {
                            int index;
                            try {
                                index = et == EdgeType.INTERNAL ? Integer.parseInt(s.edgeName(e)) : s.edgeNameOrIndex(e);
                            } catch (NumberFormatException ex) {
                                index = -1;
                            }
                            if (index >= 2 && index % 3 == 1) {
                                continue;
                            }
                        }
                    } else if (et == EdgeType.INTERNAL && weakMaps.isTableToValue(v, e)) {
                        continue;
                    }
                    dist[t] = d;
                    parent[t] = e;
                    parentNode[t] = v;
                    queue[tail++] = t;
                }
            }
            return tail;
        }

        static int indexOf(HeapSnapshot s, String text) {
            for (int i = 0; i < s.strings().size(); i++) {
                if (s.strings().equalsAscii(i, text)) {
                    return i;
                }
            }
            return -1;
        }

        static long[] nonEssentialEdges(HeapSnapshot s, Reference d, WeakMapEdges weakMaps) {
            int n = s.nodeCount();
            int root = s.rootOrdinal();
            long[] skip = new long[(s.edgeCount() + 63) >>> 6];
            int[] dist = d.dist;
            boolean hasUserRoots = d.userRoots > 0;
            for (int v = 0; v < n; v++) {
                boolean vPage = hasUserRoots && dist[v] >= 0 && dist[v] < Distances.SYSTEM_BASE;
                for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                    int t = s.edgeType(e);
                    boolean drop;
                    if (t == EdgeType.WEAK) {
                        drop = true;
                    } else if (t == EdgeType.SHORTCUT) {
                        drop = v != root;
                    } else if (v == root) {
                        drop = false;
                    } else {
                        int to = s.edgeTo(e);
                        boolean toPage = hasUserRoots && dist[to] >= 0 && dist[to] < Distances.SYSTEM_BASE;
                        drop = (!vPage && toPage) || (t == EdgeType.INTERNAL && weakMaps.isTableToValue(v, e));
                    }
                    if (drop) {
                        skip[e >>> 6] |= 1L << e;
                    }
                }
            }
            return skip;
        }
    }
}
