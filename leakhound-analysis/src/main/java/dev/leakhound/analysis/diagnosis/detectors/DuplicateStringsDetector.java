package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Claims;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisContext;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.StringTable;

import java.util.ArrayList;
import java.util.List;
import java.util.BitSet;

/**
 * Duplicate strings (DevTools' "Duplicated strings" filter): string nodes with the same text. V8's
 * snapshot writer interns node names, so equal texts share one string-table index and grouping by
 * that index groups by content ({@link dev.leakhound.analysis.diagnosis.NodeScan} counts them). Names are
 * cut at {@value #MAX_TEXT_BYTES} bytes, so strings whose name may be cut are left out (their tails could
 * differ), as are cons and sliced strings (their text is not in the name) and strings only the engine
 * reaches. Wasted bytes: all copies but one. Reported when they reach {@code minBytes}. Neither reads
 * nor makes claims.
 */
public final class DuplicateStringsDetector implements Detector {
    static final int TOP = 5;
    static final int MAX_TEXT_BYTES = 1024;

    @Override
    public FindingKind kind() {
        return FindingKind.DUPLICATE_STRINGS;
    }

    @Override
    public Result detect(DiagnosisContext c, Claims claimed) {
        HeapSnapshot s = c.snapshot();
        StringTable st = s.strings();
        int[] info = c.scan().stringInfo();
        long threshold = c.options().minBytes();
        if (info == null) {
            return Result.none(new Check.DuplicateStrings(false, 0, 0, 0, false, threshold));
        }
        long wasted = 0;
        long copies = 0;
        long texts = 0;
        int[] top = new int[TOP];
        long[] topWaste = new long[TOP];
        int topN = 0;
        for (int i = 0, n = info.length / 3; i < n; i++) {
            int count = info[3 * i];
            if (count < 2 || st.byteLength(i) >= MAX_TEXT_BYTES) {
                continue;
            }
            texts++;
            long w = (long) (count - 1) * info[3 * i + 1];
            wasted += w;
            copies += count - 1;
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
        boolean report = wasted >= threshold && topN > 0;
        Check check = new Check.DuplicateStrings(true, c.scan().stringNodes(), texts, wasted, report, threshold);
        if (!report) {
            return Result.none(check);
        }
        // a sample copy of each top text (the first the scan met), for ids and a path
        List<Finding.Duplicate> dups = new ArrayList<>();
        for (int i = 0; i < topN; i++) {
            int sample = info[3 * top[i] + 2];
            dups.add(new Finding.Duplicate(c.label(sample), info[3 * top[i]], info[3 * top[i] + 1], topWaste[i],
                    c.holderName(c.path(sample)), s.id(sample)));
        }
        int first = info[3 * top[0] + 2];
        Finding.DuplicateStrings detail = new Finding.DuplicateStrings(texts, copies, wasted, dups);
        return new Result(List.of(c.finding(FindingKind.DUPLICATE_STRINGS, wasted, copies, first, null, List.of(s.id(first)),
                detail)), check, new BitSet());
    }
}
