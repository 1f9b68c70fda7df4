package dev.leakhound.core.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A forward-only JSON tokenizer over bytes, hand-written for the shapes a heap snapshot has: long
 * arrays of unsigned integers, an array of strings, and a small header object. It never builds a
 * tree for the big sections, reads through one reused buffer, and reports byte offsets in errors.
 */
final class ByteScanner {
    static final int EOF = -1;

    private final InputStream in;
    private final String file;
    private final byte[] buf;
    private int pos;
    private int limit;
    private long base;          // offset of buf[0] in the input
    private boolean eof;
    private final JsonStringDecoder strings = new JsonStringDecoder();
    /** readSmallValue refuses to read past this offset (bounds the memory a bogus header can take). */
    long smallValueLimit = Long.MAX_VALUE;

    ByteScanner(InputStream in, String file, int bufferSize) {
        this(in, file, bufferSize, 0);
    }

    /** A scanner whose input starts at byte {@code startOffset} of the file (offsets in errors count from the file start). */
    ByteScanner(InputStream in, String file, int bufferSize, long startOffset) {
        this.in = in;
        this.file = file;
        this.buf = new byte[bufferSize];
        this.base = startOffset;
    }

    long offset() {
        return base + pos;
    }

    SnapshotFormatException error(String what) {
        return new SnapshotFormatException(file, offset(), what);
    }

    SnapshotFormatException error(long at, String what) {
        return new SnapshotFormatException(file, at, what);
    }

    private boolean fill() {
        if (eof) {
            return false;
        }
        base += limit;
        pos = 0;
        limit = 0;
        try {
            while (limit == 0) {
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    eof = true;
                    return false;
                }
                limit = n;
            }
        } catch (IOException e) {
            throw readFailure(e);
        }
        return true;
    }

    /**
     * A failed read: corrupt or cut gzip data is a format error at the current offset; anything else a
     * one-line read error, or the interrupt it was.
     */
    private RuntimeException readFailure(IOException e) {
        if (e instanceof java.util.zip.ZipException) {
            return error("corrupt gzip data: " + e.getMessage());
        }
        if (e instanceof java.io.EOFException) {
            return error("unexpected end of file inside the gzip stream (file truncated?)");
        }
        return SnapshotInput.readError(file, e);
    }

    /** Next byte that is not JSON whitespace, without consuming it; EOF at the end. */
    int peek() {
        while (true) {
            while (pos < limit) {
                byte b = buf[pos];
                if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                    pos++;
                } else {
                    return b & 0xFF;
                }
            }
            if (!fill()) {
                return EOF;
            }
        }
    }

    /** Consumes and returns the next non-whitespace byte. */
    int next() {
        int c = peek();
        if (c != EOF) {
            pos++;
        }
        return c;
    }

    void expect(char c, String context) {
        int got = next();
        if (got != c) {
            if (got == EOF) {
                throw error("unexpected end of file " + context + " (file truncated?)");
            }
            pos--;
            throw error("expected '" + c + "' " + context + " but found " + describe(got));
        }
    }

    /** The '{' a heap snapshot starts with, consumed; an empty or foreign file is a one-line error. */
    void expectSnapshotStart() {
        int c = peek();
        if (c != '{') {
            if (c == EOF) {
                throw error("empty file, not a heap snapshot");
            }
            throw error("not a V8 heap snapshot: expected '{' but found " + describe(c));
        }
        next();
    }

    static String describe(int c) {
        if (c == EOF) {
            return "end of file";
        }
        if (c >= 0x20 && c < 0x7F) {
            return "'" + (char) c + "'";
        }
        return String.format("byte 0x%02x", c);
    }

    /**
     * In an array of numbers: reads the separator (unless {@code first}) and the next unsigned
     * integer. Returns -1 when the array ends. Accepts only plain non-negative integers.
     */
    long nextArrayNumber(boolean first, String section) {
        int c = peek();
        if (!first) {
            if (c == ',') {
                pos++;
                c = peek();
            } else if (c == ']') {
                pos++;
                return -1;
            } else if (c == EOF) {
                throw error("unexpected end of file inside '" + section + "' (file truncated?)");
            } else {
                throw error("expected ',' or ']' in '" + section + "' but found " + describe(c));
            }
        } else if (c == ']') {
            pos++;
            return -1;
        }
        if (c < '0' || c > '9') {
            if (c == EOF) {
                throw error("unexpected end of file inside '" + section + "' (file truncated?)");
            }
            throw error("expected a non-negative integer in '" + section + "' but found " + describe(c));
        }
        long v = 0;
        int digits = 0;
        while (true) {
            if (pos == limit && !fill()) {
                break;
            }
            int b = buf[pos];
            int d = b - '0';
            if (d < 0 || d > 9) {
                if (b == '.' || b == 'e' || b == 'E') {
                    throw error("expected an integer in '" + section + "' but found a fraction or exponent");
                }
                break;
            }
            v = v * 10 + d;
            pos++;
            if (++digits > 18) {
                throw error("number too large in '" + section + "'");
            }
        }
        return v;
    }

    /** Reads a JSON string (opening quote next) and returns it decoded as a Java String. */
    String readString(String context) {
        readStringBytes(context);
        return new String(strings.array(), strings.offset(), strings.length(), StandardCharsets.UTF_8);
    }

    /** Reads a JSON string (opening quote next) and adds it, decoded as UTF-8, to {@code table}. */
    void readString(StringTable table, String context) {
        readStringBytes(context);
        table.add(strings.array(), strings.offset(), strings.length());
    }

    /** Decodes a string with {@link JsonStringDecoder}; the result is valid until the buffer next changes. */
    private void readStringBytes(String context) {
        int c = next();
        if (c != '"') {
            if (c == EOF) {
                throw error("unexpected end of file " + context + " (file truncated?)");
            }
            pos--;
            throw error("expected a string " + context + " but found " + describe(c));
        }
        strings.start();
        try {
            while (true) {
                int r = strings.decode(buf, pos, limit, eof);
                if (r >= 0) {
                    pos = r;
                    return;
                }
                pos = -1 - r;
                fillAhead(JsonStringDecoder.LONGEST_ESCAPE);
            }
        } catch (JsonStringDecoder.Invalid e) {
            throw error(base + e.at, e.message(context));
        }
    }

    /**
     * Keeps the unread bytes, moved to the front of the buffer, and reads until {@code need} of them are
     * available or the input ends (then {@link #eof} is set).
     */
    private void fillAhead(int need) {
        int rem = limit - pos;
        System.arraycopy(buf, pos, buf, 0, rem);
        base += pos;
        limit = rem;
        pos = 0;
        try {
            while (limit < need && !eof) {
                int r = in.read(buf, limit, buf.length - limit);
                if (r < 0) {
                    eof = true;
                } else {
                    limit += r;
                }
            }
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /**
     * Reads a JSON string (opening quote next) as written, quotes and escapes included, into {@code raw} (grown
     * as needed; returned, possibly a new array); {@link #rawLength()} is then its length. The content is not
     * decoded: {@link JsonStringDecoder} can do that from the copy.
     */
    byte[] readRawString(byte[] raw, String context) {
        int c = next();
        if (c != '"') {
            if (c == EOF) {
                throw error("unexpected end of file " + context + " (file truncated?)");
            }
            pos--;
            throw error("expected a string " + context + " but found " + describe(c));
        }
        byte[] out = raw;
        int n = 0;
        out[n++] = '"';
        boolean escaped = false;
        while (true) {
            if (pos == limit && !fill()) {
                throw error("unexpected end of file inside a string " + context + " (file truncated?)");
            }
            int start = pos;
            boolean closed = false;
            while (pos < limit) {
                byte b = buf[pos++];
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    closed = true;
                    break;
                }
            }
            int len = pos - start;
            if ((long) n + len > StringTable.MAX_ARRAY) {
                throw error("a string longer than " + StringTable.MAX_ARRAY + " bytes " + context);
            }
            if (n + len > out.length) {
                out = java.util.Arrays.copyOf(out, (int) Math.min(StringTable.MAX_ARRAY, Math.max(n + len, 2L * out.length)));
            }
            System.arraycopy(buf, start, out, n, len);
            n += len;
            if (closed) {
                rawLength = n;
                return out;
            }
        }
    }

    private int rawLength;

    /** The length of the string {@link #readRawString} last read, quotes included. */
    int rawLength() {
        return rawLength;
    }

    /**
     * Writes everything not read yet, buffered bytes first, to {@code out}; returns how many bytes. A failed read is
     * reported as reads are; a failed write is thrown as it is.
     */
    long transferRest(java.io.OutputStream out) throws IOException {
        long n = 0;
        while (pos < limit || fill()) {
            out.write(buf, pos, limit - pos);
            n += limit - pos;
            pos = limit;
        }
        return n;
    }

    /**
     * Skips one JSON value of any shape, iteratively (nesting depth is bounded only by the file).
     */
    void skipValue(String context) {
        int depth = 0;
        do {
            int c = peek();
            switch (c) {
                case '{':
                case '[':
                    pos++;
                    depth++;
                    if (peek() == (c == '{' ? '}' : ']')) {
                        pos++;
                        depth--;
                    } else {
                        continue;  // read the first member/element
                    }
                    break;
                case '"':
                    skipString(context);
                    break;
                case EOF:
                    throw error("unexpected end of file " + context + " (file truncated?)");
                default:
                    if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
                        skipScalar();
                    } else {
                        throw error("unexpected " + describe(c) + " " + context);
                    }
            }
            // after a complete value inside a container: a separator or a close
            while (depth > 0) {
                int s = next();
                if (s == ',' || s == ':') {
                    break;
                } else if (s == '}' || s == ']') {
                    depth--;
                } else if (s == EOF) {
                    throw error("unexpected end of file " + context + " (file truncated?)");
                } else {
                    pos--;
                    throw error("unexpected " + describe(s) + " " + context);
                }
            }
        } while (depth > 0);
    }

    private void skipString(String context) {
        pos++; // opening quote
        while (true) {
            if (pos == limit && !fill()) {
                throw error("unexpected end of file inside a string " + context + " (file truncated?)");
            }
            byte b = buf[pos++];
            if (b == '"') {
                return;
            }
            if (b == '\\') {
                if (pos == limit && !fill()) {
                    throw error("unexpected end of file inside a string " + context + " (file truncated?)");
                }
                pos++;
            }
        }
    }

    private void skipScalar() {
        while (true) {
            if (pos == limit && !fill()) {
                return;
            }
            byte b = buf[pos];
            if (b == ',' || b == ']' || b == '}' || b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == ':') {
                return;
            }
            pos++;
        }
    }

    /**
     * Reads a small JSON value (the snapshot header) into Java objects: Map, List, String, Long,
     * Double, Boolean or null. Depth and size are bounded: the header is a few kilobytes.
     */
    Object readSmallValue(String context, int depth) {
        if (offset() > smallValueLimit) {
            throw error("header is implausibly large " + context);
        }
        if (depth > 32) {
            throw error("header nested too deeply " + context);
        }
        int c = peek();
        if (c == '{') {
            pos++;
            java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
            if (peek() == '}') {
                pos++;
                return m;
            }
            while (true) {
                String k = readString(context);
                expect(':', context);
                m.put(k, readSmallValue(context, depth + 1));
                int s = next();
                if (s == '}') {
                    return m;
                }
                if (s != ',') {
                    if (s == EOF) {
                        throw error("unexpected end of file " + context + " (file truncated?)");
                    }
                    pos--;
                    throw error("expected ',' or '}' " + context + " but found " + describe(s));
                }
            }
        }
        if (c == '[') {
            pos++;
            java.util.ArrayList<Object> l = new java.util.ArrayList<>();
            if (peek() == ']') {
                pos++;
                return l;
            }
            while (true) {
                l.add(readSmallValue(context, depth + 1));
                int s = next();
                if (s == ']') {
                    return l;
                }
                if (s != ',') {
                    if (s == EOF) {
                        throw error("unexpected end of file " + context + " (file truncated?)");
                    }
                    pos--;
                    throw error("expected ',' or ']' " + context + " but found " + describe(s));
                }
            }
        }
        if (c == '"') {
            return readString(context);
        }
        if (c == EOF) {
            throw error("unexpected end of file " + context + " (file truncated?)");
        }
        long at = offset();
        String t = readScalarToken();
        switch (t) {
            case "true": return Boolean.TRUE;
            case "false": return Boolean.FALSE;
            case "null": return null;
            default:
                try {
                    if (t.matches("-?[0-9]+")) {
                        return Long.parseLong(t);
                    }
                    return Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw error(at, "malformed value '" + t + "' " + context);
                }
        }
    }

    /** Reads a scalar token (number or literal) as text, for the small header object. */
    String readScalarToken() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos == limit && !fill()) {
                break;
            }
            byte b = buf[pos];
            if (b == ',' || b == ']' || b == '}' || b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == ':') {
                break;
            }
            sb.append((char) (b & 0xFF));
            pos++;
            if (sb.length() > 64) {
                throw error("malformed number or literal");
            }
        }
        return sb.toString();
    }
}
