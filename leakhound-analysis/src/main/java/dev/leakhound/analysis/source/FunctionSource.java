package dev.leakhound.analysis.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function's source on disk, from the position V8 gives for it (its start, 1-based): the function's extent
 * (its parameter list and its body, a {@code {…}} block or an arrow's expression), and in it the first
 * {@code new Class} expression (or the first match of any pattern: {@link #find}), which tells on which line a
 * function creates the objects of a class. A light scan, not a parser: strings, template literals and comments are
 * skipped when matching brackets and blanked before matching patterns. Files are
 * found by {@link SourceRoot#script} and kept once read. Not thread-safe.
 */
public final class FunctionSource {
    /** Scripts bigger than this are not read. */
    private static final long MAX_SCRIPT = 16L << 20;

    /** Where {@code new Class} is: 1-based line and column, and the line's text (trimmed, at most 160 chars). */
    public record Match(String file, int line, int column, String text) {}

    private final SourceRoot root;
    private final Map<String, String> texts = new HashMap<>();
    private final Map<String, String> maskedTexts = new HashMap<>();

    public FunctionSource(SourceRoot root) {
        this.root = root == null ? SourceRoot.NONE : root;
    }

    /**
     * The first {@code new className} inside the function starting at {@code line:column} (1-based) of
     * {@code script}, or null (script not on disk, position outside it, no such expression, no class name).
     * Only code is searched: not strings, template literals or comments.
     */
    public Match findNew(String script, int line, int column, String className) {
        if (className == null || className.isEmpty() || !className.matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
            return null;
        }
        return find(script, line, column, Pattern.compile("\\bnew\\s+" + Pattern.quote(className) + "(?![A-Za-z0-9_$])"));
    }

    /**
     * The first match of {@code pattern} inside the function starting at {@code line:column} (1-based) of
     * {@code script}, or null. The pattern is matched against the source with the insides of strings, template
     * literals and comments blanked, so it only matches code; the match is at its group 1 when that group took
     * part, else at its start.
     */
    public Match find(String script, int line, int column, Pattern pattern) {
        if (line < 1 || column < 1) {
            return null;
        }
        String text = text(script);
        if (text == null) {
            return null;
        }
        int start = offset(text, line, column);
        if (start < 0) {
            return null;
        }
        int end = functionEnd(text, start);
        Matcher m = pattern.matcher(masked(script, text));
        m.region(start, end);
        if (!m.find()) {
            return null;
        }
        int at = m.groupCount() >= 1 && m.start(1) >= 0 ? m.start(1) : m.start();
        int lineStart = text.lastIndexOf('\n', at - 1) + 1;
        int lineEnd = text.indexOf('\n', at);
        String lineText = text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd).trim();
        if (lineText.length() > 160) {
            lineText = lineText.substring(0, 157) + "...";
        }
        int lineNo = 1;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                lineNo++;
            }
        }
        return new Match(script, lineNo, at - lineStart + 1, lineText);
    }

    private String masked(String script, String text) {
        return maskedTexts.computeIfAbsent(script, k -> mask(text));
    }

    /**
     * {@code text} with the insides of strings and template literals and whole comments replaced by spaces
     * (line breaks kept): same length and same line numbers, only code left to match.
     */
    static String mask(String text) {
        StringBuilder b = new StringBuilder(text);
        int n = text.length();
        int i = 0;
        while (i < n) {
            int j = skipLiteral(text, i);
            if (j == i) {
                i++;
                continue;
            }
            boolean comment = text.charAt(i) == '/';
            int from = comment ? i : i + 1;
            int to = comment ? j : Math.max(from, j - 1);
            for (int k = from; k < to; k++) {
                if (text.charAt(k) != '\n') {
                    b.setCharAt(k, ' ');
                }
            }
            i = j;
        }
        return b.toString();
    }

    private String text(String script) {
        if (texts.containsKey(script)) {
            return texts.get(script);
        }
        String t = null;
        Path p = root.script(script);
        if (p != null) {
            try {
                if (Files.size(p) <= MAX_SCRIPT) {
                    t = Files.readString(p, StandardCharsets.UTF_8);
                }
            } catch (IOException | RuntimeException e) {
                t = null;
            }
        }
        texts.put(script, t);
        return t;
    }

    /** Offset of a 1-based line and column, or -1 when outside the text. */
    static int offset(String text, int line, int column) {
        int at = 0;
        for (int l = 1; l < line; l++) {
            at = text.indexOf('\n', at);
            if (at < 0) {
                return -1;
            }
            at++;
        }
        int o = at + column - 1;
        int eol = text.indexOf('\n', at);
        return o > (eol < 0 ? text.length() : eol) ? -1 : o;
    }

    /**
     * Where the function starting at {@code start} ends: after its parameters, the end of its {@code {…}} body,
     * or for an arrow's expression body the first {@code , ; ) ] }} at its own depth (or the end of the text).
     */
    static int functionEnd(String text, int start) {
        int n = text.length();
        int i = start;
        // the parameters: a (…) list, or an arrow's single name
        if (i < n && text.charAt(i) == '(') {
            i = matching(text, i);
        } else {
            while (i < n && (Character.isJavaIdentifierPart(text.charAt(i)))) {
                i++;
            }
        }
        i = skipSpace(text, i);
        if (text.startsWith("=>", i)) {
            i = skipSpace(text, i + 2);
        }
        if (i < n && text.charAt(i) == '{') {
            return matching(text, i);
        }
        // an expression body
        int depth = 0;
        while (i < n) {
            char c = text.charAt(i);
            int skipped = skipLiteral(text, i);
            if (skipped != i) {
                i = skipped;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth-- == 0) {
                    return i;
                }
            } else if ((c == ',' || c == ';') && depth == 0) {
                return i;
            }
            i++;
        }
        return n;
    }

    /** From an opening bracket at {@code open}, the offset just past its closing one (the end of text if none). */
    static int matching(String text, int open) {
        int n = text.length();
        int depth = 0;
        int i = open;
        while (i < n) {
            int skipped = skipLiteral(text, i);
            if (skipped != i) {
                i = skipped;
                continue;
            }
            char c = text.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth == 0) {
                    return i + 1;
                }
            }
            i++;
        }
        return n;
    }

    /** Past a string, template literal or comment starting at {@code i}; {@code i} itself when none starts there. */
    private static int skipLiteral(String text, int i) {
        int n = text.length();
        char c = text.charAt(i);
        if (c == '"' || c == '\'' || c == '`') {
            int j = i + 1;
            while (j < n && text.charAt(j) != c) {
                if (text.charAt(j) == '\\') {
                    j++;
                } else if (c != '`' && text.charAt(j) == '\n') {
                    break;
                }
                j++;
            }
            return Math.min(n, j + 1);
        }
        if (c == '/' && i + 1 < n) {
            char d = text.charAt(i + 1);
            if (d == '/') {
                int eol = text.indexOf('\n', i);
                return eol < 0 ? n : eol;
            }
            if (d == '*') {
                int close = text.indexOf("*/", i + 2);
                return close < 0 ? n : close + 2;
            }
        }
        return i;
    }

    private static int skipSpace(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
