package dev.leakhound.report;

import dev.leakhound.analysis.profile.AllocationSites;
import dev.leakhound.analysis.profile.CallFrame;
import dev.leakhound.analysis.profile.HeapProfile;
import dev.leakhound.analysis.profile.ProfileDiff;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@code leakhound profile}: the functions that allocate most in a sampling heap profile (by self
 * and by total bytes, with their share of all sampled bytes), and the sites that grew between two
 * profiles, as text or JSON; the progress of a live profile on stderr.
 *
 * <p>A frame is written as data, {@code {function, url, line, column}} (line and column 1-based, null when
 * V8 recorded none), so that a later step can map it to original sources.
 */
public final class ProfileReport {
    private ProfileReport() {}

    /** Where a profile came from and how it was taken, for the heading. */
    public record Source(String description, long durationMillis, long samplingInterval, Boolean includeCollected) {
        /** A profile read from a file: what it says of itself is all there is. */
        public static Source file(String path) {
            return new Source(path, 0, 0, null);
        }
    }

    // ---------------------------------------------------------------- names

    /** "fn" or "(anonymous)". */
    public static String function(CallFrame f) {
        return f.functionName().isEmpty() ? "(anonymous)" : f.functionName();
    }

    /** "/app/server.js:12:5", "node:internal/timers:504:25", "(no script)"; the original source when mapped. */
    public static String location(CallFrame f) {
        if (f.original() != null) {
            return f.original().file() + ":" + f.original().line() + ":" + f.original().column();
        }
        String url = f.script();
        if (url.isEmpty()) {
            return f.isPseudo() ? "(V8)" : "(no script)";
        }
        return f.line() > 0 ? url + ":" + f.line() + ":" + f.column() : url;
    }

    // ---------------------------------------------------------------- text

    public static void text(AllocationSites s, Source src, int top, PrintWriter out) {
        HeapProfile p = s.profile();
        out.println("Heap profile of " + src.description() + ": " + Format.bytes(p.totalBytes()) + " sampled in "
                + Format.count(p.sampleCount()) + " samples, " + Format.count(s.bySelf().size()) + " functions"
                + (src.durationMillis() > 0 ? String.format(Locale.ROOT, ", over %.1f s", src.durationMillis() / 1000.0) : "")
                + (src.samplingInterval() > 0 ? " (sampling interval " + Format.bytes(src.samplingInterval()) + ")" : ""));
        if (src.includeCollected() != null) {
            out.println(src.includeCollected()
                    ? "Includes objects the GC already freed: where the program allocates (churn), not only what it keeps."
                    : "Only objects still alive when the profile was taken: what the program keeps, by allocating function.");
        }
        out.println("The sampler records about one allocation per interval, weighted by size: bytes are estimates, shares are what to compare.");
        out.println();
        out.println("Functions that allocate most themselves (self bytes):");
        out.print(table(s.bySelf(), top, p.totalBytes(), true).render("  "));
        out.println();
        out.println("Functions under which most is allocated (total bytes: the function and what it calls):");
        out.print(table(s.byTotal(), top, p.totalBytes(), false).render("  "));
        out.flush();
    }

    private static TextTable table(List<AllocationSites.Site> sites, int top, long whole, boolean bySelf) {
        TextTable t = bySelf ? new TextTable("self>", "share>", "total>", "function", "location")
                : new TextTable("total>", "share>", "self>", "function", "location");
        t.maxWidth(3, 60).maxWidth(4, 100);
        int n = 0;
        for (AllocationSites.Site s : sites) {
            if (n == top) {
                break;
            }
            long main = bySelf ? s.selfBytes() : s.totalBytes();
            if (main == 0) {
                break;
            }
            t.row(Format.bytes(main), Format.percent(main, whole), Format.bytes(bySelf ? s.totalBytes() : s.selfBytes()),
                    function(s.frame()), location(s.frame()));
            n++;
        }
        return t;
    }

    public static void diffText(ProfileDiff.Result r, String before, String after, int top, PrintWriter out) {
        long b = r.before().totalBytes();
        long a = r.after().totalBytes();
        out.println("Before  " + before + "    " + Format.bytes(b) + " in " + Format.count(r.before().profile().sampleCount()) + " samples");
        out.println("After   " + after + "    " + Format.bytes(a) + " in " + Format.count(r.after().profile().sampleCount())
                + " samples    (" + Format.signedBytes(r.deltaBytes()) + ")");
        out.println();
        List<ProfileDiff.Change> grown = r.grown();
        if (grown.isEmpty()) {
            out.println("No allocation site's bytes grew.");
        } else {
            int shown = Math.min(top, grown.size());
            out.println("Allocation sites whose sampled bytes grew (top " + shown + " of " + Format.count(grown.size()) + "):");
            out.print(changeTable(grown, shown).render("  "));
            out.println();
            ProfileDiff.Change c = grown.get(0);
            out.println("Grew most: " + function(c.frame()) + " at " + location(c.frame()) + ", "
                    + Format.bytes(c.beforeBytes()) + " -> " + Format.bytes(c.afterBytes()) + ". When both profiles come from one"
                    + " sampling session and keep only live objects, a site that keeps growing holds on to what it allocates.");
        }
        List<ProfileDiff.Change> shrunk = r.shrunk();
        if (!shrunk.isEmpty()) {
            out.println();
            int shown = Math.min(top, shrunk.size());
            out.println("Sites whose sampled bytes shrank (top " + shown + " of " + Format.count(shrunk.size()) + "):");
            out.print(changeTable(shrunk, shown).render("  "));
        }
        out.flush();
    }

    private static TextTable changeTable(List<ProfileDiff.Change> rows, int shown) {
        TextTable t = new TextTable("delta>", "before>", "after>", "function", "location");
        t.maxWidth(3, 60).maxWidth(4, 100);
        for (int i = 0; i < shown; i++) {
            ProfileDiff.Change c = rows.get(i);
            t.row(Format.signedBytes(c.deltaBytes()), Format.bytes(c.beforeBytes()), Format.bytes(c.afterBytes()),
                    function(c.frame()), location(c.frame()));
        }
        return t;
    }

    // ---------------------------------------------------------------- progress (stderr)

    public static void sampling(PrintWriter err, String target, double seconds, long interval, boolean includeCollected) {
        err.println(String.format(Locale.ROOT, "leakhound: sampling allocations in %s for %.1f s (one sample per ~%s%s); Ctrl-C ends early",
                target, seconds, Format.bytes(interval), includeCollected ? ", freed objects included" : ""));
        err.flush();
    }

    /** "sampling 3/10 s", rewritten in place on a terminal. */
    public static void tick(PrintWriter err, long elapsedMillis, double seconds) {
        err.printf(Locale.ROOT, "\rleakhound: sampling %.0f/%.0f s   ", elapsedMillis / 1000.0, seconds);
        err.flush();
    }

    public static void clearLine(PrintWriter err) {
        err.print("\r" + " ".repeat(40) + "\r");
        err.flush();
    }

    public static void endedEarly(PrintWriter err, String why) {
        err.println("leakhound: " + why + "; taking the profile of what was sampled so far");
        err.flush();
    }

    public static void saved(PrintWriter err, java.nio.file.Path file, HeapProfile p) {
        err.println("leakhound: wrote " + file + " (" + Format.count(p.sampleCount()) + " samples, " + Format.bytes(p.totalBytes())
                + "); `leakhound profile " + file + "` reads it again, and DevTools' Memory tab loads it");
        err.flush();
    }

    // ---------------------------------------------------------------- JSON

    public static void json(AllocationSites s, Source src, int top, Writer w) {
        try (Json j = new Json(w, true)) {
            j.startObject();
            fields(s, src, top, j, Bounds.NONE);
            j.endObject();
        }
    }

    /**
     * The fields of {@code profile --json}, into an open object: {@code source, durationMillis?,
     * samplingInterval?, includeCollected?, totalBytes, samples, nodes, functions, bySelf[], byTotal[]}; each
     * row {@code {function, url, line, column, selfBytes, selfShare, totalBytes, totalShare, nodes}}.
     */
    public static void fields(AllocationSites s, Source src, int top, Json j, Bounds bounds) {
        HeapProfile p = s.profile();
        j.field("source", bounds.text(src.description()));
        if (src.durationMillis() > 0) {
            j.field("durationMillis", src.durationMillis());
        }
        if (src.samplingInterval() > 0) {
            j.field("samplingInterval", src.samplingInterval());
        }
        if (src.includeCollected() != null) {
            j.field("includeCollected", src.includeCollected());
        }
        j.field("totalBytes", p.totalBytes()).field("samples", p.sampleCount()).field("nodes", p.nodeCount())
                .field("functions", s.bySelf().size());
        sites(j, "bySelf", s.bySelf(), top, p.totalBytes(), bounds);
        sites(j, "byTotal", s.byTotal(), top, p.totalBytes(), bounds);
    }

    private static void sites(Json j, String name, List<AllocationSites.Site> sites, int top, long whole, Bounds bounds) {
        j.startArray(name);
        int n = Math.min(top, sites.size());
        for (int i = 0; i < n; i++) {
            AllocationSites.Site s = sites.get(i);
            j.startObject();
            frame(j, s.frame(), bounds);
            j.field("selfBytes", s.selfBytes()).field("selfShare", share(s.selfBytes(), whole))
                    .field("totalBytes", s.totalBytes()).field("totalShare", share(s.totalBytes(), whole))
                    .field("nodes", s.nodes());
            j.endObject();
        }
        j.endArray();
    }

    /**
     * {@code function, url, line, column} of a frame, into an open object; a frame mapped through its source
     * map gives the original file as {@code url} and its own position as {@code generated {url, line, column}}.
     */
    public static void frame(Json j, CallFrame f, Bounds bounds) {
        j.field("function", bounds.label(f.functionName()));
        if (f.original() != null) {
            j.field("url", bounds.text(f.original().file())).field("line", f.original().line())
                    .field("column", f.original().column());
            j.startObject("generated").field("url", bounds.text(f.url())).field("line", f.line())
                    .field("column", f.column()).endObject();
            return;
        }
        j.field("url", bounds.text(f.url()));
        if (f.line() > 0) {
            j.field("line", f.line()).field("column", f.column());
        } else {
            j.nullField("line").nullField("column");
        }
    }

    static double share(long part, long whole) {
        return whole <= 0 ? 0 : Math.round(1e6 * part / (double) whole) / 1e6;
    }

    public static void diffJson(ProfileDiff.Result r, String before, String after, int top, Writer w) {
        try (Json j = new Json(w, true)) {
            j.startObject();
            diffFields(r, before, after, top, j, Bounds.NONE);
            j.endObject();
        }
    }

    /**
     * {@code profile A B --json}: {@code before {source, totalBytes, samples}, after {...}, deltaBytes,
     * grown[], shrunk[]}; each row {@code {function, url, line, column, beforeBytes, afterBytes, deltaBytes}}.
     */
    public static void diffFields(ProfileDiff.Result r, String before, String after, int top, Json j, Bounds bounds) {
        side(j, "before", before, r.before());
        side(j, "after", after, r.after());
        j.field("deltaBytes", r.deltaBytes());
        changes(j, "grown", r.grown(), top, bounds);
        changes(j, "shrunk", r.shrunk(), top, bounds);
    }

    private static void side(Json j, String name, String source, AllocationSites s) {
        j.startObject(name).field("source", source).field("totalBytes", s.totalBytes())
                .field("samples", s.profile().sampleCount()).endObject();
    }

    private static void changes(Json j, String name, List<ProfileDiff.Change> rows, int top, Bounds bounds) {
        j.startArray(name);
        for (int i = 0; i < Math.min(top, rows.size()); i++) {
            ProfileDiff.Change c = rows.get(i);
            j.startObject();
            frame(j, c.frame(), bounds);
            j.field("beforeBytes", c.beforeBytes()).field("afterBytes", c.afterBytes()).field("deltaBytes", c.deltaBytes());
            j.endObject();
        }
        j.endArray();
    }

    // ---------------------------------------------------------------- the call tree, for the flame graph

    /**
     * The call tree as flat columns, for the page's flame graph: {@code tree {frames[{function, url, line,
     * column}], parent[], frame[], self[], total[], droppedNodes}}; node 0 is the head. At most
     * {@code maxNodes} nodes: the biggest subtrees are kept (a node's total is never more than its parent's,
     * so what is kept stays a tree), and {@code droppedNodes} says how many smaller ones were left out.
     */
    public static void tree(HeapProfile p, int maxNodes, Json j, Bounds bounds) {
        int n = p.nodeCount();
        long threshold = 0;
        if (n > maxNodes) {
            long[] totals = new long[n];
            for (int i = 0; i < n; i++) {
                totals[i] = p.totalBytes(i);
            }
            Arrays.sort(totals);
            threshold = totals[n - maxNodes] + 1;   // strictly above the (maxNodes+1)-th largest: at most maxNodes kept
        }
        int[] newIndex = new int[n];
        int[] frameIndex = new int[p.frames().size()];
        Arrays.fill(frameIndex, -1);
        List<CallFrame> frames = new java.util.ArrayList<>();
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && p.totalBytes(i) < threshold) {
                newIndex[i] = -1;
                continue;
            }
            newIndex[i] = kept++;
            int f = p.frameIndex(i);
            if (frameIndex[f] < 0) {
                frameIndex[f] = frames.size();
                frames.add(p.frame(i));
            }
        }
        j.startObject("tree");
        j.startArray("frames");
        for (CallFrame f : frames) {
            j.startObject();
            frame(j, f, bounds);
            j.endObject();
        }
        j.endArray();
        j.startArray("parent");
        for (int i = 0; i < n; i++) {
            if (newIndex[i] >= 0) {
                j.value(i == 0 ? -1 : newIndex[p.parent(i)]);
            }
        }
        j.endArray();
        j.startArray("frame");
        for (int i = 0; i < n; i++) {
            if (newIndex[i] >= 0) {
                j.value(frameIndex[p.frameIndex(i)]);
            }
        }
        j.endArray();
        j.startArray("self");
        for (int i = 0; i < n; i++) {
            if (newIndex[i] >= 0) {
                j.value(p.selfBytes(i));
            }
        }
        j.endArray();
        j.startArray("total");
        for (int i = 0; i < n; i++) {
            if (newIndex[i] >= 0) {
                j.value(p.totalBytes(i));
            }
        }
        j.endArray();
        j.field("droppedNodes", n - kept);
        j.endObject();
    }
}
