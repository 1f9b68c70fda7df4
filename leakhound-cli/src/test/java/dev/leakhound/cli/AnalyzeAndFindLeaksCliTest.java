package dev.leakhound.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyzeAndFindLeaksCliTest {
    @TempDir
    Path tmp;

    /** Top-level field names of a JSON document, and checks it is one complete, valid document. */
    static List<String> topLevelFields(String json) throws IOException {
        List<String> fields = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                fields.add(p.getCurrentName());
                p.nextToken();
                p.skipChildren();
            }
            assertThat(p.nextToken()).isNull();
        }
        return fields;
    }

    @Test
    void analyzePrintsTablesAndJson() throws IOException {
        CliRun text = CliRun.of("analyze", CliRun.fixture("node20.heapsnapshot.gz").toString(), "--top", "40");
        assertThat(text.exit()).isZero();
        assertThat(text.err()).isEmpty();
        assertThat(text.out()).contains("Nodes     39,745", "Statistics", "Classes by retained size", "Retainer paths",
                "  3. global.");
        assertThat(text.out()).containsPattern("\\(GC roots\\)/\\([A-Za-z ]+\\)");   // a system path reads by root names
        CliRun json = CliRun.of("analyze", CliRun.fixture("node24.heapsnapshot.gz").toString(), "--json");
        assertThat(json.exit()).isZero();
        assertThat(topLevelFields(json.out())).contains("file", "nodes", "edges", "totalBytes", "statistics", "classes",
                "largest");
        assertThat(json.out()).contains("\"nodes\" : 57871");
    }

    @Test
    void badInputGivesOneLineAndExitTwo() throws IOException {
        CliRun missing = CliRun.of("analyze", tmp.resolve("nope.heapsnapshot").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).startsWith("leakhound: ").contains("no such file").doesNotContain("\n")
                .doesNotContain("Exception");
        byte[] whole = new java.util.zip.GZIPInputStream(Files.newInputStream(CliRun.fixture("node20.heapsnapshot.gz")))
                .readAllBytes();
        // cut early: the header's counts cannot fit in what is left
        Path truncated = tmp.resolve("cut.heapsnapshot");
        Files.write(truncated, java.util.Arrays.copyOf(whole, 300_000));
        CliRun early = CliRun.of("analyze", truncated.toString());
        assertThat(early.exit()).isEqualTo(2);
        assertThat(early.err().strip()).contains("more than a file of 300000 bytes can hold", "truncated").doesNotContain("\n");
        // cut late, inside the strings: found where the data stops
        int at = whole.length * 9 / 10;
        Path late = tmp.resolve("late.heapsnapshot");
        Files.write(late, java.util.Arrays.copyOf(whole, at));
        CliRun cut = CliRun.of("analyze", late.toString());
        assertThat(cut.exit()).isEqualTo(2);
        assertThat(cut.err().strip()).contains("unexpected end of file", "truncated", "at byte " + at).doesNotContain("\n");
        // --debug adds the stack trace
        CliRun debug = CliRun.of("analyze", truncated.toString(), "--debug");
        assertThat(debug.exit()).isEqualTo(2);
        assertThat(debug.err()).contains("SnapshotFormatException", "\tat ");
        CliRun top = CliRun.of("analyze", CliRun.fixture("node20.heapsnapshot.gz").toString(), "--top", "0");
        assertThat(top.exit()).isEqualTo(2);
        assertThat(top.err()).contains("--top must be at least 1");
        CliRun one = CliRun.of("find-leaks", CliRun.fixture("node20.heapsnapshot.gz").toString());
        assertThat(one.exit()).isEqualTo(2);
        assertThat(one.err()).contains("leakhound: ");
    }

    @Test
    void findLeaksRefusesSnapshotsOfDifferentProcesses() {
        CliRun r = CliRun.of("find-leaks", CliRun.fixture("node20.heapsnapshot.gz").toString(),
                CliRun.fixture("node24.heapsnapshot.gz").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).contains("do not look like snapshots of one process").doesNotContain("\n");
    }

    @Test
    void findLeaksOnTheSameSnapshotTwiceIsNoLeak() throws IOException {
        String f = CliRun.fixture("node22.heapsnapshot.gz").toString();
        CliRun r = CliRun.of("find-leaks", f, f, "--json", "--fail-on-leak");
        assertThat(r.exit()).isZero();
        assertThat(topLevelFields(r.out())).startsWith("verdict", "snapshots", "leaks");
        assertThat(r.out()).contains("\"verdict\" : \"no-leak\"");
    }

    @Test
    void findLeaksOnALeakingProcessFailsOnLeakAndPrintsTheDocumentedJson() throws Exception {
        Path examples = CliRun.root().resolve("examples");
        ProcessBuilder pb = new ProcessBuilder("node", "--expose-gc", "-r", examples.resolve("harness/series.js").toString(),
                examples.resolve("global-array.js").toString());
        pb.environment().put("LEAKHOUND_SERIES_DIR", tmp.toString());
        pb.environment().put("LEAKHOUND_SERIES_INTERVAL_MS", "2000");
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("node.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String s1 = tmp.resolve("s1.heapsnapshot").toString();
        String s2 = tmp.resolve("s2.heapsnapshot").toString();
        String s3 = tmp.resolve("s3.heapsnapshot").toString();

        CliRun json = CliRun.of("find-leaks", s1, s2, s3, "--json", "--fail-on-leak");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(topLevelFields(json.out())).startsWith("verdict", "snapshots", "leaks");
        // the documented shape of a leak, field by field
        try (JsonParser jp = new JsonFactory().createParser(json.out())) {
            List<String> leakFields = new ArrayList<>();
            List<String> pathFields = new ArrayList<>();
            int depth = 0;
            String inArray = null;
            for (JsonToken t = jp.nextToken(); t != null; t = jp.nextToken()) {
                if (t == JsonToken.FIELD_NAME && depth == 3 && "leaks".equals(inArray) && leakFields.size() < 16) {
                    leakFields.add(jp.getCurrentName());
                }
                if (t == JsonToken.FIELD_NAME && depth == 5 && pathFields.size() < 3) {
                    pathFields.add(jp.getCurrentName());
                }
                if (t == JsonToken.FIELD_NAME && depth == 1) {
                    inArray = jp.getCurrentName();
                }
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
            }
            assertThat(leakFields).contains("rank", "summary", "retainedBytes", "count", "countsPerSnapshot",
                    "bytesPerSnapshot", "path", "location", "hint");
            assertThat(pathFields).contains("edge", "node", "id");
        }
        assertThat(json.out()).contains("\"verdict\" : \"leak\"", "leakArray", "global-array.js");

        CliRun text = CliRun.of("find-leaks", s1, s2, s3);
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("Verdict    LEAK", "#1", "leakArray", "source", "fix");
    }
}
