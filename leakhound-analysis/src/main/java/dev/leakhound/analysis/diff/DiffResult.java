package dev.leakhound.analysis.diff;

import java.util.List;

/**
 * The Comparison of two snapshots of one process, per class.
 *
 * @param before      the base snapshot
 * @param after       the snapshot compared with it
 * @param check       what the same-process check measured
 * @param classes     classes with at least one new or deleted object, biggest size delta first
 * @param totals      sums over every class (named "total")
 * @param classCount  classes present in either snapshot
 * @param warnings    things the user should know (e.g. AFTER looks older than BEFORE)
 */
public record DiffResult(Side before, Side after, SameProcessCheck.Result check, List<ClassDelta> classes,
                         ClassDelta totals, int classCount, List<Warning> warnings) {

    /**
     * Something the user should know about the comparison; the report words it from the check's numbers.
     *
     * @param before how the user named BEFORE (its path)
     * @param after  how the user named AFTER
     */
    public record Warning(Kind kind, String before, String after) {
        public enum Kind {
            /** The snapshots do not look like one process, compared anyway (--force). */
            DIFFERENT_PROCESSES_FORCED,
            /** AFTER's newest object id is below BEFORE's: the two were probably given the wrong way round. */
            AFTER_LOOKS_OLDER
        }
    }

    /** One snapshot: its file (null when built in memory), node count, sum of self sizes, largest odd id. */
    public record Side(String file, int nodes, long totalBytes, long maxJsObjectId) {}

    /**
     * One class in DevTools' Comparison columns (# New, # Deleted, # Delta, Alloc. Size, Freed Size,
     * Size Delta), plus its count and self size in each snapshot. Nodes with self size 0 are not counted.
     */
    public record ClassDelta(String name, long countBefore, long countAfter, long bytesBefore, long bytesAfter,
                             long newCount, long deletedCount, long allocatedBytes, long freedBytes) {
        public long deltaCount() {
            return newCount - deletedCount;
        }

        public long deltaBytes() {
            return allocatedBytes - freedBytes;
        }

        public boolean changed() {
            return newCount != 0 || deletedCount != 0;
        }
    }

    public long deltaBytes() {
        return after.totalBytes() - before.totalBytes();
    }
}
