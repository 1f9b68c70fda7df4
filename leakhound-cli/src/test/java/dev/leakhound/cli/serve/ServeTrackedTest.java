package dev.leakhound.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.strings.DuplicateStrings;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.leakhound.cli.serve.ServeFixture.Answer;
import static dev.leakhound.cli.serve.ServeFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The duplicated-strings and allocation-stack endpoints of {@code leakhound serve}, on a real snapshot taken
 * with {@code node --track-heap-objects} (tracked-app.js: 200 Widget objects made by makeWidget, called by
 * build; V8 records no frame of its own for the trivial constructor; and 300 copies of one text): the
 * duplicates list agrees with the diagnosis' detector (one set of rules), each text expands to its copies, and
 * an object's inspector answer carries the stack that allocated it.
 */
class ServeTrackedTest {
    @TempDir
    static Path dir;

    static Served snap;
    static ServeServer server;
    static int port;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        snap = ServeFixture.open(List.of(ServeFixture.trackedSnapshot(dir.resolve("tracked")))).get(0);
        server = ServeServer.start(List.of(snap), ServeServer.Options.loopback(0), line -> { });
        port = server.port();
        token = server.token();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static JsonNode ok(String target) throws Exception {
        Answer a = request(port, "GET", target, Map.of(ServeServer.TOKEN_HEADER, token));
        assertThat(a.status()).as(target + ": " + a.body()).isEqualTo(200);
        return a.json();
    }

    static void refused(String target, int status, String says) throws Exception {
        Answer a = request(port, "GET", target, Map.of(ServeServer.TOKEN_HEADER, token));
        assertThat(a.status()).as(target + ": " + a.body()).isEqualTo(status);
        assertThat(a.json().get("error").asText()).contains(says).doesNotContain("\n");
    }

    /** The textId of DUP_TEXT in the duplicates list, walking its pages. */
    static JsonNode dupRow() throws Exception {
        for (int offset = 0; ; offset += 100) {
            JsonNode r = ok("/api/snapshots/0/duplicates?limit=100&offset=" + offset);
            for (JsonNode d : r.get("strings")) {
                if (d.get("text").asText().equals(ServeFixture.DUP_TEXT)) {
                    return d;
                }
            }
            if (offset + 100 >= r.get("total").asInt()) {
                throw new AssertionError("duplicates do not list " + ServeFixture.DUP_TEXT);
            }
        }
    }

    @Test
    void duplicatesListTheTextsWithMoreThanOneCopyBiggestWasteFirstAsTheDetectorCountsThem() throws Exception {
        JsonNode r = ok("/api/snapshots/0/duplicates?limit=1000");
        assertThat(r.get("total").asLong()).isEqualTo(r.get("texts").asLong()).isPositive();
        long prev = Long.MAX_VALUE;
        long sum = 0;
        for (JsonNode d : r.get("strings")) {
            long w = d.get("wastedBytes").asLong();
            assertThat(w).as("biggest waste first").isLessThanOrEqualTo(prev);
            prev = w;
            assertThat(d.get("copies").asInt()).isGreaterThan(1);
            assertThat(w).isEqualTo((d.get("copies").asLong() - 1) * d.get("eachBytes").asLong());
            sum += w;
        }
        if (r.get("total").asInt() <= 1000) {
            assertThat(sum).isEqualTo(r.get("wastedBytes").asLong());
        }
        // the diagnosis' detector counts with the same rules
        Check.DuplicateStrings check = snap.diagnosis().checks().stream().filter(c -> c instanceof Check.DuplicateStrings)
                .map(c -> (Check.DuplicateStrings) c).findFirst().orElseThrow();
        assertThat(check.texts()).isEqualTo(r.get("texts").asLong());
        assertThat(check.wastedBytes()).isEqualTo(r.get("wastedBytes").asLong());

        JsonNode dup = dupRow();
        assertThat(dup.get("copies").asInt()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void aDuplicatedTextExpandsToItsCopiesPaged() throws Exception {
        JsonNode dup = dupRow();
        int textId = dup.get("textId").asInt();
        int copies = dup.get("copies").asInt();
        HeapGraph g = snap.graph;
        HeapSnapshot s = g.snapshot();
        Set<Long> seen = new HashSet<>();
        for (int offset = 0; offset < copies; offset += 120) {
            JsonNode p = ok("/api/snapshots/0/duplicates/" + textId + "?limit=120&offset=" + offset);
            assertThat(p.get("total").asInt()).isEqualTo(copies);
            assertThat(p.get("text").asText()).isEqualTo(ServeFixture.DUP_TEXT);
            for (JsonNode o : p.get("objects")) {
                long id = o.get("id").asLong();
                int v = s.ordinalOfId(id);
                assertThat(s.type(v)).isEqualTo(NodeType.STRING);
                assertThat(s.strings().get(s.nameIndex(v))).isEqualTo(ServeFixture.DUP_TEXT);
                assertThat(DuplicateStrings.counts(g, v)).isTrue();
                assertThat(seen.add(id)).as("each copy once").isTrue();
            }
        }
        assertThat(seen).hasSize(copies);
        // the sample copy is one of them
        assertThat(seen).contains(dup.get("sampleId").asLong());
    }

    @Test
    void badDuplicateRequestsAre4xx() throws Exception {
        refused("/api/snapshots/0/duplicates/x", 400, "not a text id");
        refused("/api/snapshots/0/duplicates/-1", 404, "no duplicated text");
        refused("/api/snapshots/0/duplicates/999999999", 404, "no duplicated text");
        refused("/api/snapshots/0/duplicates/1/2", 404, "no such endpoint");
        refused("/api/snapshots/0/duplicates?limit=100000", 400, "limit must be between");
        // a text with one copy: the name of a class
        HeapSnapshot s = snap.graph.snapshot();
        int widget = s.strings().find("Widget")[0];
        refused("/api/snapshots/0/duplicates/" + widget, 404, "not a duplicated string");
    }

    @Test
    void theInspectorShowsTheStackThatAllocatedTheObject() throws Exception {
        HeapGraph g = snap.graph;
        HeapSnapshot s = g.snapshot();
        int cls = g.classes().find("Widget");
        JsonNode page = ok("/api/snapshots/0/classes/" + cls + "/instances?limit=5");
        assertThat(page.get("total").asInt()).isEqualTo(200);
        long id = page.get("objects").get(0).get("id").asLong();
        JsonNode o = ok("/api/snapshots/0/objects/" + id);
        assertThat(o.get("allocationTraces").asBoolean()).isTrue();
        JsonNode st = o.get("allocations").get(0);
        assertThat(st.get("count").asInt()).isEqualTo(1);
        JsonNode frames = st.get("frames");
        List<String> fns = frames.findValuesAsText("function");
        assertThat(fns).as("innermost first").containsSubsequence("makeWidget", "build");
        int app = st.get("applicationFrame").asInt();
        assertThat(app).isGreaterThanOrEqualTo(0);
        JsonNode first = frames.get(app);
        assertThat(first.get("file").asText()).endsWith("tracked-app.js");
        assertThat(first.get("line").asInt()).isPositive();
        assertThat(first.get("column").asInt()).isPositive();
        for (int k = 0; k < app; k++) {
            assertThat(frames.get(k).get("file").asText()).as("frames before the first application frame").doesNotEndWith("tracked-app.js");
        }
        // the same stack AllocationSites resolves for it
        assertThat(snap.allocationStack(s.ordinalOfId(id)).frames().get(app).function()).isEqualTo(first.get("function").asText());
    }
}
