package dev.leakhound.report.html;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlPageTest {
    static final List<String> HOSTILE = List.of(
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "</script><script>alert(2)</script>",
            "</SCRIPT ><!-- <script>",
            "a\u2028b\u2029c",
            "emoji \uD83D\uDE00 and a lone \uD800 surrogate",
            "'single' & \"double\" \\ back\nslash\t");

    private static String page(String title) {
        StringWriter w = new StringWriter();
        HtmlPage.write(w, "analyze", title, j -> {
            j.startArray("strings");
            for (String s : HOSTILE) {
                j.value(s);
            }
            j.endArray();
        });
        return w.toString();
    }

    @Test
    void dataBlockHoldsNoCharacterThatCouldEndTheScriptElement() {
        String html = page("t");
        String open = "<script type=\"application/json\" id=\"leakhound-data\">";
        int a = html.indexOf(open) + open.length();
        String data = html.substring(a, html.indexOf("</script>", a));
        assertThat(data).doesNotContain("<", ">", "&", "\u2028", "\u2029");
        assertThat(data.chars().anyMatch(c -> c >= 0xD800 && c <= 0xDFFF)).as("raw surrogates").isFalse();
        assertThat(data).contains("\\u003Cscript\\u003E", "\\uD83D\\uDE00", "\\u2028");
        // and it reads back exactly
        assertThat(JsonTree.at(JsonTree.parse(data), "strings")).isEqualTo(HOSTILE);
        assertThat(JsonTree.at(JsonTree.parse(data), "kind")).isEqualTo("analyze");
    }

    @Test
    void pageHasOnlyItsOwnTwoScriptsAndEveryMarkerIsFilled() {
        String html = page("<script>alert('title')</script>");
        assertThat(Pattern.compile("<script", Pattern.CASE_INSENSITIVE).matcher(html).results().count()).isEqualTo(2);
        assertThat(html).doesNotContain("leakhound:title", "leakhound:css", "leakhound:js", "leakhound:data", "leakhound:csp");
        assertThat(html).contains("<title>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;</title>");
        assertThat(html).doesNotContainIgnoringCase("<img");
    }

    @Test
    void contentSecurityPolicyAllowsExactlyTheReportScriptAndNoNetwork() throws Exception {
        String html = page("t");
        Matcher csp = Pattern.compile("script-src '(sha256-[A-Za-z0-9+/=]+)'").matcher(html);
        assertThat(csp.find()).isTrue();
        assertThat(html).contains("default-src 'none'");
        int a = html.lastIndexOf("<script>") + "<script>".length();
        String script = html.substring(a, html.indexOf("</script>", a));
        assertThat(script).contains("LH.pages.analyze");
        assertThat(csp.group(1)).isEqualTo("sha256-" + HtmlPage.sha256(script));
        // nothing in the page refers to another origin
        // nothing in the page's own markup and code refers to another resource (the SVG namespace is a name, not a fetch)
        String open = "id=\"leakhound-data\">";
        int d = html.indexOf(open) + open.length();
        String own = html.substring(0, d) + html.substring(html.indexOf("</script>", d));
        assertThat(own.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://", "https://", "src=", "href=", "url(");
    }

    @Test
    void htmlEscapeCoversMarkupCharacters() {
        assertThat(HtmlPage.escape("<a href=\"x\" title='y'>&</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    }

    @Test
    void everyPageTypeHasItsScript() {
        Map<String, String> registers = Map.of("analyze", "LH.pages.analyze =", "find-leaks", "LH.pages['find-leaks'] =");
        for (String kind : registers.keySet()) {
            StringWriter w = new StringWriter();
            HtmlPage.write(w, kind, "t", j -> { });
            assertThat(w.toString()).contains(registers.get(kind));
            Map<?, ?> data = (Map<?, ?>) JsonTree.pageData(w.toString());
            assertThat(data.get("kind")).isEqualTo(kind);
        }
    }
}
