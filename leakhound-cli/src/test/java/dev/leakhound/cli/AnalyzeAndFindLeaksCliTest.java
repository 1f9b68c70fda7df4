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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        String[] series = CliRun.series(CliRun.root().resolve("examples/global-array.js"), tmp, 2000, -1);
        String s1 = series[0];
        String s2 = series[1];
        String s3 = series[2];

        CliRun json = CliRun.of("find-leaks", s1, s2, s3, "--json", "--fail-on-leak");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(topLevelFields(json.out())).containsExactly("verdict", "snapshots", "leaks", "dismissed");
        // the documented shape of a leak, field by field
        Map<String, Object> doc = tree(json.out());
        assertThat(doc.get("verdict")).isEqualTo("leak");
        Map<String, Object> top = at(doc, "leaks", 0);
        assertThat(top.keySet()).containsSubsequence("rank", "summary", "retainedBytes", "count", "growthBytes", "newBytes",
                "newCount", "countsPerSnapshot", "bytesPerSnapshot", "path", "location", "hint", "pattern", "culprit",
                "leakedClass", "pathText", "container");
        assertThat(top.get("rank")).isEqualTo(1L);
        assertThat(top.get("pattern")).isEqualTo("array");
        assertThat(top.get("culprit")).isEqualTo("leakArray");
        assertThat(top.get("leakedClass")).isEqualTo("RequestRecord");
        assertThat((String) top.get("summary")).startsWith("`leakArray` (Array) keeps ");
        Map<String, Object> container = at(top, "container");
        assertThat(container.keySet()).contains("id", "class", "pathText", "pattern", "scope", "scopeInfo");
        assertThat(container.get("class")).isEqualTo("Array");
        assertThat((String) container.get("pathText")).contains(".leakArray -> Array @" + container.get("id"));
        assertThat((String) at(top, "location").get("file")).endsWith("examples/global-array.js");
        Map<String, Object> step = at(top, "path", 0);
        assertThat(step.keySet()).contains("edge", "node", "id", "edgeType");

        // deterministic: a second run prints the same bytes; timings only when asked
        CliRun again = CliRun.of("find-leaks", s1, s2, s3, "--json", "--fail-on-leak");
        assertThat(again.out()).isEqualTo(json.out());
        assertThat(json.out()).doesNotContain("\"millis\"");
        CliRun timed = CliRun.of("find-leaks", s1, s2, s3, "--json", "--timings");
        assertThat(timed.exit()).isZero();
        assertThat(topLevelFields(timed.out())).containsExactly("verdict", "snapshots", "leaks", "dismissed", "millis", "timings");
        Map<String, Object> timedDoc = tree(timed.out());
        timedDoc.remove("millis");
        timedDoc.remove("timings");
        assertThat(timedDoc).isEqualTo(doc);

        CliRun text = CliRun.of("find-leaks", s1, s2, s3);
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("Verdict    LEAK", "#1  `leakArray` (Array) keeps ", "source     ", "fix        ")
                .doesNotContain("analyzed in");
        assertThat(CliRun.of("find-leaks", s1, s2, s3).out()).isEqualTo(text.out());
        assertThat(CliRun.of("find-leaks", s1, s2, s3, "--timings").out()).contains("analyzed in", "Time       read ");
    }

    /**
     * Defect 8, end to end: a module-level linked list whose payload is a plain Object like its nodes
     * read "linked through `.value`"; the link is `.older`.
     */
    @Test
    void aLinkedListIsNamedByTheLinkThatRepeats() throws Exception {
        Path app = tmp.resolve("linked-list.js");
        Files.writeString(app, """
                'use strict';
                let head = null;
                let n = 0;
                setInterval(() => {
                  for (let i = 0; i < 200; i++, n++) {
                    head = { value: { n, text: Buffer.alloc(400, 'x').toString('latin1') + n }, older: head };
                  }
                }, 50);
                """);
        CliRun.series(app, tmp.resolve("s"), 1500, -1);
        CliRun json = CliRun.of("find-leaks", tmp.resolve("s/s1.heapsnapshot").toString(),
                tmp.resolve("s/s2.heapsnapshot").toString(), tmp.resolve("s/s3.heapsnapshot").toString(), "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        Map<String, Object> top = at(tree(json.out()), "leaks", 0);
        assertThat(top.get("pattern")).isEqualTo("chain");
        assertThat(top.get("culprit")).isEqualTo("head");
        assertThat(at(top, "detail").get("link")).isEqualTo(".older");
        assertThat((String) top.get("hint")).contains("through .older").doesNotContain(".value");
        assertThat((String) top.get("summary")).contains("hangs off `head` (.older)");
    }

    /** A JSON document as maps, lists, strings, longs, doubles, booleans and nulls. */
    static Map<String, Object> tree(String json) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) value(p);
            return m;
        }
    }

    private static Object value(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    String k = p.currentName();
                    p.nextToken();
                    m.put(k, value(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            default -> {
                return null;
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> at(Object tree, Object... path) {
        Object v = tree;
        for (Object k : path) {
            v = k instanceof Integer i ? ((List<Object>) v).get(i) : ((Map<String, Object>) v).get((String) k);
        }
        return (Map<String, Object>) v;
    }
}
