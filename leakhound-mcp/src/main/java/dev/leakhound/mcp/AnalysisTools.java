package dev.leakhound.mcp;

import dev.leakhound.analysis.ClassSummary;
import dev.leakhound.analysis.LargestObjects;
import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diff.SnapshotDiff;
import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.objects.DominatorView;
import dev.leakhound.analysis.objects.ObjectInfo;
import dev.leakhound.analysis.objects.ObjectSearch;
import dev.leakhound.analysis.paths.ShortestPaths;
import dev.leakhound.analysis.source.SourceMaps;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.report.AnalyzeReport;
import dev.leakhound.report.Bounds;
import dev.leakhound.report.DiagnosisReport;
import dev.leakhound.report.DiffReport;
import dev.leakhound.report.Json;
import dev.leakhound.report.LeakReportRenderer;
import dev.leakhound.report.ObjectReports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tools that answer questions about snapshot files. Each opens its files through the
 * {@link SnapshotCache}, runs the analysis {@code leakhound}'s command of the same purpose runs, and writes
 * that command's JSON through the same serializer, with compact {@link Bounds}: rows cut to the call's
 * {@code limit}, long texts and paths shortened, and what was left out counted.
 */
final class AnalysisTools {
    /** Texts of at most 400 characters, paths of at most 24 steps, 10 items of an evidence list. */
    static Bounds bounds(int rows) {
        return new Bounds(400, 24, rows, 10);
    }

    /** The most nodes a dominators answer may hold ({@code limit} children per node, {@code depth} levels). */
    static final int MAX_DOMINATOR_NODES = 2000;

    private final SnapshotCache cache;
    private final SourceMaps maps;

    AnalysisTools(SnapshotCache cache) {
        this(cache, SourceMaps.NONE);
    }

    /** Tools whose locations (largest, diagnosis, find_leaks, inspect) are mapped through {@code maps}. */
    AnalysisTools(SnapshotCache cache, SourceMaps maps) {
        this.cache = cache;
        this.maps = maps == null ? SourceMaps.NONE : maps;
    }

    List<Tool> tools() {
        List<Tool> t = new ArrayList<>();
        t.add(new Tool("info", "Snapshot facts",
                "What a heap snapshot file (.heapsnapshot or .heapsnapshot.gz, Node.js 14-24 or Chrome) holds: file size, "
                        + "node, edge and string counts, total bytes, the Node.js version that wrote it when the heap says so. "
                        + "Reads the file once; every tool on the same file afterwards reuses what was read. Start here.",
                new ToolSchema().file("file", "path of the snapshot file (absolute, or relative to the server's working directory)"),
                true, this::info));
        t.add(new Tool("summary", "Classes and statistics",
                "Heap statistics (DevTools' Statistics view) and the classes by retained size (the Summary view), as "
                        + "`leakhound analyze --json` reports them: per class the object count, shallow and retained bytes and "
                        + "the least distance from a root. `classesOmitted` sums the classes past `limit`.",
                new ToolSchema().file("file", "path of the snapshot file")
                        .integer("limit", "classes listed, biggest retained size first", 20, 1, Args.MAX_ROWS)
                        .string("class", "list only the classes whose name contains this text (any case)", false),
                true, this::summary));
        t.add(new Tool("largest", "Largest objects",
                "The objects that retain the most memory, biggest first, each with its shortest retainer path from the "
                        + "roots and its source location: the ids to pass to path, inspect and dominators.",
                new ToolSchema().file("file", "path of the snapshot file")
                        .integer("limit", "objects listed", 10, 1, OpenSnapshot.ANALYSIS_ROWS),
                true, this::largest));
        t.add(new Tool("diagnosis", "Leak suspects and Node.js leak patterns",
                "Diagnose one snapshot as `leakhound analyze` does: leak suspects (Eclipse MAT's method: an object or a "
                        + "group of objects retaining a large share of the heap, with the accumulation point) and Node.js leak "
                        + "patterns (event listeners, timers, closures, growing collections, external memory, duplicate "
                        + "strings), each with evidence, sample ids and a fix. For a growing process, find_leaks on several "
                        + "snapshots is more reliable.",
                new ToolSchema().file("file", "path of the snapshot file")
                        .integer("limit", "findings listed at most, biggest first", 10, 1, 50)
                        .bytes("min_bytes", "smallest finding or suspect reported, in bytes", DiagnosisOptions.DEFAULT_MIN_BYTES),
                true, this::diagnosis));
        t.add(new Tool("find_leaks", "Find what a growing process leaks",
                "From 2 or more snapshots of one process taken some time apart (oldest first; 3 recommended), as "
                        + "`leakhound find-leaks --json`: the objects allocated after the first snapshot that are still alive "
                        + "and keep growing, grouped by the path that holds them, with the accumulation point (container id), "
                        + "the growth per snapshot, the source line and a fix. `verdict` is leak or no-leak.",
                new ToolSchema().files("files", "the snapshot files, oldest first", 2, 10)
                        .integer("limit", "leaks reported at most, most growth first", 10, 1, 50)
                        .bytes("min_bytes", "new bytes a leak must reach", FindLeaks.Options.defaults().minBytes())
                        .integer("min_count", "objects a leak's count must grow by", (int) FindLeaks.Options.defaults().minCount(),
                                1, Integer.MAX_VALUE),
                true, this::findLeaks));
        t.add(new Tool("diff", "Compare two snapshots",
                "Compare two snapshots of one process (DevTools' Comparison view), as `leakhound diff --json`: per class "
                        + "the objects allocated (newCount) and freed (deletedCount) between before and after and their bytes, "
                        + "biggest size delta first; `classesOmitted` sums the classes past `limit`. Snapshots of two different "
                        + "processes are refused unless force.",
                new ToolSchema().file("before", "the earlier snapshot file").file("after", "the later snapshot file of the same process")
                        .integer("limit", "classes listed", 30, 1, Args.MAX_ROWS)
                        .bool("force", "compare even when the two snapshots do not look like one process", false),
                true, this::diff));
        t.add(new Tool("path", "Retainer paths",
                "The shortest retainer paths from the GC roots to an object (weak edges excluded), shortest first, as "
                        + "`leakhound path --json`: what keeps the object alive, e.g. global.cache.items[12] -> Session @123.",
                new ToolSchema().file("file", "path of the snapshot file").id("id", "the object's id (from another tool)", true)
                        .integer("limit", "paths listed", 3, 1, 20),
                true, this::path));
        t.add(new Tool("inspect", "One object",
                "One object, as `leakhound inspect --json`: class, type, shallow and retained size, distance, dominator, "
                        + "source location, a shortest retainer path, its outgoing edges (each with what its target weighs) and "
                        + "its retainers. edgeCount and retainerCount count them all.",
                new ToolSchema().file("file", "path of the snapshot file").id("id", "the object's id", true)
                        .integer("limit", "outgoing edges listed", 30, 0, Args.MAX_ROWS)
                        .integer("retainers", "retainers listed", 10, 0, Args.MAX_ROWS),
                true, this::inspect));
        t.add(new Tool("dominators", "Dominator tree",
                "The dominator tree below an object (default: the root), as `leakhound dominators --json`: what each "
                        + "object keeps alive on its own, biggest first, `limit` children per object down to `depth` levels; the "
                        + "other children are summed in otherCount and otherRetainedBytes. At most "
                        + MAX_DOMINATOR_NODES + " objects in all.",
                new ToolSchema().file("file", "path of the snapshot file").id("id", "the object's id (default: the root)", false)
                        .integer("depth", "levels below the object", 2, 0, 10)
                        .integer("limit", "children listed per object", 10, 1, 50),
                true, this::dominators));
        t.add(new Tool("search", "Search objects",
                "Find objects by class name (`class`: every class whose name contains the text, any case) or by string "
                        + "content (`string`: string objects whose value contains the text), biggest retained size first, with "
                        + "ids to pass to path and inspect. `matched` and `matchedBytes` count every match.",
                new ToolSchema().file("file", "path of the snapshot file")
                        .string("class", "text of the class name", false)
                        .string("string", "text the string's value contains (exact case)", false)
                        .integer("limit", "objects listed", 20, 1, Args.MAX_ROWS),
                true, this::search));
        return t;
    }

    private void info(Args a, Json j) {
        OpenSnapshot o = cache.open(a.path("file"));
        AnalyzeReport.facts(o.facts(), j);
        j.field("readMillis", o.readMillis());
    }

    private void summary(Args a, Json j) {
        Path file = a.path("file");
        int limit = a.integer("limit", 20, 1, Args.MAX_ROWS);
        String filter = a.optionalString("class");
        SnapshotAnalysis an = cache.open(file).analysis(maps);
        AnalyzeReport.header(an, j);
        AnalyzeReport.statistics(an.statistics(), j);
        List<ClassSummary.Row> rows = an.classes();
        if (filter != null) {
            String want = filter.toLowerCase(Locale.ROOT);
            rows = rows.stream().filter(r -> r.name().toLowerCase(Locale.ROOT).contains(want)).toList();
            j.field("classFilter", filter).field("allClassCount", an.classes().size());
        }
        AnalyzeReport.classes(rows, j, bounds(limit));
    }

    private void largest(Args a, Json j) {
        Path file = a.path("file");
        int limit = a.integer("limit", 10, 1, OpenSnapshot.ANALYSIS_ROWS);
        SnapshotAnalysis an = cache.open(file).analysis(maps);
        j.field("file", an.file()).field("totalBytes", an.totalSize());
        List<LargestObjects.Row> rows = an.largest();
        AnalyzeReport.largest(rows.subList(0, Math.min(limit, rows.size())), j, bounds(limit));
    }

    private void diagnosis(Args a, Json j) {
        Path file = a.path("file");
        int limit = a.integer("limit", 10, 1, 50);
        long minBytes = a.bytes("min_bytes", DiagnosisOptions.DEFAULT_MIN_BYTES);
        OpenSnapshot o = cache.open(file);
        j.field("file", o.analysis(maps).file());
        DiagnosisOptions opts = DiagnosisOptions.defaults().withMinBytes(minBytes).withMaxFindings(limit);
        DiagnosisReport.json(o.diagnosis(opts, maps), j, bounds(limit), false);
    }

    private void findLeaks(Args a, Json j) {
        List<Path> files = a.paths("files", 2, 10);
        int limit = a.integer("limit", 10, 1, 50);
        FindLeaks.Options d = FindLeaks.Options.defaults();
        long minBytes = a.bytes("min_bytes", d.minBytes());
        int minCount = a.integer("min_count", (int) d.minCount(), 1, Integer.MAX_VALUE);
        List<OpenSnapshot> open = cache.open(files);
        HeapSnapshot[] snaps = new HeapSnapshot[open.size()];
        for (int i = 0; i < snaps.length; i++) {
            snaps[i] = open.get(i).snapshot();
        }
        LeakReport r = FindLeaks.analyze(snaps, new FindLeaks.Options(minBytes, minCount, limit, d.bytesOnlyGrowth(), false, maps),
                ProgressListener.NONE);
        LeakReportRenderer.fields(r, j, bounds(limit), false);
    }

    private void diff(Args a, Json j) {
        Path before = a.path("before");
        Path after = a.path("after");
        int limit = a.integer("limit", 30, 1, Args.MAX_ROWS);
        boolean force = a.bool("force", false);
        OpenSnapshot b = cache.open(before);
        OpenSnapshot f = cache.open(after);
        SnapshotDiff.Outcome o = SnapshotDiff.run(b.snapshot(), b.file(), f.snapshot(), f.file(), force, true, false);
        DiffReport.fields(o.comparison(), j, bounds(limit));
    }

    private void path(Args a, Json j) {
        Path file = a.path("file");
        long id = a.id("id");
        int k = a.integer("limit", 3, 1, 20);
        OpenSnapshot o = cache.open(file);
        ShortestPaths.Result r = ShortestPaths.find(o.graph(), o.ordinal(id), k);
        j.field("file", o.file().toString());
        ObjectReports.pathsFields(r, j, bounds(k));
    }

    private void inspect(Args a, Json j) {
        Path file = a.path("file");
        long id = a.id("id");
        int edges = a.integer("limit", 30, 0, Args.MAX_ROWS);
        int retainers = a.integer("retainers", 10, 0, Args.MAX_ROWS);
        OpenSnapshot o = cache.open(file);
        ObjectInfo info = ObjectInfo.of(o.graph(), o.ordinal(id), edges, retainers, maps);
        j.field("file", o.file().toString());
        ObjectReports.inspectFields(info, j, bounds(Args.MAX_ROWS));
    }

    private void dominators(Args a, Json j) {
        Path file = a.path("file");
        Long id = a.has("id") ? a.id("id") : null;
        int depth = a.integer("depth", 2, 0, 10);
        int top = a.integer("limit", 10, 1, 50);
        long most = 1;
        long level = 1;
        for (int i = 0; i < depth && most <= MAX_DOMINATOR_NODES; i++) {
            level *= top;
            most += level;
        }
        if (most > MAX_DOMINATOR_NODES) {
            throw new LeakhoundException("dominators: depth " + depth + " with limit " + top + " could list more than "
                    + MAX_DOMINATOR_NODES + " objects; lower depth or limit, and ask again below an object of interest");
        }
        OpenSnapshot o = cache.open(file);
        HeapGraph g = o.graph();
        int root = g.snapshot().rootOrdinal();
        int v = id == null ? root : o.ordinal(id);
        DominatorView.Node tree = DominatorView.of(g, v, depth, top);
        j.field("file", o.file().toString());
        ObjectReports.dominatorsFields(tree, g.retainedSize(root), depth, j, bounds(top));
    }

    private void search(Args a, Json j) {
        Path file = a.path("file");
        String cls = a.optionalString("class");
        String str = a.optionalString("string");
        int limit = a.integer("limit", 20, 1, Args.MAX_ROWS);
        ObjectSearch.Query q;
        try {
            q = new ObjectSearch.Query(cls, str);
        } catch (LeakhoundException e) {
            throw new LeakhoundException("search: " + e.getMessage());
        }
        OpenSnapshot o = cache.open(file);
        ObjectSearch.Result r = ObjectSearch.run(o.graph(), q, limit);
        j.field("file", o.file().toString());
        ObjectReports.searchFields(r, j, bounds(limit));
    }
}
