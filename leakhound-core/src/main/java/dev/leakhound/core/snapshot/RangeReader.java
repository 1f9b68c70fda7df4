package dev.leakhound.core.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The fast path's window over a byte range of the file, read with positioned reads (the channel's position
 * is not used, so threads share it). A zero byte after the data makes digit and whitespace loops stop at the
 * end of the window without a bounds test per byte. Anything that is not in the layout it reads gives up
 * ({@link ParallelReader.Bail}); a failed read is an {@link UncheckedIOException}.
 */
final class RangeReader {
    /** Bytes a value (whitespace, digits, separator) may take when a record's values are read in one call. */
    static final int VALUE_MARGIN = 32;

    private final FileChannel ch;
    final byte[] buf;
    private final int cap;
    long base;          // file offset of buf[0]
    int pos;
    int limit;
    long end;           // one past the range's last byte
    boolean closed;     // the last value was followed by ']' (left unread)

    RangeReader(FileChannel ch, int size) {
        this.ch = ch;
        this.buf = new byte[size + 1];
        this.cap = size;
    }

    /** Reads the range {@code [from, to)} of the file from its start. */
    void open(long from, long to) {
        base = from;
        pos = 0;
        limit = 0;
        end = to;
        closed = false;
        refill();
    }

    long offset() {
        return base + pos;
    }

    /** Whether the window holds the range's last byte. */
    boolean exhausted() {
        return base + limit >= end;
    }

    /** Keeps the unread bytes, moved to the front, and reads as many more as fit. */
    void refill() {
        int rem = limit - pos;
        if (rem > 0 && pos > 0) {
            System.arraycopy(buf, pos, buf, 0, rem);
        }
        base += pos;
        pos = 0;
        limit = rem;
        long want = Math.min(cap - rem, end - (base + rem));
        while (want > 0) {
            int got;
            try {
                got = ch.read(ByteBuffer.wrap(buf, limit, (int) want), base + limit);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (got <= 0) {
                throw new ParallelReader.Bail("the file is shorter than when reading began");
            }
            limit += got;
            want -= got;
        }
        buf[limit] = 0;
    }

    /**
     * The next {@code k} values of an array of unsigned integers into {@code out[0..k)} in one call (the hot
     * loops pay one call per batch of records, which matters where the JIT does not inline), each with the
     * whitespace around it and the ',' after it; a ']' after the last is left unread and sets {@link #closed}.
     * The caller makes sure {@code k * VALUE_MARGIN} bytes fit the window. Anything else gives up.
     */
    void values(long[] out, int k) {
        int q = pos;
        if (limit - q < k * VALUE_MARGIN && base + limit < end) {
            refill();
            q = 0;
        }
        final byte[] b = buf;
        for (int f = 0; f < k; f++) {
            int c = b[q];
            while (c == '\n' || c == ' ' || c == '\r' || c == '\t') {
                c = b[++q];
            }
            int d = c - '0';
            if (d < 0 || d > 9) {
                throw bail("not a number", q);
            }
            final int start = q;
            long v = d;
            while (true) {
                d = b[++q] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                v = v * 10 + d;
            }
            if (q - start > 18) {
                throw bail("a number too long", q);
            }
            c = b[q];
            while (c == '\n' || c == ' ' || c == '\r' || c == '\t') {
                c = b[++q];
            }
            if (c == ',') {
                q++;
            } else if (c == ']') {
                closed = true;   // a value after this one finds the ']' and gives up
            } else {
                throw bail("no separator", q);
            }
            out[f] = v;
        }
        pos = q;
    }

    /** The next byte that is not whitespace, left unread. */
    int peekNonSpace() {
        while (true) {
            if (pos >= limit) {
                if (exhausted()) {
                    throw new ParallelReader.Bail("the file ends early");
                }
                refill();
            }
            int c = buf[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c;
            }
            pos++;
        }
    }

    /** Skips whitespace before each byte of {@code text} and expects it. */
    void expect(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (peekNonSpace() != text.charAt(i)) {
                throw bail("expected '" + text + "'", pos);
            }
            pos++;
        }
    }

    private ParallelReader.Bail bail(String what, int at) {
        return new ParallelReader.Bail(what + " at byte " + (base + at));
    }
}
