package dev.leakhound.report;

import dev.leakhound.analysis.leaks.LeakPattern;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.leaks.Rounds;
import dev.leakhound.analysis.source.SourceLocator;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code --format sarif}: the report as a SARIF 2.1.0 log (OASIS), for code-scanning views that show each
 * result on its source line (GitHub's among them).
 *
 * <ul>
 * <li>One rule per leak shape ({@code leak/array}, {@code leak/listeners}...; all of them, in
 *     {@link LeakPattern} order, so rule indexes are stable).</li>
 * <li>One result per leak: level {@code error} for a new or worse leak, {@code note} for an accepted one
 *     (which also carries an external, accepted suppression); with a baseline, {@code baselineState}
 *     {@code new}, {@code updated} (worse) or {@code unchanged} (accepted). The message is the leak's
 *     summary, then its status, then the fix.</li>
 * <li>The location is the leak's source position (the closure or constructor find-leaks names) when it
 *     is the application's code; a script under the source root is written relative to it
 *     ({@code uriBaseId} {@code SRCROOT}), others as absolute {@code file:} URIs. Without one, a
 *     {@code check} result points at line 1 of its scenario; a find-leaks result then has no location.</li>
 * <li>{@code partialFingerprints} carry the leak's signature ({@code leakhound/signature/v1}), so a
 *     code-scanning service follows the same leak from run to run; {@code properties} the numbers.</li>
 * </ul>
 */
public final class SarifReport {
    /** The schema URI written in {@code $schema}. */
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    /** The uriBaseId of the source root. */
    public static final String SRCROOT = "SRCROOT";
    /** The fingerprint key of a leak's signature. */
    public static final String FINGERPRINT = "leakhound/signature/v1";

    private SarifReport() {}

    /**
     * Writes the log.
     *
     * @param sourceRoot the folder that scripts are written relative to (the repository's root in CI)
     * @param version    leakhound's version, for {@code tool.driver.version}
     */
    public static void write(LeakReport r, Path sourceRoot, String version, Writer out) {
        Path root = sourceRoot.toAbsolutePath().normalize();
        try (Json j = new Json(out, true)) {
            j.startObject().field("$schema", SCHEMA).field("version", "2.1.0");
            j.startArray("runs").startObject();
            j.startObject("tool").startObject("driver").field("name", "leakhound").field("version", version);
            j.startArray("rules");
            for (LeakPattern p : LeakPattern.values()) {
                rule(j, p);
            }
            j.endArray().endObject().endObject();
            j.startArray("invocations").startObject().field("executionSuccessful", true).endObject().endArray();
            j.startObject("originalUriBaseIds").startObject(SRCROOT).field("uri", directoryUri(root)).endObject().endObject();
            j.field("columnKind", "utf16CodeUnits");
            j.startArray("results");
            for (LeakReport.Leak l : r.leaks()) {
                result(j, r, l, root);
            }
            j.endArray();
            j.startObject("properties").field("verdict", r.verdict()).field("snapshots", r.snapshots().size());
            if (r.baseline() != null) {
                j.field("baseline", r.baseline().source());
            }
            j.endObject();
            j.endObject().endArray().endObject();
        }
    }

    private static void rule(Json j, LeakPattern p) {
        j.startObject().field("id", ruleId(p)).field("name", ruleName(p));
        j.startObject("shortDescription").field("text", LeakText.patternName(p)).endObject();
        j.startObject("fullDescription").field("text", LeakText.patternDescription(p)).endObject();
        j.startObject("defaultConfiguration").field("level", "error").endObject();
        j.startObject("properties").startArray("tags").value("memory-leak").value("nodejs").endArray().endObject();
        j.endObject();
    }

    /** {@code leak/array} */
    public static String ruleId(LeakPattern p) {
        return "leak/" + p.id();
    }

    /** {@code ClosuresInArrayLeak} */
    static String ruleName(LeakPattern p) {
        StringBuilder sb = new StringBuilder();
        for (String part : p.id().split("-")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.append("Leak").toString();
    }

    private static void result(Json j, LeakReport r, LeakReport.Leak l, Path root) {
        boolean accepted = l.status() == LeakReport.Status.ACCEPTED;
        j.startObject().field("ruleId", ruleId(l.pattern())).field("ruleIndex", l.pattern().ordinal())
                .field("level", accepted ? "note" : "error");
        StringBuilder msg = new StringBuilder(LeakText.summary(l)).append('.');
        if (r.baseline() != null) {
            msg.append(" Status: ").append(LeakText.status(l, r.baseline())).append('.');
        }
        String perCall = r.scenario() == null ? null : LeakText.perCall(l, r.scenario());
        if (perCall != null) {
            msg.append(" Leaks ").append(perCall).append('.');
        }
        msg.append(" Fix: ").append(LeakText.hint(l));
        j.startObject("message").field("text", msg.toString()).endObject();
        location(j, r, l, root);
        j.startObject("partialFingerprints").field(FINGERPRINT, l.signature().id()).endObject();
        if (r.baseline() != null) {
            j.field("baselineState", switch (l.status()) {
                case NEW -> "new";
                case WORSE -> "updated";
                case ACCEPTED -> "unchanged";
            });
        }
        if (accepted) {
            j.startArray("suppressions").startObject().field("kind", "external").field("status", "accepted")
                    .field("justification", "accepted in the leakhound baseline " + r.baseline().source()).endObject().endArray();
        }
        j.startObject("properties").field("signature", l.signature().id()).field("pattern", l.pattern().id())
                .field("path", l.signature().path()).field("leakedClass", l.leakedClass()).field("status", l.status().id())
                .field("retainedBytes", l.retainedBytes()).field("growthBytes", l.growthBytes());
        JsonParts.longs(j, "countsPerSnapshot", l.countsPerSnapshot());
        if (r.scenario() != null) {
            j.field("perCall", Rounds.perCall(l, r.scenario().iterations()));
        }
        j.endObject();
        j.endObject();
    }

    /** {@code "locations": [...]}: the leak's source line, else a check's scenario, else none. */
    private static void location(Json j, LeakReport r, LeakReport.Leak l, Path root) {
        SourceLocator.Location loc = l.location();
        String message;
        String file;
        int line;
        int column;
        if (loc != null && loc.isUserCode() && loc.line() >= 1) {
            file = loc.file();
            line = loc.line();
            column = loc.column();
            message = null;
        } else if (r.scenario() != null) {
            file = r.scenario().file();
            line = 1;
            column = 0;
            message = "the scenario whose calls leak (the snapshots record no source position for the leaked objects)";
        } else {
            return;
        }
        j.startArray("locations").startObject().startObject("physicalLocation").startObject("artifactLocation");
        artifact(j, file, root);
        j.endObject().startObject("region").field("startLine", line);
        if (column >= 1) {
            j.field("startColumn", column);
        }
        j.endObject().endObject();
        if (message != null) {
            j.startObject("message").field("text", message).endObject();
        }
        j.endObject().endArray();
    }

    /** {@code "uri"} (and {@code "uriBaseId"}) of a script. */
    private static void artifact(Json j, String file, Path root) {
        String f = file.startsWith("file://") ? file.substring("file://".length()) : file;
        Path p;
        try {
            p = Path.of(f);
        } catch (RuntimeException e) {
            // not a path this system can hold (a NUL, a lone surrogate): written as it reads, escaped
            j.field("uri", encode(f.startsWith("/") ? f.substring(1) : f)).field("uriBaseId", SRCROOT);
            return;
        }
        if (!p.isAbsolute()) {
            j.field("uri", encode(f.replace('\\', '/'))).field("uriBaseId", SRCROOT);
            return;
        }
        Path n = p.normalize();
        if (n.startsWith(root)) {
            j.field("uri", encode(root.relativize(n).toString().replace('\\', '/'))).field("uriBaseId", SRCROOT);
        } else {
            j.field("uri", n.toUri().toASCIIString());
        }
    }

    /**
     * A path as an RFC 3986 relative reference: each byte of its UTF-8 form is kept when it is unreserved, a
     * sub-delimiter, {@code @} or {@code /}, and percent-escaped otherwise ({@code :} too, so the first segment
     * cannot read as a scheme).
     */
    static String encode(String path) {
        StringBuilder sb = new StringBuilder(path.length() + 16);
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=@/".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    /** The root as a directory URI ending in {@code /}, as SARIF wants for a uriBaseId. */
    static String directoryUri(Path root) {
        String u = root.toUri().toASCIIString();
        return u.endsWith("/") ? u : u + "/";
    }
}
