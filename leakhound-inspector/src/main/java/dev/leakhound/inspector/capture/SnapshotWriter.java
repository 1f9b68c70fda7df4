package dev.leakhound.inspector.capture;

import dev.leakhound.inspector.cdp.CdpConnection.ChunkSink;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes decoded snapshot chunks to a file as UTF-8, as they arrive, through one reused 256 KiB buffer:
 * memory stays flat whatever the snapshot size. Chunks may split anywhere (V8 cuts every 102,400
 * characters, mid-token); JSON tokens need no care because the bytes are only copied, and a UTF-16
 * surrogate pair split across two chunks is carried over to the next one.
 *
 * <p>Runs on the socket thread. An I/O error is recorded (see {@link #failure()}) and later chunks are
 * dropped, so the socket thread never throws.
 */
final class SnapshotWriter implements ChunkSink, Closeable {
    private final FileChannel ch;
    private final CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer out = ByteBuffer.allocate(256 * 1024);
    private final char[] carry = new char[2];
    private int carryLen;
    private volatile long bytes;
    private volatile long chunks;
    private volatile IOException failure;
    private char lastNonSpace;

    SnapshotWriter(Path file) throws IOException {
        this.ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public void chunk(char[] buf, int off, int len) {
        if (failure != null || len == 0) {
            return;
        }
        try {
            for (int i = off + len - 1; i >= off; i--) {
                char c = buf[i];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    lastNonSpace = c;
                    break;
                }
            }
            if (carryLen > 0) {
                // The high surrogate held back from the previous chunk, with this chunk's first character:
                // a pair (both consumed), or a lone surrogate ('?') and a character (both consumed), or a lone
                // surrogate followed by another high surrogate (only the first consumed).
                carry[1] = buf[off];
                CharBuffer pair = CharBuffer.wrap(carry, 0, 2);
                carryLen = 0;
                encode(pair);
                int used = pair.position() - 1; // characters of this chunk consumed
                off += used;
                len -= used;
            }
            if (len > 0) {
                CharBuffer in = CharBuffer.wrap(buf, off, len);
                encode(in);
                while (in.hasRemaining()) {
                    carry[carryLen++] = in.get(); // a high surrogate waiting for its partner
                }
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    @Override
    public void endOfChunk() {
        chunks++;
    }

    private void encode(CharBuffer in) throws IOException {
        while (true) {
            CoderResult r = enc.encode(in, out, false);
            if (r.isOverflow()) {
                flush();
            } else {
                return; // underflow: everything encodable was consumed
            }
        }
    }

    private void flush() throws IOException {
        out.flip();
        int n = out.remaining();
        while (out.hasRemaining()) {
            ch.write(out);
        }
        bytes += n;
        out.clear();
    }

    /** Writes what is buffered and forces it to the device. */
    void finish() throws IOException {
        if (failure != null) {
            throw failure;
        }
        CharBuffer rest = CharBuffer.wrap(carry, 0, carryLen); // a lone high surrogate at the very end, if any
        carryLen = 0;
        while (enc.encode(rest, out, true).isOverflow()) {
            flush();
        }
        while (enc.flush(out).isOverflow()) {
            flush();
        }
        flush();
        ch.force(false);
    }

    /** Bytes written to the file so far (excluding what is still in the buffer). */
    long bytes() {
        return bytes;
    }

    long chunks() {
        return chunks;
    }

    IOException failure() {
        return failure;
    }

    /** The last non-blank character received: '}' when the snapshot JSON is complete. */
    char lastNonSpace() {
        return lastNonSpace;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
