package dev.leakhound.analysis.profile;

import dev.leakhound.analysis.source.SourceLocator;

/**
 * One frame of a sampling heap profile, as V8 records it ({@code Runtime.CallFrame}): the function's name
 * (empty for an anonymous function), the script's id in its process, its URL ({@code file:///...},
 * {@code node:internal/...}, or empty), and the 0-based line and column of the function's start
 * (-1 when V8 recorded none). {@link #line()} and {@link #column()} are the 1-based positions people read.
 * {@code original}: where the script's source map puts the frame (its {@code generated} is this frame's own
 * position), or null when it was not mapped ({@link HeapProfile#withSources}).
 */
public record CallFrame(String functionName, String scriptId, String url, int lineNumber, int columnNumber,
                        SourceLocator.Location original) {
    public CallFrame {
        functionName = functionName == null ? "" : functionName;
        scriptId = scriptId == null ? "0" : scriptId;
        url = url == null ? "" : url;
    }

    public CallFrame(String functionName, String scriptId, String url, int lineNumber, int columnNumber) {
        this(functionName, scriptId, url, lineNumber, columnNumber, null);
    }

    /** The script's path: the URL without {@code file://}; node's internals and eval'd code as recorded. */
    public String script() {
        return url.startsWith("file://") ? url.substring("file://".length()) : url;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return lineNumber < 0 ? 0 : lineNumber + 1;
    }

    /** 1-based column, or 0 when unknown. */
    public int column() {
        return columnNumber < 0 ? 0 : columnNumber + 1;
    }

    /** V8's own pseudo frames: {@code (root)}, {@code (V8 API)}, {@code (BYTECODE_COMPILER)}, {@code (GC)}... */
    public boolean isPseudo() {
        return url.isEmpty() && functionName.startsWith("(") && functionName.endsWith(")");
    }

    /**
     * The same allocation site in another profile of the process: function, URL, line and column (the script
     * id is left out: it is only meaningful within one process run).
     */
    public String siteKey() {
        return functionName + '\u0000' + url + '\u0000' + lineNumber + '\u0000' + columnNumber;
    }
}
