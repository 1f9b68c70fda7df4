package dev.leakhound.report;

import dev.leakhound.core.snapshot.RedactLevel;
import dev.leakhound.core.snapshot.SnapshotRedactor;

/** The line {@code leakhound redact} prints when it has written its file. */
public final class RedactText {
    private RedactText() {}

    public static String line(SnapshotRedactor.Result r) {
        String kept = switch (r.level()) {
            case BASIC -> "class, function, property and variable names kept";
            case NAMES -> "class and function names kept";
            case FULL -> "no names kept";
        };
        return "wrote " + r.out() + " (level " + r.level().name().toLowerCase(java.util.Locale.ROOT) + "): "
                + Format.count(r.replaced()) + " of " + Format.count(r.strings()) + " strings replaced by keyed hashes, "
                + kept + (r.level() == RedactLevel.BASIC
                ? "; a secret used as an object's property key is a name: --level names replaces those too" : "");
    }

    public static String keyCreated(java.nio.file.Path keyFile) {
        return "wrote a new random key to " + keyFile + " (owner-only): give the same --key-file for the other "
                + "snapshots of this series, and do not share it";
    }

    /** The --json document: {@code out}, {@code level}, {@code strings}, {@code replaced}, {@code keyFileCreated}. */
    public static void json(SnapshotRedactor.Result r, String keyFileCreated, java.io.Writer out) {
        try (Json j = new Json(out, true)) {
            j.startObject().field("out", r.out().toString())
                    .field("level", r.level().name().toLowerCase(java.util.Locale.ROOT))
                    .field("strings", r.strings()).field("replaced", r.replaced());
            if (keyFileCreated == null) {
                j.nullField("keyFileCreated");
            } else {
                j.field("keyFileCreated", keyFileCreated);
            }
            j.endObject();
        }
    }
}
