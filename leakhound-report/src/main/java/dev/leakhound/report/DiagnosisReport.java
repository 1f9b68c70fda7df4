package dev.leakhound.report;

import dev.leakhound.analysis.diagnosis.ClassShare;
import dev.leakhound.analysis.diagnosis.Diagnosis;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.Suspect;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link Diagnosis}: a text section for {@code analyze}, or the {@code diagnosis} member of its
 * JSON document (the one serialization, also embedded in the HTML page). The words come from
 * {@link FindingText} and {@link DiagnosisText}.
 */
public final class DiagnosisReport {
    static final int WIDTH = 110;

    private DiagnosisReport() {}

    public static void text(Diagnosis d, boolean timings, PrintWriter out) {
        DiagnosisOptions o = d.options();
        out.println("Diagnosis" + (timings ? " (" + Format.millis(d.timings().totalMillis()) + ")" : ""));
        wrap(out, "  ", "  ", DiagnosisText.verdict(d));
        out.println();
        out.println("  Leak suspects (Eclipse MAT's method: retains at least " + Math.round(o.suspectShare() * 100)
                + "% of the heap and " + Format.bytes(o.minBytes()) + "; threshold " + Format.bytes(d.suspectThreshold()) + ")");
        if (d.suspects().isEmpty()) {
            out.println("    none");
        }
        int i = 1;
        for (Suspect s : d.suspects()) {
            String head = s.kind() == Suspect.Kind.CLASS
                    ? Format.count(s.count()) + " " + s.className() + " objects retain " + Format.bytes(s.retainedBytes())
                    : s.label() + " @" + s.id() + (s.label().equals(s.className()) ? "" : " (" + s.className() + ")")
                    + " retains " + Format.bytes(s.retainedBytes());
            out.println("    " + i++ + ". " + head + " (" + Format.percent(s.retainedBytes(), d.heapBytes()) + " of the heap)");
            String pad = "       ";
            field(out, pad, s.kind() == Suspect.Kind.CLASS ? "sample path" : "path", path(s.pathText()));
            if (s.location() != null) {
                field(out, pad, "source", s.location().toString());
            }
            Suspect.Accumulation a = s.accumulation();
            if (a != null) {
                StringBuilder sb = new StringBuilder();
                sb.append(a.label()).append(" @").append(a.id()).append(", ").append(Format.bytes(a.retainedBytes()))
                        .append(" in ").append(Format.count(a.children())).append(" dominated objects");
                if (!a.topChildren().isEmpty()) {
                    sb.append(": ");
                    for (int k = 0; k < a.topChildren().size(); k++) {
                        ClassShare c = a.topChildren().get(k);
                        sb.append(k == 0 ? "" : ", ").append(c.className()).append(" ×").append(Format.count(c.count()))
                                .append(" (").append(Format.bytes(c.retainedBytes())).append(")");
                    }
                }
                if (a.sampled() > 0) {
                    sb.append("; on the paths of ").append(a.covered()).append(" of ").append(a.sampled()).append(" sampled objects");
                }
                field(out, pad, "accumulation", sb.toString());
                field(out, pad, "", path(a.pathText()));
            }
        }
        out.println();
        out.println("  Node.js leak patterns (by bytes at stake)");
        if (d.findings().isEmpty()) {
            out.println("    none above the thresholds");
        }
        i = 1;
        for (Finding f : d.findings()) {
            wrap(out, "    " + i + ". ", "       ", "[" + f.kind().id() + "] " + FindingText.title(f, d.heapBytes()));
            i++;
            String pad = "       ";
            field(out, pad, "at stake", Format.bytes(f.bytes()) + " (" + Format.percent(f.bytes(), d.heapBytes()) + " of the heap)");
            for (FindingText.Evidence fact : FindingText.evidence(f, d.heapBytes())) {
                switch (fact.type()) {
                    case BYTES -> field(out, pad, fact.name(), Format.bytes((Long) fact.value()));
                    case COUNT -> field(out, pad, fact.name(), Format.count((Long) fact.value()));
                    case LIST -> {
                        @SuppressWarnings("unchecked")
                        List<String> items = (List<String>) fact.value();
                        for (int k = 0; k < items.size(); k++) {
                            field(out, pad, k == 0 ? fact.name() : "", items.get(k));
                        }
                    }
                    default -> field(out, pad, fact.name(), String.valueOf(fact.value()));
                }
            }
            if (f.location() != null) {
                field(out, pad, "source", f.location().toString());
            }
            field(out, pad, "path", path(f.pathText()));
            if (!f.sampleIds().isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (long id : f.sampleIds()) {
                    sb.append(sb.length() == 0 ? "" : " ").append('@').append(id);
                }
                field(out, pad, "samples", sb.toString() + "   (leakhound inspect/path FILE @ID)");
            }
            wrap(out, pad + pad("fix") + "  ", pad + " ".repeat(LABEL + 2), FindingText.fix(f));
        }
        out.println();
        out.println("  Checked");
        for (String c : DiagnosisText.checked(d, timings)) {
            wrap(out, "    ", "      ", c);
        }
        for (String n : DiagnosisText.notes(d)) {
            out.println();
            wrap(out, "  Note: ", "    ", n);
        }
        out.flush();
    }

    static final int LABEL = 16;
    static final int MAX_PATH = 400;

    /** A path as text; very long ones (chains) keep their start and end (JSON has them whole). */
    static String path(String text) {
        if (text.isEmpty()) {
            return "(no path from a root)";
        }
        if (text.length() <= MAX_PATH) {
            return text;
        }
        return text.substring(0, 120) + " … " + text.substring(text.length() - (MAX_PATH - 120));
    }

    private static String pad(String label) {
        return label.length() >= LABEL ? label : label + " ".repeat(LABEL - label.length());
    }

    private static void field(PrintWriter out, String indent, String label, String value) {
        out.println((indent + pad(label) + "  " + value).stripTrailing());
    }

    /** Word-wraps {@code text}: the first line after {@code first}, the rest after {@code rest}. */
    static void wrap(PrintWriter out, String first, String rest, String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        int start = first.length();
        for (String word : text.split(" ")) {
            if (line.length() > start && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(rest);
                start = rest.length();
            }
            if (line.length() > start) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        for (String l : lines) {
            out.println(l.stripTrailing());
        }
    }

    /**
     * Writes {@code "diagnosis": {...}} into an open JSON object: the verdict, the options, the suspects,
     * the findings (each with its title, evidence, typed {@code facts} and fix), the checked lines and
     * the notes. {@code timings}: also {@code millis} and each checked line's time.
     */
    public static void json(Diagnosis d, Json j, Bounds b, boolean timings) {
        DiagnosisOptions o = d.options();
        j.startObject("diagnosis");
        j.field("healthy", d.healthy()).field("verdict", DiagnosisText.verdict(d));
        if (timings) {
            j.field("millis", d.timings().totalMillis());
        }
        j.field("heapBytes", d.heapBytes()).field("suspectThresholdBytes", d.suspectThreshold());
        j.startObject("options")
                .field("suspectShare", o.suspectShare()).field("bigDrop", o.bigDrop()).field("groupCover", o.groupCover())
                .field("minBytes", o.minBytes()).field("minListeners", o.minListeners()).field("minTimers", o.minTimers())
                .field("minEntries", o.minEntries()).field("minChain", o.minChain())
                .field("internalFactor", o.internalFactor()).field("maxFindings", o.maxFindings())
                .endObject();
        j.startArray("suspects");
        for (Suspect s : d.suspects()) {
            suspect(s, j, b);
        }
        j.endArray();
        j.startArray("findings");
        for (Finding f : d.findings()) {
            finding(f, d.heapBytes(), j, b);
        }
        j.endArray();
        j.field("omittedFindings", d.omittedFindings());
        j.startArray("checked");
        for (String c : DiagnosisText.checked(d, timings)) {
            j.value(c);
        }
        j.endArray();
        j.startArray("notes");
        for (String n : DiagnosisText.notes(d)) {
            j.value(n);
        }
        j.endArray();
        j.endObject();
    }

    private static void suspect(Suspect s, Json j, Bounds b) {
        j.startObject().field("kind", s.kind().id());
        if (s.id() >= 0) {
            j.field("id", s.id());
        } else {
            j.nullField("id");
        }
        j.field("class", b.label(s.className())).field("label", b.label(s.label())).field("count", s.count())
                .field("retainedBytes", s.retainedBytes()).field("pathText", b.text(s.pathText()));
        JsonParts.path(j, s.path(), b);
        JsonParts.location(j, s.location());
        Suspect.Accumulation a = s.accumulation();
        if (a == null) {
            j.nullField("accumulation");
        } else {
            j.startObject("accumulation").field("id", a.id()).field("class", b.label(a.className()))
                    .field("label", b.label(a.label())).field("retainedBytes", a.retainedBytes()).field("children", a.children());
            if (a.sampled() > 0) {
                j.field("covered", a.covered()).field("sampled", a.sampled());
            }
            j.startArray("topChildren");
            for (ClassShare c : a.topChildren()) {
                j.startObject().field("class", b.label(c.className())).field("count", c.count())
                        .field("retainedBytes", c.retainedBytes()).endObject();
            }
            j.endArray();
            j.field("pathText", b.text(a.pathText()));
            JsonParts.path(j, a.path(), b);
            j.endObject();
        }
        j.endObject();
    }

    static void finding(Finding f, long heapBytes, Json j, Bounds b) {
        j.startObject().field("kind", f.kind().id()).field("title", b.text(FindingText.title(f, heapBytes)))
                .field("bytes", f.bytes()).field("count", f.count());
        if (f.id() >= 0) {
            j.field("id", f.id());
        } else {
            j.nullField("id");
        }
        j.field("class", b.label(f.className())).field("pathText", b.text(f.pathText()));
        JsonParts.path(j, f.path(), b);
        JsonParts.location(j, f.location());
        List<FindingText.Evidence> evidence = FindingText.evidence(f, heapBytes);
        j.startObject("evidence");
        for (FindingText.Evidence fact : evidence) {
            factValue(j, fact.name(), fact.value(), b);
        }
        j.endObject();
        // the same evidence, in order and typed (bytes or a count), for pages and tools that format numbers
        j.startArray("facts");
        for (FindingText.Evidence fact : evidence) {
            j.startObject().field("name", fact.name()).field("type", fact.type().name().toLowerCase(Locale.ROOT));
            factValue(j, "value", fact.value(), b);
            j.endObject();
        }
        j.endArray();
        j.startArray("sampleIds");
        for (long id : f.sampleIds()) {
            j.value(id);
        }
        j.endArray();
        j.field("fix", FindingText.fix(f));
        j.endObject();
    }

    /** One piece of evidence's value as a field: a number, a list of lines (bounded), or a text (bounded). */
    private static void factValue(Json j, String field, Object value, Bounds b) {
        if (value instanceof Long v) {
            j.field(field, v);
        } else if (value instanceof List<?> list) {
            j.startArray(field);
            for (Object x : list.subList(0, b.listItems(list.size()))) {
                j.value(b.text(String.valueOf(x)));
            }
            j.endArray();
        } else {
            j.field(field, b.text(String.valueOf(value)));
        }
    }
}
