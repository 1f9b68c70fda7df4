package dev.leakhound.report;

import dev.leakhound.analysis.leaks.Baseline;
import dev.leakhound.analysis.leaks.LeakPattern;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.leaks.Rounds;

import java.util.List;

import static dev.leakhound.report.Format.code;
import static dev.leakhound.report.Format.count;

/**
 * How a find-leaks result reads: each leak's one-sentence summary and its fix, one section per
 * shape; why a group was dismissed; where a closure variable lives. The analysis gives the numbers and
 * names ({@link LeakReport.Detail}); the sentences are here.
 */
public final class LeakText {
    private LeakText() {}

    /** One sentence naming the culprit, with the growth across the snapshots. */
    public static String summary(LeakReport.Leak l) {
        String count = count(l.heldCount());
        String cls = l.leakedClass();
        String growth = growth(l);
        LeakReport.Detail d = l.detail();
        switch (l.pattern()) {
            case LISTENERS: {
                LeakReport.Listeners x = (LeakReport.Listeners) d;
                String fn = x.listener() != null ? x.listener() : "the listener";
                return count + " listeners for '" + x.event() + "' are added to " + emitter(x) + " (" + x.emitterClass()
                        + ") and never removed" + (x.captured().isEmpty() ? "" : "; each " + fn + " keeps " + captured(x.captured()) + " alive")
                        + growth;
            }
            case TIMERS: {
                LeakReport.Timers x = (LeakReport.Timers) d;
                return count + " timers (" + cls + ") are scheduled and never cleared; each callback"
                        + (x.callback() != null ? " " + x.callback() : "")
                        + (x.captured().isEmpty() ? " stays alive" : " keeps " + captured(x.captured()) + " alive") + growth;
            }
            case CLOSURE_CHAIN: {
                LeakReport.Chain x = (LeakReport.Chain) d;
                return "a chain of " + count + " " + cls + " objects: each " + code(x.holder()) + " keeps the previous one alive"
                        + " through the closure variable " + code(x.variable()) + " (" + x.link() + ")" + growth;
            }
            case CHAIN: {
                LeakReport.Chain x = (LeakReport.Chain) d;
                return "a linked chain of " + count + " " + cls + " objects hangs off " + code(x.holder()) + " (" + x.link()
                        + ") and keeps getting longer" + growth;
            }
            case BUFFERS: {
                LeakReport.Buffers x = (LeakReport.Buffers) d;
                return code(x.holder()) + " keeps " + count + " " + cls + " objects holding " + Format.bytes(x.nativeBytes())
                        + " of Buffer memory outside the JS heap" + growth;
            }
            case CLOSURES_IN_ARRAY: {
                LeakReport.Callbacks x = (LeakReport.Callbacks) d;
                return count + " callbacks pile up in " + code(x.holder()) + " and are never removed"
                        + (x.captured().isEmpty() ? "" : "; each keeps " + captured(x.captured()) + " alive") + growth;
            }
            case QUEUE: {
                LeakReport.Queue x = (LeakReport.Queue) d;
                return "the queue " + code(x.holder()) + " grows: items are taken off it (" + count(x.firstMembers() - x.stillThere())
                        + " of the " + count(x.firstMembers()) + " it held at the first snapshot are gone), but more are"
                        + " added than removed (" + cls + ": " + series(l.countsPerSnapshot(), false) + ")";
            }
            case ARRAY: {
                LeakReport.Collection x = (LeakReport.Collection) d;
                return code(x.holder()) + " (Array) keeps " + count + " " + cls + " objects that are pushed and never removed" + growth;
            }
            case MEMOIZE: {
                LeakReport.Collection x = (LeakReport.Collection) d;
                return "the memoization cache " + code(x.holder()) + " (" + FindingText.collectionWord(x.kind())
                        + ") grows without bound: " + count + " " + cls + " entries" + growth;
            }
            case MAP:
            case SET:
            case DICTIONARY: {
                LeakReport.Collection x = (LeakReport.Collection) d;
                return code(x.holder()) + " (" + FindingText.collectionWord(x.kind()) + ") keeps gaining " + cls
                        + " entries that are never deleted: " + count + " held" + growth;
            }
            case OBJECTS: {
                LeakReport.Objects x = (LeakReport.Objects) d;
                return count + " " + cls + " objects accumulate under " + code(x.holder()) + " (" + x.containerClass() + ", via "
                        + x.via() + ")" + growth;
            }
            default:
                throw new IllegalArgumentException("no wording for " + l.pattern());
        }
    }

    /** The fix that fits the shape. */
    public static String hint(LeakReport.Leak l) {
        LeakReport.Detail d = l.detail();
        switch (l.pattern()) {
            case LISTENERS: {
                LeakReport.Listeners x = (LeakReport.Listeners) d;
                return "Listeners are added to " + emitter(x) + " for '" + x.event() + "' again and again (per request, per"
                        + " reconnect) and never removed, so each one and everything its closure captures stays alive. Remove"
                        + " each listener when its work ends (emitter.off / removeListener with the same function), register"
                        + " it with once() if it should run once, or register one shared listener at start-up.";
            }
            case TIMERS: {
                LeakReport.Timers x = (LeakReport.Timers) d;
                return "setInterval (or re-armed setTimeout) timers are created again and again and never cleared, and"
                        + " each keeps its callback and everything the callback captures"
                        + (x.captured().isEmpty() ? "" : " (" + code(x.captured().get(0).variable()) + ")")
                        + ". Keep the handle and call clearInterval/clearTimeout when the work ends (e.g. when the session"
                        + " or connection closes); timer.unref() does not free memory.";
            }
            case CLOSURE_CHAIN: {
                LeakReport.Chain x = (LeakReport.Chain) d;
                String var = code(x.variable());
                return "Each new value of " + code(x.holder()) + " captures the previous one through the variable " + var
                        + ", which a closure in the same scope uses: V8 keeps one shared context per scope, so every"
                        + " closure created there keeps " + var + " alive. Set " + var + " to null once it is no"
                        + " longer needed, or move the closure that uses it out of that scope.";
            }
            case CHAIN: {
                LeakReport.Chain x = (LeakReport.Chain) d;
                return "Objects are linked to one another through " + x.link() + " and the chain is never cut. Unlink old"
                        + " entries (set the link to null) or bound the chain's length.";
            }
            case BUFFERS: {
                LeakReport.Buffers x = (LeakReport.Buffers) d;
                return "Buffers are kept in " + code(x.holder()) + " and never released; their memory is outside the JS heap"
                        + " (process.memoryUsage().external / arrayBuffers), so heap charts understate it. Drop the references"
                        + " when done, bound what is kept, and copy the bytes you need (Buffer.from(buf.subarray(...)))"
                        + " instead of keeping slices, which pin the whole parent buffer.";
            }
            case CLOSURES_IN_ARRAY: {
                LeakReport.Callbacks x = (LeakReport.Callbacks) d;
                return "Functions are pushed to " + code(x.holder()) + " and stay there after they are no longer needed, and"
                        + " each keeps its whole scope alive" + (x.captured().isEmpty() ? "" : " (" + code(x.captured().get(0).variable()) + ")")
                        + ". Remove a callback once it has run (or use a Set and delete it), and bound the list.";
            }
            case QUEUE: {
                LeakReport.Queue x = (LeakReport.Queue) d;
                return "Its consumer is slower than its producer, so " + code(x.holder()) + " grows without bound. Bound the"
                        + " queue and apply backpressure (pause or slow the producer, or reject/drop work when it is full),"
                        + " or make the consumer keep up (more concurrency, batching).";
            }
            case ARRAY: {
                LeakReport.Collection x = (LeakReport.Collection) d;
                return "Entries are added to the array " + code(x.holder()) + " and never removed. Remove them when their work"
                        + " is done, cap the array (a ring buffer of the last N), or keep only the small part you need"
                        + " (an id, a counter) instead of whole objects.";
            }
            case MEMOIZE: {
                LeakReport.Collection x = (LeakReport.Collection) d;
                return "Every distinct argument adds an entry to " + code(x.holder()) + " and nothing evicts them. Bound the"
                        + " cache: an LRU with a maximum size, a TTL, or both; with object keys, a WeakMap lets entries go"
                        + " with their keys.";
            }
            case MAP:
            case SET:
            case DICTIONARY: {
                LeakReport.Collection x = (LeakReport.Collection) d;
                return "Entries are added to " + code(x.holder()) + " and never deleted. Delete each entry when its work is done"
                        + " (for requests: on 'finish'/'close', also on errors and timeouts), or use a bounded LRU/TTL cache;"
                        + " with object keys, a WeakMap lets entries go with their keys.";
            }
            case OBJECTS: {
                LeakReport.Objects x = (LeakReport.Objects) d;
                return "Objects allocated while the process runs stay reachable through " + code(x.holder()) + " and their number"
                        + " keeps growing. Release them when done (remove the reference), or bound the structure that holds them.";
            }
            default:
                throw new IllegalArgumentException("no wording for " + l.pattern());
        }
    }

    /** A leak shape's name, for rule lists (SARIF): {@code Objects pile up in an Array}. */
    public static String patternName(LeakPattern p) {
        return switch (p) {
            case ARRAY -> "Objects pile up in an Array";
            case QUEUE -> "A queue grows faster than it is drained";
            case MAP -> "Entries pile up in a Map";
            case SET -> "Entries pile up in a Set";
            case DICTIONARY -> "Keys pile up in an object used as a dictionary";
            case LISTENERS -> "Event listeners are added and never removed";
            case TIMERS -> "Timers are created and never cleared";
            case CLOSURE_CHAIN -> "Each object keeps the previous one through a closure's scope";
            case CHAIN -> "A linked chain of objects keeps getting longer";
            case CLOSURES_IN_ARRAY -> "Callbacks pile up in an Array";
            case BUFFERS -> "Buffers are kept (memory outside the JS heap)";
            case MEMOIZE -> "A memoization cache grows without bound";
            case OBJECTS -> "Objects accumulate under a long-lived object";
        };
    }

    /** What a leak shape is and what fixes it, in general (each leak's own fix is {@link #hint}). */
    public static String patternDescription(LeakPattern p) {
        return switch (p) {
            case ARRAY -> "Objects are pushed to a long-lived Array and never removed. Remove them when their work is done,"
                    + " or cap the array.";
            case QUEUE -> "Items are taken off a queue, but more are added than removed: the consumer is slower than the"
                    + " producer. Bound the queue and apply backpressure.";
            case MAP, SET -> "Entries are added to a long-lived collection and never deleted. Delete each entry when its work"
                    + " is done, or use a bounded LRU/TTL cache.";
            case DICTIONARY -> "Keys are added to a plain object used as a dictionary and never deleted. Delete them when done,"
                    + " or use a bounded Map.";
            case LISTENERS -> "Listeners are added to an emitter again and again and never removed; each keeps what its"
                    + " closure captures. Remove each listener when its work ends, or register one at start-up.";
            case TIMERS -> "setInterval (or re-armed setTimeout) timers are never cleared; each keeps its callback and what it"
                    + " captures. Call clearInterval/clearTimeout when the work ends.";
            case CLOSURE_CHAIN -> "Each new object captures the previous one through a variable of a shared closure scope"
                    + " (the 'replaceThing' leak). Set the variable to null once done, or move the closure out of that scope.";
            case CHAIN -> "Objects are linked to one another and the chain is never cut. Unlink old entries or bound the"
                    + " chain's length.";
            case CLOSURES_IN_ARRAY -> "Functions are kept in an Array after they are no longer needed, each keeping its scope."
                    + " Remove a callback once it has run.";
            case BUFFERS -> "Buffers are kept and never released; their memory is outside the JS heap. Drop the references"
                    + " when done and bound what is kept.";
            case MEMOIZE -> "Every distinct argument adds an entry to a cache that nothing evicts. Bound the cache (LRU, TTL)"
                    + " or use a WeakMap for object keys.";
            case OBJECTS -> "Objects allocated while the process runs stay reachable from a long-lived object and their"
                    + " number keeps growing. Release them when done, or bound the structure that holds them.";
        };
    }

    /** Why a group is not called a leak; null for a leak. */
    public static String reason(LeakReport.Leak l) {
        LeakReport.Dismissal d = l.dismissal();
        if (d == null) {
            return null;
        }
        return switch (d.reason()) {
            case TOO_FEW_BYTES -> "only " + Format.bytes(d.amount()) + " of new objects (threshold " + Format.bytes(d.threshold())
                    + ", --min-bytes)";
            case TOO_FEW_OBJECTS -> "grew by only " + count(d.amount()) + " objects (threshold "
                    + count(d.threshold()) + ", --min-count)";
            case NOT_GROWING -> "does not keep growing: count " + series(l.countsPerSnapshot(), false) + ", bytes "
                    + series(l.bytesPerSnapshot(), true) + " (objects are replaced, not accumulated)";
            case NOT_PROPORTIONAL -> "grew by " + roundGrowth(l.countsPerSnapshot()) + " objects per round of "
                    + count(d.threshold()) + " calls: not the same multiple of " + count(d.threshold())
                    + " every round, so not one the scenario's calls leak";
        };
    }

    /** {@code 7, 7}: the count's growth from each snapshot to the next. */
    static String roundGrowth(long[] counts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < counts.length; i++) {
            sb.append(i == 1 ? "" : ", ").append(Format.signedCount(counts[i] - counts[i - 1]));
        }
        return sb.toString();
    }

    /**
     * For {@code check}: {@code 1 RequestRecord object per call (7 per round of 7 calls)}; null when the leak
     * did not grow by a multiple of the calls (not a leak {@code check} reports).
     */
    public static String perCall(LeakReport.Leak l, LeakReport.Scenario s) {
        long k = Rounds.perCall(l, s.iterations());
        if (k <= 0) {
            return null;
        }
        return count(k) + " " + l.leakedClass() + (k == 1 ? " object" : " objects") + " per call (" + count(k * s.iterations())
                + " per round of " + count(s.iterations()) + " calls, in each of " + (l.countsPerSnapshot().length - 1) + " rounds)";
    }

    /**
     * A leak's standing against the baseline: {@code new (not in the baseline)}, {@code accepted (in the
     * baseline)}, {@code worse (in the baseline, but +40 objects per snapshot against +10 recorded)}.
     */
    public static String status(LeakReport.Leak l, Baseline b) {
        return switch (l.status()) {
            case NEW -> b == null ? "new" : "new (not in the baseline)";
            case ACCEPTED -> "accepted (in the baseline)";
            case WORSE -> {
                Baseline.Entry e = b == null ? null : b.find(l.signature().id());
                yield e == null ? "worse (grows faster than the baseline recorded)"
                        : "worse (in the baseline, but grows " + stepGrowth(l.countPerStep(), l.bytesPerStep(), e.countPerStep() > 0)
                        + " per snapshot against " + stepGrowth(e.countPerStep(), e.bytesPerStep(), e.countPerStep() > 0)
                        + " recorded: more than " + factor() + " times faster)";
            }
        };
    }

    /** {@code +7 objects} or {@code +12.0 KB}: growth per snapshot interval. */
    public static String stepGrowth(double countPerStep, double bytesPerStep, boolean inObjects) {
        if (inObjects) {
            double c = countPerStep;
            return (c > 0 ? "+" : "") + (c == Math.rint(c) ? count((long) c) : String.format(java.util.Locale.ROOT, "%.1f", c)) + " objects";
        }
        return Format.signedBytes(Math.round(bytesPerStep));
    }

    /** {@link Baseline#WORSE_FACTOR} as text. */
    public static String factor() {
        double f = Baseline.WORSE_FACTOR;
        return f == Math.rint(f) ? Long.toString((long) f) : Double.toString(f);
    }

    /**
     * Where a closure variable lives: {@code variable `requests` in /app/server.js (in the scope of
     * handle(), close())}, or {@code variable `requests` of a closure scope} when its script is unknown;
     * null for no scope.
     */
    public static String scope(LeakReport.Scope s) {
        if (s == null) {
            return null;
        }
        if (s.script() == null || s.functions().isEmpty()) {
            return "variable " + code(s.variable()) + " of a closure scope";
        }
        List<String> fns = s.functions();
        String names = s.functionCount() == 1 ? fns.get(0)
                : String.join(", ", fns.subList(0, Math.min(3, fns.size())))
                + (s.functionCount() > 3 ? " and " + (s.functionCount() - 3) + " more" : "");
        return "variable " + code(s.variable()) + " in " + s.script() + " (in the scope of " + names + ")";
    }

    /** {@code  (20 → 100 → 200 across the snapshots, +186 KB)} */
    static String growth(LeakReport.Leak l) {
        long g = l.growthBytes();
        return " (" + series(l.countsPerSnapshot(), false) + " across the snapshots, " + (g >= 0 ? "+" : "-")
                + Format.bytes(Math.abs(g)) + ")";
    }

    /** {@code 20 → 100 → 200}, or bytes. */
    static String series(long[] v, boolean bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : " → ").append(bytes ? Format.bytes(v[i]) : count(v[i]));
        }
        return sb.toString();
    }

    /** {@code `socket` (Socket) and `session` (ClientSession)} */
    private static String captured(List<LeakReport.Captured> captured) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < captured.size(); i++) {
            LeakReport.Captured c = captured.get(i);
            sb.append(i == 0 ? "" : i == captured.size() - 1 ? " and " : ", ").append(code(c.variable())).append(" (")
                    .append(c.className()).append(')');
        }
        return sb.toString();
    }

    private static String emitter(LeakReport.Listeners x) {
        return x.emitter() != null ? code(x.emitter()) : "an emitter";
    }
}
