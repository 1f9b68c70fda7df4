package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.RetainerPath;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.StringTable;

import java.util.ArrayList;
import java.util.List;

/**
 * Duplicate strings (DevTools' "Duplicated strings" filter): string nodes with the same text. V8's
 * snapshot writer interns node names, so equal texts share one string-table index and grouping by
 * that index groups by content. Names are cut at 1024 characters, so strings whose name may be cut
 * are left out (their tails could differ), as are cons and sliced strings (their text is not in the
 * name) and strings only the engine reaches. Wasted bytes: all copies but one.
 */
final class DuplicateStrings {
    static final int TOP = 5;

    private DuplicateStrings() {}

    static void find(Heap h, List<Finding> out, List<String> checked) {
        HeapSnapshot s = h.s;
        StringTable st = s.strings();
        int[] info = h.stringInfo;
        int strings = h.stringNodes;
        long wasted = 0;
        long copies = 0;
        int groups = 0;
        int[] top = new int[TOP];
        long[] topWaste = new long[TOP];
        int topN = 0;
        for (int i = 0, texts = info.length / 3; i < texts; i++) {
            int c = info[3 * i];
            if (c < 2 || st.byteLength(i) >= 1024) {
                continue;
            }
            groups++;
            long w = (long) (c - 1) * info[3 * i + 1];
            wasted += w;
            copies += c - 1;
            if (topN < TOP || w > topWaste[topN - 1]) {
                int k = topN < TOP ? topN++ : TOP - 1;
                while (k > 0 && topWaste[k - 1] < w) {
                    top[k] = top[k - 1];
                    topWaste[k] = topWaste[k - 1];
                    k--;
                }
                top[k] = i;
                topWaste[k] = w;
            }
        }
        boolean report = wasted >= h.o.minBytes() && topN > 0;
        checked.add("duplicate strings: " + Heap.count(strings) + " strings, " + Heap.count(groups) + " texts held more than"
                + " once, " + Heap.bytes(wasted) + " wasted; " + (report ? "reported" : "not reported") + " (threshold "
                + Heap.bytes(h.o.minBytes()) + ")");
        if (!report) {
            return;
        }
        // a sample copy of each top text (the scan kept the first and last), for ids and a path
        int[] sample = new int[topN];
        List<List<Long>> idsOf = new ArrayList<>();
        for (int i = 0; i < topN; i++) {
            sample[i] = info[3 * top[i] + 2];
            idsOf.add(List.of(s.id(sample[i])));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < topN; i++) {
            String text = RetainerPath.label(h.g, sample[i]);
            List<RetainerPath.Step> p = h.path(sample[i]);
            lines.add(text + " ×" + Heap.count(info[3 * top[i]]) + ", " + Heap.bytes(info[3 * top[i] + 1]) + " each, "
                    + Heap.bytes(topWaste[i]) + " wasted; e.g. " + h.holderName(p) + " @" + s.id(sample[i]));
        }
        List<RetainerPath.Step> path = h.path(sample[0]);
        List<Finding.Fact> facts = new ArrayList<>();
        facts.add(Finding.Fact.count("texts", groups));
        facts.add(Finding.Fact.count("extra copies", copies));
        facts.add(Finding.Fact.list("top duplicates", lines));
        String title = Heap.bytes(wasted) + " wasted by " + Heap.count(copies) + " duplicate copies of " + Heap.count(groups)
                + " strings; the most: " + RetainerPath.label(h.g, sample[0]) + " ×" + Heap.count(info[3 * top[0]]);
        String fix = "The same text is built or parsed again and again (JSON.parse of similar payloads, header values,"
                + " string concatenation) and every copy is kept. Keep one copy (a Map from text to the shared string, or"
                + " an enum of known values), or keep less: store the parsed fields you need, not whole payloads.";
        out.add(new Finding("duplicate-strings", title, wasted, copies, s.id(sample[0]), h.g.className(sample[0]),
                h.render(path), path, null, facts, idsOf.get(0), fix));
    }
}
