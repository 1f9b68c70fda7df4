package dev.leakhound.analysis.allocation;

import dev.leakhound.analysis.source.SourceLocator;

/**
 * One frame of an allocation stack: a function and where it starts. V8 records functions, not call sites, so
 * {@code line} and {@code column} (1-based, 0 when unknown) are the position of the function's start (the
 * {@code (} of its parameter list), as DevTools' Allocation view shows them.
 *
 * @param function the function's name, empty for an anonymous one
 * @param file     the script's path or URL as V8 knows it ({@code file://} dropped), empty when unknown
 * @param pkg      the npm package the script belongs to (under {@code node_modules}), or null
 */
public record Frame(String function, String file, int line, int column, PackageRef pkg, SourceLocator.Location generated) {
    /** A frame at its position in the script that ran (no source map). */
    public Frame(String function, String file, int line, int column, PackageRef pkg) {
        this(function, file, line, column, pkg, null);
    }

    /** The script that ran: {@link #file} unless a source map moved the frame to its original source. */
    public String script() {
        return generated == null ? file : generated.file();
    }

    /** Whether the script is the application's own: not Node's, not V8's, not under {@code node_modules}. */
    public boolean isApplication() {
        return SourceLocator.isUserFile(file) && !inNodeModules(script());
    }

    /** Whether the script is Node's or V8's own ({@code node:…}, {@code internal/…}, native). */
    public boolean isInternal() {
        return !SourceLocator.isUserFile(file);
    }

    public static boolean inNodeModules(String file) {
        return file != null && (file.contains("/node_modules/") || file.contains("\\node_modules\\")
                || file.startsWith("node_modules/"));
    }

    @Override
    public String toString() {
        String fn = function.isEmpty() ? "(anonymous)" : function;
        if (file.isEmpty()) {
            return fn;
        }
        return fn + " " + file + (line > 0 ? ":" + line + ":" + column : "");
    }
}
