package dev.leakhound.analysis.leaks;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PathKeysTest {
    /** The key the label cache used before: {@code (type << 28) ^ name}, kept to 31 bits. */
    static int oldKey(int type, int name) {
        return -1 - (((type << 28) ^ name) & 0x7FFFFFFF);
    }

    @Test
    void edgesOfDifferentTypesNeverShareACachedLabel() {
        // a property named by string 5 and a variable named by string (2 << 28) ^ 5: one key before
        int name = 5;
        int other = (EdgeType.PROPERTY << 28) ^ name;
        assertThat(oldKey(EdgeType.PROPERTY, name)).as("the old keys collide").isEqualTo(oldKey(EdgeType.CONTEXT, other));
        assertThat(PathKeys.LabelCache.key(EdgeType.PROPERTY, name)).isNotEqualTo(PathKeys.LabelCache.key(EdgeType.CONTEXT, other));

        PathKeys.LabelCache cache = new PathKeys.LabelCache();
        cache.put(PathKeys.LabelCache.key(EdgeType.PROPERTY, name), ".items");
        cache.put(PathKeys.LabelCache.key(EdgeType.CONTEXT, other), "::requests");
        assertThat(cache.get(PathKeys.LabelCache.key(EdgeType.PROPERTY, name))).isEqualTo(".items");
        assertThat(cache.get(PathKeys.LabelCache.key(EdgeType.CONTEXT, other))).isEqualTo("::requests");
        // the 31-bit mask also folded a negative index onto a positive one
        assertThat(oldKey(EdgeType.ELEMENT, -1)).isEqualTo(oldKey(EdgeType.ELEMENT, 0x7FFFFFFF));
        assertThat(PathKeys.LabelCache.key(EdgeType.ELEMENT, -1)).isNotEqualTo(PathKeys.LabelCache.key(EdgeType.ELEMENT, 0x7FFFFFFF));
    }

    @Test
    void theCacheKeepsEveryKeyAsItGrows() {
        PathKeys.LabelCache cache = new PathKeys.LabelCache();
        for (int type = 0; type < 8; type++) {
            for (int name = 0; name < 5000; name += 7) {
                cache.put(PathKeys.LabelCache.key(type, name), type + ":" + name);
            }
        }
        for (int type = 0; type < 8; type++) {
            for (int name = 0; name < 5000; name += 7) {
                assertThat(cache.get(PathKeys.LabelCache.key(type, name))).isEqualTo(type + ":" + name);
            }
            assertThat(cache.get(PathKeys.LabelCache.key(type, 1))).isNull();
        }
        assertThat(cache.size()).isEqualTo(8 * 715);
    }

    @Test
    void labelsFoldIndexesDictionaryKeysAndTimerListDirections() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 1, 0);
        int global = b.node(NodeType.OBJECT, "global", 3, 10);
        int arr = b.node(NodeType.OBJECT, "Array", 5, 10);
        int dict = b.node(NodeType.OBJECT, "Object", 7, 10);
        int small = b.node(NodeType.OBJECT, "Object", 9, 10);
        int list = b.node(NodeType.OBJECT, "TimersList", 11, 10);
        int ctx = b.node(NodeType.OBJECT, "system / Context", 13, 10);
        b.edge(root, EdgeType.SHORTCUT, "1", global);
        b.edge(global, EdgeType.PROPERTY, "arr", arr);
        b.edge(global, EdgeType.PROPERTY, "dict", dict);
        b.edge(global, EdgeType.PROPERTY, "small", small);
        b.edge(global, EdgeType.PROPERTY, "list", list);
        b.edge(global, EdgeType.INTERNAL, "context", ctx);
        b.edge(arr, EdgeType.ELEMENT, 3, b.node(NodeType.OBJECT, "X", 15, 1));
        for (int i = 0; i < PathKeys.DICTIONARY_KEYS + 1; i++) {
            b.edge(dict, EdgeType.PROPERTY, "k" + i, b.node(NodeType.OBJECT, "X", 17 + 2L * i, 1));
        }
        b.edge(small, EdgeType.PROPERTY, "only", b.node(NodeType.OBJECT, "X", 301, 1));
        b.edge(list, EdgeType.PROPERTY, "_idlePrev", b.node(NodeType.OBJECT, "Timeout", 303, 1));
        b.edge(ctx, EdgeType.INTERNAL, "12", b.node(NodeType.OBJECT, "X", 305, 1));
        b.edge(ctx, EdgeType.CONTEXT, "requests", b.node(NodeType.OBJECT, "Map", 307, 1));
        HeapSnapshot s = b.build();
        HeapGraph g = HeapGraph.buildWithoutDominators(s, ProgressListener.NONE);
        PathKeys keys = new PathKeys(g);
        assertThat(labelsOf(s, keys, arr)).containsExactly("[*]");
        assertThat(labelsOf(s, keys, dict)).containsOnly("[*]").hasSize(PathKeys.DICTIONARY_KEYS + 1);
        assertThat(labelsOf(s, keys, small)).containsExactly(".only");
        assertThat(labelsOf(s, keys, list)).containsExactly("._idleNext");
        assertThat(labelsOf(s, keys, ctx)).containsExactly("{*}", "::requests");
        assertThat(keys.isDictionary(dict)).isTrue();
        assertThat(keys.isDictionary(small)).isFalse();
    }

    private static List<String> labelsOf(HeapSnapshot s, PathKeys keys, int node) {
        List<String> out = new java.util.ArrayList<>();
        for (int e = s.firstEdge(node), end = s.endEdge(node); e < end; e++) {
            out.add(keys.label(node, e));
        }
        return out;
    }
}
