package dev.leakhound.analysis;

import dev.leakhound.analysis.nodejs.NodeVersion;
import dev.leakhound.core.snapshot.HeapSnapshot;

/**
 * What a snapshot is, before any analysis: its size on disk and in counts, and the Node.js version that
 * wrote it when the heap says so. Needs the snapshot read, no graph.
 *
 * @param totalBytes      self sizes plus V8's extra native bytes: analyze's {@code totalBytes}
 * @param nodeVersion     {@code v20.20.2}, or null when unknown (not Node.js, or no {@code process.versions})
 * @param maxJsObjectId   the largest V8 object id: ids above it were allocated later (what diff and find-leaks use)
 * @param allocationTraces whether the snapshot carries allocation stacks (taken with allocation tracking on)
 */
public record SnapshotFacts(String file, long fileBytes, int nodeCount, int edgeCount, int stringCount,
                            long totalBytes, String nodeVersion, long maxJsObjectId, boolean allocationTraces) {

    public static SnapshotFacts of(HeapSnapshot s, long fileBytes) {
        return new SnapshotFacts(s.source() == null ? "(memory)" : s.source().toString(), fileBytes, s.nodeCount(),
                s.edgeCount(), s.strings().size(), s.totalSelfSize() + s.extraNativeBytes(), NodeVersion.of(s),
                s.maxJsObjectId(), s.hasTraceNodeIds() && hasTraces(s));
    }

    private static boolean hasTraces(HeapSnapshot s) {
        for (int v = 0, n = s.nodeCount(); v < n; v++) {
            if (s.traceNodeId(v) != 0) {
                return true;
            }
        }
        return false;
    }
}
