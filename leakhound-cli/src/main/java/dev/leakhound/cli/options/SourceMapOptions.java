package dev.leakhound.cli.options;

import dev.leakhound.analysis.source.SourceMaps;
import dev.leakhound.analysis.source.SourceRoot;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.report.SourceMapText;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the commands that print source positions find scripts and their source maps (a picocli mixin):
 * {@code --source-root DIR} for snapshots taken on another machine or in a container, {@code --no-source-maps}
 * to print positions in the scripts that ran. Used by analyze and inspect, and through {@link LeakOutputOptions}
 * by find-leaks, hunt and check (where DIR is also SARIF's source root).
 */
public final class SourceMapOptions {
    @Option(names = "--source-root", paramLabel = "DIR",
            description = "where the snapshot's scripts are on this machine: /app/dist/x.js is looked for as DIR/app/dist/x.js,"
                    + " then DIR/dist/x.js, then DIR/x.js (for source maps; with --format sarif, scripts under DIR are"
                    + " also written relative to it; default: the paths as recorded, and the current directory)")
    Path sourceRoot;

    @Option(names = "--no-source-maps",
            description = "print positions in the scripts that ran, without reading their source maps")
    boolean noSourceMaps;

    /** A one-line error (exit 2) when --source-root is not a directory. */
    public void check() {
        if (sourceRoot != null && !Files.isDirectory(sourceRoot)) {
            throw new LeakhoundException("--source-root " + sourceRoot + ": no such directory");
        }
    }

    /** Whether positions are mapped (no --no-source-maps). */
    public boolean enabled() {
        return !noSourceMaps;
    }

    /** --source-root, or null. */
    public Path root() {
        return sourceRoot;
    }

    /** The source maps to map positions through, warning on {@code err} once per script whose map is unusable. */
    public SourceMaps maps(PrintWriter err) {
        check();
        if (noSourceMaps) {
            return SourceMaps.NONE;
        }
        return SourceMaps.reading(SourceRoot.of(sourceRoot), (script, map, reason) -> {
            err.println(SourceMapText.unusable(script, map, reason));
            err.flush();
        });
    }
}
