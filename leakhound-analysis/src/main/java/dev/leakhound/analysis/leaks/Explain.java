package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.nodejs.ChainLinks;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Names a leak group: which shape it has (array, queue, Map, listeners, timers, closure chain...),
 * which variable or property holds it, where in the source it comes from, and the fix that fits.
 */
final class Explain {
    record Result(String summary, String pattern, String culprit, String hint, List<RetainerPath.Step> path,
                  String pathText, SourceLocator.Location location) {}

    private Explain() {}

    static Result of(HeapGraph g, SourceLocator locator, FindLeaks.Group gr, FindLeaks.PathKeys keys, boolean[] cand) {
        HeapSnapshot s = g.snapshot();
        int rep = gr.representative;
        List<RetainerPath.Step> path = RetainerPath.shortest(g, rep);
        String pathText = RetainerPath.render(g, path);
        List<RetainerPath.Step> toContainer = gr.containerPath;
        String containerClass = g.className(gr.container);
        String leakClass = g.className(rep);
        long held = gr.counts[gr.counts.length - 1];
        String count = String.format(Locale.ROOT, "%,d", Math.max(held, gr.count));
        String growth = growth(gr);

        // the named step nearest the container: the variable or property people know it by
        String holder = lastName(s, toContainer);
        String patternText = String.join("", gr.patternLabels);

        // listeners: the accumulation point is an emitter's _events (or the listener array in it)
        int containerAt = -1;
        for (int i = 0; i < path.size(); i++) {
            if (path.get(i).node() == gr.container) {
                containerAt = i;
            }
        }
        int events = indexOfEdgeName(s, path, "_events", Math.max(0, containerAt - 1));
        if (events >= 0) {
            String emitter = events > 0 ? nameOf(s, path.get(events - 1)) : "an emitter";
            String event = events + 1 < path.size() ? path.get(events + 1).edgeName() : "?";
            int listener = firstClosureAfter(s, path, events);
            String fn = listener >= 0 ? RetainerPath.label(g, listener) : "the listener";
            String keeps = capturedName(g, listener, cand);
            String summary = count + " listeners for '" + event + "' are added to " + q(emitter) + " (" + g.className(path.get(Math.max(0, events - 1)).node())
                    + ") and never removed" + (keeps != null ? "; each " + fn + " keeps " + q(keeps) + " alive" : "") + growth;
            String hint = "Listeners are added to " + q(emitter) + " for '" + event + "' again and again (per request, per"
                    + " reconnect) and never removed, so each one and everything its closure captures stays alive. Remove"
                    + " each listener when its work ends (emitter.off / removeListener with the same function), register"
                    + " it with once() if it should run once, or register one shared listener at start-up.";
            return new Result(summary, "listeners", emitter, hint, path, pathText,
                    locate(g, locator, gr, path, listener, cand));
        }

        // timers: Timeout objects kept by Node's timer lists
        if (leakClass.equals("Timeout") || leakClass.equals("Immediate") || containerClass.equals("TimersList")) {
            int cb = edgeTarget(s, rep, "_onTimeout");
            String fn = cb >= 0 ? RetainerPath.label(g, cb) : "the callback";
            String keeps = capturedName(g, cb, cand);
            String summary = count + " timers (" + leakClass + ") are scheduled and never cleared; each callback " + fn
                    + (keeps != null ? " keeps " + q(keeps) + " alive" : " stays alive") + growth;
            String hint = "setInterval (or re-armed setTimeout) timers are created again and again and never cleared, and"
                    + " each keeps its callback and everything the callback captures" + (keeps != null ? " (" + q(keeps) + ")" : "")
                    + ". Keep the handle and call clearInterval/clearTimeout when the work ends (e.g. when the session"
                    + " or connection closes); timer.unref() does not free memory.";
            return new Result(summary, "timers", keeps != null ? keeps : fn, hint, path, pathText,
                    locate(g, locator, gr, path, cb, cand));
        }

        // a chain: each leaked object keeps the previous one (closure scopes, linked lists)
        List<Integer> chain = gr.roots <= 3 && gr.count >= 5L * gr.roots ? ChainLinks.repeatingSegment(g, rep, cand) : null;
        if (chain != null) {
            String var = ChainLinks.linkingVariable(s, chain);
            String segText = ChainLinks.segmentText(s, chain);
            // the chain hangs off the first named step below the accumulation point (e.g. ::theThing)
            for (String l : gr.patternLabels) {
                if (l.startsWith("::") || (l.startsWith(".") && l.length() > 1)) {
                    holder = l.substring(l.startsWith("::") ? 2 : 1);
                    break;
                }
            }
            if (var != null) {
                String summary = "a chain of " + count + " " + leakClass + " objects: each " + q(holder) + " keeps the previous one alive"
                        + " through the closure variable " + q(var) + " (" + segText + ")" + growth;
                String hint = "Each new value of " + q(holder) + " captures the previous one through the variable " + q(var)
                        + ", which a closure in the same scope uses: V8 keeps one shared context per scope, so every"
                        + " closure created there keeps " + q(var) + " alive. Set " + q(var) + " to null once it is no"
                        + " longer needed, or move the closure that uses it out of that scope.";
                return new Result(summary, "closure-chain", var, hint, path, pathText, locate(g, locator, gr, path, -1, cand));
            }
            String summary = "a linked chain of " + count + " " + leakClass + " objects hangs off " + q(holder) + " (" + segText
                    + ") and keeps getting longer" + growth;
            String hint = "Objects are linked to one another through " + segText + " and the chain is never cut. Unlink old"
                    + " entries (set the link to null) or bound the chain's length.";
            return new Result(summary, "chain", holder, hint, path, pathText, locate(g, locator, gr, path, -1, cand));
        }

        boolean buffers = gr.nativeBytes * 2 > gr.bytes || leakClass.equals("Buffer") || leakClass.equals("Uint8Array")
                || leakClass.equals("ArrayBuffer");
        if (buffers) {
            String summary = q(holder) + " keeps " + count + " " + leakClass + " objects holding "
                    + bytes(gr.nativeBytes) + " of Buffer memory outside the JS heap" + growth;
            String hint = "Buffers are kept in " + q(holder) + " and never released; their memory is outside the JS heap"
                    + " (process.memoryUsage().external / arrayBuffers), so heap charts understate it. Drop the references"
                    + " when done, bound what is kept, and copy the bytes you need (Buffer.from(buf.subarray(...)))"
                    + " instead of keeping slices, which pin the whole parent buffer.";
            return new Result(summary, "buffers", holder, hint, path, pathText, locate(g, locator, gr, path, -1, cand));
        }

        boolean arrayish = containerClass.equals("Array") && (patternText.startsWith("[*]") || patternText.startsWith("{elements}"));
        if (arrayish && s.type(rep) == NodeType.CLOSURE) {
            String keeps = capturedName(g, rep, cand);
            String summary = count + " callbacks pile up in " + q(holder) + " and are never removed"
                    + (keeps != null ? "; each keeps " + q(keeps) + " alive" : "") + growth;
            String hint = "Functions are pushed to " + q(holder) + " and stay there after they are no longer needed, and"
                    + " each keeps its whole scope alive" + (keeps != null ? " (" + q(keeps) + ")" : "") + ". Remove a"
                    + " callback once it has run (or use a Set and delete it), and bound the list.";
            return new Result(summary, "closures-in-array", holder, hint, path, pathText,
                    locate(g, locator, gr, path, rep, cand));
        }
        if (arrayish) {
            boolean queue = gr.firstMembersKept >= 0 && gr.firstMemberIds != null && gr.firstMemberIds.length >= 4
                    && gr.firstMembersKept * 10 < gr.firstMemberIds.length * 9L;
            if (queue) {
                String summary = "the queue " + q(holder) + " grows: items are taken off it, but more are added than"
                        + " removed (" + leakClass + ": " + counts(gr) + ")";
                String hint = "Its consumer is slower than its producer, so " + q(holder) + " grows without bound. Bound the"
                        + " queue and apply backpressure (pause or slow the producer, or reject/drop work when it is full),"
                        + " or make the consumer keep up (more concurrency, batching).";
                return new Result(summary, "queue", holder, hint, path, pathText, locate(g, locator, gr, path, -1, cand));
            }
            String summary = q(holder) + " (Array) keeps " + count + " " + leakClass + " objects that are pushed and never removed" + growth;
            String hint = "Entries are added to the array " + q(holder) + " and never removed. Remove them when their work"
                    + " is done, cap the array (a ring buffer of the last N), or keep only the small part you need"
                    + " (an id, a counter) instead of whole objects.";
            return new Result(summary, "array", holder, hint, path, pathText, locate(g, locator, gr, path, -1, cand));
        }

        boolean mapish = containerClass.equals("Map") || containerClass.equals("Set");
        boolean dictionary = containerClass.equals("Object") && patternText.startsWith("[*]") && keys.isDictionary(gr.container);
        if (mapish || dictionary) {
            boolean captured = !toContainer.isEmpty() && toContainer.get(toContainer.size() - 1).edgeType().equals("context");
            String lower = holder.toLowerCase(Locale.ROOT);
            boolean memo = captured && (lower.contains("cache") || lower.contains("memo"));
            String kind = dictionary ? "object used as a dictionary" : containerClass;
            if (memo) {
                String summary = "the memoization cache " + q(holder) + " (" + kind + ") grows without bound: "
                        + count + " " + leakClass + " entries" + growth;
                String hint = "Every distinct argument adds an entry to " + q(holder) + " and nothing evicts them. Bound the"
                        + " cache: an LRU with a maximum size, a TTL, or both; with object keys, a WeakMap lets entries go"
                        + " with their keys.";
                return new Result(summary, "memoize", holder, hint, path, pathText, locate(g, locator, gr, path, -1, cand));
            }
            String summary = q(holder) + " (" + kind + ") keeps gaining " + leakClass + " entries that are never deleted: "
                    + count + " held" + growth;
            String hint = "Entries are added to " + q(holder) + " and never deleted. Delete each entry when its work is done"
                    + " (for requests: on 'finish'/'close', also on errors and timeouts), or use a bounded LRU/TTL cache;"
                    + " with object keys, a WeakMap lets entries go with their keys.";
            return new Result(summary, dictionary ? "dictionary" : containerClass.equals("Set") ? "set" : "map", holder, hint,
                    path, pathText, locate(g, locator, gr, path, -1, cand));
        }

        String summary = count + " " + leakClass + " objects accumulate under " + q(holder) + " (" + containerClass + ", via "
                + dev.leakhound.analysis.paths.Repeats.display(gr.patternLabels) + ")" + growth;
        String hint = "Objects allocated while the process runs stay reachable through " + q(holder) + " and their number"
                + " keeps growing. Release them when done (remove the reference), or bound the structure that holds them.";
        return new Result(summary, "objects", holder, hint, path, pathText, locate(g, locator, gr, path, -1, cand));
    }

    static String q(String name) {
        return "`" + name + "`";
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", b / 1024.0);
        }
        if (b < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", b / 1048576.0);
        }
        return String.format(Locale.ROOT, "%.2f GB", b / 1073741824.0);
    }

    private static String counts(FindLeaks.Group gr) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < gr.counts.length; i++) {
            sb.append(i == 0 ? "" : " → ").append(String.format(Locale.ROOT, "%,d", gr.counts[i]));
        }
        return sb.toString();
    }

    private static String growth(FindLeaks.Group gr) {
        long[] b = gr.bytesPer;
        return " (" + counts(gr) + " across the snapshots, " + (b[b.length - 1] >= b[0] ? "+" : "-")
                + bytes(Math.abs(b[b.length - 1] - b[0])) + ")";
    }

    /** The last property or closure-variable name on a path: what people call the thing. */
    static String lastName(HeapSnapshot s, List<RetainerPath.Step> path) {
        for (int i = path.size() - 1; i >= 0; i--) {
            RetainerPath.Step st = path.get(i);
            int t = s.edgeType(st.edge());
            if (t == EdgeType.PROPERTY || t == EdgeType.CONTEXT) {
                return st.edgeName();
            }
        }
        return path.isEmpty() ? "(root)" : path.get(path.size() - 1).nodeLabel();
    }

    private static String nameOf(HeapSnapshot s, RetainerPath.Step step) {
        int t = s.edgeType(step.edge());
        if (t == EdgeType.PROPERTY || t == EdgeType.CONTEXT) {
            return step.edgeName();
        }
        return step.nodeClass();
    }

    private static int indexOfEdgeName(HeapSnapshot s, List<RetainerPath.Step> path, String name, int from) {
        for (int i = from; i < path.size(); i++) {
            if (s.edgeType(path.get(i).edge()) == EdgeType.PROPERTY && path.get(i).edgeName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static int firstClosureAfter(HeapSnapshot s, List<RetainerPath.Step> path, int from) {
        for (int i = from + 1; i < path.size(); i++) {
            int v = path.get(i).node();
            if (s.type(v) == NodeType.CLOSURE) {
                return v;
            }
            // an Array of listeners' elements, or a once() wrapper holding the listener
            int l = edgeTarget(s, v, "listener");
            if (l >= 0 && s.type(l) == NodeType.CLOSURE) {
                return l;
            }
        }
        return -1;
    }

    static int edgeTarget(HeapSnapshot s, int node, String name) {
        if (node < 0) {
            return -1;
        }
        for (int e = s.firstEdge(node), end = s.endEdge(node); e < end; e++) {
            int t = s.edgeType(e);
            if ((t == EdgeType.PROPERTY || t == EdgeType.INTERNAL || t == EdgeType.CONTEXT)
                    && s.strings().equalsAscii(s.edgeNameOrIndex(e), name)) {
                return s.edgeTo(e);
            }
        }
        return -1;
    }

    /** The variable a closure captures that points at a new object (the biggest such), or null. */
    static String capturedName(HeapGraph g, int closure, boolean[] cand) {
        HeapSnapshot s = g.snapshot();
        if (closure < 0 || s.type(closure) != NodeType.CLOSURE) {
            return null;
        }
        int ctx = edgeTarget(s, closure, "context");
        if (ctx < 0) {
            return null;
        }
        String best = null;
        long bestSize = -1;
        boolean bestNew = false;
        for (int e = s.firstEdge(ctx), end = s.endEdge(ctx); e < end; e++) {
            if (s.edgeType(e) != EdgeType.CONTEXT) {
                continue;
            }
            int t = s.edgeTo(e);
            boolean isNew = cand[t];
            int type = s.type(t);
            if (type == NodeType.CLOSURE || type == NodeType.CODE) {
                continue;
            }
            long size = s.selfSize(t) + s.edgeCountOf(t);
            if (best == null || (isNew && !bestNew) || (isNew == bestNew && size > bestSize)) {
                best = s.edgeName(e);
                bestSize = size;
                bestNew = isNew;
            }
        }
        return best;
    }

    /**
     * The source position that best explains the leak: the given function (a listener, a timer's
     * callback, a pushed closure), the leaked object's constructor, the function whose scope holds
     * the accumulation point, or a function in the leaked objects; user code first.
     */
    static SourceLocator.Location locate(HeapGraph g, SourceLocator locator, FindLeaks.Group gr,
                                         List<RetainerPath.Step> path, int preferred, boolean[] cand) {
        HeapSnapshot s = g.snapshot();
        List<Integer> options = new ArrayList<>();
        if (preferred >= 0) {
            options.add(preferred);
        }
        options.add(gr.representative);
        // functions on the way down to the container, nearest first
        List<RetainerPath.Step> toContainer = gr.containerPath;
        for (int i = toContainer.size() - 1; i >= 0; i--) {
            int v = toContainer.get(i).node();
            if (s.type(v) == NodeType.CLOSURE) {
                options.add(v);
            }
        }
        // functions inside the leaked object
        for (int e = s.firstEdge(gr.representative), end = s.endEdge(gr.representative); e < end; e++) {
            int t = s.edgeTo(e);
            if (s.type(t) == NodeType.CLOSURE) {
                options.add(t);
            }
        }
        for (RetainerPath.Step st : path) {
            if (s.type(st.node()) == NodeType.CLOSURE) {
                options.add(st.node());
            }
        }
        SourceLocator.Location fallback = null;
        for (int v : options) {
            SourceLocator.Location l = locator.of(v);
            if (l == null) {
                continue;
            }
            if (l.isUserCode()) {
                return l;
            }
            if (fallback == null) {
                fallback = l;
            }
        }
        return fallback;
    }
}
