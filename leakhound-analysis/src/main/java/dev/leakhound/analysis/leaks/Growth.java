package dev.leakhound.analysis.leaks;

/**
 * What a group's accumulation point held in each snapshot, and the verdict on it.
 *
 * @param counts           objects of the leaked class, per snapshot
 * @param bytes            bytes kept alive through them, per snapshot
 * @param firstMembers     members at the first snapshot whose ids were remembered, or -1
 * @param firstMembersKept how many of those are still members at the last snapshot, or -1
 */
record Growth(long[] counts, long[] bytes, long firstMembers, long firstMembersKept) {

    /** Collects one group's samples, oldest snapshot first. */
    static Growth of(GroupMeasure.Sample[] samples) {
        int k = samples.length;
        long[] counts = new long[k];
        long[] bytes = new long[k];
        for (int i = 0; i < k; i++) {
            counts[i] = samples[i].count();
            bytes[i] = samples[i].bytes();
        }
        long[] first = samples[0].memberIds();
        return new Growth(counts, bytes, first == null ? -1 : first.length, samples[k - 1].keptMembers());
    }

    long last() {
        return counts[counts.length - 1];
    }

    long lastBytes() {
        return bytes[bytes.length - 1];
    }

    /** Bytes at the last snapshot minus bytes at the first. */
    long growthBytes() {
        return lastBytes() - bytes[0];
    }

    /** Members leave and others arrive: more than a tenth of the first members are gone (a queue, not a pile). */
    boolean turnsOver() {
        return firstMembersKept >= 0 && firstMembers >= 4 && firstMembersKept * 10 < firstMembers * 9;
    }

    /**
     * Null when the group is a leak: its count grows at every step by at least {@code minCount} in all,
     * or (bytes only) its bytes grow at every step by a clear margin and by at least {@code minBytes};
     * its new bytes must reach {@code minBytes} either way. Else why it is dismissed.
     */
    LeakReport.Dismissal judge(long newBytes, FindLeaks.Options o) {
        int k = counts.length;
        if (newBytes < o.minBytes()) {
            return new LeakReport.Dismissal(LeakReport.Dismissal.Reason.TOO_FEW_BYTES, newBytes, o.minBytes());
        }
        boolean countGrows = true;
        boolean bytesGrow = true;
        for (int i = 1; i < k; i++) {
            countGrows &= counts[i] > counts[i - 1];
            bytesGrow &= bytes[i] > bytes[i - 1] * (1 + o.bytesOnlyGrowth() / (k - 1)) && bytes[i] > bytes[i - 1];
        }
        if (countGrows) {
            long grew = counts[k - 1] - counts[0];
            return grew < o.minCount()
                    ? new LeakReport.Dismissal(LeakReport.Dismissal.Reason.TOO_FEW_OBJECTS, grew, o.minCount()) : null;
        }
        if (bytesGrow && growthBytes() >= o.minBytes()) {
            return null;
        }
        return new LeakReport.Dismissal(LeakReport.Dismissal.Reason.NOT_GROWING, growthBytes(), o.minBytes());
    }
}
