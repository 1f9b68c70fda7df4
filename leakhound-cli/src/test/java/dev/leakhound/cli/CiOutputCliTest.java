package dev.leakhound.cli;

import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * find-leaks for CI on a real series (examples/global-array.js): baselines (write, accept, new, worse), --format
 * junit and sarif to stdout and to --out, and the one-line errors of bad combinations and bad baselines.
 */
class CiOutputCliTest {
    @TempDir
    static Path tmp;
    static String s1;
    static String s2;
    static String s3;

    @BeforeAll
    static void series() throws Exception {
        String[] s = CliRun.series(CliRun.root().resolve("examples/global-array.js"), tmp.resolve("s"), 1500, 1000);
        s1 = s[0];
        s2 = s[1];
        s3 = s[2];
    }

    static JsonObj json(String text) {
        return (JsonObj) Json.parse(text);
    }

    static Document xml(String text) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBaselineAcceptsTheLeakItRecordedAndOnlyNewOrWorseLeaksFail() throws Exception {
        Path baseline = tmp.resolve("leak-baseline.json");
        CliRun record = CliRun.of("find-leaks", s1, s2, s3, "--fail-on-leak", "--write-baseline", baseline.toString());
        assertThat(record.exit()).as("recording a baseline accepts what it records").isZero();
        assertThat(record.err()).contains("baseline written to " + baseline + " (1 leak accepted)");
        assertThat(record.out()).contains("Verdict    LEAK: 1 leak found", "signature  ");
        JsonObj file = json(Files.readString(baseline));
        assertThat(file.lng("leakhoundBaseline", 0)).isEqualTo(1);
        JsonObj entry = (JsonObj) file.arr("leaks").get(0);
        assertThat(entry.str("pattern")).isEqualTo("array");
        assertThat(entry.str("path")).isEqualTo("{global}.leakArray @ [*]");
        assertThat(entry.str("leakedClass")).isEqualTo("RequestRecord");
        assertThat(entry.dbl("countPerStep", 0)).isPositive();

        CliRun accepted = CliRun.of("find-leaks", s1, s2, s3, "--fail-on-leak", "--baseline", baseline.toString(), "--json");
        assertThat(accepted.exit()).as(accepted.err()).isZero();
        JsonObj doc = json(accepted.out());
        assertThat(doc.str("verdict")).isEqualTo("accepted");
        assertThat(doc.obj("baseline").lng("accepted", 0)).isEqualTo(1);
        assertThat(doc.obj("baseline").arr("notFound")).isEmpty();
        JsonObj leak = (JsonObj) doc.arr("leaks").get(0);
        assertThat(leak.str("status")).isEqualTo("accepted");
        assertThat(leak.obj("signature").str("id")).isEqualTo(entry.str("signature"));

        // recorded growing three times slower than now: worse, and it fails
        Path slower = tmp.resolve("slower.json");
        Files.writeString(slower, Files.readString(baseline).replaceAll("\"countPerStep\" : [0-9.]+",
                "\"countPerStep\" : " + entry.dbl("countPerStep", 0) / 3));
        CliRun worse = CliRun.of("find-leaks", s1, s2, s3, "--fail-on-leak", "--baseline", slower.toString());
        assertThat(worse.exit()).isEqualTo(1);
        assertThat(worse.out()).contains("Verdict    LEAK: 1 leak found: 0 new, 1 worse, 0 accepted",
                "status     worse (in the baseline, but grows ", " recorded: more than 2 times faster)");

        // a baseline of other leaks: this one is new; the one listed is not found
        Path other = tmp.resolve("other.json");
        Files.writeString(other, "{\"leakhoundBaseline\": 1, \"leaks\": [{\"signature\": \"00112233445566ff\", \"pattern\": \"map\","
                + " \"path\": \"{global}.gone @ [*]\", \"leakedClass\": \"Gone\", \"countPerStep\": 1, \"bytesPerStep\": 10}]}");
        CliRun fresh = CliRun.of("find-leaks", s1, s2, s3, "--fail-on-leak", "--baseline", other.toString(), "--format", "junit");
        assertThat(fresh.exit()).isEqualTo(1);
        Element suites = xml(fresh.out()).getDocumentElement();
        assertThat(suites.getAttribute("tests")).isEqualTo("1");
        assertThat(suites.getAttribute("failures")).isEqualTo("1");
        Element failure = (Element) suites.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("new-leak");
        assertThat(failure.getAttribute("message")).contains("`leakArray` (Array) keeps ");
        CliRun freshText = CliRun.of("find-leaks", s1, s2, s3, "--baseline", other.toString());
        assertThat(freshText.out()).contains("1 accepted leak, 1 not found this time", "not found: 00112233445566ff");
    }

    @Test
    void sarifGoesToOutBesideTheTextReportWithTheLeakOnItsLine() throws Exception {
        Path sarif = tmp.resolve("leaks.sarif");
        Path junit = tmp.resolve("leaks.xml");
        CliRun r = CliRun.of("find-leaks", s1, s2, s3, "--format", "sarif", "--out", sarif.toString(), "--format", "junit",
                "--out", junit.toString(), "--source-root", CliRun.root().resolve("examples").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Verdict    LEAK");
        assertThat(r.err()).contains("sarif report written to " + sarif, "junit report written to " + junit);
        assertThat(xml(Files.readString(junit)).getDocumentElement().getAttribute("failures")).isEqualTo("1");
        assertThat(Files.getPosixFilePermissions(sarif)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE));
        String doc = Files.readString(sarif);
        assertThat(SarifSchema.errors(doc)).isEmpty();
        JsonObj result = (JsonObj) ((JsonObj) json(doc).arr("runs").get(0)).arr("results").get(0);
        JsonObj where = ((JsonObj) result.arr("locations").get(0)).obj("physicalLocation");
        assertThat(where.obj("artifactLocation").str("uri")).isEqualTo("global-array.js");
        assertThat(where.obj("artifactLocation").str("uriBaseId")).isEqualTo("SRCROOT");
        long line = where.obj("region").lng("startLine", 0);
        List<String> lines = Files.readAllLines(CliRun.root().resolve("examples/global-array.js"));
        // the leaked objects' constructor: RequestRecord's
        assertThat(lines.get((int) line - 1)).as("the line SARIF points at").contains("constructor(id, req)");
        assertThat(lines.get((int) line - 2)).contains("class RequestRecord");

        CliRun stdout = CliRun.of("find-leaks", s1, s2, s3, "--format", "sarif");
        assertThat(SarifSchema.errors(stdout.out())).isEmpty();
        assertThat(stdout.out().strip()).startsWith("{").endsWith("}");
    }

    @Test
    void badCombinationsAndBadBaselinesAreOneLineAndExitTwo() throws Exception {
        Path bad = tmp.resolve("bad-baseline.json");
        Files.writeString(bad, "{\"leakhoundBaseline\": 7, \"leaks\": []}");
        assertOneLine(CliRun.of("find-leaks", s1, s3, "--baseline", bad.toString()),
                "leakhound: bad baseline " + bad + ": a version 7 baseline; this leakhound reads version 1");
        assertOneLine(CliRun.of("find-leaks", s1, s3, "--baseline", tmp.resolve("none.json").toString()),
                "leakhound: bad baseline " + tmp.resolve("none.json") + ": no such file");
        assertOneLine(CliRun.of("find-leaks", s1, s3, "--json", "--format", "sarif"),
                "leakhound: --json and --format sarif are two different outputs; pick one, or write the --format document to --out FILE");
        assertOneLine(CliRun.of("find-leaks", s1, s3, "--out", tmp.resolve("x.txt").toString()),
                "leakhound: each --out FILE needs its --format (json, junit or sarif), in the same order: got 0 --format and 1 --out");
        assertOneLine(CliRun.of("find-leaks", s1, s3, "--format", "sarif", "--format", "junit"),
                "leakhound: only one --format can go to stdout: give an --out FILE for each --format (they pair up in order)");
        assertOneLine(CliRun.of("find-leaks", s1, s3, "--format", "text", "--out", tmp.resolve("x.txt").toString()),
                "leakhound: --format text goes to stdout, not to --out FILE: give --format json, junit or sarif with --out");
        assertOneLine(CliRun.of("find-leaks", s1, s3, "--format", "sarif", "--source-root", tmp.resolve("nowhere").toString()),
                "leakhound: --source-root " + tmp.resolve("nowhere") + ": no such directory");
        CliRun unknown = CliRun.of("find-leaks", s1, s3, "--format", "xml");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--format", "xml");
    }

    static void assertOneLine(CliRun r, String line) {
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(line);
        assertThat(r.out()).isEmpty();
    }
}
