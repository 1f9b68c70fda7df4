package dev.leakhound.analysis.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two sampling heap profiles of one process compared by allocation site: for each function, its self bytes
 * (live bytes it allocated, when the profiles keep only what is still alive) before and after. A site whose
 * bytes keep growing between profiles of one sampling session is what a leak looks like without a snapshot.
 */
public final class ProfileDiff {
    /** One site's self (and total) bytes in each profile; 0 where the profile does not have it. */
    public record Change(CallFrame frame, long beforeBytes, long afterBytes, long beforeTotalBytes, long afterTotalBytes) {
        public long deltaBytes() {
            return afterBytes - beforeBytes;
        }
    }

    /**
     * @param changes every site in either profile, biggest growth first (shrinking sites last)
     */
    public record Result(AllocationSites before, AllocationSites after, List<Change> changes) {
        public long deltaBytes() {
            return after.totalBytes() - before.totalBytes();
        }

        /** Sites whose bytes grew, biggest growth first. */
        public List<Change> grown() {
            return changes.stream().filter(c -> c.deltaBytes() > 0).toList();
        }

        /** Sites whose bytes shrank, biggest drop first. */
        public List<Change> shrunk() {
            List<Change> l = new ArrayList<>(changes.stream().filter(c -> c.deltaBytes() < 0).toList());
            l.sort(Comparator.comparingLong(Change::deltaBytes));
            return l;
        }
    }

    private ProfileDiff() {}

    public static Result compare(HeapProfile before, HeapProfile after) {
        AllocationSites b = AllocationSites.of(before);
        AllocationSites a = AllocationSites.of(after);
        Map<String, AllocationSites.Site> bs = new HashMap<>();
        for (AllocationSites.Site s : b.bySelf()) {
            bs.put(s.frame().siteKey(), s);
        }
        Map<String, Change> out = new LinkedHashMap<>();
        for (AllocationSites.Site s : a.bySelf()) {
            AllocationSites.Site o = bs.get(s.frame().siteKey());
            out.put(s.frame().siteKey(), new Change(s.frame(), o == null ? 0 : o.selfBytes(), s.selfBytes(),
                    o == null ? 0 : o.totalBytes(), s.totalBytes()));
        }
        for (AllocationSites.Site o : b.bySelf()) {
            out.putIfAbsent(o.frame().siteKey(), new Change(o.frame(), o.selfBytes(), 0, o.totalBytes(), 0));
        }
        List<Change> l = new ArrayList<>(out.values());
        l.sort(Comparator.comparingLong(Change::deltaBytes).reversed()
                .thenComparing(Comparator.comparingLong(Change::afterBytes).reversed())
                .thenComparing(c -> c.frame().siteKey()));
        return new Result(b, a, List.copyOf(l));
    }
}
