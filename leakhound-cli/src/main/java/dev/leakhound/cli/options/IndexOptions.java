package dev.leakhound.cli.options;

import dev.leakhound.core.index.IndexSettings;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.inspector.hunt.SnapshotFolder;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Where snapshot indexes are kept (a picocli mixin for the commands that read snapshot files):
 * {@code --index-dir DIR}, {@code --index-budget SIZE}, {@code --no-index}. The first command that reads a
 * snapshot writes its index; later ones open it instead of parsing (README, "Snapshot indexes").
 */
public final class IndexOptions {
    @Option(names = "--no-index",
            description = "Parse the snapshot every time and write no index.")
    boolean noIndex;

    @Option(names = "--index-dir", paramLabel = "DIR",
            description = "Keep snapshot indexes in DIR (default: $LEAKHOUND_INDEX_DIR, else $XDG_CACHE_HOME/leakhound, else ~/.cache/leakhound).")
    Path dir;

    @Option(names = "--index-budget", paramLabel = "SIZE",
            description = "Most the index folder may hold, e.g. 20G (default: four times its largest index; never more than a quarter of the free disk).")
    String budget;

    /** The index settings these options give; notices go to {@code err} as one line each. */
    public IndexSettings settings(PrintWriter err) {
        if (noIndex) {
            return IndexSettings.off();
        }
        return in(dir != null ? dir : IndexSettings.defaultDir(System.getenv()), err);
    }

    /** Indexes in {@code folder}, with these options' budget and notices to {@code err}. */
    private IndexSettings in(Path folder, PrintWriter err) {
        IndexSettings s = IndexSettings.in(folder, m -> {
            err.println("leakhound: " + m);
            err.flush();
        });
        return budget == null ? s : s.withBudget(Math.max(1, DiagnosisThresholds.parseSize("--index-budget", budget)));
    }

    /**
     * How hunt and check read the snapshots they take into {@code folder}: a temporary folder gets its own
     * index folder inside it (deleted with it), unless {@code --index-dir} names one; a kept folder's snapshots
     * are indexed where every command looks, so later commands on them need not parse them.
     */
    public ReadOptions readOptionsFor(SnapshotFolder folder, PrintWriter err) {
        if (noIndex || dir != null || !folder.isTemporary()) {
            return readOptions(err);
        }
        return ReadOptions.fromSystemProperties().withIndex(in(folder.path().resolve(".index"), err));
    }

    /** How to read snapshots: the system properties' read options with these index settings. */
    public ReadOptions readOptions(PrintWriter err) {
        return ReadOptions.fromSystemProperties().withIndex(settings(err));
    }
}
