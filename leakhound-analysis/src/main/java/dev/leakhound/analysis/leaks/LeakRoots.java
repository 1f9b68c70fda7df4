package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.nodejs.V8Layout;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The new objects of the last snapshot, their leak roots and the roots' groups (steps 1 to 3 of
 * {@link FindLeaks}).
 */
final class LeakRoots {
    private LeakRoots() {}

    /**
     * The candidates (DevTools' and memlab's "allocated between" rule): JS objects (odd ids) allocated
     * after the first snapshot ({@code id > firstMax}) and, with three or more snapshots, not after the
     * second-to-last ({@code id <= survivedMax}), so each has survived a whole interval.
     */
    static boolean[] candidates(HeapSnapshot s, long firstMax, long survivedMax) {
        int n = s.nodeCount();
        boolean[] isNew = new boolean[n];
        for (int v = 0; v < n; v++) {
            long id = s.id(v);
            isNew[v] = (id & 1) == 1 && id > firstMax && id <= survivedMax;
        }
        return isNew;
    }

    /**
     * On the shortest-path tree, the topmost significant candidate of each branch is a leak root and
     * every candidate below it is counted with it (so each new byte counts once); roots whose paths have
     * the same key and whose classes are the same form a group. Groups come most new bytes first (ties
     * in the order of their first root on the tree).
     */
    static List<Group> groups(HeapGraph g, V8Layout v8, boolean[] isNew, PathKeys keys) {
        return groups(g, isNew, keys, tops(g, v8, isNew));
    }

    /**
     * Per node, its leak root: the topmost significant candidate on its shortest path (itself when it is one),
     * or -1.
     */
    static int[] tops(HeapGraph g, V8Layout v8, boolean[] isNew) {
        int[] top = new int[g.snapshot().nodeCount()];
        Arrays.fill(top, -1);
        for (int v : g.bfsOrder()) {
            int p = g.pathParent(v);
            int above = p < 0 ? -1 : top[p];
            top[v] = above >= 0 ? above : (isNew[v] && significant(v8, v) ? v : -1);
        }
        return top;
    }

    /** The key that puts a leak root in its group. */
    static String groupKey(HeapGraph g, PathKeys keys, int root) {
        return keys.key(root) + " -> " + g.className(root);
    }

    /**
     * The new objects of each of {@code wanted} (the candidates below its roots), as node ordinals of the last
     * snapshot, in one pass over the roots ({@code top} from {@link #tops}).
     */
    static int[][] members(HeapGraph g, boolean[] isNew, PathKeys keys, int[] top, List<Group> wanted) {
        int n = g.snapshot().nodeCount();
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < wanted.size(); i++) {
            index.putIfAbsent(groupKey(g, keys, wanted.get(i).representative()), i);
        }
        int[] groupOfRoot = new int[n];
        Arrays.fill(groupOfRoot, -1);
        int[] sizes = new int[wanted.size()];
        for (int v = 0; v < n; v++) {
            if (top[v] == v) {
                Integer i = index.get(groupKey(g, keys, v));
                if (i != null) {
                    groupOfRoot[v] = i;
                }
            }
        }
        for (int v = 0; v < n; v++) {
            if (isNew[v] && top[v] >= 0 && groupOfRoot[top[v]] >= 0) {
                sizes[groupOfRoot[top[v]]]++;
            }
        }
        int[][] out = new int[wanted.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new int[sizes[i]];
            sizes[i] = 0;
        }
        for (int v = 0; v < n; v++) {
            if (isNew[v] && top[v] >= 0 && groupOfRoot[top[v]] >= 0) {
                int i = groupOfRoot[top[v]];
                out[i][sizes[i]++] = v;
            }
        }
        return out;
    }

    static List<Group> groups(HeapGraph g, boolean[] isNew, PathKeys keys, int[] top) {
        HeapSnapshot s = g.snapshot();
        int n = s.nodeCount();
        int[] order = g.bfsOrder();
        long[] rootBytes = new long[n];
        long[] rootNative = new long[n];
        int[] rootCount = new int[n];
        int[] classOf = g.classes().classOfArray();
        for (int v : order) {
            int r = top[v];
            if (r >= 0 && isNew[v]) {
                rootBytes[r] += s.selfSize(v);
                if (s.type(v) == NodeType.NATIVE) {
                    rootNative[r] += s.selfSize(v);
                }
                if (classOf[v] == classOf[r]) {
                    rootCount[r]++;
                }
            }
        }
        Map<String, Sum> byKey = new LinkedHashMap<>();
        for (int v : order) {
            if (top[v] != v) {
                continue;
            }
            Sum sum = byKey.computeIfAbsent(groupKey(g, keys, v), k -> new Sum());
            sum.roots++;
            sum.bytes += rootBytes[v];
            sum.nativeBytes += rootNative[v];
            sum.count += rootCount[v];
            if (sum.representative < 0 || rootBytes[v] > rootBytes[sum.representative]) {
                sum.representative = v;
            }
        }
        List<Group> groups = new ArrayList<>(byKey.size());
        for (Sum sum : byKey.values()) {
            groups.add(new Group(sum.representative, sum.roots, sum.bytes, sum.nativeBytes, sum.count));
        }
        groups.sort((a, b) -> Long.compare(b.newBytes(), a.newBytes()));
        return groups;
    }

    /** A group's sums while its roots are added up. */
    private static final class Sum {
        int roots;
        long bytes;
        long nativeBytes;
        long count;
        int representative = -1;
    }

    /** User-visible objects can be leak roots; V8's internal arrays, scopes and shapes are looked through. */
    static boolean significant(V8Layout v8, int v) {
        switch (v8.snapshot().type(v)) {
            case NodeType.OBJECT:
                return !v8.isSystemObject(v);
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
}
