package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;

import java.util.List;

/** What find-leaks concludes from a series of snapshots of one process. */
public record LeakReport(boolean leak, List<SnapshotInfo> snapshots, List<Leak> leaks, List<Leak> dismissed,
                         long millis) {

    public String verdict() {
        return leak ? "leak" : "no-leak";
    }

    public record SnapshotInfo(String file, int nodes, long totalBytes, long maxJsObjectId) {}

    /**
     * One group of leaked objects: those retained through the same (normalized) path.
     *
     * @param summary      one sentence naming the culprit
     * @param pattern      the leak shape: array, queue, map, set, dictionary, listeners, timers,
     *                     closure-chain, closures-in-array, buffers, memoize, objects
     * @param culprit      the variable or property that holds the growing set
     * @param retainedBytes bytes the accumulation point keeps alive in the last snapshot (through the leaked objects)
     * @param count        objects of the leaked class it holds in the last snapshot
     * @param growthBytes  retainedBytes minus what it kept in the first snapshot
     * @param newBytes     bytes of objects allocated after the first snapshot (and surviving) kept through this path
     * @param newCount     objects of the leaked class among them
     * @param countsPerSnapshot objects of the leaked class under the accumulation point, per snapshot
     * @param bytesPerSnapshot  bytes kept alive through the accumulation point, per snapshot
     * @param container    the accumulation point (the collection or object that holds the set)
     * @param path         root to a representative leaked object
     * @param reason       for a dismissed group: why it is not called a leak
     */
    public record Leak(int rank, String summary, String pattern, String culprit, String leakedClass,
                       long retainedBytes, long count, long growthBytes, long newBytes, long newCount,
                       long[] countsPerSnapshot, long[] bytesPerSnapshot,
                       Container container, List<RetainerPath.Step> path, String pathText,
                       SourceLocator.Location location, String hint, String reason) {}

    /**
     * The accumulation point. {@code scope} names where a closure variable lives, e.g.
     * "variable `requests` in the scope of a function in /app/server.js", or null when it is not one.
     */
    public record Container(long id, String className, String pathText, String pattern, String scope) {}
}
