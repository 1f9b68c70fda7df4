package dev.leakhound.report;

import dev.leakhound.analysis.leaks.LeakPattern;
import dev.leakhound.analysis.leaks.LeakReport;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --format junit, parsed with the JDK's XML parser: the elements and attributes CI systems read (testsuites and
 * testsuite counts, one testcase per leak signature, failure for new and worse leaks, skipped for accepted ones).
 */
class JUnitReportTest {
    /** Parses a JUnit document (no DTDs, no external entities) and checks it is well-formed. */
    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static String junit(LeakReport r, String suite) {
        StringWriter w = new StringWriter();
        JUnitReport.write(r, suite, w);
        return w.toString();
    }

    static List<Element> elements(Element parent, String name) {
        NodeList nl = parent.getElementsByTagName(name);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nl.getLength(); i++) {
            out.add((Element) nl.item(i));
        }
        return out;
    }

    @Test
    void oneTestCasePerSignatureFailingForNewAndWorseLeaks() throws Exception {
        LeakReport r = CiReports.withBaseline(Path.of("/work/app"));
        Document d = parse(junit(r, "leakhound check test/leak.js"));
        Element root = d.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo("4");
        assertThat(root.getAttribute("failures")).isEqualTo("3");
        assertThat(root.getAttribute("errors")).isEqualTo("0");
        assertThat(root.getAttribute("skipped")).isEqualTo("1");
        List<Element> suites = elements(root, "testsuite");
        assertThat(suites).hasSize(1);
        Element suite = suites.get(0);
        assertThat(suite.getAttribute("name")).isEqualTo("leakhound check test/leak.js");
        assertThat(suite.getAttribute("tests")).isEqualTo("4");
        assertThat(suite.getAttribute("failures")).isEqualTo("3");
        assertThat(suite.getAttribute("time")).matches("[0-9]+\\.[0-9]{3}");
        assertThat(elements(suite, "property")).extracting(p -> p.getAttribute("name") + "=" + p.getAttribute("value"))
                .contains("verdict=leak", "snapshots=3", "baseline=leak-baseline.json");

        List<Element> cases = elements(suite, "testcase");
        assertThat(cases).extracting(c -> c.getAttribute("name")).containsExactly(
                "array CacheEntry at {global}.cache @ [*]", "map Session at {global}.sessions @ [*]",
                "objects Job at {global}.queue @ [*]", "array Request at {global}.pending @ [*]");
        assertThat(cases).extracting(c -> c.getAttribute("classname"))
                .containsExactly("leakhound.array", "leakhound.map", "leakhound.objects", "leakhound.array");

        Element cache = elements(cases.get(0), "failure").get(0);
        assertThat(cache.getAttribute("type")).isEqualTo("new-leak");
        assertThat(cache.getAttribute("message")).startsWith("new (not in the baseline): `cache` (Array) keeps 50 CacheEntry");
        assertThat(cache.getTextContent()).contains("signature  " + r.leaks().get(0).signature().id(), "fix        ",
                "source     /work/app/src/cache dir/a.js:12:5");
        assertThat(elements(cases.get(1), "failure")).isEmpty();
        assertThat(elements(cases.get(1), "skipped").get(0).getAttribute("message"))
                .startsWith("accepted leak (in the baseline leak-baseline.json): ");
        assertThat(elements(cases.get(2), "failure").get(0).getAttribute("type")).isEqualTo("worse-leak");
        assertThat(elements(cases.get(3), "failure").get(0).getAttribute("type")).isEqualTo("new-leak");
    }

    @Test
    void leaksSharingASignatureAreOneTestCaseAndNoLeakIsOnePassingCase() throws Exception {
        LeakReport.Leak a = CiReports.leak(1, LeakPattern.ARRAY, "list", "Item", 7, null);
        LeakReport.Leak b = CiReports.leak(2, LeakPattern.ARRAY, "list", "Item", 14, null);
        Document d = parse(junit(CiReports.report(List.of(a, b)), "leakhound find-leaks s1 … s3"));
        List<Element> cases = elements(d.getDocumentElement(), "testcase");
        assertThat(cases).hasSize(1);
        assertThat(elements(cases.get(0), "failure").get(0).getTextContent()).contains("#1  ", "#2  ");
        assertThat(d.getDocumentElement().getAttribute("failures")).isEqualTo("1");

        Document none = parse(junit(CiReports.report(List.of()), "leakhound check ok.js"));
        List<Element> passing = elements(none.getDocumentElement(), "testcase");
        assertThat(passing).hasSize(1);
        assertThat(passing.get(0).getAttribute("name")).isEqualTo("no leak");
        assertThat(passing.get(0).getChildNodes().getLength()).isGreaterThan(0);
        assertThat(elements(passing.get(0), "failure")).isEmpty();
        assertThat(none.getDocumentElement().getAttribute("tests")).isEqualTo("1");
        assertThat(none.getDocumentElement().getAttribute("failures")).isEqualTo("0");
    }

    @Test
    void charactersXmlCannotCarryAreReplaced() throws Exception {
        String hostile = "a\u0000b\u001b[31m]]>\uD800<&\"'\uFFFE\uD83D\uDE00";
        Document d = parse(junit(CiReports.report(List.of(CiReports.leak(1, LeakPattern.MAP, hostile, hostile, 5, null))),
                "suite " + hostile));
        Element c = elements(d.getDocumentElement(), "testcase").get(0);
        assertThat(c.getAttribute("name")).contains("a\uFFFDb\uFFFD[31m]]>\uFFFD<&\"'\uFFFD\uD83D\uDE00");
        assertThat(JUnitReport.clean("ok \t\n text")).isEqualTo("ok \t\n text");
    }
}
