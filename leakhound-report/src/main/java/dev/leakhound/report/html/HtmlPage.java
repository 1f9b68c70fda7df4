package dev.leakhound.report.html;

import dev.leakhound.report.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.Locale;

/**
 * One self-contained HTML page: the template resource {@code page.html} with the stylesheet, the
 * scripts and the data streamed in at its marker comments (as async-profiler's converter builds its
 * flame graphs). The page needs no network: everything is inline, and its Content-Security-Policy
 * forbids every fetch and allows only the page's own script (by hash), so even a string that
 * slipped past escaping could not run.
 *
 * <p>Markers in {@code page.html}: {@code <!--leakhound:title-->} (the page title, HTML-escaped),
 * {@code <!--leakhound:csp-->} (the script's SHA-256), {@code /*leakhound:css*}{@code /}
 * ({@code report.css}), {@code <!--leakhound:data-->} (the data, as JSON that is safe inside a
 * script element: see {@link #json(Writer)}) and {@code /*leakhound:js*}{@code /}
 * ({@code common.js}, then the page type's own script).
 *
 * <p><b>Adding a page type</b> (diff, hunt, watch...):
 * <ol>
 * <li>Write {@code src/main/resources/dev/leakhound/report/html/KIND.js} that registers
 *     {@code LH.pages["KIND"] = function (data, main) {...}} and builds the page from {@code data}
 *     with the helpers of {@code common.js} ({@code LH.el}, {@code LH.headline}, {@code LH.table},
 *     {@code LH.lineChart}, {@code LH.barList}, {@code LH.treemap}, {@code LH.pathChain}...). Data
 *     reaches the DOM only as text ({@code textContent}, {@code setAttribute}); never {@code innerHTML}.</li>
 * <li>Write a renderer (see {@link AnalyzeHtml}) that calls
 *     {@code HtmlPage.write(out, "KIND", title, j -> {...fields...})}; the {@code kind} field is added.</li>
 * <li>Give the command an {@code --html FILE} option that calls {@link HtmlFiles#write}, and add
 *     the page to the browser check ({@code src/test/js/check-reports.mjs} via {@code HtmlBrowserTest}).</li>
 * </ol>
 */
public final class HtmlPage {
    static final String RESOURCES = "/dev/leakhound/report/html/";
    private static final String[] MARKERS = {"<!--leakhound:title-->", "<!--leakhound:csp-->", "/*leakhound:css*/",
            "<!--leakhound:data-->", "/*leakhound:js*/"};
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private HtmlPage() {}

    /**
     * Writes the page. {@code data} writes the fields of the page's data object (the object itself
     * is opened and closed here, with {@code "kind"} first).
     */
    public static void write(Writer out, String kind, String title, Consumer<Json> data) {
        if (!kind.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("page kind must be a simple name: " + kind);
        }
        String template = resource("page.html");
        String script = resource("common.js") + "\n" + resource(kind + ".js");
        try {
            int at = 0;
            int written = 0;
            while (true) {
                // the next marker, wherever the template puts it
                int i = -1;
                String marker = null;
                for (String m : MARKERS) {
                    int k = template.indexOf(m, at);
                    if (k >= 0 && (i < 0 || k < i)) {
                        i = k;
                        marker = m;
                    }
                }
                if (marker == null) {
                    break;
                }
                out.write(template, at, i - at);
                switch (marker) {
                    case "<!--leakhound:title-->" -> out.write(escape(title));
                    case "<!--leakhound:csp-->" -> out.write("'sha256-" + sha256(script) + "'");
                    case "/*leakhound:css*/" -> out.write(resource("report.css"));
                    case "<!--leakhound:data-->" -> {
                        try (Json j = json(out)) {
                            j.startObject().field("kind", kind);
                            data.accept(j);
                            j.endObject();
                        }
                    }
                    default -> out.write(script);
                }
                written++;
                at = i + marker.length();
            }
            if (written != MARKERS.length) {
                throw new IllegalStateException("page.html must hold each marker once: " + String.join(", ", MARKERS));
            }
            out.write(template, at, template.length() - at);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A compact JSON writer whose output can stand inside a {@code <script>} element: {@code <},
     * {@code >} and {@code &} are written as {@code \u003C}-style escapes, so no heap string can
     * close the element ({@code </script>}) or open a comment; U+2028/U+2029 and surrogates are
     * escaped too (the file stays valid UTF-8 even for a lone surrogate from the snapshot).
     */
    public static Json json(Writer out) {
        Json j = new Json(out, false);
        j.gen().setCharacterEscapes(ScriptSafeEscapes.INSTANCE);
        return j;
    }

    /** HTML text escaping for the few strings the Java side writes into markup (the title). */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c < 0x20 && c != '\t' ? ' ' : c);
            }
        }
        return sb.toString();
    }

    static String resource(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try (InputStream in = HtmlPage.class.getResourceAsStream(RESOURCES + n)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCES + n);
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String lower = text.toLowerCase(Locale.ROOT);
                if (!n.equals("page.html") && (lower.contains("</script") || lower.contains("</style") || lower.contains("<!--"))) {
                    throw new IllegalStateException(n + " must not contain </script, </style or <!-- (it is inlined)");
                }
                return text;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
