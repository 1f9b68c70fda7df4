package dev.leakhound.report;

import dev.leakhound.analysis.leaks.Baseline;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.report.html.HtmlFiles;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The baseline file ({@code --baseline FILE}, {@code --write-baseline FILE}): a small JSON document meant to
 * be committed beside the code it covers.
 *
 * <pre>
 * {
 *   "leakhoundBaseline": 1,
 *   "about": "...",
 *   "leaks": [
 *     {"signature": "3f2a9c0d1e4b5a67", "pattern": "array", "path": "…{context}.leakArray @ [*]",
 *      "leakedClass": "RequestRecord", "countPerStep": 7, "bytesPerStep": 1680, "summary": "..."}
 *   ]
 * }
 * </pre>
 *
 * {@code signature} is the key; {@code countPerStep} and {@code bytesPerStep} are the growth per snapshot
 * interval recorded (a leak growing more than {@link Baseline#WORSE_FACTOR} times faster is worse);
 * {@code pattern}, {@code path}, {@code leakedClass} and {@code summary} are for the people who review the
 * file and are not compared. Unknown fields are ignored, so later versions can add some.
 */
public final class BaselineFile {
    /** The version this leakhound writes and reads. */
    public static final int VERSION = 1;

    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{16}");
    private static final String ABOUT = "Leaks accepted for now, by signature: leakhound fails a CI run (find-leaks and hunt"
            + " with --fail-on-leak, check always) only on a leak whose signature is not listed here, or that grows more than "
            + LeakText.factor() + " times faster per snapshot than recorded (countPerStep, or bytesPerStep when the count did"
            + " not grow). Written by --write-baseline; see the README, \"Baselines\".";

    private BaselineFile() {}

    /** Reads a baseline; a file that is missing, unreadable or not a version-1 baseline is a one-line error. */
    public static Baseline read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw bad(file, "no such file");
        } catch (MalformedInputException e) {
            throw bad(file, "not UTF-8 text");
        } catch (IOException e) {
            throw bad(file, "cannot read it: " + e.getMessage());
        }
        Object doc;
        try {
            doc = dev.leakhound.inspector.cdp.Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw bad(file, "not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (!(doc instanceof JsonObj o) || !o.has("leakhoundBaseline")) {
            throw bad(file, "not a leakhound baseline (no \"leakhoundBaseline\" version field)");
        }
        Object v = o.get("leakhoundBaseline");
        if (!(v instanceof Long version)) {
            throw bad(file, "\"leakhoundBaseline\" must be a version number");
        }
        if (version != VERSION) {
            throw bad(file, "a version " + version + " baseline; this leakhound reads version " + VERSION);
        }
        if (!(o.get("leaks") instanceof List<?> leaks)) {
            throw bad(file, "\"leaks\" must be an array");
        }
        List<Baseline.Entry> entries = new ArrayList<>();
        for (int i = 0; i < leaks.size(); i++) {
            String where = "leak #" + (i + 1);
            if (!(leaks.get(i) instanceof JsonObj e)) {
                throw bad(file, where + " is not an object");
            }
            if (!(e.get("signature") instanceof String sig) || !SIGNATURE.matcher(sig).matches()) {
                throw bad(file, where + ": \"signature\" must be 16 hex digits, as --write-baseline writes it");
            }
            entries.add(new Baseline.Entry(sig, text(e, "pattern"), text(e, "path"), text(e, "leakedClass"),
                    growth(file, e, "countPerStep", where), growth(file, e, "bytesPerStep", where)));
        }
        return new Baseline(file.toString(), entries);
    }

    /**
     * Writes a baseline accepting every leak of {@code r} with its growth now (owner-only, replacing the file
     * in one move).
     */
    public static void write(Path file, LeakReport r) {
        Baseline b = Baseline.of(file.toString(), r);
        HtmlFiles.write(file, w -> {
            try (Json j = new Json(w, true)) {
                j.startObject().field("leakhoundBaseline", VERSION).field("about", ABOUT);
                j.startArray("leaks");
                for (Baseline.Entry e : b.entries()) {
                    j.startObject();
                    fields(j, e, Bounds.NONE);
                    j.field("countPerStep", e.countPerStep()).field("bytesPerStep", e.bytesPerStep());
                    for (LeakReport.Leak l : r.leaks()) {
                        if (l.signature().id().equals(e.signature())) {
                            j.field("summary", LeakText.summary(l));
                            break;
                        }
                    }
                    j.endObject();
                }
                j.endArray().endObject();
            }
            try {
                w.write('\n');
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
    }

    /** An entry as reports list it ({@code {"signature","pattern","path","leakedClass"}}). */
    static void entry(Json j, Baseline.Entry e, Bounds b) {
        j.startObject();
        fields(j, e, b);
        j.endObject();
    }

    private static void fields(Json j, Baseline.Entry e, Bounds b) {
        j.field("signature", e.signature()).field("pattern", e.pattern()).field("path", b.text(e.path()))
                .field("leakedClass", b.label(e.leakedClass()));
    }

    private static String text(JsonObj e, String field) {
        return e.get(field) instanceof String s ? s : null;
    }

    private static double growth(Path file, JsonObj e, String field, String where) {
        Object v = e.get(field);
        if (!(v instanceof Number n) || n.doubleValue() < 0 || Double.isNaN(n.doubleValue())) {
            throw bad(file, where + ": \"" + field + "\" must be a number >= 0 (the growth per snapshot recorded)");
        }
        return n.doubleValue();
    }

    private static LeakhoundException bad(Path file, String why) {
        return new LeakhoundException("bad baseline " + file + ": " + why);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
