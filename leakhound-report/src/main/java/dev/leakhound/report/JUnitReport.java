package dev.leakhound.report;

import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.source.SourceLocator;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --format junit}: the report as a JUnit XML document (the Ant/Surefire shape that CI systems read:
 * {@code testsuites > testsuite > testcase} with {@code failure} and {@code skipped}). One test case per
 * leak signature, named after it so that a CI's test history follows the same leak from run to run:
 * <ul>
 * <li>a new or worse leak is a failure ({@code type} {@code new-leak} or {@code worse-leak}), with the
 *     leak's summary as the message and the whole text report of the leak as the body;</li>
 * <li>an accepted leak (in the baseline) is skipped, with the reason;</li>
 * <li>with no leak at all, one passing test case {@code no leak} keeps the suite from being empty.</li>
 * </ul>
 */
public final class JUnitReport {
    private JUnitReport() {}

    /**
     * Writes the document.
     *
     * @param suite the test suite's name: what was checked ({@code leakhound check test/leak.js})
     */
    public static void write(LeakReport r, String suite, Writer out) {
        Map<String, List<LeakReport.Leak>> bySignature = new LinkedHashMap<>();
        for (LeakReport.Leak l : r.leaks()) {
            bySignature.computeIfAbsent(l.signature().id(), k -> new ArrayList<>()).add(l);
        }
        int tests = Math.max(1, bySignature.size());
        int failures = 0;
        int skipped = 0;
        for (List<LeakReport.Leak> ls : bySignature.values()) {
            if (failing(ls) != null) {
                failures++;
            } else {
                skipped++;
            }
        }
        boolean growth = bySignature.isEmpty() && r.growsOutsideHeap();   // hunt's external-growth, native-growth
        if (growth) {
            failures = 1;
        }
        String time = seconds(r.timings() == null ? 0 : r.timings().totalMillis());
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "leakhound");
            counts(x, tests, failures, skipped, time);
            x.writeCharacters("\n  ");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", clean(suite));
            counts(x, tests, failures, skipped, time);
            x.writeCharacters("\n    ");
            x.writeStartElement("properties");
            property(x, "verdict", r.verdict());
            property(x, "snapshots", Integer.toString(r.snapshots().size()));
            if (r.baseline() != null) {
                property(x, "baseline", r.baseline().source());
            }
            if (r.scenario() != null) {
                property(x, "iterations", Integer.toString(r.scenario().iterations()));
            }
            x.writeCharacters("\n    ");
            x.writeEndElement();
            if (growth) {
                testcase(x, "leakhound.memory", r.verdict());
                x.writeCharacters("\n        ");
                x.writeStartElement("failure");
                x.writeAttribute("type", r.verdict());
                x.writeAttribute("message", clean(LeakReportRenderer.verdictLine(r)));
                x.writeCharacters(clean(MemoryText.summary(r.memory())));
                x.writeEndElement();
                x.writeCharacters("\n      ");
                x.writeEndElement();
            } else if (bySignature.isEmpty()) {
                testcase(x, "leakhound", "no leak");
                x.writeStartElement("system-out");
                x.writeCharacters(clean(LeakReportRenderer.verdictLine(r)));
                x.writeEndElement();
                x.writeEndElement();
            }
            for (List<LeakReport.Leak> ls : bySignature.values()) {
                LeakReport.Leak first = ls.get(0);
                testcase(x, "leakhound." + first.pattern().id(), LeakReportRenderer.signatureText(first.signature()));
                LeakReport.Leak bad = failing(ls);
                if (bad != null) {
                    x.writeCharacters("\n        ");
                    x.writeStartElement("failure");
                    x.writeAttribute("type", bad.status() == LeakReport.Status.WORSE ? "worse-leak" : "new-leak");
                    x.writeAttribute("message", clean(LeakText.status(bad, r.baseline()) + ": " + LeakText.summary(bad)));
                    x.writeCharacters(clean(details(r, ls)));
                    x.writeEndElement();
                } else {
                    x.writeCharacters("\n        ");
                    x.writeEmptyElement("skipped");
                    x.writeAttribute("message", clean("accepted leak (in the baseline "
                            + (r.baseline() == null ? "" : r.baseline().source()) + "): " + LeakText.summary(first)));
                    x.writeCharacters("\n        ");
                    x.writeStartElement("system-out");
                    x.writeCharacters(clean(details(r, ls)));
                    x.writeEndElement();
                }
                x.writeCharacters("\n      ");
                x.writeEndElement();
            }
            x.writeCharacters("\n  ");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
            out.flush();
        } catch (XMLStreamException e) {
            throw new UncheckedIOException(new java.io.IOException(e.getMessage(), e));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first new or worse leak of a signature's leaks, or null when all are accepted. */
    private static LeakReport.Leak failing(List<LeakReport.Leak> ls) {
        for (LeakReport.Leak l : ls) {
            if (l.status() != LeakReport.Status.ACCEPTED) {
                return l;
            }
        }
        return null;
    }

    private static void counts(XMLStreamWriter x, int tests, int failures, int skipped, String time) throws XMLStreamException {
        x.writeAttribute("tests", Integer.toString(tests));
        x.writeAttribute("failures", Integer.toString(failures));
        x.writeAttribute("errors", "0");
        x.writeAttribute("skipped", Integer.toString(skipped));
        x.writeAttribute("time", time);
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeCharacters("\n      ");
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", clean(value));
    }

    private static void testcase(XMLStreamWriter x, String classname, String name) throws XMLStreamException {
        x.writeCharacters("\n    ");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", clean(classname));
        x.writeAttribute("name", clean(name));
        x.writeAttribute("time", "0");
    }

    /** The text report's section of each leak, as the body of a failure. */
    private static String details(LeakReport r, List<LeakReport.Leak> ls) {
        StringWriter sw = new StringWriter();
        PrintWriter p = new PrintWriter(sw);
        p.println();
        for (LeakReport.Leak l : ls) {
            p.println("#" + l.rank() + "  " + LeakText.summary(l));
            p.println("status     " + LeakText.status(l, r.baseline()));
            if (r.scenario() != null) {
                String perCall = LeakText.perCall(l, r.scenario());
                if (perCall != null) {
                    p.println("per call   " + perCall);
                }
            }
            p.println("growth     " + LeakText.series(l.countsPerSnapshot(), false).replace(" → ", " -> ") + " objects, "
                    + LeakText.series(l.bytesPerSnapshot(), true).replace(" → ", " -> "));
            p.println("held by    " + l.container().className() + " at " + l.container().pathText() + ", then "
                    + l.container().pattern());
            SourceLocator.Location loc = l.location();
            p.println("source     " + (loc == null ? "(the snapshot records no source position for it)" : loc.toString()));
            p.println("fix        " + LeakText.hint(l));
            p.println("signature  " + l.signature().id() + "  " + LeakReportRenderer.signatureText(l.signature()));
        }
        p.flush();
        return sw.toString();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /**
     * Text that XML 1.0 can carry: characters it does not allow (most control characters, lone surrogates,
     * U+FFFE/U+FFFF) become U+FFFD. Heap strings can hold anything.
     */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (ok) {
                    if (sb != null) {
                        sb.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            }
            if (!ok && sb == null) {
                sb = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (sb != null) {
                sb.append(ok ? c : '\uFFFD');
            }
        }
        return sb == null ? s : sb.toString();
    }
}
