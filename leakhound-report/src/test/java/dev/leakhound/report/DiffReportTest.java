package dev.leakhound.report;

import dev.leakhound.analysis.diff.DiffResult;
import dev.leakhound.analysis.diff.MemwatchDiff;
import dev.leakhound.analysis.diff.SameProcessCheck;
import dev.leakhound.report.html.JsonTree;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DiffReportTest {

    static String resource(String name) throws IOException {
        try (InputStream in = DiffReportTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void niceSizeFollowsMemwatchFormula() {
        assertThat(DiffReport.niceSize(0)).isEqualTo("0 bytes");
        assertThat(DiffReport.niceSize(1024)).isEqualTo("1024 bytes");      // "above" is strict
        assertThat(DiffReport.niceSize(1025)).isEqualTo("1 kb");            // 1.00 printed by %g
        assertThat(DiffReport.niceSize(1536)).isEqualTo("1.5 kb");
        assertThat(DiffReport.niceSize(1152)).isEqualTo("1.13 kb");         // 112.5 rounds away from zero
        assertThat(DiffReport.niceSize(-1152)).isEqualTo("-1.13 kb");       // ... on both sides
        assertThat(DiffReport.niceSize(1048576)).isEqualTo("1024 kb");
        assertThat(DiffReport.niceSize(1234567)).isEqualTo("1.18 mb");
        assertThat(DiffReport.niceSize(3_000_000_000L)).isEqualTo("2861.02 mb");   // wrapped negative in memwatch
        assertThat(DiffReport.niceSize(12_345_678_901L)).isEqualTo("11773.8 mb");  // 6 significant digits
        assertThat(DiffReport.niceSize(1L << 40)).isEqualTo("1.04858e+06 mb");
    }

    /** 3,242 values printed by memwatch's formula compiled with g++ (the .cc file next to the .tsv). */
    @Test
    void niceSizeMatchesCppReference() throws IOException {
        int checked = 0;
        for (String line : resource("niceSize-reference.tsv").split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            assertThat(DiffReport.niceSize(Long.parseLong(f[0]))).as("niceSize(%s)", f[0]).isEqualTo(f[1]);
            checked++;
        }
        assertThat(checked).isGreaterThan(3000);
    }

    @Test
    void timeIsWrittenAsJavaScriptDates() {
        assertThat(DiffReport.isoTime(Instant.parse("2024-05-01T10:05:00Z"))).isEqualTo("2024-05-01T10:05:00.000Z");
        assertThat(DiffReport.isoTime(Instant.parse("2024-05-01T10:05:00.123456Z"))).isEqualTo("2024-05-01T10:05:00.123Z");
        assertThat(DiffReport.isoTime(null)).isNull();
    }

    static MemwatchDiff.Result memwatchSample() {
        return new MemwatchDiff.Result(
                new MemwatchDiff.Side(10, Instant.parse("2024-05-01T10:00:00Z"), 142),
                new MemwatchDiff.Side(16, Instant.parse("2024-05-01T10:05:00.250Z"), 3_000_001_309L),
                4, 10, List.of(
                        new MemwatchDiff.Detail("Alpha", 10, 1, 0),
                        new MemwatchDiff.Detail("Native", 3_000_000_000L, 1, 0),
                        new MemwatchDiff.Detail("\u00e9-name", -4, 0, 1)));
    }

    /** An approval test: the whole document as it was once checked by hand against memwatch's HeapDiff. */
    @Test
    void memwatchJsonMatchesTheApprovedOutput() throws IOException {
        StringWriter w = new StringWriter();
        DiffReport.memwatch(memwatchSample(), w);
        assertThat(w.toString() + "\n").isEqualTo(resource("diff-memwatch.approved.json"));
    }

    /** memwatch's HeapDiff keys in its order, sizes as niceSize writes them, and the details as given. */
    @Test
    @SuppressWarnings("unchecked")
    void memwatchJsonHasHeapDiffKeysInOrderAndNiceSizes() {
        StringWriter w = new StringWriter();
        MemwatchDiff.Result r = memwatchSample();
        DiffReport.memwatch(r, w);
        Map<String, Object> doc = (Map<String, Object>) JsonTree.parse(w.toString());
        assertThat(doc.keySet()).containsExactly("before", "after", "change");
        Map<String, Object> before = (Map<String, Object>) doc.get("before");
        assertThat(before.keySet()).containsExactly("nodes", "time", "size_bytes", "size");
        assertThat(before.get("size")).isEqualTo(DiffReport.niceSize(142));
        assertThat(before.get("time")).isEqualTo("2024-05-01T10:00:00.000Z");
        Map<String, Object> change = (Map<String, Object>) doc.get("change");
        assertThat(change.keySet()).containsExactly("size_bytes", "size", "freed_nodes", "allocated_nodes", "details");
        assertThat(change.get("size_bytes")).isEqualTo(3_000_001_309L - 142);
        List<Map<String, Object>> details = (List<Map<String, Object>>) change.get("details");
        assertThat(details).hasSize(r.details().size());
        for (int i = 0; i < details.size(); i++) {
            MemwatchDiff.Detail d = r.details().get(i);
            assertThat(details.get(i).keySet()).containsExactly("what", "size_bytes", "size", "+", "-");
            assertThat(details.get(i).get("what")).isEqualTo(d.what());
            assertThat(details.get(i).get("size_bytes")).isEqualTo(d.sizeBytes());
            assertThat(details.get(i).get("size")).isEqualTo(DiffReport.niceSize(d.sizeBytes()));
        }
    }

    static DiffResult comparisonSample() {
        List<DiffResult.ClassDelta> rows = List.of(
                new DiffResult.ClassDelta("Foo", 2, 3, 150, 230, 2, 1, 130, 50),
                new DiffResult.ClassDelta("Function", 1, 2, 10, 42, 1, 0, 32, 0),
                new DiffResult.ClassDelta("(string)", 1, 2, 20, 44, 1, 0, 24, 0),
                new DiffResult.ClassDelta("Qux", 1, 0, 5, 0, 0, 1, 0, 5));
        return new DiffResult(new DiffResult.Side("a.heapsnapshot", 8, 215, 23),
                new DiffResult.Side("b.heapsnapshot", 11, 2_000_361, 33),
                new SameProcessCheck.Result(6, 8, 6, 33, 23), rows,
                new DiffResult.ClassDelta("total", 6, 9, 215, 2_000_361, 4, 1, 186, 55), 8,
                List.of(new DiffResult.Warning(DiffResult.Warning.Kind.AFTER_LOOKS_OLDER, "a.heapsnapshot", "b.heapsnapshot")));
    }

    /** An approval test: the text as it was once checked by hand. */
    @Test
    void textMatchesTheApprovedOutput() throws IOException {
        StringWriter w = new StringWriter();
        DiffReport.text(comparisonSample(), 3, new PrintWriter(w));
        assertThat(w.toString()).isEqualTo(resource("diff-text.approved.txt"));
    }

    /** The table lists the classes in the order given, cut at --top, then the totals and how many were left out. */
    @Test
    void textTableIsSortedAsGivenCutAtTopAndTotalled() {
        DiffResult r = comparisonSample();
        for (int top = 1; top <= 5; top++) {
            StringWriter w = new StringWriter();
            DiffReport.text(r, top, new PrintWriter(w));
            List<String> lines = w.toString().lines().toList();
            int header = lines.indexOf(lines.stream().filter(l -> l.contains("# new")).findFirst().orElseThrow());
            int shown = Math.min(top, r.classes().size());
            for (int i = 0; i < shown; i++) {
                DiffResult.ClassDelta d = r.classes().get(i);
                String row = lines.get(header + 2 + i);
                assertThat(row.trim()).as("top %d row %d", top, i).startsWith(d.name() + " ");
                assertThat(row).contains(" " + Format.signedCount(d.deltaCount()) + " ").endsWith(" " + Format.signedBytes(d.deltaBytes()));
            }
            String total = lines.get(header + 2 + shown);
            assertThat(total.trim()).startsWith("total (" + r.classes().size() + " classes)")
                    .contains(Format.signedBytes(r.totals().deltaBytes()));
            int left = r.classes().size() - shown;
            if (left > 0) {
                assertThat(lines.get(header + 3 + shown)).contains("(" + left + " more class");
            } else {
                assertThat(w.toString()).doesNotContain("more class");
            }
        }
    }

    @Test
    void warningsAreWordedFromTheCheck() {
        SameProcessCheck.Result c = new SameProcessCheck.Result(6, 8, 6, 23, 33);
        assertThat(DiffReport.warning(new DiffResult.Warning(DiffResult.Warning.Kind.AFTER_LOOKS_OLDER, "new.hs", "old.hs"),
                new SameProcessCheck.Result(6, 8, 6, 199, 179))).isEqualTo("old.hs looks older than new.hs (its newest object id"
                + " is 179, below 199); did you mean to swap them? (leakhound diff old.hs new.hs)");
        SameProcessCheck.Result twoProcesses = new SameProcessCheck.Result(10, 100, 10, 23, 33);
        assertThat(DiffReport.warning(new DiffResult.Warning(DiffResult.Warning.Kind.DIFFERENT_PROCESSES_FORCED, "x", "y"),
                twoProcesses)).isEqualTo(twoProcesses.problem("x", "y")
                + "; compared anyway (--force): objects matched by id may be different objects");
        assertThat(c.problem("x", "y")).isNull();
    }

    /** An approval test: the document as it was once checked by hand. */
    @Test
    void jsonMatchesTheApprovedOutput() throws IOException {
        StringWriter w = new StringWriter();
        DiffReport.json(comparisonSample(), w);
        assertThat(w.toString() + "\n").isEqualTo(resource("diff.approved.json"));
    }

    /** Every changed class, in order, with every column, and the totals: the numbers of the model, nothing else. */
    @Test
    @SuppressWarnings("unchecked")
    void jsonHasEveryChangedClassAndTotals() {
        DiffResult r = comparisonSample();
        StringWriter w = new StringWriter();
        DiffReport.json(r, w);
        Map<String, Object> doc = (Map<String, Object>) JsonTree.parse(w.toString());
        List<Map<String, Object>> classes = (List<Map<String, Object>>) doc.get("classes");
        assertThat(classes).hasSize(r.classes().size());
        assertThat(doc).doesNotContainKey("classesOmitted");
        for (int i = 0; i < classes.size(); i++) {
            assertRow(classes.get(i), r.classes().get(i));
            assertThat(classes.get(i).get("name")).isEqualTo(r.classes().get(i).name());
        }
        assertRow((Map<String, Object>) doc.get("totals"), r.totals());
        assertThat(doc.get("deltaBytes")).isEqualTo(r.deltaBytes());
        assertThat(doc.get("classCount")).isEqualTo((long) r.classCount());
        assertThat(doc.get("warnings")).isEqualTo(List.of(DiffReport.warning(r.warnings().get(0), r.check())));
    }

    private static void assertRow(Map<String, Object> row, DiffResult.ClassDelta d) {
        assertThat(row).containsEntry("newCount", d.newCount()).containsEntry("deletedCount", d.deletedCount())
                .containsEntry("deltaCount", d.deltaCount()).containsEntry("allocatedBytes", d.allocatedBytes())
                .containsEntry("freedBytes", d.freedBytes()).containsEntry("deltaBytes", d.deltaBytes())
                .containsEntry("countBefore", d.countBefore()).containsEntry("countAfter", d.countAfter())
                .containsEntry("bytesBefore", d.bytesBefore()).containsEntry("bytesAfter", d.bytesAfter());
    }
}
