package dev.leakhound.core.snapshot;

import java.util.Arrays;

/**
 * Decodes JSON strings to UTF-8 bytes from windows of input, for both readers: escapes are decoded, a
 * surrogate pair written as two escapes becomes one code point, and a lone surrogate becomes '?' (as V8's
 * own writer does for invalid UTF-16). Raw bytes, UTF-8 from other producers included, are kept as they are.
 *
 * <p>The caller owns the window and its refills. {@link #decode} reads from the window until the closing
 * quote or until it needs more input: then everything before the returned position has been taken and the
 * caller refills, keeping the bytes from that position on, and calls again. A string without escapes that
 * lies in one window is not copied: {@link #array()} is then the window itself.
 */
final class JsonStringDecoder {
    /** The longest escape: a surrogate pair, {@code \\uD83D\\uDE00}. */
    static final int LONGEST_ESCAPE = 12;

    /** A string the format does not allow; {@link #at} is the window index of the problem. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int at;
        private final boolean endOfInput;

        Invalid(int at, String what, boolean endOfInput) {
            super(what, null, false, false);
            this.at = at;
            this.endOfInput = endOfInput;
        }

        /** The one-line message, {@code context} saying where (e.g. "in 'strings'"). */
        String message(String context) {
            return getMessage() + " " + context + (endOfInput ? " (file truncated?)" : "");
        }
    }

    private byte[] scratch = new byte[256];
    private int length;
    private byte[] array;
    private int offset;

    /** Starts a new string; the window position is just after its opening quote. */
    void start() {
        length = 0;
        array = null;
    }

    /**
     * Decodes from {@code b[pos]} on, up to {@code limit}; {@code lastWindow} says no input follows the window.
     * Returns the index just after the closing quote (the string is then in {@link #array()}), or, when it needs
     * more input, {@code -1 - i}: the caller keeps {@code b[i..limit)}, adds input after it and calls again.
     *
     * @throws Invalid for an invalid escape, a string cut by the end of input, or one too long for an array
     */
    int decode(byte[] b, int pos, int limit, boolean lastWindow) {
        int p = pos;
        while (true) {
            int start = p;
            while (p < limit) {
                byte x = b[p];
                if (x == '"' || x == '\\') {
                    break;
                }
                p++;
            }
            if (p < limit && b[p] == '"' && length == 0) {
                array = b;   // the usual case: no escape, all in this window
                offset = start;
                length = p - start;
                return p + 1;
            }
            append(b, start, p - start, p);
            if (p == limit) {
                return more(p, lastWindow);
            }
            if (b[p] == '"') {
                array = scratch;
                offset = 0;
                return p + 1;
            }
            if (limit - p < LONGEST_ESCAPE && !lastWindow) {
                return -1 - p;   // have the whole escape in the window
            }
            p = escape(b, p, limit);
        }
    }

    private static int more(int p, boolean lastWindow) {
        if (lastWindow) {
            throw new Invalid(p, "unexpected end of file inside a string", true);
        }
        return -1 - p;
    }

    /** The decoded string: {@code array()[offset() .. offset() + length())}, valid until the window changes. */
    byte[] array() {
        return array;
    }

    int offset() {
        return offset;
    }

    int length() {
        return length;
    }

    /** Decodes the escape at {@code b[q]} (a backslash); returns the index after it. */
    private int escape(byte[] b, int q, int limit) {
        if (q + 1 >= limit) {
            throw new Invalid(limit, "unexpected end of file inside a string", true);
        }
        int ch;
        switch (b[q + 1]) {
            case '"': ch = '"'; break;
            case '\\': ch = '\\'; break;
            case '/': ch = '/'; break;
            case 'b': ch = '\b'; break;
            case 'f': ch = '\f'; break;
            case 'n': ch = '\n'; break;
            case 'r': ch = '\r'; break;
            case 't': ch = '\t'; break;
            case 'u':
                return unicode(b, q + 2, limit);
            default:
                throw new Invalid(q + 1, "invalid escape '\\" + (char) (b[q + 1] & 0xFF) + "' in a string", false);
        }
        put(ch, q);
        return q + 2;
    }

    /** The four hex digits at {@code b[at]} on, and a low surrogate escape after a high one. */
    private int unicode(byte[] b, int at, int limit) {
        int ch = hex4(b, at, limit);
        int next = at + 4;
        if (Character.isHighSurrogate((char) ch)) {
            // a pair is written as two escapes; anything else leaves a lone surrogate
            if (next + 1 < limit && b[next] == '\\' && b[next + 1] == 'u') {
                int lo = hex4(b, next + 2, limit);
                if (Character.isLowSurrogate((char) lo)) {
                    put(Character.toCodePoint((char) ch, (char) lo), at);
                } else {
                    put('?', at);
                    put(Character.isSurrogate((char) lo) ? '?' : lo, at);
                }
                return next + 6;
            }
            ch = '?';
        } else if (Character.isLowSurrogate((char) ch)) {
            ch = '?';
        }
        put(ch, at);
        return next;
    }

    private static int hex4(byte[] b, int at, int limit) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            if (at + i >= limit) {
                throw new Invalid(limit, "unexpected end of file inside a string", true);
            }
            int d = Character.digit(b[at + i] & 0xFF, 16);
            if (d < 0) {
                throw new Invalid(at + i, "invalid \\u escape in a string", false);
            }
            v = v * 16 + d;
        }
        return v;
    }

    private void append(byte[] b, int from, int n, int at) {
        if (n > 0) {
            ensure(n, at);
            System.arraycopy(b, from, scratch, length, n);
            length += n;
        }
    }

    private void put(int codePoint, int at) {
        ensure(4, at);
        length = Utf8.encode(scratch, length, codePoint);
    }

    /** Room for {@code more} bytes; a string longer than the largest array is an error, not an overflow. */
    private void ensure(int more, int at) {
        long need = (long) length + more;
        if (need > scratch.length) {
            if (need > StringTable.MAX_ARRAY) {
                throw new Invalid(at, "a string longer than " + StringTable.MAX_ARRAY + " bytes", false);
            }
            scratch = Arrays.copyOf(scratch, (int) Math.min(StringTable.MAX_ARRAY, Math.max(need, 2L * scratch.length)));
        }
    }
}
