package dev.leakhound.analysis.strings;

import dev.leakhound.core.graph.Distances;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.StringTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Duplicated strings (DevTools' "Duplicated strings" filter): the one place the grouping rules live, for the
 * diagnosis' detector and for {@code leakhound serve}'s Summary filter.
 * <ul>
 *   <li>Which nodes count ({@link #counts}): string nodes of V8's type {@code string} (cons and sliced strings
 *       have their text elsewhere, not in their name) that a user root reaches (not only the engine).</li>
 *   <li>How they group: by name index. V8's snapshot writer interns node names, so equal texts share one
 *       string-table index and grouping by index groups by content.</li>
 *   <li>Which texts compare ({@link #comparable}): names are cut at {@value #MAX_TEXT_BYTES} bytes, so a text
 *       whose name may be cut is left out (the tails of its copies could differ).</li>
 *   <li>What is wasted: all copies but one, each the size of the first one met.</li>
 * </ul>
 */
public final class DuplicateStrings {
    /** V8 cuts string node names at this many bytes: texts this long may differ after the cut. */
    public static final int MAX_TEXT_BYTES = 1024;
    /** The most string-table entries {@link Counter} handles (three ints each in one array). */
    public static final int MAX_COUNTED_STRINGS = (Integer.MAX_VALUE - 16) / 3;
    /** Up to this many texts, {@link #tally} keeps its top list by insertion; more are sorted. */
    private static final int INSERTION_TOP = 64;

    private DuplicateStrings() {}

    /** Whether string node {@code v} (of type {@link NodeType#STRING}) counts: a user root reaches it. */
    public static boolean counts(HeapGraph g, int v) {
        int d = g.distance(v);
        return d >= 0 && d < Distances.SYSTEM_BASE;
    }

    /** Whether the copies of text {@code text} (a string-table index) can be told equal: its name is not cut. */
    public static boolean comparable(StringTable st, int text) {
        return st.byteLength(text) < MAX_TEXT_BYTES;
    }

    /**
     * Counts string nodes per text, one node at a time (the diagnosis' single pass feeds it). Per string-table
     * index i: how many counted nodes have that text ({@code [3i]}), the size of one ({@code [3i+1]}) and the first
     * of them ({@code [3i+2]}); interleaved so that counting a string touches one cache line.
     */
    public static final class Counter {
        private final HeapGraph g;
        private final HeapSnapshot s;
        private final int[] info;
        private long nodes;

        public Counter(HeapGraph g) {
            this.g = g;
            this.s = g.snapshot();
            int strings = s.strings().size();
            this.info = strings <= MAX_COUNTED_STRINGS ? new int[3 * strings] : null;
        }

        /** Takes string node {@code v} (type {@link NodeType#STRING}) into account if it {@link #counts}. */
        public void add(int v) {
            if (info != null && counts(g, v)) {
                nodes++;
                int at = 3 * s.nameIndex(v);
                if (info[at]++ == 0) {
                    info[at + 1] = (int) Math.min(Integer.MAX_VALUE, s.selfSize(v));
                    info[at + 2] = v;
                }
            }
        }

        /** The counts (see the class), or null when the string table is too big to count. */
        public int[] info() {
            return info;
        }

        /** String nodes counted. */
        public long nodes() {
            return nodes;
        }
    }

    /** One pass over every node: the counts of {@link Counter}. */
    public static Counter count(HeapGraph g) {
        Counter c = new Counter(g);
        HeapSnapshot s = g.snapshot();
        for (int v = 0, n = s.nodeCount(); v < n; v++) {
            if (s.type(v) == NodeType.STRING) {
                c.add(v);
            }
        }
        return c;
    }

    /**
     * A text with more than one copy.
     *
     * @param text   its string-table index
     * @param copies counted nodes with that text
     * @param size   the size of one (the first met)
     * @param wasted all copies but one
     * @param sample the first copy met (a node ordinal)
     */
    public record Text(int text, int copies, int size, long wasted, int sample) {}

    /**
     * All duplicated texts: how many, their copies beyond the first, the bytes those take, and the top ones.
     *
     * @param top the biggest waste first (ties: lower string-table index first)
     */
    public record Tally(long texts, long copies, long wasted, List<Text> top) {}

    /** The duplicated, {@link #comparable} texts of {@code info} (from {@link Counter#info()}), the {@code limit} most wasteful listed. */
    public static Tally tally(int[] info, StringTable st, int limit) {
        long wasted = 0;
        long copies = 0;
        long texts = 0;
        List<Text> all = new ArrayList<>();
        boolean insert = limit <= INSERTION_TOP;
        Text[] top = new Text[insert ? limit : 0];
        int topN = 0;
        for (int i = 0, n = info.length / 3; i < n; i++) {
            int count = info[3 * i];
            if (count < 2 || !comparable(st, i)) {
                continue;
            }
            texts++;
            long w = (long) (count - 1) * info[3 * i + 1];
            wasted += w;
            copies += count - 1;
            if (!insert) {
                all.add(new Text(i, count, info[3 * i + 1], w, info[3 * i + 2]));
            } else if (limit > 0 && (topN < limit || w > top[topN - 1].wasted())) {
                int k = topN < limit ? topN++ : limit - 1;
                while (k > 0 && top[k - 1].wasted() < w) {
                    top[k] = top[k - 1];
                    k--;
                }
                top[k] = new Text(i, count, info[3 * i + 1], w, info[3 * i + 2]);
            }
        }
        List<Text> out;
        if (insert) {
            out = Arrays.asList(Arrays.copyOf(top, topN));
        } else {
            all.sort(Comparator.comparingLong(Text::wasted).reversed().thenComparingInt(Text::text));
            out = all.size() > limit ? all.subList(0, limit) : all;
        }
        return new Tally(texts, copies, wasted, List.copyOf(out));
    }

    /** The counted copies of {@code text} (node ordinals, in snapshot order). */
    public static int[] copies(HeapGraph g, int text) {
        HeapSnapshot s = g.snapshot();
        int[] out = new int[8];
        int n = 0;
        for (int v = 0, end = s.nodeCount(); v < end; v++) {
            if (s.nameIndex(v) == text && s.type(v) == NodeType.STRING && counts(g, v)) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
