package dev.leakhound.analysis.source;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where a script V8 names is on this machine: its path as is ({@code file://} dropped) when that file exists,
 * else under {@code sourceRoot} when one is given (the snapshot came from another machine or a container:
 * {@code /app/dist/x.js} is looked for as {@code ROOT/app/dist/x.js}, {@code ROOT/dist/x.js}, {@code ROOT/x.js}).
 */
public final class ScriptFiles {
    private ScriptFiles() {}

    /** The file on disk, or null when it is not found (or the name is not a file path: {@code node:fs}, an URL). */
    public static Path resolve(String script, Path sourceRoot) {
        if (script == null || script.isEmpty() || !SourceLocator.isUserFile(script)) {
            return null;
        }
        String name = script.startsWith("file://") ? script.substring("file://".length()) : script;
        if (name.contains("://")) {
            return null;
        }
        try {
            Path p = Path.of(name);
            if (p.isAbsolute() && Files.isRegularFile(p)) {
                return p;
            }
            if (sourceRoot != null) {
                for (int i = 0; i < p.getNameCount(); i++) {
                    Path q = sourceRoot.resolve(p.subpath(i, p.getNameCount()).toString());
                    if (Files.isRegularFile(q)) {
                        return q;
                    }
                }
            }
            return null;
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
