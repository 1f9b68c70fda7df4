package dev.leakhound.analysis.objects;

import dev.leakhound.analysis.TopRetained;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.graph.ClassIndex;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Objects of a snapshot found by what they are: by class name (the class names that contain the text, any
 * case), or by string content (string objects whose value contains the text). As in the Summary view,
 * objects of self size 0 do not count. The matches come biggest retained size first (ties: lower ordinal),
 * cut to a limit; the totals count them all.
 */
public final class ObjectSearch {
    /** What to look for: exactly one of a class-name text and a string-content text. */
    public record Query(String className, String stringContent) {
        public Query {
            if ((className == null) == (stringContent == null)) {
                throw new LeakhoundException("search by class name or by string content: give exactly one of them");
            }
            if ((className != null && className.isEmpty()) || (stringContent != null && stringContent.isEmpty())) {
                throw new LeakhoundException("the text to search for is empty");
            }
        }
    }

    /** One object found; {@code distance} is -1 when no root reaches it. */
    public record Row(long id, String className, String label, long selfSize, long retainedSize, int distance) {}

    /**
     * @param rows          the biggest matches, at most the limit
     * @param matched       objects that matched
     * @param matchedBytes  their self sizes, summed
     * @param classes       the class names that matched (class search; empty for a string search)
     */
    public record Result(Query query, List<Row> rows, long matched, long matchedBytes, List<String> classes) {}

    private ObjectSearch() {}

    public static Result run(HeapGraph g, Query q, int limit) {
        HeapSnapshot s = g.snapshot();
        ClassIndex ci = g.classes();
        List<String> classes = new ArrayList<>();
        boolean[] classMatch = null;
        if (q.className() != null) {
            String want = q.className().toLowerCase(Locale.ROOT);
            classMatch = new boolean[ci.classCount()];
            for (int c = 0; c < classMatch.length; c++) {
                if (ci.name(c).toLowerCase(Locale.ROOT).contains(want)) {
                    classMatch[c] = true;
                    classes.add(ci.name(c));
                }
            }
        }
        // a string's value is its name: each distinct name is looked at once (0 unknown, 1 no, 2 yes)
        byte[] nameMatch = q.stringContent() == null ? null : new byte[s.strings().size()];
        long[] ret = g.retainedSizes();
        TopRetained top = new TopRetained(ret, limit);
        long matched = 0;
        long bytes = 0;
        for (int v = 0, n = s.nodeCount(); v < n; v++) {
            long self = s.selfSize(v);
            if (self == 0) {
                continue;
            }
            if (classMatch != null) {
                if (!classMatch[ci.classOf(v)]) {
                    continue;
                }
            } else {
                if (s.type(v) != NodeType.STRING) {
                    continue;
                }
                int name = s.nameIndex(v);
                if (nameMatch[name] == 0) {
                    nameMatch[name] = (byte) (s.strings().get(name).contains(q.stringContent()) ? 2 : 1);
                }
                if (nameMatch[name] != 2) {
                    continue;
                }
            }
            matched++;
            bytes += self;
            top.offer(v);   // biggest retained size first, ties in ordinal order
        }
        List<Row> rows = new ArrayList<>(top.size());
        for (int i = 0; i < top.size(); i++) {
            int v = top.get(i);
            int d = g.distance(v);
            rows.add(new Row(s.id(v), g.className(v), RetainerPath.label(g, v), s.selfSize(v), ret[v], d));
        }
        classes.sort(null);
        return new Result(q, rows, matched, bytes, classes);
    }
}
