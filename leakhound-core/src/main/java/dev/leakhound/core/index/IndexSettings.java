package dev.leakhound.core.index;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Whether and where snapshot indexes are kept.
 *
 * @param enabled  false: every snapshot is parsed, nothing is written
 * @param dir      the cache folder ({@link #defaultDir})
 * @param budget   bytes the folder may hold; 0 for the default ({@link IndexStore#budget})
 * @param notices  one-line notices (an index rebuilt because it was corrupt or stale, one not written)
 */
public record IndexSettings(boolean enabled, Path dir, long budget, Consumer<String> notices) {
    /** Environment variable naming the cache folder. */
    public static final String ENV_DIR = "LEAKHOUND_INDEX_DIR";
    /** System property naming the cache folder (tests set it); wins over the environment. */
    public static final String PROP_DIR = "leakhound.indexDir";

    /** No index: parse every time. */
    public static IndexSettings off() {
        return new IndexSettings(false, null, 0, m -> { });
    }

    /** Indexes in {@code dir}. */
    public static IndexSettings in(Path dir, Consumer<String> notices) {
        return new IndexSettings(true, dir, 0, notices);
    }

    public IndexSettings withBudget(long bytes) {
        return new IndexSettings(enabled, dir, bytes, notices);
    }

    /**
     * The cache folder: the system property {@value #PROP_DIR}, else {@value #ENV_DIR}, else
     * {@code $XDG_CACHE_HOME/leakhound}, else {@code ~/.cache/leakhound}.
     */
    public static Path defaultDir(Map<String, String> env) {
        String prop = System.getProperty(PROP_DIR);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String dir = env.get(ENV_DIR);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "leakhound");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "leakhound");
    }
}
