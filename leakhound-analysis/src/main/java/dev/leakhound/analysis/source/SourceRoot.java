package dev.leakhound.analysis.source;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where a path recorded in a snapshot (a script's URL, taken on another machine or in a container) is on this
 * machine. Without a root, the path itself. With {@code --source-root DIR}, the path's longest tail that exists
 * under DIR: {@code /app/dist/x.js} is looked for as {@code DIR/app/dist/x.js}, then {@code DIR/dist/x.js}, then
 * {@code DIR/x.js}; the path itself when none exists (the snapshot was taken here).
 */
public final class SourceRoot {
    /** No root: recorded paths are local paths. */
    public static final SourceRoot NONE = new SourceRoot(null);

    private final Path dir;

    private SourceRoot(Path dir) {
        this.dir = dir;
    }

    /** A root directory, or {@link #NONE} for null. */
    public static SourceRoot of(Path dir) {
        return dir == null ? NONE : new SourceRoot(dir.toAbsolutePath().normalize());
    }

    /** The root directory, or null. */
    public Path dir() {
        return dir;
    }

    /**
     * The existing local file or directory a recorded absolute path (or {@code file://} URL) stands for, or null
     * when there is none (or the path is not a file path: {@code node:internal/...}, {@code http://...}).
     */
    public Path local(String recorded) {
        String file = filePath(recorded);
        if (file == null) {
            return null;
        }
        Path p;
        try {
            p = Path.of(file).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
        if (dir != null) {
            Path rel = p.getRoot() == null ? p : p.getRoot().relativize(p);
            for (int k = 0; k < rel.getNameCount(); k++) {
                Path candidate = dir.resolve(rel.subpath(k, rel.getNameCount()).toString());
                if (Files.exists(candidate)) {
                    return candidate;
                }
            }
        }
        return Files.exists(p) ? p : null;
    }

    /** The local file a script V8 names stands for ({@link #local}, a regular file), or null. */
    public Path script(String recorded) {
        Path p = local(recorded);
        return p != null && Files.isRegularFile(p) ? p : null;
    }

    /** A recorded script URL as an absolute file path ({@code file://} removed), or null when it is not one. */
    static String filePath(String recorded) {
        if (recorded == null || recorded.isEmpty()) {
            return null;
        }
        String f = recorded;
        if (f.startsWith("file://")) {
            f = SourceMaps.percentDecode(f.substring("file://".length()));
        }
        return f.startsWith("/") ? f : null;
    }
}
