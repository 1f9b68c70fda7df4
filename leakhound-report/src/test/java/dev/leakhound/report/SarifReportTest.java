package dev.leakhound.report;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.leakhound.analysis.leaks.LeakPattern;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --format sarif against the SARIF 2.1.0 schema (the subset of the OASIS schema for the objects leakhound writes,
 * testdata/sarif/sarif-2.1.0-subset.schema.json), and the fields code-scanning views read: rule, level, message,
 * location (relative to the source root), fingerprint, baseline state, suppression.
 */
class SarifReportTest {
    static final Path ROOT = Path.of("/work/app");

    /** The schema errors of a SARIF document (formats asserted: uri, uri-reference). */
    static List<Error> schemaErrors(String sarif) throws IOException {
        Path schema = Path.of(System.getProperty("leakhound.root", "..")).resolve("testdata/sarif/sarif-2.1.0-subset.schema.json");
        try (InputStream in = Files.newInputStream(schema)) {
            Schema s = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
            return s.validate(sarif, InputFormat.JSON, (ctx, sc) -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)));
        }
    }

    static String sarif(LeakReport r, Path root) {
        StringWriter w = new StringWriter();
        SarifReport.write(r, root, "0.1.0-test", w);
        return w.toString();
    }

    @Test
    void aReportWithABaselineIsValidSarifWithEachLeakOnItsLine() throws IOException {
        LeakReport r = CiReports.withBaseline(ROOT);
        String doc = sarif(r, ROOT);
        assertThat(schemaErrors(doc)).as(doc).isEmpty();

        JsonObj log = (JsonObj) Json.parse(doc);
        assertThat(log.str("version")).isEqualTo("2.1.0");
        JsonObj run = (JsonObj) log.arr("runs").get(0);
        JsonObj driver = run.obj("tool").obj("driver");
        assertThat(driver.str("name")).isEqualTo("leakhound");
        List<Object> rules = driver.arr("rules");
        assertThat(rules).hasSize(LeakPattern.values().length);
        assertThat(run.obj("originalUriBaseIds").obj("SRCROOT").str("uri")).isEqualTo("file:///work/app/");
        List<Object> results = run.arr("results");
        assertThat(results).hasSize(4);

        JsonObj cache = (JsonObj) results.get(0);
        assertThat(cache.str("ruleId")).isEqualTo("leak/array");
        assertThat(((JsonObj) rules.get((int) cache.lng("ruleIndex", -1))).str("id")).isEqualTo("leak/array");
        assertThat(cache.str("level")).isEqualTo("error");
        assertThat(cache.str("baselineState")).isEqualTo("new");
        assertThat(cache.has("suppressions")).isFalse();
        assertThat(cache.obj("message").str("text")).startsWith("`cache` (Array) keeps 50 CacheEntry objects")
                .contains("Status: new (not in the baseline).", "Fix: ");
        JsonObj where = ((JsonObj) cache.arr("locations").get(0)).obj("physicalLocation");
        assertThat(where.obj("artifactLocation").str("uri")).isEqualTo("src/cache%20dir/a.js");
        assertThat(where.obj("artifactLocation").str("uriBaseId")).isEqualTo("SRCROOT");
        assertThat(where.obj("region").lng("startLine", 0)).isEqualTo(12);
        assertThat(where.obj("region").lng("startColumn", 0)).isEqualTo(5);
        assertThat(cache.obj("partialFingerprints").str(SarifReport.FINGERPRINT)).isEqualTo(r.leaks().get(0).signature().id());

        JsonObj sessions = (JsonObj) results.get(1);
        assertThat(sessions.str("level")).isEqualTo("note");
        assertThat(sessions.str("baselineState")).isEqualTo("unchanged");
        JsonObj suppression = (JsonObj) sessions.arr("suppressions").get(0);
        assertThat(suppression.str("kind")).isEqualTo("external");
        assertThat(suppression.str("status")).isEqualTo("accepted");

        JsonObj queue = (JsonObj) results.get(2);
        assertThat(queue.str("level")).isEqualTo("error");
        assertThat(queue.str("baselineState")).isEqualTo("updated");
        assertThat(queue.obj("message").str("text")).contains("worse (in the baseline, but grows +30 objects per snapshot"
                + " against +10 objects recorded: more than 2 times faster)");
        assertThat(((JsonObj) queue.arr("locations").get(0)).obj("physicalLocation").obj("artifactLocation").str("uri"))
                .isEqualTo("file:///elsewhere/queue.js");

        JsonObj pending = (JsonObj) results.get(3);
        assertThat(pending.has("locations")).as("no source position, not a check: no location").isFalse();
        assertThat(pending.obj("properties").str("status")).isEqualTo("new");
    }

    @Test
    void aCheckLeakWithoutSourcePositionPointsAtItsScenario() throws IOException {
        LeakReport r = CiReports.report(List.of(CiReports.leak(1, LeakPattern.ARRAY, "kept", "Item", 7, null),
                        CiReports.leak(2, LeakPattern.ARRAY, "internal", "Item", 14,
                                new SourceLocator.Location("node:internal/timers", 40, 3))))
                .withScenario(new LeakReport.Scenario(ROOT.resolve("test/leak.scenario.js").toString(), 7, 7));
        String doc = sarif(r, ROOT);
        assertThat(schemaErrors(doc)).as(doc).isEmpty();
        JsonObj run = (JsonObj) ((JsonObj) Json.parse(doc)).arr("runs").get(0);
        for (Object o : run.arr("results")) {
            JsonObj loc = (JsonObj) ((JsonObj) o).arr("locations").get(0);
            assertThat(loc.obj("physicalLocation").obj("artifactLocation").str("uri")).isEqualTo("test/leak.scenario.js");
            assertThat(loc.obj("physicalLocation").obj("region").lng("startLine", 0)).isEqualTo(1);
            assertThat(loc.obj("message").str("text")).contains("the scenario whose calls leak");
        }
        JsonObj first = (JsonObj) run.arr("results").get(0);
        assertThat(first.obj("properties").lng("perCall", 0)).isEqualTo(1);
        assertThat(first.obj("message").str("text")).contains("Leaks 1 Item object per call (7 per round of 7 calls");
        assertThat(first.has("baselineState")).as("no baseline, no baseline state").isFalse();
    }

    @Test
    void hostileNamesAndAnEmptyReportStayValid() throws IOException {
        String hostile = "</script>\"\u0000\u001b[31m\uD800'\\\u2028";
        LeakReport r = CiReports.report(List.of(CiReports.leak(1, LeakPattern.MAP, hostile, hostile, 9,
                new SourceLocator.Location(ROOT + "/a b/" + hostile + ".js", 1, 1))));
        String doc = sarif(r, ROOT);
        assertThat(schemaErrors(doc)).isEmpty();
        assertThat(((JsonObj) Json.parse(doc)).toString()).contains("leak/map");

        String empty = sarif(CiReports.report(List.of()), ROOT);
        assertThat(schemaErrors(empty)).isEmpty();
        assertThat(((JsonObj) ((JsonObj) Json.parse(empty)).arr("runs").get(0)).arr("results")).isEmpty();
    }

    @Test
    void theSchemaCatchesWhatCodeScanningWouldReject() throws IOException {
        String good = sarif(CiReports.withBaseline(ROOT), ROOT);
        assertThat(schemaErrors(good)).isEmpty();
        assertThat(schemaErrors(good.replace("\"level\" : \"error\"", "\"level\" : \"fatal\""))).isNotEmpty();
        assertThat(schemaErrors(good.replace("\"startLine\" : 12", "\"startLine\" : 0"))).isNotEmpty();
        assertThat(schemaErrors(good.replace("\"version\" : \"2.1.0\"", "\"version\" : \"2.0.0\""))).isNotEmpty();
        assertThat(schemaErrors(good.replace("\"baselineState\" : \"new\"", "\"baselineState\" : \"fresh\""))).isNotEmpty();
        assertThat(schemaErrors(good.replace("\"ruleId\"", "\"rule_id\""))).as("closed objects").isNotEmpty();
        assertThat(schemaErrors(good.replace("\"uri\" : \"src/cache%20dir/a.js\"", "\"uri\" : \"src/cache dir/a.js\"")))
                .as("uri-reference format").isNotEmpty();
    }
}
