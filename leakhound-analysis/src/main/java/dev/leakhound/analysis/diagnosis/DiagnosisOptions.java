package dev.leakhound.analysis.diagnosis;

import dev.leakhound.core.LeakhoundException;

/**
 * Noise thresholds of the one-snapshot diagnosis. Two kinds of finding exist: those that rest on
 * size alone (leak suspects, large collections, closure scopes, external memory, duplicate strings)
 * need {@link #minBytes()} or more at stake; those that rest on a shape a healthy process does not
 * have (more listeners than Node's maxListeners, many live timers from one callback, a chain of
 * closure scopes) need their count. Anything whose code is Node's own ({@code node:} sources) must
 * be {@link #internalFactor()} times bigger than that before it is reported.
 *
 * @param suspectShare   MAT: a single or group suspect retains at least this share of the heap (0.10)
 * @param bigDrop        MAT: the accumulation point is where the biggest dominated child holds less
 *                       than this share of its parent (0.70)
 * @param groupCover     MAT: a group's merged shortest paths are followed while they cover this share
 *                       of its objects (0.80)
 * @param minBytes       bytes at stake for findings that rest on size (4 MiB: a fresh Node process's
 *                       whole heap is about that big, so anything smaller is not worth a user's time)
 * @param minListeners   listeners for one event on one emitter (11: more than Node's default maxListeners, 10)
 * @param minTimers      live timers that run the same callback function (10)
 * @param minEntries     entries of one collection that make its fan-out "very high" on their own (10,000);
 *                       smaller collections are reported when they hold {@code minBytes}
 * @param minChain       closure scopes of one function linked into a chain (10)
 * @param internalFactor how much bigger Node-internal listeners, timers, collections and scopes must be (10)
 * @param maxFindings    findings shown, biggest first (10)
 */
public record DiagnosisOptions(double suspectShare, double bigDrop, double groupCover, long minBytes, int minListeners,
                               int minTimers, int minEntries, int minChain, int internalFactor, int maxFindings) {

    public static final long DEFAULT_MIN_BYTES = 4L << 20;

    public static DiagnosisOptions defaults() {
        return new DiagnosisOptions(0.10, 0.70, 0.80, DEFAULT_MIN_BYTES, 11, 10, 10_000, 10, 10, 10);
    }

    public DiagnosisOptions {
        if (!(suspectShare > 0 && suspectShare <= 1)) {
            throw new LeakhoundException("the suspect share must be in (0, 1], got " + suspectShare);
        }
        if (!(bigDrop > 0 && bigDrop <= 1) || !(groupCover > 0 && groupCover <= 1)) {
            throw new LeakhoundException("bigDrop and groupCover must be in (0, 1]");
        }
        if (minBytes < 0 || minListeners < 1 || minTimers < 1 || minEntries < 1 || minChain < 2 || internalFactor < 1
                || maxFindings < 1) {
            throw new LeakhoundException("diagnosis thresholds must be positive (min chain at least 2)");
        }
    }

    public DiagnosisOptions withMinBytes(long v) {
        return new DiagnosisOptions(suspectShare, bigDrop, groupCover, v, minListeners, minTimers, minEntries, minChain,
                internalFactor, maxFindings);
    }

    public DiagnosisOptions withSuspectShare(double v) {
        return new DiagnosisOptions(v, bigDrop, groupCover, minBytes, minListeners, minTimers, minEntries, minChain,
                internalFactor, maxFindings);
    }

    public DiagnosisOptions withMinListeners(int v) {
        return new DiagnosisOptions(suspectShare, bigDrop, groupCover, minBytes, v, minTimers, minEntries, minChain,
                internalFactor, maxFindings);
    }

    public DiagnosisOptions withMinTimers(int v) {
        return new DiagnosisOptions(suspectShare, bigDrop, groupCover, minBytes, minListeners, v, minEntries, minChain,
                internalFactor, maxFindings);
    }

    public DiagnosisOptions withMinEntries(int v) {
        return new DiagnosisOptions(suspectShare, bigDrop, groupCover, minBytes, minListeners, minTimers, v, minChain,
                internalFactor, maxFindings);
    }

    public DiagnosisOptions withMinChain(int v) {
        return new DiagnosisOptions(suspectShare, bigDrop, groupCover, minBytes, minListeners, minTimers, minEntries, v,
                internalFactor, maxFindings);
    }

    public DiagnosisOptions withMaxFindings(int v) {
        return new DiagnosisOptions(suspectShare, bigDrop, groupCover, minBytes, minListeners, minTimers, minEntries,
                minChain, internalFactor, v);
    }
}
