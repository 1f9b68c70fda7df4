package dev.leakhound.report;

import dev.leakhound.analysis.leaks.LeakReport;

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
        };
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
