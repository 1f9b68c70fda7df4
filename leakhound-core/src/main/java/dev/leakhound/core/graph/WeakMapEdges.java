package dev.leakhound.core.graph;

import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.StringTable;

/**
 * Recognizes V8's ephemeron edges. For each live WeakMap entry V8 writes two internal edges to the
 * value, one from the key and one from the backing table, both named
 * {@code "N / part of key (K @kid) -> value (V @vid) pair in WeakMap (table @tid)"}. The value is
 * alive only while the key is, so the table→value edge must not count as a retainer (DevTools
 * drops it from the dominator computation; so does leakhound, and from distances too).
 *
 * <p>The pair names are parsed once, up front, on the constructing thread: the BFS and the
 * essential-edge pass then read the table from two threads without writing it.
 */
final class WeakMapEdges {
    private static final String MARKER = " / part of key (";
    private static final String TABLE = "(table @";

    private final HeapSnapshot s;
    private final StringTable strings;
    /** Per string index: {@link #NOT_A_PAIR}, else 1 + table id (read directly by the BFS). Written only here. */
    final long[] cache;
    static final long NOT_A_PAIR = -1;
    private static final String[] DIGITS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

    WeakMapEdges(HeapSnapshot s) {
        this.s = s;
        this.strings = s.strings();
        long[] c = new long[strings.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = strings.byteLength(i) < 40 || !startsWithDigit(i) ? NOT_A_PAIR : parse(i);
        }
        this.cache = c;
    }

    private boolean startsWithDigit(int name) {
        for (String d : DIGITS) {
            if (strings.startsWithAscii(name, d)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code edge}, leaving {@code from}, is the table→value half of a WeakMap pair. */
    boolean isTableToValue(int from, int edge) {
        if (s.edgeType(edge) != EdgeType.INTERNAL) {
            return false;
        }
        long c = cache[s.edgeNameOrIndex(edge)];
        return c > 0 && c - 1 == s.id(from);
    }

    private long parse(int name) {
        String text = strings.get(name);
        if (text.isEmpty() || !Character.isDigit(text.charAt(0)) || !text.contains(MARKER)) {
            return -1;
        }
        int t = text.lastIndexOf(TABLE);
        if (t < 0) {
            return -1;
        }
        int start = t + TABLE.length();
        int end = start;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        if (end == start) {
            return -1;
        }
        try {
            return 1 + Long.parseLong(text.substring(start, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
