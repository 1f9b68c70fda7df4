package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Claims;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisContext;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.analysis.strings.DuplicateStrings;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.BitSet;

/**
 * Duplicate strings (DevTools' "Duplicated strings" filter): string nodes with the same text, grouped and
 * counted by the rules of {@link DuplicateStrings} ({@link dev.leakhound.analysis.diagnosis.NodeScan} counts
 * them in its pass). Wasted bytes: all copies but one. Reported when they reach {@code minBytes}. Neither reads
 * nor makes claims.
 */
public final class DuplicateStringsDetector implements Detector {
    static final int TOP = 5;

    @Override
    public FindingKind kind() {
        return FindingKind.DUPLICATE_STRINGS;
    }

    @Override
    public Result detect(DiagnosisContext c, Claims claimed) {
        HeapSnapshot s = c.snapshot();
        int[] info = c.scan().stringInfo();
        long threshold = c.options().minBytes();
        if (info == null) {
            return Result.none(new Check.DuplicateStrings(false, 0, 0, 0, false, threshold));
        }
        DuplicateStrings.Tally t = DuplicateStrings.tally(info, s.strings(), TOP);
        boolean report = t.wasted() >= threshold && !t.top().isEmpty();
        Check check = new Check.DuplicateStrings(true, c.scan().stringNodes(), t.texts(), t.wasted(), report, threshold);
        if (!report) {
            return Result.none(check);
        }
        // a sample copy of each top text (the first the scan met), for ids and a path
        List<Finding.Duplicate> dups = new ArrayList<>();
        for (DuplicateStrings.Text x : t.top()) {
            int sample = x.sample();
            dups.add(new Finding.Duplicate(c.label(sample), x.copies(), x.size(), x.wasted(),
                    c.holderName(c.path(sample)), s.id(sample)));
        }
        int first = t.top().get(0).sample();
        Finding.DuplicateStrings detail = new Finding.DuplicateStrings(t.texts(), t.copies(), t.wasted(), dups);
        return new Result(List.of(c.finding(FindingKind.DUPLICATE_STRINGS, t.wasted(), t.copies(), first, null, List.of(s.id(first)),
                detail)), check, new BitSet());
    }
}
