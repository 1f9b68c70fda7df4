package dev.leakhound.report.html;

import dev.leakhound.analysis.diff.DiffResult;
import dev.leakhound.analysis.diff.SameProcessCheck;
import dev.leakhound.analysis.diff.SnapshotDiff;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import dev.leakhound.report.DiffReport;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;

import static dev.leakhound.report.html.HtmlReportsTest.IMG;
import static dev.leakhound.report.html.HtmlReportsTest.SCRIPT;
import static org.assertj.core.api.Assertions.assertThat;

/** The diff page from hand-built snapshots whose class names are markup: names stay data, numbers equal the JSON's. */
class HtmlDiffPageTest {
    /**
     * root -> global -> array of {@code scripts} objects of class SCRIPT (ids 101, 103, ...) and
     * {@code imgs} of class IMG (ids 5001, ...); the same ids in both snapshots stand for the same objects.
     */
    static HeapSnapshot snapshot(int scriptsFrom, int scripts, int imgs) {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 1, 0);
        int global = b.node(NodeType.OBJECT, "global", 3, 40);
        int arr = b.node(NodeType.OBJECT, "Array", 5, 32);
        b.edge(root, EdgeType.SHORTCUT, "1", global);
        b.edge(global, EdgeType.PROPERTY, "</script><script>alert(3)</script>", arr);
        int k = 0;
        for (int i = scriptsFrom; i < scriptsFrom + scripts; i++) {
            b.edge(arr, EdgeType.ELEMENT, k++, b.node(NodeType.OBJECT, SCRIPT, 101 + 2L * i, 48));
        }
        for (int i = 0; i < imgs; i++) {
            b.edge(arr, EdgeType.ELEMENT, k++, b.node(NodeType.OBJECT, IMG, 5001 + 2L * i, 64));
        }
        return b.build();
    }

    @Test
    void diffPageKeepsHostileClassNamesAsDataAndHasTheJsonNumbers() {
        HeapSnapshot before = snapshot(0, 30, 10);
        HeapSnapshot after = snapshot(10, 40, 4);   // 10 SCRIPT objects freed, 20 new; 6 IMG freed
        DiffResult r = SnapshotDiff.compare(before, after, SameProcessCheck.of(before, after), List.of(
                new DiffResult.Warning(DiffResult.Warning.Kind.AFTER_LOOKS_OLDER, "<b>before</b>", "a <b>warning</b>")));
        StringWriter w = new StringWriter();
        DiffHtml.write(r, w);
        String html = w.toString();
        HtmlReportsTest.assertNoMarkupInjected(html);
        assertThat(html).doesNotContain("<b>warning");
        Object data = JsonTree.pageData(html);

        StringWriter js = new StringWriter();
        DiffReport.json(r, js);
        Object json = JsonTree.parse(js.toString());
        for (String side : List.of("before", "after")) {
            for (String k : List.of("nodes", "totalBytes")) {
                assertThat(JsonTree.num(data, side, k)).as(side + "." + k).isEqualTo(JsonTree.num(json, side, k));
            }
        }
        assertThat(JsonTree.num(data, "deltaBytes")).isEqualTo(JsonTree.num(json, "deltaBytes")).isEqualTo(-6 * 64 + 10 * 48);
        for (String k : List.of("newCount", "deletedCount", "allocatedBytes", "freedBytes", "deltaBytes")) {
            assertThat(JsonTree.num(data, "totals", k)).as("totals." + k).isEqualTo(JsonTree.num(json, "totals", k));
        }
        assertThat(JsonTree.num(data, "totals", "newCount")).isEqualTo(20);
        assertThat(JsonTree.num(data, "totals", "deletedCount")).isEqualTo(16);
        // the page embeds --json's document (bounded): the same rows, the hostile names verbatim
        @SuppressWarnings("unchecked")
        List<java.util.Map<String, Object>> rows = (List<java.util.Map<String, Object>>) JsonTree.at(data, "classes");
        assertThat(rows).isEqualTo(JsonTree.at(json, "classes"));
        assertThat(rows).anySatisfy(row -> assertThat(List.of(row.get("name"), row.get("newCount"), row.get("deletedCount"),
                row.get("allocatedBytes"), row.get("freedBytes"))).containsExactly(SCRIPT, 20L, 10L, 960L, 480L));
        assertThat(rows).anySatisfy(row -> assertThat(List.of(row.get("name"), row.get("newCount"), row.get("deletedCount"),
                row.get("allocatedBytes"), row.get("freedBytes"))).containsExactly(IMG, 0L, 6L, 0L, 384L));
        assertThat(JsonTree.at(data, "warnings", 0)).asString().startsWith("a <b>warning</b> looks older than <b>before</b>");
    }
}
