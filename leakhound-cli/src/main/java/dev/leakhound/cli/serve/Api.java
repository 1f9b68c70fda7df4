package dev.leakhound.cli.serve;

import dev.leakhound.analysis.ClassSummary;
import dev.leakhound.analysis.allocation.AllocationStack;
import dev.leakhound.analysis.diff.DiffResult;
import dev.leakhound.analysis.diff.SnapshotDiff;
import dev.leakhound.analysis.explore.ClassInstances;
import dev.leakhound.analysis.explore.Containment;
import dev.leakhound.analysis.explore.ObjectRow;
import dev.leakhound.analysis.explore.Page;
import dev.leakhound.analysis.explore.RetainerRows;
import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.objects.DominatorView;
import dev.leakhound.analysis.objects.ObjectInfo;
import dev.leakhound.analysis.objects.ObjectSearch;
import dev.leakhound.analysis.paths.ShortestPaths;
import dev.leakhound.analysis.strings.DuplicateStrings;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.report.AllocationJson;
import dev.leakhound.report.AnalyzeReport;
import dev.leakhound.report.Bounds;
import dev.leakhound.report.DiagnosisReport;
import dev.leakhound.report.DiffReport;
import dev.leakhound.report.ExploreReport;
import dev.leakhound.report.Json;
import dev.leakhound.report.LeakReportRenderer;
import dev.leakhound.report.ObjectReports;
import dev.leakhound.report.html.AnalyzeHtml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON API of {@code leakhound serve} (README, "leakhound serve"): one method per endpoint, each
 * answering from the snapshots held in memory with the analysis the other commands run and their JSON
 * serializers. A bad request is an {@link ApiException} (4xx with a one-line message).
 */
final class Api {
    /** The most rows one page may ask for. */
    static final int MAX_PAGE = 1000;
    /** The most nodes one dominators answer may hold. */
    static final int MAX_DOMINATOR_NODES = 2000;
    /** Labels cut at 200 characters, texts at 2000, paths at 100 steps, lists at 50 items. */
    static final Bounds BOUNDS = new Bounds(2000, 100, 0, 50);

    private final List<Served> snapshots;
    private final Map<String, DiffResult> comparisons = new HashMap<>();
    private LeakReport leaks;
    private volatile boolean prepared;

    Api(List<Served> snapshots) {
        this.snapshots = List.copyOf(snapshots);
    }

    /** Answers {@code /api/<segments>} into an open JSON object. */
    void answer(List<String> seg, Query q, Json j) {
        if (seg.isEmpty()) {
            throw ApiException.notFound("no such endpoint: /api/ (see /api/snapshots)");
        }
        switch (seg.get(0)) {
            case "snapshots" -> {
                if (seg.size() == 1) {
                    list(j);
                    return;
                }
                snapshot(snapshotAt(seg.get(1)), seg.subList(2, seg.size()), q, j);
            }
            case "compare" -> {
                end(seg, 1);
                compare(q, j);
            }
            case "leaks" -> {
                end(seg, 1);
                leaks(q, j);
            }
            default -> throw unknown(seg);
        }
    }

    private void snapshot(Served s, List<String> seg, Query q, Json j) {
        if (seg.isEmpty()) {
            j.field("index", s.index);
            AnalyzeReport.facts(s.facts(), j);
            return;
        }
        switch (seg.get(0)) {
            case "summary" -> {
                end(seg, 1);
                summary(s, q, j);
            }
            case "statistics" -> {
                end(seg, 1);
                j.field("index", s.index);
                AnalyzeReport.facts(s.facts(), j);
                j.field("unreachableNodes", s.graph.unreachableCount());
                AnalyzeReport.statistics(s.statistics(), j);
            }
            case "classes" -> {
                if (seg.size() != 3 || !seg.get(2).equals("instances")) {
                    throw unknown(seg);
                }
                instances(s, classId(s, seg.get(1)), q, j);
            }
            case "objects" -> {
                if (seg.size() < 2 || seg.size() > 3) {
                    throw unknown(seg);
                }
                int v = s.ordinal(parseId(seg.get(1)));
                String what = seg.size() == 2 ? "" : seg.get(2);
                switch (what) {
                    case "" -> inspect(s, v, q, j);
                    case "retainers" -> retainers(s, v, q, j);
                    case "paths" -> paths(s, v, q, j);
                    case "children" -> children(s, v, q, j);
                    default -> throw unknown(seg);
                }
            }
            case "containment" -> {
                end(seg, 1);
                children(s, s.snapshot().rootOrdinal(), q, j);
            }
            case "dominators" -> {
                end(seg, 1);
                dominators(s, q, j);
            }
            case "treemap" -> {
                end(seg, 1);
                j.field("index", s.index).field("totalBytes", s.facts().totalBytes());
                AnalyzeHtml.dominators(s.dominatorSample(), j);
            }
            case "diagnosis" -> {
                end(seg, 1);
                j.field("index", s.index).field("file", s.file.toString());
                DiagnosisReport.json(s.diagnosis(), j, BOUNDS, false);
            }
            case "search" -> {
                end(seg, 1);
                search(s, q, j);
            }
            case "duplicates" -> {
                if (seg.size() == 1) {
                    duplicates(s, q, j);
                } else if (seg.size() == 2) {
                    copies(s, seg.get(1), q, j);
                } else {
                    throw unknown(seg);
                }
            }
            default -> throw unknown(seg);
        }
    }

    // ---- endpoints

    private void list(Json j) {
        j.field("count", snapshots.size()).field("findLeaks", snapshots.size() >= 3)
                .field("warm", prepared && snapshots.stream().allMatch(Served::isWarm));
        j.startArray("snapshots");
        for (Served s : snapshots) {
            HeapSnapshot h = s.snapshot();
            j.startObject().field("index", s.index).field("name", s.file.getFileName().toString());
            AnalyzeReport.facts(s.facts(), j);
            j.field("rootId", h.id(h.rootOrdinal())).endObject();
        }
        j.endArray();
    }

    private void summary(Served s, Query q, Json j) {
        String filter = q.text("filter");
        int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);
        int limit = q.integer("limit", 100, 1, MAX_PAGE);
        List<ClassSummary.Row> rows = s.classes();
        j.field("index", s.index).field("totalBytes", s.facts().totalBytes()).field("classCount", rows.size());
        String want = filter == null ? null : filter.toLowerCase(Locale.ROOT);
        if (filter != null) {
            j.field("filter", BOUNDS.label(filter));
        }
        ClassInstances.IdRange ids = since(s, q, j);
        if (ids != null) {
            List<ClassInstances.FilteredClass> f = s.instances().classesIn(ids);
            if (want != null) {
                f = f.stream().filter(r -> r.name().toLowerCase(Locale.ROOT).contains(want)).toList();
            }
            ExploreReport.filteredClasses(f, offset, limit, j, BOUNDS);
            return;
        }
        if (want != null) {
            rows = rows.stream().filter(r -> r.name().toLowerCase(Locale.ROOT).contains(want)).toList();
        }
        ExploreReport.classes(rows, offset, limit, j, BOUNDS);
    }

    /** {@code since=M}: the ids of the objects allocated after snapshot M up to this one's newest; null without. */
    private ClassInstances.IdRange since(Served s, Query q, Json j) {
        if (q.text("since") == null) {
            return null;
        }
        Served earlier = snapshotAt(q.get("since"));
        if (earlier.index == s.index) {
            throw ApiException.bad("since must name another snapshot than " + s.index);
        }
        long after = earlier.snapshot().maxJsObjectId();
        j.field("since", earlier.index).field("idsAfter", after);
        return new ClassInstances.IdRange(after, s.snapshot().maxJsObjectId());
    }

    private void instances(Served s, int classId, Query q, Json j) {
        int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);
        int limit = q.integer("limit", 100, 1, MAX_PAGE);
        ClassInstances.IdRange ids = since(s, q, j);
        j.field("index", s.index).field("classId", classId).field("class", BOUNDS.label(s.graph.classes().name(classId)));
        ExploreReport.objects(s.instances().page(classId, offset, limit, ids), j, BOUNDS);
    }

    private void inspect(Served s, int v, Query q, Json j) {
        int edges = q.integer("edges", 100, 0, MAX_PAGE);
        int retainers = q.integer("retainers", 20, 0, MAX_PAGE);
        ObjectInfo info = ObjectInfo.of(s.graph, v, edges, retainers);
        j.field("index", s.index);
        ObjectReports.inspectFields(info, j, BOUNDS);
        // the stack that allocated it, when the snapshot carries allocation traces (--track-heap-objects)
        j.field("allocationTraces", s.hasAllocationTraces());
        AllocationStack st = s.allocationStack(v);
        AllocationJson.stacks(j, st == null ? List.of() : List.of(st), BOUNDS);
    }

    private void retainers(Served s, int v, Query q, Json j) {
        int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);
        int limit = q.integer("limit", 50, 1, MAX_PAGE);
        int[] ignored = ignored(s, q.text("ignore"));
        int[] dist = s.distancesIgnoring(ignored);
        j.field("index", s.index);
        j.startObject("object");
        ExploreReport.object(ObjectRow.of(s.graph, v, dist == null ? s.graph.distance(v) : dist[v]), j, BOUNDS);
        j.endObject();
        j.startArray("ignored");
        for (int x : ignored) {
            j.value(s.snapshot().id(x));
        }
        j.endArray();
        ExploreReport.edges(RetainerRows.page(s.graph, v, dist, offset, limit), j, BOUNDS);
    }

    private void paths(Served s, int v, Query q, Json j) {
        int k = q.integer("k", 3, 1, 20);
        ShortestPaths.Result r = ShortestPaths.find(s.graph, v, k);
        j.field("index", s.index);
        ObjectReports.pathsFields(r, j, BOUNDS);
    }

    private void children(Served s, int v, Query q, Json j) {
        int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);
        int limit = q.integer("limit", 100, 1, MAX_PAGE);
        j.field("index", s.index);
        j.startObject("object");
        ExploreReport.object(ObjectRow.of(s.graph, v), j, BOUNDS);
        j.endObject();
        ExploreReport.edges(Containment.page(s.graph, v, offset, limit), j, BOUNDS);
    }

    private void dominators(Served s, Query q, Json j) {
        int depth = q.integer("depth", 1, 0, 10);
        int top = q.integer("limit", 20, 1, MAX_PAGE);
        long most = 1;
        long level = 1;
        for (int i = 0; i < depth && most <= MAX_DOMINATOR_NODES; i++) {
            level *= top;
            most += level;
        }
        if (most > MAX_DOMINATOR_NODES) {
            throw ApiException.bad("depth " + depth + " with limit " + top + " could list more than "
                    + MAX_DOMINATOR_NODES + " objects; lower depth or limit");
        }
        HeapGraph g = s.graph;
        int root = g.snapshot().rootOrdinal();
        int v = q.text("id") == null ? root : s.ordinal(parseId(q.get("id")));
        DominatorView.Node tree = DominatorView.of(g, v, depth, top);
        j.field("index", s.index);
        ObjectReports.dominatorsFields(tree, g.retainedSize(root), depth, j, BOUNDS);
    }

    private void search(Served s, Query q, Json j) {
        int limit = q.integer("limit", 50, 1, MAX_PAGE);
        String id = q.text("id");
        j.field("index", s.index);
        if (id != null) {
            long want = parseId(id);
            int v = s.snapshot().ordinalOfId(want);
            j.startObject("query").field("id", want).endObject();
            j.field("matched", v < 0 ? 0 : 1);
            j.startArray("objects");
            if (v >= 0) {
                j.startObject();
                ExploreReport.object(ObjectRow.of(s.graph, v), j, BOUNDS);
                j.endObject();
            }
            j.endArray();
            return;
        }
        ObjectSearch.Query query;
        try {
            query = new ObjectSearch.Query(q.text("class"), q.text("string"));
        } catch (LeakhoundException e) {
            throw ApiException.bad("search: give one of id, class or string (" + e.getMessage() + ")");
        }
        ObjectReports.searchFields(ObjectSearch.run(s.graph, query, limit), j, BOUNDS);
    }

    /** Summary's "Duplicated strings" filter: the texts with more than one copy, the biggest waste first. */
    private void duplicates(Served s, Query q, Json j) {
        int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);
        int limit = q.integer("limit", 100, 1, MAX_PAGE);
        DuplicateStrings.Tally t = s.duplicates();
        if (t == null) {
            throw new ApiException(409, "snapshot " + s.index + " has too many strings to count duplicates");
        }
        j.field("index", s.index);
        ExploreReport.duplicates(s.graph, t, offset, limit, j, BOUNDS);
    }

    /** The copies of one duplicated text ({@code text}: its {@code textId} in {@code duplicates}). */
    private void copies(Served s, String text, Query q, Json j) {
        int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);
        int limit = q.integer("limit", 100, 1, MAX_PAGE);
        int i;
        try {
            i = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.bad("'" + shorten(text) + "' is not a text id (the textId of a duplicates row)");
        }
        HeapSnapshot h = s.snapshot();
        if (i < 0 || i >= h.strings().size() || !DuplicateStrings.comparable(h.strings(), i)) {
            throw ApiException.notFound("no duplicated text " + i + " in snapshot " + s.index);
        }
        int[] copies = DuplicateStrings.copies(s.graph, i);
        if (copies.length < 2) {
            throw ApiException.notFound("text " + i + " has " + copies.length + " copies in snapshot " + s.index
                    + ", not a duplicated string");
        }
        List<ObjectRow> rows = new ArrayList<>();
        for (int k = offset; k < copies.length && k < (long) offset + limit; k++) {
            rows.add(ObjectRow.of(s.graph, copies[k]));
        }
        j.field("index", s.index).field("textId", i).field("text", BOUNDS.label(h.strings().get(i)));
        ExploreReport.objects(new Page<>(copies.length, offset, rows), j, BOUNDS);
    }

    private void compare(Query q, Json j) {
        if (q.text("base") == null || q.text("target") == null) {
            throw ApiException.bad("compare needs base and target, the indexes of two loaded snapshots");
        }
        Served b = snapshotAt(q.get("base"));
        Served a = snapshotAt(q.get("target"));
        if (a.index == b.index) {
            throw ApiException.bad("base and target are the same snapshot (" + a.index + ")");
        }
        int limit = q.integer("limit", 200, 1, MAX_PAGE);
        boolean force = q.bool("force");
        DiffResult r = comparison(b, a, force);
        j.field("base", b.index).field("target", a.index);
        DiffReport.fields(r, j, new Bounds(BOUNDS.maxText(), BOUNDS.maxPathSteps(), limit, BOUNDS.maxListItems()));
    }

    private void leaks(Query q, Json j) {
        if (snapshots.size() < 3) {
            throw new ApiException(409, "find-leaks needs 3 or more snapshots of one process, oldest first; "
                    + snapshots.size() + " loaded (the diagnosis of one snapshot is /api/snapshots/N/diagnosis)");
        }
        LeakReportRenderer.fields(leakReport(), j, BOUNDS, false);
    }

    /** The comparison of {@code b} (base) and {@code a} (target), computed once. */
    private DiffResult comparison(Served b, Served a, boolean force) {
        String key = b.index + "," + a.index + "," + force;
        DiffResult r;
        synchronized (comparisons) {
            r = comparisons.get(key);
        }
        if (r == null) {
            try {
                r = SnapshotDiff.run(b.snapshot(), b.file, a.snapshot(), a.file, force, true, false).comparison();
            } catch (LeakhoundException e) {
                throw ApiException.bad(e.getMessage().replace("--force", "force=true"));
            }
            synchronized (comparisons) {
                comparisons.put(key, r);
            }
        }
        return r;
    }

    /**
     * What the Comparison and Leaks views ask for first, computed ahead (the server's warm-up calls this once the
     * snapshots are prepared): each snapshot against the one before it (the page's default pair) and, with three or
     * more, find-leaks over all. A pair of two processes is left for a request with force=true.
     */
    void prepare() {
        for (int i = 1; i < snapshots.size(); i++) {
            try {
                comparison(snapshots.get(i - 1), snapshots.get(i), false);
            } catch (ApiException e) {
                // refused without force: answered when asked
            }
        }
        if (snapshots.size() >= 3) {
            try {
                leakReport();
            } catch (ApiException e) {
                // said when asked
            }
        }
        prepared = true;
    }

    /** The comparisons computed so far, as "base,target,force" (tests). */
    java.util.Set<String> comparisonsComputed() {
        synchronized (comparisons) {
            return java.util.Set.copyOf(comparisons.keySet());
        }
    }

    /** Whether find-leaks has run (tests). */
    synchronized boolean leaksComputed() {
        return leaks != null;
    }

    /** find-leaks over the loaded snapshots, oldest first, computed once. */
    private synchronized LeakReport leakReport() {
        if (leaks == null) {
            HeapSnapshot[] snaps = new HeapSnapshot[snapshots.size()];
            for (int i = 0; i < snaps.length; i++) {
                snaps[i] = snapshots.get(i).snapshot();
            }
            try {
                leaks = FindLeaks.analyze(snaps, FindLeaks.Options.defaults().withClassDiff(true), ProgressListener.NONE);
            } catch (LeakhoundException e) {
                throw ApiException.bad(e.getMessage());
            }
        }
        return leaks;
    }

    // ---- parameters

    private Served snapshotAt(String text) {
        int i;
        try {
            i = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.bad("'" + shorten(text) + "' is not a snapshot index (0 to " + (snapshots.size() - 1) + ")");
        }
        if (i < 0 || i >= snapshots.size()) {
            throw ApiException.notFound("no snapshot " + i + ": " + snapshots.size() + " loaded (0 to "
                    + (snapshots.size() - 1) + ")");
        }
        return snapshots.get(i);
    }

    private static int classId(Served s, String text) {
        int c;
        try {
            c = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.bad("'" + shorten(text) + "' is not a class id (the classId of a summary row)");
        }
        if (c < 0 || c >= s.graph.classes().classCount()) {
            throw ApiException.notFound("no class " + c + " in snapshot " + s.index);
        }
        return c;
    }

    /** Ordinals of a comma-separated list of ids (at most 100). */
    private static int[] ignored(Served s, String text) {
        if (text == null) {
            return new int[0];
        }
        String[] parts = text.split(",");
        if (parts.length > 100) {
            throw ApiException.bad("ignore lists at most 100 objects, got " + parts.length);
        }
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = s.ordinal(parseId(parts[i].trim()));
        }
        return out;
    }

    /** {@code @123} or {@code 123}. */
    static long parseId(String text) {
        String t = text.startsWith("@") ? text.substring(1) : text;
        if (t.isEmpty() || t.length() > 10 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.bad("'" + shorten(text) + "' is not an object id (expected @123 or 123)");
        }
        long v = Long.parseLong(t);
        if (v > 0xFFFFFFFFL) {
            throw ApiException.bad("'" + text + "' is not an object id (ids are 32-bit)");
        }
        return v;
    }

    private static void end(List<String> seg, int n) {
        if (seg.size() != n) {
            throw unknown(seg);
        }
    }

    private static ApiException unknown(List<String> seg) {
        return ApiException.notFound("no such endpoint: " + shorten(String.join("/", seg)) + " (see the README, \"leakhound serve\")");
    }

    static String shorten(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() <= 80 ? t : t.substring(0, 79) + "…";
    }
}
