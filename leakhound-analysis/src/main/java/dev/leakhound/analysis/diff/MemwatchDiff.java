package dev.leakhound.analysis.diff;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * node-memwatch's {@code HeapDiff} ({@code lloyd/node-memwatch src/heapdiff.cc}, v0.2.2; the airbnb
 * fork computes the same), recomputed from two snapshot files so scripts written for its output keep
 * working:
 * <ul>
 *   <li>{@code buildIDSet}: the ids of every node reachable from the root through any edge, weak ones
 *       included; {@code size_bytes} of a side is the sum of those nodes' self sizes, {@code nodes} the
 *       snapshot's whole node count.</li>
 *   <li>{@code freed_nodes}: ids in BEFORE's set and not in AFTER's; {@code allocated_nodes} the
 *       reverse (sets, so an id counts once). Every type counts here.</li>
 *   <li>{@code manageChange}: each freed/allocated node is added to the detail row for its
 *       {@code what}: {@code Array}, {@code String}, {@code Code}, {@code Closure}, {@code RegExp},
 *       {@code Number}, {@code Native}, or for {@code object} nodes the node name (the constructor
 *       name). Hidden nodes and every other type (synthetic, concatenated and sliced strings, symbols,
 *       ...) get no row. A row's {@code size_bytes} is allocated minus freed self size.</li>
 *   <li>Rows come out of a {@code std::map<std::string>}: sorted by the names' bytes (UTF-8), which is
 *       code point order.</li>
 * </ul>
 * Differences, on purpose: sizes are longs (memwatch used C {@code int}s, which wrap above 2 GiB);
 * memwatch skipped objects named {@code HeapDiff} (its own bookkeeping object, which a snapshot file
 * does not have), we do not; and the times are supplied by the caller (the files' modification
 * times) instead of the clock at {@code new HeapDiff()} and {@code end()}.
 *
 * <p>Reachability is an iterative breadth-first search over an int queue; the set difference is a
 * merge of two sorted {@code long[]} ({@code id << 31 | ordinal}).
 */
public final class MemwatchDiff {
    /** memwatch's {@code before}/{@code after} object. */
    public record Side(int nodes, Instant time, long sizeBytes) {}

    /** One {@code details[]} row: {@code what}, {@code size_bytes}, {@code '+'}, {@code '-'}. */
    public record Detail(String what, long sizeBytes, long added, long freed) {}

    /** The whole HeapDiff result. */
    public record Result(Side before, Side after, long freedNodes, long allocatedNodes, List<Detail> details) {
        /** {@code change.size_bytes}: AFTER's reachable size minus BEFORE's. */
        public long changeBytes() {
            return after.sizeBytes() - before.sizeBytes();
        }
    }

    private MemwatchDiff() {}

    /**
     * memwatch's {@code time} for a snapshot file: its modification time, rounded to the millisecond as
     * Node's {@code fs.statSync(file).mtime} rounds it.
     */
    public static Instant fileTime(Path p) {
        try {
            Instant t = Files.getLastModifiedTime(p).toInstant();
            return Instant.ofEpochMilli(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1000L),
                    (t.getNano() + 500_000L) / 1_000_000L));
        } catch (IOException e) {
            throw new LeakhoundException(p + ": cannot read its modification time: " + e.getMessage(), e);
        }
    }

    public static Result compare(HeapSnapshot before, Instant beforeTime, HeapSnapshot after, Instant afterTime) {
        long[] rb = reachable(before);
        long[] ra = reachable(after);
        long sizeBefore = 0;
        for (long p : rb) {
            sizeBefore += before.selfSize((int) (p & 0x7FFFFFFF));
        }
        long sizeAfter = 0;
        for (long p : ra) {
            sizeAfter += after.selfSize((int) (p & 0x7FFFFFFF));
        }
        Rows rows = new Rows();
        Namer nb = new Namer(before, rows);
        Namer na = new Namer(after, rows);
        long freed = 0;
        long allocated = 0;
        int i = 0;
        int j = 0;
        while (i < rb.length || j < ra.length) {
            long x = i < rb.length ? rb[i] >>> 31 : Long.MAX_VALUE;
            long y = j < ra.length ? ra[j] >>> 31 : Long.MAX_VALUE;
            if (x < y) {
                int v = (int) (rb[i] & 0x7FFFFFFF);
                freed++;
                rows.add(nb.slot(v), -before.selfSize(v), false);
                i = skip(rb, i, x);
            } else if (x > y) {
                int v = (int) (ra[j] & 0x7FFFFFFF);
                allocated++;
                rows.add(na.slot(v), after.selfSize(v), true);
                j = skip(ra, j, y);
            } else {
                i = skip(rb, i, x);
                j = skip(ra, j, y);
            }
        }
        return new Result(new Side(before.nodeCount(), beforeTime, sizeBefore),
                new Side(after.nodeCount(), afterTime, sizeAfter), freed, allocated, rows.sorted());
    }

    /** Index of the first entry after those with this id (ids are a set in memwatch). */
    private static int skip(long[] p, int i, long id) {
        do {
            i++;
        } while (i < p.length && p[i] >>> 31 == id);
        return i;
    }

    /** {@code id << 31 | ordinal} of every node reachable from the root through any edge, sorted. */
    static long[] reachable(HeapSnapshot s) {
        int n = s.nodeCount();
        if (n == 0) {
            return new long[0];
        }
        long[] seen = new long[(n + 63) >>> 6];
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        int root = s.rootOrdinal();
        queue[tail++] = root;
        seen[root >>> 6] |= 1L << root;
        while (head < tail) {
            int v = queue[head++];
            for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                int w = s.edgeTo(e);
                if ((seen[w >>> 6] & (1L << w)) == 0) {
                    seen[w >>> 6] |= 1L << w;
                    queue[tail++] = w;
                }
            }
        }
        long[] p = new long[tail];
        for (int k = 0; k < tail; k++) {
            int v = queue[k];
            p[k] = (s.id(v) << 31) | v;
        }
        Arrays.sort(p);
        return p;
    }

    /** memwatch's {@code what} for a node type, or null for the types it drops (object nodes use their name). */
    static String whatOfType(int type) {
        switch (type) {
            case NodeType.ARRAY: return "Array";
            case NodeType.STRING: return "String";
            case NodeType.CODE: return "Code";
            case NodeType.CLOSURE: return "Closure";
            case NodeType.REGEXP: return "RegExp";
            case NodeType.NUMBER: return "Number";
            case NodeType.NATIVE: return "Native";
            default: return null;   // hidden, synthetic, concatenated/sliced string, symbol, ...
        }
    }

    /**
     * The detail rows on primitive arrays, one slot per {@code what}. Each snapshot maps its nodes to
     * slots through a per-type table and, for object nodes, a per-name-string table, so the hot loop
     * touches no maps.
     */
    static final class Rows {
        private final Map<String, Integer> slotOf = new HashMap<>();
        private final List<String> names = new ArrayList<>();
        private long[] size = new long[16];
        private long[] added = new long[16];
        private long[] freed = new long[16];

        int slot(String what) {
            Integer s = slotOf.get(what);
            if (s == null) {
                s = names.size();
                names.add(what);
                slotOf.put(what, s);
                if (s == size.length) {
                    size = Arrays.copyOf(size, s * 2);
                    added = Arrays.copyOf(added, s * 2);
                    freed = Arrays.copyOf(freed, s * 2);
                }
            }
            return s;
        }

        void add(int slot, long bytes, boolean isNew) {
            if (slot < 0) {
                return;
            }
            size[slot] += bytes;
            if (isNew) {
                added[slot]++;
            } else {
                freed[slot]++;
            }
        }

        List<Detail> sorted() {
            List<Detail> out = new ArrayList<>(names.size());
            for (int k = 0; k < names.size(); k++) {
                out.add(new Detail(names.get(k), size[k], added[k], freed[k]));
            }
            out.sort((x, y) -> compareCodePoints(x.what(), y.what()));
            return out;
        }
    }

    /** Node to detail slot for one snapshot (-1: no row). */
    static final class Namer {
        private static final int UNSET = -2;
        private final HeapSnapshot s;
        private final Rows rows;
        private final int[] byType = new int[256];
        private int[] byName;   // per string index, made on first object node

        Namer(HeapSnapshot s, Rows rows) {
            this.s = s;
            this.rows = rows;
            Arrays.fill(byType, UNSET);
        }

        int slot(int v) {
            int t = s.type(v);
            if (t == NodeType.OBJECT) {
                if (byName == null) {
                    byName = new int[s.strings().size()];
                    Arrays.fill(byName, UNSET);
                }
                int nm = s.nameIndex(v);
                int k = byName[nm];
                if (k == UNSET) {
                    k = rows.slot(s.strings().get(nm));
                    byName[nm] = k;
                }
                return k;
            }
            int k = byType[t];
            if (k == UNSET) {
                String w = whatOfType(t);
                k = w == null ? -1 : rows.slot(w);
                byType[t] = k;
            }
            return k;
        }
    }

    /** std::string order over UTF-8 bytes, which is code point order. */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
