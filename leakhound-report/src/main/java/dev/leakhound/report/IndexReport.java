package dev.leakhound.report;

import dev.leakhound.core.index.IndexStore;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** What {@code leakhound index} prints: the cache folder's entries, what was cleared or built. */
public final class IndexReport {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private IndexReport() {}

    public static void list(Path dir, List<IndexStore.Entry> entries, PrintWriter out) {
        if (entries.isEmpty()) {
            out.println("no indexes in " + dir);
            return;
        }
        long total = 0;
        TextTable t = new TextTable("last used", "index>", "snapshot>", "dominators", "snapshot file");
        t.maxWidth(4, 200);
        for (IndexStore.Entry e : entries) {
            total += e.indexBytes();
            String file = e.snapshot() == null ? "(unreadable index " + e.key() + ")"
                    : e.snapshot() + (Files.exists(e.snapshot()) ? "" : "  (file gone)");
            t.row(WHEN.format(Instant.ofEpochMilli(e.lastUsedMillis())), Format.bytes(e.indexBytes()),
                    e.snapshot() == null ? "" : Format.bytes(e.snapshotBytes()), e.hasDominators() ? "yes" : "no", file);
        }
        out.print(t.render(""));
        out.println(entries.size() + (entries.size() == 1 ? " index, " : " indexes, ") + Format.bytes(total) + " in " + dir);
    }

    public static void listJson(Path dir, List<IndexStore.Entry> entries, PrintWriter out) {
        try (Json j = new Json(out, true)) {
            j.gen().writeStartObject();
            j.gen().writeStringField("dir", dir.toString());
            j.gen().writeArrayFieldStart("indexes");
            for (IndexStore.Entry e : entries) {
                j.gen().writeStartObject();
                j.gen().writeStringField("key", e.key());
                if (e.snapshot() != null) {
                    j.gen().writeStringField("snapshot", e.snapshot().toString());
                    j.gen().writeNumberField("snapshotBytes", e.snapshotBytes());
                }
                j.gen().writeNumberField("indexBytes", e.indexBytes());
                j.gen().writeBooleanField("dominators", e.hasDominators());
                j.gen().writeStringField("lastUsed", Instant.ofEpochMilli(e.lastUsedMillis()).toString());
                j.gen().writeEndObject();
            }
            j.gen().writeEndArray();
            j.gen().writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.println();
    }

    public static void cleared(Path dir, long bytes, PrintWriter out) {
        out.println("removed " + Format.bytes(bytes) + " of indexes from " + dir);
    }

    public static void built(Path snapshot, boolean fromIndex, long millis, PrintWriter out) {
        out.println((fromIndex ? "already indexed: " : "indexed in " + Format.millis(millis) + ": ") + snapshot);
    }
}
