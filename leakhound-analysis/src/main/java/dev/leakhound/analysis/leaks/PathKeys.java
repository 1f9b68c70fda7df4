package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.nodejs.Collections;
import dev.leakhound.analysis.paths.Repeats;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.v8.V8Names;

import java.util.ArrayList;
import java.util.List;

/**
 * Normalized path labels, so that paths that differ only in which slot they pass through compare
 * equal: element and hidden indexes read {@code [*]} and {@code {#*}}, the keys of an object used as a
 * dictionary {@code [*]}, V8's numbered internal slots {@code {*}}, and a Node timer list's
 * {@code _idlePrev} reads as its {@code _idleNext} (the list is doubly linked: either direction is the
 * same list). A path's key folds repeated units ({@link Repeats#key}). One instance per snapshot; not
 * thread-safe (it caches labels by edge type and name).
 */
final class PathKeys {
    /** An object with more named properties than this is a dictionary: its keys are data. */
    static final int DICTIONARY_KEYS = 64;

    static final String ANY_INDEX = "[*]";
    static final String ANY_HIDDEN = "{#*}";
    static final String ANY_INTERNAL = "{*}";
    /** The elements store of an Array, as a label. */
    static final String ELEMENTS = "{" + V8Names.ELEMENTS + "}";
    private static final String IDLE_NEXT = "." + V8Names.IDLE_NEXT;

    private final HeapGraph g;
    private final HeapSnapshot s;
    private final int idlePrev;
    private final LabelCache labels = new LabelCache();
    /** Per node: 0 not asked yet, 1 not a dictionary, 2 a dictionary (allocated on first use). */
    private byte[] dictionary;

    /** Needs no {@link dev.leakhound.analysis.nodejs.V8Layout}: only one name is looked up (measuring reads k snapshots). */
    PathKeys(HeapGraph g) {
        this.g = g;
        this.s = g.snapshot();
        this.idlePrev = s.strings().find(V8Names.IDLE_PREV)[0];
    }

    /** The key of the shortest path from the roots to {@code v}. */
    String key(int v) {
        return Repeats.key(pathLabels(v, false));
    }

    /**
     * The key of the shortest path from the roots to {@code v}, unit by unit ({@link Repeats#keyUnits}), for a
     * leak's signature: the property names of the global object are kept (it has so many that it reads as a
     * dictionary, but its keys are the program's global variables, not data).
     */
    List<String> signatureUnits(int v) {
        return Repeats.keyUnits(pathLabels(v, true));
    }

    /** The normalized labels of the shortest path from the roots to {@code v}, root first. */
    private List<String> pathLabels(int v, boolean globalNames) {
        List<String> parts = new ArrayList<>();
        int c = v;
        while (true) {
            int e = g.pathEdge(c);
            int p = g.pathParent(c);
            if (e < 0 || p < 0) {
                break;
            }
            boolean name = globalNames && s.edgeType(e) == EdgeType.PROPERTY && isGlobal(p);
            parts.add(name ? cached(e) : label(p, e));
            c = p;
        }
        java.util.Collections.reverse(parts);
        return parts;
    }

    /** Whether a node is a global object: the root reaches it by a shortcut edge ({@code {global}}). */
    private boolean isGlobal(int node) {
        int root = s.rootOrdinal();
        for (int e = s.firstEdge(root), end = s.endEdge(root); e < end; e++) {
            if (s.edgeType(e) == EdgeType.SHORTCUT && s.edgeTo(e) == node) {
                return true;
            }
        }
        return false;
    }

    /** The key of a chain of edges. */
    String pattern(int[] edges) {
        List<String> parts = new ArrayList<>(edges.length);
        for (int e : edges) {
            parts.add(label(s.edgeFrom(e), e));
        }
        return Repeats.key(parts);
    }

    /** The normalized label of edge {@code e} leaving node {@code from}. */
    String label(int from, int e) {
        int t = s.edgeType(e);
        switch (t) {
            case EdgeType.ELEMENT:
                return ANY_INDEX;
            case EdgeType.HIDDEN:
                return ANY_HIDDEN;
            case EdgeType.PROPERTY:
                if (isDictionary(from)) {
                    return ANY_INDEX;
                }
                if (s.edgeNameOrIndex(e) == idlePrev) {
                    return IDLE_NEXT;
                }
                return cached(e);
            case EdgeType.SHORTCUT: {
                String name = s.name(s.edgeTo(e));
                return name.isEmpty() ? "{root}" : "{" + name + "}";
            }
            default:
                return cached(e);
        }
    }

    /** Labels that depend only on the edge's type and name, each computed once. */
    private String cached(int e) {
        int type = s.edgeType(e);
        int name = s.edgeNameOrIndex(e);
        long key = LabelCache.key(type, name);
        String text = labels.get(key);
        if (text == null) {
            if (type == EdgeType.INTERNAL) {
                // V8's numbered internal slots vary from object to object
                String raw = s.strings().get(name);
                text = raw.isEmpty() || Character.isDigit(raw.charAt(0)) ? ANY_INTERNAL : RetainerPath.edgeLabel(s, e);
            } else {
                text = RetainerPath.edgeLabel(s, e);
            }
            labels.put(key, text);
        }
        return text;
    }

    /** Whether a node has so many named properties that it is a dictionary (memoized per node). */
    boolean isDictionary(int node) {
        if (dictionary == null) {
            dictionary = new byte[s.nodeCount()];
        }
        byte known = dictionary[node];
        if (known == 0) {
            known = Collections.hasManyProperties(s, node, DICTIONARY_KEYS) ? (byte) 2 : (byte) 1;
            dictionary[node] = known;
        }
        return known == 2;
    }

    /**
     * Labels by (edge type, name index): an open-addressing table of exact 64-bit keys, so two edges
     * share a label only when both their type and their name are the same.
     */
    static final class LabelCache {
        private long[] keys = new long[64];
        private String[] values = new String[64];
        private int size;

        /** The exact key of an edge type and a name index (or element index). */
        static long key(int type, int name) {
            return ((long) type << 32) | (name & 0xFFFFFFFFL);
        }

        String get(long key) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); values[i] != null; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i];
                }
            }
            return null;
        }

        void put(long key, String value) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (values[i] != null && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (values[i] == null) {
                size++;
            }
            keys[i] = key;
            values[i] = value;
        }

        int size() {
            return size;
        }

        private void grow() {
            long[] oldKeys = keys;
            String[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new String[oldKeys.length * 2];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldValues[i] != null) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 40) & mask;
        }
    }
}
