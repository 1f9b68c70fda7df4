package dev.leakhound.analysis.diagnosis;

/**
 * What one step of the diagnosis looked at, as numbers (the report words them as its "Checked" lines).
 * Thresholds are repeated so that a reader sees why nothing was reported.
 */
public sealed interface Check {
    /** The one pass over the nodes and edges that feeds the detectors. */
    record Scan(long nodes, long edges) implements Check {}

    /** Leak suspects: how many retain at least {@code threshold}, the max of {@code share} of the heap and {@code minBytes}. */
    record Suspects(int found, long threshold, double share, long minBytes) implements Check {}

    /** {@code present}: the snapshot has EventEmitters at all. */
    record Listeners(boolean present, long emitters, long events, long mostForOneEvent, int reported, int threshold)
            implements Check {}

    /** {@code present}: the snapshot has Node timer lists at all. */
    record Timers(boolean present, long live, long lists, long functions, long mostForOneFunction, int reported,
                  int threshold) implements Check {}

    record ClosureChains(long contexts, long functions, long longest, int reported, int threshold) implements Check {}

    /** Collections with at least {@code examinedFrom} entries were examined. */
    record Collections(long examined, int examinedFrom, long largest, int reported, long thresholdEntries,
                       long thresholdBytes) implements Check {}

    /** {@code present}: the snapshot has ArrayBuffer backing stores at all. */
    record ExternalMemory(boolean present, long stores, long bytes, long groups, int reported, long threshold)
            implements Check {}

    /** Function scopes whose contexts retain {@code threshold} or more before de-duplication. */
    record ClosureScopes(long contexts, long candidates, int reported, long threshold) implements Check {}

    /** {@code counted}: false when the snapshot has too many strings to count copies of. */
    record DuplicateStrings(boolean counted, long strings, long texts, long wastedBytes, boolean reported, long threshold)
            implements Check {}
}
