package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.RetainerPath;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collections with very high fan-out: Arrays (their {@code element} edges), Maps and Sets (the
 * entries of their {@code table}, a V8 OrderedHashMap/OrderedHashSet), and objects used as
 * dictionaries (their {@code property} edges). A collection is reported when it has minEntries
 * entries, or holds minBytes with at least {@value #MIN_ENTRIES} entries; Node's own collections
 * (by provenance) need internalFactor times that. Entries V8 does not write (numbers stored as
 * small integers) cannot be counted; a Map or Set of numbers shows only its object entries.
 */
final class LargeCollections {
    static final int MIN_ENTRIES = 100;

    private LargeCollections() {}

    private record Candidate(int node, String kind, int entries, Entries en) {}

    static void find(Heap h, List<Finding> out, List<String> checked) {
        HeapSnapshot s = h.s;
        HeapGraph g = h.g;
        List<Candidate> cands = new ArrayList<>();
        int examined = 0;
        int biggest = 0;
        for (int i = 0; i < h.collections.size(); i++) {
            int v = h.collections.get(i);
            if (h.claimed.get(v)) {
                continue;
            }
            int k = h.collectionKinds.get(i);
            String kind = k == Heap.ARRAY ? "Array" : k == Heap.MAP ? "Map" : k == Heap.SET ? "Set" : "dictionary";
            Entries en = entries(h, v, kind);
            int entries = en.count;
            if (entries < MIN_ENTRIES) {
                continue;
            }
            examined++;
            biggest = Math.max(biggest, entries);
            if (entries >= h.o.minEntries() || g.retainedSize(v) >= h.o.minBytes()) {
                cands.add(new Candidate(v, kind, entries, en));
            }
        }
        cands.sort((a, b) -> Long.compare(g.retainedSize(b.node()), g.retainedSize(a.node())));
        Set<Integer> reportedNodes = new HashSet<>();
        int reported = 0;
        for (Candidate c : cands) {
            int v = c.node();
            Entries en = c.en();
            long bytes = g.retainedSize(v);
            boolean internal = h.isInternal(v);
            long factor = internal ? h.o.internalFactor() : 1;
            if (en.count < MIN_ENTRIES || !(en.count >= h.o.minEntries() * factor || bytes >= h.o.minBytes() * factor)) {
                continue;
            }
            if (insideReported(g, v, reportedNodes)) {
                continue;
            }
            reportedNodes.add(v);
            h.claimed.set(v);
            report(h, v, c.kind(), en, bytes, out);
            reported++;
        }
        checked.add("collections: " + Heap.count(examined) + " Arrays, Maps, Sets and dictionaries with "
                + MIN_ENTRIES + "+ entries, the largest with " + Heap.count(biggest) + "; " + reported
                + " reported (threshold " + Heap.count(h.o.minEntries()) + " entries, or " + Heap.bytes(h.o.minBytes())
                + " retained)");
    }

    private static boolean insideReported(HeapGraph g, int v, Set<Integer> reported) {
        int d = g.idom(v);
        for (int i = 0; i < 64 && d >= 0 && d != g.snapshot().rootOrdinal(); i++) {
            if (reported.contains(d)) {
                return true;
            }
            d = g.idom(d);
        }
        return false;
    }

    /** Entry count, the targets that are entries (values, or keys of a Set), and sample keys. */
    static final class Entries {
        int count;
        int[] members = new int[16];
        int size;

        void add(int node) {
            if (size == members.length) {
                members = java.util.Arrays.copyOf(members, size * 2);
            }
            members[size++] = node;
        }

        final List<String> keys = new ArrayList<>();
        boolean hiddenKeys;
    }

    static Entries entries(Heap h, int v, String kind) {
        HeapSnapshot s = h.s;
        Entries en = new Entries();
        switch (kind) {
            case "Array":
                for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                    if (s.edgeType(e) == EdgeType.ELEMENT && s.type(s.edgeTo(e)) != NodeType.HIDDEN) {
                        en.count++;
                        en.add(s.edgeTo(e));
                    }
                }
                break;
            case "dictionary":
                for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                    if (s.edgeType(e) == EdgeType.PROPERTY && s.edgeNameOrIndex(e) != h.proto
                            && s.type(s.edgeTo(e)) != NodeType.HIDDEN) {
                        en.count++;
                        en.add(s.edgeTo(e));
                        if (en.keys.size() < 5) {
                            en.keys.add(s.edgeName(e));
                        }
                    }
                }
                break;
            default:
                hashTable(h, h.internalEdge(v, h.table), kind.equals("Map"), en);
        }
        return en;
    }

    /**
     * V8's OrderedHashMap/Set is a FixedArray: 3 header slots (elements, deleted, buckets), the buckets,
     * then entries of 3 slots (key, value, chain) for a Map or 2 (key, chain) for a Set; capacity is
     * twice the bucket count. The bucket count follows from the array's size (8- or 4-byte slots).
     * Edges name their slot; an entry counts once whether its key, its value or both are objects.
     */
    private static void hashTable(Heap h, int table, boolean isMap, Entries en) {
        if (table < 0) {
            return;
        }
        HeapSnapshot s = h.s;
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
        java.util.BitSet seen = new java.util.BitSet();
        boolean anyKey = false;
        for (int e = s.firstEdge(table), end = s.endEdge(table); e < end; e++) {
            if (s.edgeType(e) != EdgeType.INTERNAL || s.type(s.edgeTo(e)) == NodeType.HIDDEN) {
                continue;
            }
            int slot = parse(s.edgeName(e));
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
                    en.keys.add(keyText(h, to));
                }
            } else {
                en.add(to);
                if (!isMap && en.keys.size() < 5) {
                    en.keys.add(keyText(h, to));
                }
            }
        }
        en.hiddenKeys = isMap && !anyKey && en.count > 0;
    }

    private static String keyText(Heap h, int node) {
        if (h.s.type(node) == NodeType.STRING) {
            return h.label(node);
        }
        return h.ref(node);
    }

    private static int parse(String name) {
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

    /** Counts and retained bytes of the members by class (a small method: its loop compiles on its own). */
    static void byClass(HeapGraph g, int[] members, int from, int to, long[] perCount, long[] perBytes) {
        int[] classOf = g.classes().classOfArray();
        long[] retained = g.retainedSizes();
        for (int i = from; i < to; i++) {
            int m = members[i];
            int c = classOf[m];
            perCount[c]++;
            perBytes[c] += retained[m];
        }
    }

    private static void report(Heap h, int v, String kind, Entries en, long bytes, List<Finding> out) {
        HeapSnapshot s = h.s;
        HeapGraph g = h.g;
        int classes = g.classes().classCount();
        long[] perCount = new long[classes];
        long[] perBytes = new long[classes];
        byClass(g, en.members, 0, en.size, perCount, perBytes);
        Map<Integer, long[]> byClass = new HashMap<>();
        for (int c = 0; c < classes; c++) {
            if (perCount[c] > 0) {
                byClass.put(c, new long[] {perCount[c], perBytes[c]});
            }
        }
        List<Map.Entry<Integer, long[]>> rows = new ArrayList<>(byClass.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        List<String> classLines = new ArrayList<>();
        for (int i = 0; i < rows.size() && i < 3; i++) {
            long[] r = rows.get(i).getValue();
            classLines.add(g.classes().name(rows.get(i).getKey()) + " ×" + Heap.count(r[0]) + " (" + Heap.bytes(r[1]) + ")");
        }
        String mainClass = rows.isEmpty() ? "?" : g.classes().name(rows.get(0).getKey());
        List<RetainerPath.Step> path = h.path(v);
        String holder = h.holderName(path);
        String what = kind.equals("dictionary") ? "object used as a dictionary" : kind;
        List<Finding.Fact> facts = new ArrayList<>();
        facts.add(Finding.Fact.text("collection", h.ref(v) + " (" + what + ")"));
        facts.add(Finding.Fact.count("entries", en.count));
        facts.add(Finding.Fact.list("entries by class", classLines));
        if (!en.keys.isEmpty()) {
            facts.add(Finding.Fact.list("sample keys", en.keys));
        } else if (en.hiddenKeys) {
            facts.add(Finding.Fact.text("sample keys", "numbers (V8 does not write small integers into snapshots)"));
        }
        facts.add(Finding.Fact.text("share of heap", h.share(bytes)));
        if (kind.equals("Array")) {
            facts.add(Finding.Fact.text("if it is a queue", "one snapshot cannot tell whether producers outpace consumers;"
                    + " a second snapshot and `leakhound find-leaks` show whether its count keeps rising"));
        }
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < en.size && i < 5; i++) {
            ids.add(s.id(en.members[i]));
        }
        String title = Heap.q(holder) + " (" + what + ") holds " + Heap.count(en.count) + " entries, mostly " + mainClass
                + ": " + Heap.bytes(bytes) + " (" + h.share(bytes) + " of the heap)";
        String fix;
        if (kind.equals("Array")) {
            fix = "Entries are added to " + Heap.q(holder) + " and not removed, or more slowly than they arrive. If it is a"
                    + " log or history, cap it (a ring buffer of the last N) or keep only the small part you need; if it"
                    + " is a queue, bound it and apply backpressure. One snapshot cannot show growth: take another in a"
                    + " minute and run `leakhound find-leaks` on both.";
        } else {
            fix = "Entries are added to " + Heap.q(holder) + " and not deleted. Delete each entry when its work is done"
                    + " (also on errors and timeouts), or bound it (an LRU with a maximum size, a TTL); with object keys, a"
                    + " WeakMap lets entries go with their keys. If it is a bounded cache that is simply full, raise"
                    + " --min-entries/--min-bytes; a second snapshot and `leakhound find-leaks` tell the two apart.";
        }
        out.add(new Finding("collection", title, bytes, en.count, s.id(v), g.className(v), h.render(path), path,
                null, facts, ids, fix));
    }
}
