package dev.leakhound.analysis.nodejs;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.BitSet;

/**
 * JavaScript collections as V8 writes them: Arrays (their {@code element} edges), Maps and Sets (the
 * entries of their {@code table}, an OrderedHashMap/OrderedHashSet), and plain objects used as
 * dictionaries (their {@code property} edges). Entries V8 does not write (numbers stored as small
 * integers) cannot be counted; a Map or Set of numbers shows only its object entries. Used by the
 * diagnosis's large-collection detector and by find-leaks' explanations and path keys.
 */
public final class Collections {
    /** The kinds of collection, as the reports name them. */
    public enum Kind { ARRAY, MAP, SET, DICTIONARY }

    private final V8Layout v8;
    private final HeapSnapshot s;

    public Collections(V8Layout v8) {
        this.v8 = v8;
        this.s = v8.snapshot();
    }

    /** Properties other than {@code __proto__}: what a dictionary's entries are. */
    public boolean isEntryProperty(int e) {
        return s.edgeType(e) == EdgeType.PROPERTY && s.edgeNameOrIndex(e) != v8.names().proto;
    }

    /** An object with more than {@code minProperties} named properties is used as a dictionary: its keys are data. */
    public boolean hasManyProperties(int node, int minProperties) {
        return hasManyProperties(s, node, minProperties);
    }

    /** {@link #hasManyProperties(int, int)} for callers that have no {@link V8Layout} (it needs no names). */
    public static boolean hasManyProperties(HeapSnapshot s, int node, int minProperties) {
        int props = 0;
        for (int e = s.firstEdge(node), end = s.endEdge(node); e < end; e++) {
            if (s.edgeType(e) == EdgeType.PROPERTY && ++props > minProperties) {
                return true;
            }
        }
        return false;
    }

    /** A collection's entry count, the targets that are entries (values, or keys of a Set), and sample keys. */
    public static final class Entries {
        private int count;
        private int[] members = new int[16];
        private int size;
        private final List<String> keys = new ArrayList<>();
        private boolean numericKeys;

        void add(int node) {
            if (size == members.length) {
                members = Arrays.copyOf(members, size * 2);
            }
            members[size++] = node;
        }

        public int count() {
            return count;
        }

        /** Entry targets (values, or a Set's keys); {@link #memberCount()} of them are valid. */
        public int[] members() {
            return members;
        }

        public int memberCount() {
            return size;
        }

        /** Up to five keys, as they read: a string's text, else the key object's label and id. */
        public List<String> sampleKeys() {
            return keys;
        }

        /** A Map whose keys are all numbers: V8 writes no edge for them. */
        public boolean numericKeys() {
            return numericKeys;
        }
    }

    public Entries entries(HeapGraph g, int v, Kind kind) {
        Entries en = new Entries();
        switch (kind) {
            case ARRAY -> {
                for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                    if (s.edgeType(e) == EdgeType.ELEMENT && s.type(s.edgeTo(e)) != NodeType.HIDDEN) {
                        en.count++;
                        en.add(s.edgeTo(e));
                    }
                }
            }
            case DICTIONARY -> {
                for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                    if (isEntryProperty(e) && s.type(s.edgeTo(e)) != NodeType.HIDDEN) {
                        en.count++;
                        en.add(s.edgeTo(e));
                        if (en.keys.size() < 5) {
                            en.keys.add(s.edgeName(e));
                        }
                    }
                }
            }
            default -> hashTable(g, v8.internal(v, v8.names().table), kind == Kind.MAP, en);
        }
        return en;
    }

    /**
     * V8's OrderedHashMap/Set is a FixedArray: 3 header slots (elements, deleted, buckets), the buckets,
     * then entries of 3 slots (key, value, chain) for a Map or 2 (key, chain) for a Set; capacity is
     * twice the bucket count. The bucket count follows from the array's size (8- or 4-byte slots).
     * Edges name their slot; an entry counts once whether its key, its value or both are objects.
     */
    private void hashTable(HeapGraph g, int table, boolean isMap, Entries en) {
        if (table < 0) {
            return;
        }
        int per = isMap ? 3 : 2;
        int base = -1;
        for (int ptr : new int[] {8, 4}) {
            long len = (s.selfSize(table) - 2L * ptr) / ptr;
            long rest = len - 3;
            int factor = isMap ? 7 : 5;
            if ((s.selfSize(table) - 2L * ptr) % ptr == 0 && rest > 0 && rest % factor == 0) {
                base = (int) (3 + rest / factor);
                break;
            }
        }
        BitSet seen = new BitSet();
        boolean anyKey = false;
        for (int e = s.firstEdge(table), end = s.endEdge(table); e < end; e++) {
            if (s.edgeType(e) != EdgeType.INTERNAL || s.type(s.edgeTo(e)) == NodeType.HIDDEN) {
                continue;
            }
            int slot = slotNumber(s.edgeName(e));
            if (slot < 0 || base >= 0 && slot < base) {
                continue;
            }
            int entry = base >= 0 ? (slot - base) / per : slot;
            boolean isKey = base >= 0 && (slot - base) % per == 0;
            int to = s.edgeTo(e);
            if (!seen.get(entry)) {
                seen.set(entry);
                en.count++;
            }
            if (isKey && isMap) {
                anyKey = true;
                if (en.keys.size() < 5) {
                    en.keys.add(keyText(g, to));
                }
            } else {
                en.add(to);
                if (!isMap && en.keys.size() < 5) {
                    en.keys.add(keyText(g, to));
                }
            }
        }
        en.numericKeys = isMap && !anyKey && en.count > 0;
    }

    private String keyText(HeapGraph g, int node) {
        String label = RetainerPath.label(g, node);
        return s.type(node) == NodeType.STRING ? label : label + " @" + s.id(node);
    }

    private static int slotNumber(String name) {
        if (name.isEmpty() || name.length() > 9) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
