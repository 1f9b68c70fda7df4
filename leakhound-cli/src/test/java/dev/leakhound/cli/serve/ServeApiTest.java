package dev.leakhound.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakhound.analysis.ClassSummary;
import dev.leakhound.analysis.Statistics;
import dev.leakhound.analysis.objects.DominatorSample;
import dev.leakhound.analysis.objects.ObjectInfo;
import dev.leakhound.core.graph.Distances;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.leakhound.cli.serve.ServeFixture.Answer;
import static dev.leakhound.cli.serve.ServeFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of {@code leakhound serve}, against a real server on an ephemeral port over three real
 * snapshots of a leaking app with hostile strings: the answers equal what the analysis computes, bad input
 * gets a 4xx with a one-line JSON message, and no request passes without the token, from another Host or
 * from another Origin.
 */
class ServeApiTest {
    @TempDir
    static Path dir;

    static List<Served> snaps;
    static ServeServer server;
    static int port;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        snaps = ServeFixture.open(ServeFixture.hostileSeries(dir.resolve("series"), 3, 1000));
        server = ServeServer.start(snaps, ServeServer.Options.loopback(0), line -> { });
        port = server.port();
        token = server.token();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Answer get(String target) throws Exception {
        return request(port, "GET", target, Map.of(ServeServer.TOKEN_HEADER, token));
    }

    static JsonNode ok(String target) throws Exception {
        Answer a = get(target);
        assertThat(a.status()).as(target + ": " + a.body()).isEqualTo(200);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        return a.json();
    }

    /** A 4xx with {"error": "...", "status": N} naming what was wrong. */
    static void refused(String target, int status, String says) throws Exception {
        Answer a = get(target);
        assertThat(a.status()).as(target + ": " + a.body()).isEqualTo(status);
        JsonNode j = a.json();
        assertThat(j.get("status").asInt()).isEqualTo(status);
        assertThat(j.get("error").asText()).contains(says).doesNotContain("\n").doesNotContain("Exception");
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static HeapGraph graph(int i) {
        return snaps.get(i).graph;
    }

    static int classId(int snapshot, String name) {
        return graph(snapshot).classes().find(name);
    }

    // ---------------------------------------------------------------- security

    @Test
    void everyRequestNeedsTheToken() throws Exception {
        for (String target : List.of("/", "/serve.js", "/common.js", "/report.css", "/api/snapshots",
                "/api/snapshots/0/summary", "/api/nope", "/nope")) {
            Answer none = request(port, "GET", target, Map.of());
            assertThat(none.status()).as(target).isEqualTo(401);
            assertThat(none.json().get("error").asText()).contains("access token");
            Answer wrong = request(port, "GET", target, Map.of(ServeServer.TOKEN_HEADER, token + "x"));
            assertThat(wrong.status()).as(target).isEqualTo(401);
            Answer wrongQuery = request(port, "GET", target + "?token=" + token.substring(1), Map.of());
            assertThat(wrongQuery.status()).as(target).isEqualTo(401);
            Answer wrongCookie = request(port, "GET", target, Map.of("Cookie", "leakhound_token_" + port + "=nope"));
            assertThat(wrongCookie.status()).as(target).isEqualTo(401);
        }
    }

    @Test
    void theTokenMayComeAsQueryHeaderOrTheCookieTheFirstAnswerSets() throws Exception {
        Answer page = request(port, "GET", "/?token=" + token, Map.of());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        String cookie = page.header("Set-Cookie");
        assertThat(cookie).startsWith("leakhound_token_" + port + "=" + token).contains("HttpOnly").contains("SameSite=Strict");
        Answer byCookie = request(port, "GET", "/api/snapshots", Map.of("Cookie", "a=b; " + cookie.substring(0, cookie.indexOf(';'))));
        assertThat(byCookie.status()).isEqualTo(200);
        assertThat(request(port, "GET", "/api/snapshots?token=" + token, Map.of()).status()).isEqualTo(200);
        assertThat(get("/api/snapshots").status()).isEqualTo(200);
    }

    @Test
    void otherHostsAndOriginsAreRefused() throws Exception {
        // DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1 sends its own Host
        for (String host : List.of("evil.example:" + port, "evil.example", "127.0.0.1:1", "localhost.evil.example:" + port)) {
            Answer a = request(port, "GET", "/api/snapshots", Map.of("Host", host, ServeServer.TOKEN_HEADER, token));
            assertThat(a.status()).as(host).isEqualTo(403);
            assertThat(a.json().get("error").asText()).contains("Host");
        }
        for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port)) {
            assertThat(request(port, "GET", "/api/snapshots", Map.of("Host", host, ServeServer.TOKEN_HEADER, token)).status())
                    .as(host).isEqualTo(200);
        }
        for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:" + (port + 1), "https://127.0.0.1:" + port)) {
            Answer a = request(port, "GET", "/api/snapshots", Map.of("Origin", origin, ServeServer.TOKEN_HEADER, token));
            assertThat(a.status()).as(origin).isEqualTo(403);
        }
        assertThat(request(port, "GET", "/api/snapshots", Map.of("Origin", "http://127.0.0.1:" + port,
                ServeServer.TOKEN_HEADER, token)).status()).isEqualTo(200);
    }

    /** The warm-up computes what Comparison and Leaks ask first: each snapshot against the one before, and find-leaks. */
    @Test
    void prepareComputesTheDefaultComparisonsAndFindLeaksAhead() {
        Api api = new Api(snaps);
        assertThat(api.comparisonsComputed()).isEmpty();
        assertThat(api.leaksComputed()).isFalse();
        api.prepare();
        assertThat(api.comparisonsComputed()).containsExactlyInAnyOrder("0,1,false", "1,2,false");
        assertThat(api.leaksComputed()).isTrue();
        api.prepare();   // twice: nothing new
        assertThat(api.comparisonsComputed()).hasSize(2);
    }

    @Test
    void onlyGetAndHeadAreServed() throws Exception {
        for (String m : List.of("POST", "PUT", "DELETE", "OPTIONS")) {
            Answer a = request(port, m, "/api/snapshots", Map.of(ServeServer.TOKEN_HEADER, token));
            assertThat(a.status()).as(m).isEqualTo(405);
        }
        Answer head = request(port, "HEAD", "/api/snapshots", Map.of(ServeServer.TOKEN_HEADER, token));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void everyAnswerCarriesTheStrictHeaders() throws Exception {
        for (Answer a : List.of(get("/"), get("/serve.js"), get("/api/snapshots"), get("/api/nope"),
                request(port, "GET", "/", Map.of()))) {
            assertThat(a.header("Content-Security-Policy")).isEqualTo(ServeServer.CSP)
                    .contains("default-src 'none'").contains("script-src 'self'").doesNotContain("unsafe");
            assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(a.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(a.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(a.header("Cache-Control")).isEqualTo("no-store");
        }
        assertThat(get("/serve.js").header("Content-Type")).startsWith("text/javascript");
        assertThat(get("/report.css").header("Content-Type")).startsWith("text/css");
    }

    @Test
    void onlyThePagesFilesAreServed() throws Exception {
        for (String p : List.of("/etc/passwd", "/../pom.xml", "/serve.js/", "/dev/leakhound/report/serve/serve.js",
                "/index.htm", "/%2e%2e/pom.xml")) {
            Answer a = get(p);
            assertThat(a.status()).as(p).isIn(400, 404);
            assertThat(a.body()).doesNotContain("<project");
        }
    }

    @Test
    void malformedPathsAndUnknownEndpointsAre4xxAndTheServerGoesOn() throws Exception {
        refused("/api/", 404, "no such endpoint");
        refused("/api/nope", 404, "no such endpoint");
        refused("/api/snapshots/0/nope", 404, "no such endpoint");
        refused("/api/snapshots/0/objects/1/nope", 404, "no such endpoint");
        refused("/api/snapshots/0/classes/1", 404, "no such endpoint");
        refused("/api/snapshots//summary", 400, "malformed path");
        refused("/api/snapshots/0/%2e%2e/summary", 400, "malformed path");
        refused("/api/snapshots/x/summary", 400, "not a snapshot index");
        refused("/api/snapshots/3/summary", 404, "no snapshot 3: 3 loaded");
        refused("/api/snapshots/-1/summary", 404, "no snapshot -1");
        refused("/api/snapshots/99999999999999/summary", 400, "not a snapshot index");
        assertThat(ok("/api/snapshots").get("count").asInt()).isEqualTo(3);
    }

    @Test
    void concurrentRequestsAllAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Answer>> all = new ArrayList<>();
            int rc = classId(2, "RequestRecord");
            for (int i = 0; i < 24; i++) {
                String t = switch (i % 4) {
                    case 0 -> "/api/snapshots/" + (i % 3) + "/summary";
                    case 1 -> "/api/snapshots/2/classes/" + rc + "/instances?offset=" + i;
                    case 2 -> "/api/snapshots/1/dominators";
                    default -> "/api/snapshots/0/objects/@999999999";
                };
                all.add(pool.submit(() -> get(t)));
            }
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).get().status()).isEqualTo(i % 4 == 3 ? 404 : 200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- views

    @Test
    void snapshotsListsTheLoadedFiles() throws Exception {
        JsonNode j = ok("/api/snapshots");
        assertThat(j.get("count").asInt()).isEqualTo(3);
        assertThat(j.get("findLeaks").asBoolean()).isTrue();
        for (int i = 0; i < 3; i++) {
            JsonNode s = j.get("snapshots").get(i);
            HeapSnapshot h = graph(i).snapshot();
            assertThat(s.get("index").asInt()).isEqualTo(i);
            assertThat(s.get("name").asText()).isEqualTo("s" + (i + 1) + ".heapsnapshot");
            assertThat(s.get("nodes").asInt()).isEqualTo(h.nodeCount());
            assertThat(s.get("totalBytes").asLong()).isEqualTo(h.totalSelfSize());
            assertThat(s.get("rootId").asLong()).isEqualTo(h.id(h.rootOrdinal()));
            assertThat(ok("/api/snapshots/" + i).get("maxJsObjectId").asLong()).isEqualTo(h.maxJsObjectId());
        }
    }

    @Test
    void summaryIsTheClassSummaryPagedAndFiltered() throws Exception {
        List<ClassSummary.Row> rows = ClassSummary.compute(graph(2));
        JsonNode all = ok("/api/snapshots/2/summary?limit=1000");
        assertThat(all.get("total").asInt()).isEqualTo(rows.size());
        assertThat(all.get("classes")).hasSize(Math.min(1000, rows.size()));
        for (int i = 0; i < Math.min(1000, rows.size()); i++) {
            JsonNode c = all.get("classes").get(i);
            ClassSummary.Row r = rows.get(i);
            assertThat(c.get("name").asText()).isEqualTo(r.name());
            assertThat(c.get("classId").asInt()).isEqualTo(r.classId());
            assertThat(c.get("count").asLong()).isEqualTo(r.count());
            assertThat(c.get("shallowBytes").asLong()).isEqualTo(r.shallowSize());
            assertThat(c.get("retainedBytes").asLong()).isEqualTo(r.retainedSize());
        }
        JsonNode page = ok("/api/snapshots/2/summary?offset=3&limit=2");
        assertThat(page.get("offset").asInt()).isEqualTo(3);
        assertThat(page.get("classes").get(0).get("name").asText()).isEqualTo(rows.get(3).name());
        assertThat(page.get("classes")).hasSize(2);

        JsonNode leak = ok("/api/snapshots/2/summary?filter=requestrec");
        assertThat(leak.get("total").asInt()).isEqualTo(1);
        assertThat(leak.get("classes").get(0).get("name").asText()).isEqualTo("RequestRecord");
        assertThat(leak.get("classes").get(0).get("count").asLong()).isEqualTo(3000);
        // hostile class names come back as they are, as JSON strings
        JsonNode hostile = ok("/api/snapshots/2/summary?filter=" + enc("<script>"));
        assertThat(hostile.get("classes").findValuesAsText("name")).contains("<script>alert(1)</script>");
        assertThat(ok("/api/snapshots/2/summary?offset=100000").get("classes")).isEmpty();

        // "objects allocated between snapshot 2 and 3": counts and shallow sizes of the newer objects only
        HeapSnapshot s = graph(2).snapshot();
        long after = graph(1).snapshot().maxJsObjectId();
        long newer = 0;
        for (int v = 0; v < s.nodeCount(); v++) {
            if (s.selfSize(v) > 0 && s.id(v) > after && s.id(v) <= s.maxJsObjectId()) {
                newer++;
            }
        }
        JsonNode since = ok("/api/snapshots/2/summary?since=1&limit=1000");
        long sum = 0;
        for (JsonNode c : since.get("classes")) {
            sum += c.get("count").asLong();
            assertThat(c.get("retainedBytes").isNull()).isTrue();
        }
        assertThat(sum).isEqualTo(newer);
        JsonNode sinceLeak = ok("/api/snapshots/2/summary?since=1&filter=RequestRecord");
        assertThat(sinceLeak.get("classes").get(0).get("count").asLong()).isEqualTo(1000);
        refused("/api/snapshots/2/summary?since=2", 400, "since must name another snapshot");

        refused("/api/snapshots/2/summary?limit=1001", 400, "limit must be between 1 and 1000, got 1001");
        refused("/api/snapshots/2/summary?limit=0", 400, "limit must be between 1 and 1000");
        refused("/api/snapshots/2/summary?offset=-1", 400, "offset must be between 0");
        refused("/api/snapshots/2/summary?limit=ten", 400, "limit must be a whole number, got 'ten'");
    }

    @Test
    void instancesPageThroughEveryMemberOfTheClassBiggestFirst() throws Exception {
        HeapGraph g = graph(2);
        HeapSnapshot s = g.snapshot();
        int c = classId(2, "RequestRecord");
        Set<Long> expected = new HashSet<>();
        for (int v = 0; v < s.nodeCount(); v++) {
            if (g.classes().classOf(v) == c && s.selfSize(v) > 0) {
                expected.add(s.id(v));
            }
        }
        Set<Long> seen = new HashSet<>();
        long lastRetained = Long.MAX_VALUE;
        int offset = 0;
        while (true) {
            JsonNode p = ok("/api/snapshots/2/classes/" + c + "/instances?offset=" + offset + "&limit=700");
            assertThat(p.get("total").asInt()).isEqualTo(expected.size());
            assertThat(p.get("class").asText()).isEqualTo("RequestRecord");
            if (p.get("objects").isEmpty()) {
                break;
            }
            for (JsonNode o : p.get("objects")) {
                long id = o.get("id").asLong();
                assertThat(seen.add(id)).as("@" + id + " twice").isTrue();
                int v = s.ordinalOfId(id);
                assertThat(o.get("retainedBytes").asLong()).isEqualTo(g.retainedSize(v)).isLessThanOrEqualTo(lastRetained);
                assertThat(o.get("shallowBytes").asLong()).isEqualTo(s.selfSize(v));
                assertThat(o.get("distance").asInt()).isEqualTo(g.distance(v));
                assertThat(o.get("class").asText()).isEqualTo("RequestRecord");
                lastRetained = o.get("retainedBytes").asLong();
            }
            offset += p.get("objects").size();
        }
        assertThat(seen).isEqualTo(expected);

        // "objects allocated between snapshot 2 and 3": the ids above snapshot 2's newest
        long after = graph(1).snapshot().maxJsObjectId();
        long newer = expected.stream().filter(id -> id > after && id <= s.maxJsObjectId()).count();
        JsonNode since = ok("/api/snapshots/2/classes/" + c + "/instances?since=1&limit=1000");
        assertThat(since.get("total").asLong()).isEqualTo(newer).isEqualTo(1000);
        assertThat(since.get("idsAfter").asLong()).isEqualTo(after);
        for (JsonNode o : since.get("objects")) {
            assertThat(o.get("id").asLong()).isGreaterThan(after);
        }

        refused("/api/snapshots/2/classes/" + g.classes().classCount() + "/instances", 404, "no class");
        refused("/api/snapshots/2/classes/abc/instances", 400, "not a class id");
        refused("/api/snapshots/2/classes/" + c + "/instances?limit=5000", 400, "limit must be between 1 and 1000");
        refused("/api/snapshots/2/classes/" + c + "/instances?since=2", 400, "since must name another snapshot");
        refused("/api/snapshots/2/classes/" + c + "/instances?since=7", 404, "no snapshot 7");
    }

    /** The first RequestRecord of the last snapshot: held by global.leakArray. */
    static long leakedId() throws Exception {
        return ok("/api/snapshots/2/classes/" + classId(2, "RequestRecord") + "/instances?limit=1").get("objects").get(0)
                .get("id").asLong();
    }

    @Test
    void inspectorIsObjectInfo() throws Exception {
        long id = leakedId();
        HeapGraph g = graph(2);
        ObjectInfo info = ObjectInfo.of(g, g.snapshot().ordinalOfId(id), 100, 20);
        JsonNode j = ok("/api/snapshots/2/objects/@" + id);
        assertThat(j.get("id").asLong()).isEqualTo(id);
        assertThat(j.get("class").asText()).isEqualTo("RequestRecord");
        assertThat(j.get("retainedBytes").asLong()).isEqualTo(info.retainedSize());
        assertThat(j.get("edgeCount").asInt()).isEqualTo(info.edgeCount());
        assertThat(j.get("edges").findValuesAsText("edge")).contains("body", "tags", "map");
        assertThat(j.get("location").get("file").asText()).endsWith("hostile-app.js");
        assertThat(j.get("pathText").asText()).contains("leakArray");
        // taken without --track-heap-objects: no allocation stack
        assertThat(j.get("allocationTraces").asBoolean()).isFalse();
        assertThat(j.get("allocations")).isEmpty();
        assertThat(ok("/api/snapshots/2/objects/" + id + "?edges=1&retainers=0").get("edges")).hasSize(1);

        refused("/api/snapshots/2/objects/@999999999", 404, "no object @999999999 in snapshot 2 (s3.heapsnapshot)");
        refused("/api/snapshots/2/objects/abc", 400, "'abc' is not an object id");
        refused("/api/snapshots/2/objects/@99999999999", 400, "not an object id");
        refused("/api/snapshots/2/objects/" + id + "?edges=1001", 400, "edges must be between 0 and 1000");
    }

    @Test
    void retainersAreNearestFirstAndIgnoringOneRecomputesDistances() throws Exception {
        long id = leakedId();
        HeapGraph g = graph(2);
        HeapSnapshot s = g.snapshot();
        JsonNode j = ok("/api/snapshots/2/objects/" + id + "/retainers");
        int v = s.ordinalOfId(id);
        int strong = 0;
        for (int i = g.retainers().first(v); i < g.retainers().end(v); i++) {
            if (s.edgeType(g.retainers().edge(i)) != EdgeType.WEAK && g.retainers().from(i) != s.rootOrdinal()) {
                strong++;
            }
        }
        assertThat(j.get("total").asInt()).isEqualTo(strong);
        int last = -1;
        for (JsonNode e : j.get("edges")) {
            int d = e.get("object").get("distance").asInt();
            assertThat(d).isGreaterThanOrEqualTo(last);
            last = d;
        }
        JsonNode array = j.get("edges").get(0).get("object");
        assertThat(array.get("class").asText()).isEqualTo("Array");
        assertThat(j.get("edges").get(0).get("edgeType").asText()).isEqualTo("element");
        long arrayId = array.get("id").asLong();

        // the array's retainers: global.leakArray first, at distance 1
        JsonNode up = ok("/api/snapshots/2/objects/" + arrayId + "/retainers");
        JsonNode global = up.get("edges").get(0);
        assertThat(global.get("edge").asText()).isEqualTo("leakArray");
        assertThat(global.get("object").get("distance").asInt()).isEqualTo(1);
        long globalId = global.get("object").get("id").asLong();

        // ignore the global: the array is then reached from the GC roots only
        JsonNode ignored = ok("/api/snapshots/2/objects/" + arrayId + "/retainers?ignore=@" + globalId);
        assertThat(ignored.get("ignored").get(0).asLong()).isEqualTo(globalId);
        assertThat(ignored.get("object").get("distance").asInt()).isGreaterThanOrEqualTo(Distances.SYSTEM_BASE);
        assertThat(ignored.get("object").get("system").asBoolean()).isTrue();
        assertThat(up.get("object").get("distance").asInt()).isEqualTo(2);

        JsonNode paged = ok("/api/snapshots/2/objects/" + arrayId + "/retainers?offset=1&limit=1");
        assertThat(paged.get("edges")).hasSize(1);
        assertThat(paged.get("edges").get(0)).isEqualTo(up.get("edges").get(1));

        refused("/api/snapshots/2/objects/" + arrayId + "/retainers?ignore=@999999999", 404, "no object @999999999");
        refused("/api/snapshots/2/objects/" + arrayId + "/retainers?ignore=x", 400, "not an object id");
        refused("/api/snapshots/2/objects/" + arrayId + "/retainers?ignore=" + enc("1,".repeat(101)), 400, "at most 100");
    }

    @Test
    void pathsAreTheShortestRetainerPaths() throws Exception {
        long id = leakedId();
        JsonNode j = ok("/api/snapshots/2/objects/" + id + "/paths?k=2");
        assertThat(j.get("paths")).hasSize(2);
        assertThat(j.get("paths").get(0).get("text").asText()).startsWith("global.leakArray[");
        refused("/api/snapshots/2/objects/" + id + "/paths?k=21", 400, "k must be between 1 and 20");
    }

    @Test
    void containmentListsTheEdgesFromTheRootDown() throws Exception {
        HeapSnapshot s = graph(2).snapshot();
        int root = s.rootOrdinal();
        JsonNode j = ok("/api/snapshots/2/containment");
        assertThat(j.get("object").get("id").asLong()).isEqualTo(s.id(root));
        assertThat(j.get("total").asInt()).isEqualTo(s.edgeCountOf(root));
        assertThat(j.get("edges")).hasSize(s.edgeCountOf(root));
        assertThat(j.get("edges").get(0).get("object").get("id").asLong()).isEqualTo(s.id(s.edgeTo(s.firstEdge(root))));
        long id = leakedId();
        JsonNode kids = ok("/api/snapshots/2/objects/" + id + "/children?limit=2&offset=1");
        assertThat(kids.get("total").asInt()).isEqualTo(s.edgeCountOf(s.ordinalOfId(id)));
        assertThat(kids.get("edges")).hasSize(2);
        int v = s.ordinalOfId(id);
        assertThat(kids.get("edges").get(0).get("edge").asText()).isEqualTo(s.edgeName(s.firstEdge(v) + 1));
        refused("/api/snapshots/2/containment?limit=1001", 400, "limit must be between 1 and 1000");
    }

    @Test
    void dominatorsAreBiggestFirst() throws Exception {
        HeapGraph g = graph(2);
        JsonNode j = ok("/api/snapshots/2/dominators?limit=10");
        assertThat(j.get("totalBytes").asLong()).isEqualTo(g.retainedSize(g.snapshot().rootOrdinal()));
        long prev = Long.MAX_VALUE;
        for (JsonNode c : j.get("root").get("children")) {
            assertThat(c.get("retainedBytes").asLong()).isLessThanOrEqualTo(prev);
            prev = c.get("retainedBytes").asLong();
        }
        long top = j.get("root").get("children").get(0).get("id").asLong();
        JsonNode below = ok("/api/snapshots/2/dominators?id=@" + top + "&depth=2&limit=5");
        assertThat(below.get("root").get("id").asLong()).isEqualTo(top);
        refused("/api/snapshots/2/dominators?depth=4&limit=100", 400, "could list more than 2000 objects");
        refused("/api/snapshots/2/dominators?depth=11", 400, "depth must be between 0 and 10");
        refused("/api/snapshots/2/dominators?id=@999999999", 404, "no object @999999999");
    }

    @Test
    void treemapIsTheAnalyzePagesDominatorSample() throws Exception {
        DominatorSample d = DominatorSample.of(graph(2));
        JsonNode j = ok("/api/snapshots/2/treemap").get("dominators");
        assertThat(j.get("nodes").asInt()).isEqualTo(d.size());
        assertThat(j.get("id")).hasSize(d.size());
        for (int i = 0; i < d.size(); i++) {
            assertThat(j.get("id").get(i).asLong()).isEqualTo(d.id()[i]);
            assertThat(j.get("retained").get(i).asLong()).isEqualTo(d.retained()[i]);
        }
        refused("/api/snapshots/2/treemap/x", 404, "no such endpoint");
    }

    @Test
    void statisticsAreDevToolsStatistics() throws Exception {
        Statistics st = Statistics.compute(graph(1));
        JsonNode j = ok("/api/snapshots/1/statistics").get("statistics");
        assertThat(j.get("total").asLong()).isEqualTo(st.total());
        assertThat(j.get("strings").asLong()).isEqualTo(st.strings());
        assertThat(j.get("code").asLong()).isEqualTo(st.code());
        assertThat(j.get("native").asLong()).isEqualTo(st.native_());
    }

    @Test
    void diagnosisIsAnalyzesDiagnosis() throws Exception {
        JsonNode j = ok("/api/snapshots/2/diagnosis");
        assertThat(j.get("diagnosis").get("verdict").asText()).isNotEmpty();
        assertThat(j.get("diagnosis").has("findings")).isTrue();
    }

    @Test
    void searchByIdStringAndClass() throws Exception {
        long id = leakedId();
        JsonNode byId = ok("/api/snapshots/2/search?id=" + enc("@" + id));
        assertThat(byId.get("matched").asInt()).isEqualTo(1);
        assertThat(byId.get("objects").get(0).get("id").asLong()).isEqualTo(id);
        assertThat(ok("/api/snapshots/2/search?id=@999999999").get("matched").asInt()).isZero();
        JsonNode str = ok("/api/snapshots/2/search?string=" + enc("<img src=x onerror=alert(4)>") + "&limit=5");
        assertThat(str.get("matched").asInt()).isGreaterThan(0);
        assertThat(str.get("objects").get(0).get("label").asText()).contains("<img src=x onerror=alert(4)>");
        JsonNode cls = ok("/api/snapshots/2/search?class=RequestRecord&limit=3");
        assertThat(cls.get("matched").asInt()).isEqualTo(3000);
        assertThat(cls.get("objects")).hasSize(3);
        refused("/api/snapshots/2/search", 400, "give one of id, class or string");
        refused("/api/snapshots/2/search?class=a&string=b", 400, "give one of id, class or string");
        refused("/api/snapshots/2/search?id=@x", 400, "not an object id");
    }

    @Test
    void comparisonCountsTheNewRequestRecords() throws Exception {
        JsonNode j = ok("/api/compare?base=0&target=2");
        assertThat(j.get("ids").get("sameProcess").asBoolean()).isTrue();
        JsonNode rr = null;
        for (JsonNode c : j.get("classes")) {
            if (c.get("name").asText().equals("RequestRecord")) {
                rr = c;
            }
        }
        assertThat(rr).isNotNull();
        assertThat(rr.get("newCount").asLong()).isEqualTo(2000);
        assertThat(rr.get("deletedCount").asLong()).isZero();
        assertThat(rr.get("deltaCount").asLong()).isEqualTo(2000);
        assertThat(ok("/api/compare?base=0&target=2&limit=1").get("classes")).hasSize(1);
        refused("/api/compare?base=0", 400, "compare needs base and target");
        refused("/api/compare?base=1&target=1", 400, "the same snapshot");
        refused("/api/compare?base=0&target=5", 404, "no snapshot 5");
        refused("/api/compare?base=0&target=1&force=maybe", 400, "force must be true or false");
    }

    @Test
    void leaksRunFindLeaksOverTheSeries() throws Exception {
        JsonNode j = ok("/api/leaks");
        assertThat(j.get("verdict").asText()).isEqualTo("leak");
        assertThat(j.get("leaks").findValuesAsText("leakedClass")).contains("RequestRecord");
        assertThat(j.get("snapshots")).hasSize(3);
    }

    @Test
    void leaksNeedThreeSnapshots() throws Exception {
        try (ServeServer two = ServeServer.start(snaps.subList(0, 2), ServeServer.Options.loopback(0), line -> { })) {
            Answer a = request(two.port(), "GET", "/api/leaks", Map.of(ServeServer.TOKEN_HEADER, two.token()));
            assertThat(a.status()).isEqualTo(409);
            assertThat(a.json().get("error").asText()).contains("3 or more snapshots").contains("2 loaded");
            // the other server's token does not open this one
            assertThat(request(two.port(), "GET", "/api/snapshots", Map.of(ServeServer.TOKEN_HEADER, token)).status())
                    .isEqualTo(401);
        }
    }
}
