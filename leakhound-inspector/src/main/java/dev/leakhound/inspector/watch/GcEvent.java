package dev.leakhound.inspector.watch;

import java.util.List;

/**
 * One garbage collection in the target.
 *
 * @param timeMillis    when it ended (epoch ms; to within 1 s with GCProfiler, exact with the observer)
 * @param kind          its kind
 * @param pauseMillis   how long it took
 * @param usedHeapAfter {@code used_heap_size} right after it (see install.js for how exact that is)
 * @param forcedGroup   0 for the target's own GCs; for GCs leakhound forced, a number shared by all the GCs
 *                      of one HeapProfiler.collectGarbage (which runs full GCs until the heap stops shrinking)
 */
public record GcEvent(long timeMillis, GcKind kind, double pauseMillis, long usedHeapAfter, long forcedGroup) {

    /** True for a full GC that memwatch should not see: a forced one followed by another of the same group. */
    public static boolean[] supersededForced(List<GcEvent> gcs) {
        boolean[] skip = new boolean[gcs.size()];
        for (int i = 0; i < gcs.size(); i++) {
            GcEvent g = gcs.get(i);
            if (g.forcedGroup() == 0 || g.kind() != GcKind.MAJOR) {
                continue;
            }
            for (int j = i + 1; j < gcs.size() && gcs.get(j).forcedGroup() == g.forcedGroup(); j++) {
                if (gcs.get(j).kind() == GcKind.MAJOR) {
                    skip[i] = true;
                    break;
                }
            }
        }
        return skip;
    }
}
