package dev.leakhound.report.html;

import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.analysis.Timings;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diff.SameProcessCheck;
import dev.leakhound.analysis.diff.SnapshotDiff;
import dev.leakhound.analysis.leaks.LeakPattern;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.leaks.LeakSignature;
import dev.leakhound.analysis.nodejs.Collections;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import dev.leakhound.report.Bounds;
import dev.leakhound.report.LeakReportRenderer;
import dev.leakhound.report.LeakText;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Renders pages from hand-built graphs: hostile strings stay data, the dominator sample stays bounded. */
class HtmlReportsTest {
    static final String SCRIPT = "<script>alert(1)</script>";
    static final String IMG = "\"><img src=x onerror=alert(1)>";

    /** root -> (GC roots), global; global holds hostile-named objects through hostile property names. */
    static HeapSnapshot hostile() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 1, 0);
        int gc = b.node(NodeType.SYNTHETIC, "(GC roots)", 3, 0);
        int global = b.node(NodeType.OBJECT, "global", 5, 40);
        int arr = b.node(NodeType.OBJECT, "Array", 7, 32);
        b.edge(root, EdgeType.ELEMENT, 1, gc);
        b.edge(root, EdgeType.SHORTCUT, "1", global);
        b.edge(global, EdgeType.PROPERTY, IMG, arr);
        long id = 9;
        for (int i = 0; i < 20; i++) {
            int o = b.node(NodeType.OBJECT, SCRIPT, id, 100 + i);
            id += 2;
            int s = b.node(NodeType.STRING, "</script><script>alert(" + i + ")</script>", id, 64);
            id += 2;
            int f = b.node(NodeType.CLOSURE, "<img src=x onerror=alert(2)>", id, 32);
            id += 2;
            b.edge(arr, EdgeType.ELEMENT, i, o);
            b.edge(o, EdgeType.PROPERTY, "<b>" + IMG + "</b>", s);
            b.edge(o, EdgeType.PROPERTY, "fn", f);
            b.location(f, 0, 3, 7);
        }
        return b.build();
    }

    @Test
    @SuppressWarnings("unchecked")
    void analyzePageKeepsHostileStringsAsData() {
        HeapGraph g = HeapGraph.build(hostile());
        SnapshotAnalysis a = SnapshotAnalysis.of(g, new SnapshotAnalysis.Options(10, DiagnosisOptions.defaults(), true));
        StringWriter w = new StringWriter();
        AnalyzeHtml.write(a, false, w);
        String html = w.toString();
        assertNoMarkupInjected(html);
        Object data = JsonTree.pageData(html);
        assertThat(JsonTree.num(data, "nodes")).isEqualTo(a.nodeCount());
        assertThat(JsonTree.num(data, "totalBytes")).isEqualTo(a.totalSize());
        // the hostile class is listed by its name, verbatim
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> classes = (List<Map<String, Object>>) JsonTree.at(data, "classes");
        assertThat(classes).anySatisfy(r -> assertThat(r.get("name")).isEqualTo(SCRIPT));
        assertThat((List<Map<String, Object>>) JsonTree.at(data, "largest"))
                .anySatisfy(r -> assertThat(r.get("pathText").toString()).contains("<img src=x onerror=alert(1)>"))
                .anySatisfy(r -> assertThat((List<Map<String, Object>>) r.get("path")).anySatisfy(st -> assertThat(st.get("edge")).isEqualTo(IMG)));
        // the dominator columns are parallel and start at the root
        long nodes = JsonTree.num(data, "dominators", "nodes");
        for (String col : List.of("parent", "id", "cls", "label", "edge", "self", "retained", "children")) {
            assertThat((List<?>) JsonTree.at(data, "dominators", col)).as(col).hasSize((int) nodes);
        }
        assertThat(JsonTree.num(data, "dominators", "parent", 0)).isEqualTo(-1);
        assertThat(JsonTree.num(data, "dominators", "retained", 0)).isEqualTo(a.totalSize());
        assertThat((List<Object>) JsonTree.at(data, "dominators", "edge")).contains(".fn", "[0]");
    }

    /** A report on the hostile graph: one leak and one dismissed group, every name in them hostile. */
    static LeakReport hostileReport(HeapGraph g, boolean classDiff) {
        List<RetainerPath.Step> path = RetainerPath.shortest(g, 4);
        LeakReport.Container container = new LeakReport.Container(7, "Array", "global[" + IMG + "]", "[*]",
                new LeakReport.Scope(IMG, "/tmp/" + SCRIPT + ".js", List.of(SCRIPT + "()"), 1));
        LeakReport.Leak leak = new LeakReport.Leak(1, LeakPattern.ARRAY, IMG, SCRIPT, 5000, 20, 4000, 4000, 16,
                new long[] {4, 12, 20}, new long[] {1000, 3000, 5000}, container, path, RetainerPath.render(g, path),
                new SourceLocator.Location("/tmp/" + IMG + ".js", 4, 8), new LeakReport.Collection(IMG, Collections.Kind.ARRAY),
                null, new LeakSignature(LeakPattern.ARRAY, "{global}[" + IMG + "] @ [*]", SCRIPT), LeakReport.Status.NEW);
        LeakReport.Leak dismissed = new LeakReport.Leak(0, LeakPattern.MAP, SCRIPT, IMG, 900, 3, 0, 100_000, 3,
                new long[] {3, 3, 3}, new long[] {900, 900, 900}, container, path, RetainerPath.render(g, path), null,
                new LeakReport.Collection(SCRIPT, Collections.Kind.MAP),
                new LeakReport.Dismissal(LeakReport.Dismissal.Reason.NOT_GROWING, 0, 65536),
                new LeakSignature(LeakPattern.MAP, "{global}[" + SCRIPT + "] @ [*]", IMG), LeakReport.Status.NEW);
        HeapSnapshot s = g.snapshot();
        return new LeakReport(List.of(new LeakReport.SnapshotInfo("/tmp/" + SCRIPT + "/s1", 10, 100, 9),
                new LeakReport.SnapshotInfo("s2", 20, 200, 99), new LeakReport.SnapshotInfo("s3", 30, 300, 199)),
                List.of(leak), List.of(dismissed),
                classDiff ? SnapshotDiff.compare(s, s, SameProcessCheck.of(s, s), List.of()) : null, Timings.none());
    }

    @Test
    void findLeaksPageKeepsHostileStringsAsData() {
        HeapGraph g = HeapGraph.build(hostile());
        LeakReport r = hostileReport(g, true);
        LeakReport.Leak leak = r.leaks().get(0);
        StringWriter w = new StringWriter();
        FindLeaksHtml.write(r, false, w);
        String html = w.toString();
        assertNoMarkupInjected(html);
        Object data = JsonTree.pageData(html);
        assertThat(JsonTree.at(data, "leaks", 0, "summary")).isEqualTo(LeakText.summary(leak)).asString().contains(IMG);
        assertThat(JsonTree.at(data, "leaks", 0, "culprit")).isEqualTo(IMG);
        assertThat(JsonTree.at(data, "leaks", 0, "container", "scope")).isEqualTo(LeakText.scope(leak.container().scope()));
        assertThat(JsonTree.at(data, "leaks", 0, "container", "scopeInfo", "script")).isEqualTo("/tmp/" + SCRIPT + ".js");
        assertThat(JsonTree.at(data, "leaks", 0, "location", "file")).isEqualTo("/tmp/" + IMG + ".js");
        assertThat(JsonTree.at(data, "leaks", 0, "path", 1, "edge")).isEqualTo(IMG);
        assertThat(JsonTree.at(data, "dismissed", 0, "reasonCode")).isEqualTo("not-growing");
        assertThat(JsonTree.at(data, "snapshots", 0, "file")).isEqualTo("/tmp/" + SCRIPT + "/s1");
        assertThat((List<?>) JsonTree.at(data, "classDiff", "classes")).as("a snapshot compared with itself").isEmpty();
        assertThat(JsonTree.num(data, "classDiff", "totals", "newCount")).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void findLeaksPageEmbedsExactlyTheJsonDocument() {
        HeapGraph g = HeapGraph.build(hostile());
        LeakReport r = hostileReport(g, true);
        StringWriter json = new StringWriter();
        LeakReportRenderer.json(r, json);
        StringWriter w = new StringWriter();
        FindLeaksHtml.write(r, false, w);
        Map<String, Object> page = new java.util.LinkedHashMap<>((Map<String, Object>) JsonTree.pageData(w.toString()));
        assertThat(page.remove("kind")).isEqualTo("find-leaks");
        assertThat(page.remove("classDiff")).isNotNull();
        // nothing here is long enough for the page's bounds to cut
        assertThat(page).isEqualTo(JsonTree.parse(json.toString()));
        assertThat(page).doesNotContainKey("millis");
        // with timings both carry them
        StringWriter timed = new StringWriter();
        FindLeaksHtml.write(r, true, timed);
        assertThat((Map<String, Object>) JsonTree.pageData(timed.toString())).containsKeys("millis", "timings");
    }

    static void assertNoMarkupInjected(String html) {
        assertThat(Pattern.compile("<script", Pattern.CASE_INSENSITIVE).matcher(html).results().count()).isEqualTo(2);
        assertThat(html).doesNotContainIgnoringCase("<img").doesNotContain("<b>");
        int d = html.indexOf("id=\"leakhound-data\">");
        assertThat(html.substring(0, d)).as("markup before the data").doesNotContain("alert(");
        assertThat(html.substring(html.indexOf("</script>", d))).as("markup after the data").doesNotContain("alert(");
    }

    @Test
    void aMillionDeepChainKeepsThePageSmall() {
        StringWriter w = new StringWriter();
        HeapGraph g = deepChainPage(1_000_000, w);
        assertThat(w.toString().length()).as("page size").isLessThan(200_000);
        Object data = JsonTree.pageData(w.toString());
        List<?> steps = (List<?>) JsonTree.at(data, "leaks", 0, "path");
        int max = Bounds.PAGE.maxPathSteps();
        assertThat(steps).hasSize(max + 1);
        int half = max / 2;
        int last = g.snapshot().nodeCount() - 1;
        List<RetainerPath.Step> path = RetainerPath.shortest(g, last);
        assertThat(JsonTree.num(data, "leaks", 0, "path", half, "elided")).isEqualTo(1_000_001 - max);
        assertThat(JsonTree.num(data, "leaks", 0, "path", half - 1, "id")).isEqualTo(path.get(half - 1).id());
        assertThat(JsonTree.num(data, "leaks", 0, "path", max, "id")).isEqualTo(g.snapshot().id(last));
        // the path text folds the repeated link (RetainerPath via Repeats), so it stays short without elision
        assertThat(JsonTree.at(data, "leaks", 0, "pathText").toString()).hasSizeLessThanOrEqualTo(2000)
                .isEqualTo("global.next×1000000 -> Link @" + g.snapshot().id(last));
    }

    /** A find-leaks page whose one leak's path runs down a chain of {@code depth} objects. */
    static HeapGraph deepChainPage(int depth, java.io.Writer w) {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 1, 0);
        int global = b.node(NodeType.OBJECT, "global", 3, 10);
        b.edge(root, EdgeType.SHORTCUT, "1", global);
        int prev = global;
        long id = 5;
        for (int i = 0; i < depth; i++) {
            int o = b.node(NodeType.OBJECT, "Link", id, 16);
            id += 2;
            b.edge(prev, EdgeType.PROPERTY, "next", o);
            prev = o;
        }
        HeapGraph g = HeapGraph.build(b.build());
        List<RetainerPath.Step> path = RetainerPath.shortest(g, prev);
        String pathText = RetainerPath.render(g, path);
        assertThat(path).hasSize(depth + 1);
        LeakReport.Leak leak = new LeakReport.Leak(1, LeakPattern.CHAIN, "next", "Link", 16L * depth, depth, 8L * depth,
                8L * depth, depth / 2, new long[] {depth / 2, depth}, new long[] {8L * depth, 16L * depth},
                new LeakReport.Container(3, "global", pathText, ".next", null), path, pathText, null,
                new LeakReport.Chain("next", null, ".next"), null,
                new LeakSignature(LeakPattern.CHAIN, "{global}.next @ (.next)+", "Link"), LeakReport.Status.NEW);
        LeakReport r = new LeakReport(List.of(new LeakReport.SnapshotInfo("s1", depth / 2, 8L * depth, depth + 1L),
                new LeakReport.SnapshotInfo("s2", depth, 16L * depth, 2L * depth + 1)), List.of(leak), List.of(), null,
                Timings.none());
        FindLeaksHtml.write(r, false, w);
        return g;
    }
}
