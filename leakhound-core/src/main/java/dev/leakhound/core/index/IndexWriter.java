package dev.leakhound.core.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes an index file: named sections of primitives, each checksummed, then a table of the sections and a
 * trailer that points at it (the layout is described in {@link IndexReader}). Sections are streamed through
 * one direct buffer, so writing holds no copy of the arrays. Little-endian throughout.
 *
 * <p>Scalars go into the {@code meta} section ({@link #meta(String, long)}), written with the table.
 */
public final class IndexWriter implements AutoCloseable {
    private static final int BUFFER = 8 << 20;

    private final FileChannel out;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private final List<IndexReader.Section> sections = new ArrayList<>();
    private final Map<String, String> meta = new LinkedHashMap<>();
    private long position;
    // the section being written
    private String name;
    private byte kind;
    private long count;
    private long start;
    private final CRC32C crc = new CRC32C();
    private long bytesWritten;

    public IndexWriter(FileChannel out) throws IOException {
        this.out = out;
        ByteBuffer header = ByteBuffer.allocate(IndexReader.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(IndexReader.MAGIC);
        header.putInt(IndexReader.VERSION);
        header.position(IndexReader.HEADER_BYTES).flip();
        writeFully(header);
        position = IndexReader.HEADER_BYTES;
    }

    /** A scalar, read back with {@link IndexReader#meta(String)}. */
    public void meta(String key, long value) {
        meta.put(key, Long.toString(value));
    }

    /** A short text, read back with {@link IndexReader#metaText(String)}. */
    public void metaText(String key, String value) {
        meta.put(key, value);
    }

    public void bytes(String section, byte[] a, int length) throws IOException {
        begin(section, IndexReader.KIND_BYTES, length);
        for (int off = 0; off < length; ) {
            int k = Math.min(buf.remaining(), length - off);
            buf.put(a, off, k);
            off += k;
            if (!buf.hasRemaining()) {
                flush();
            }
        }
        end();
    }

    public void ints(String section, int[] a, int length) throws IOException {
        begin(section, IndexReader.KIND_INTS, length);
        for (int off = 0; off < length; ) {
            int k = Math.min(buf.remaining() >> 2, length - off);
            buf.asIntBuffer().put(a, off, k);
            buf.position(buf.position() + 4 * k);
            off += k;
            if (buf.remaining() < 4) {
                flush();
            }
        }
        end();
    }

    public void longs(String section, long[] a, int length) throws IOException {
        begin(section, IndexReader.KIND_LONGS, length);
        for (int off = 0; off < length; ) {
            int k = Math.min(buf.remaining() >> 3, length - off);
            buf.asLongBuffer().put(a, off, k);
            buf.position(buf.position() + 8 * k);
            off += k;
            if (buf.remaining() < 8) {
                flush();
            }
        }
        end();
    }

    /** Texts, each as its UTF-8 length and bytes (for short lists: names, not the snapshot's string table). */
    public void texts(String section, String[] a) throws IOException {
        begin(section, IndexReader.KIND_TEXTS, a.length);
        for (String s : a) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            putRaw(intBytes(b.length), 4);
            putRaw(b, b.length);
        }
        end();
    }

    /**
     * A section of {@code count} elements written in parts by the caller through {@link #rawBytes}: for data
     * that lives in several arrays (the string table's chunks).
     */
    public void beginRaw(String section, long count) throws IOException {
        begin(section, IndexReader.KIND_BYTES, count);
    }

    public void rawBytes(byte[] a, int off, int length) throws IOException {
        for (int done = 0; done < length; ) {
            int k = Math.min(buf.remaining(), length - done);
            buf.put(a, off + done, k);
            done += k;
            if (!buf.hasRemaining()) {
                flush();
            }
        }
    }

    public void endRaw() throws IOException {
        end();
    }

    private void putRaw(byte[] b, int length) throws IOException {
        rawBytes(b, 0, length);
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private void begin(String section, byte k, long n) {
        if (name != null) {
            throw new IllegalStateException("section " + name + " is still open");
        }
        if (section.equals(IndexReader.META) || sections.stream().anyMatch(s -> s.name().equals(section))) {
            throw new IllegalArgumentException("section name used twice: " + section);
        }
        open(section, k, n);
    }

    private void open(String section, byte k, long n) {
        name = section;
        kind = k;
        count = n;
        start = position;
        bytesWritten = 0;
        crc.reset();
    }

    private void end() throws IOException {
        flush();
        sections.add(new IndexReader.Section(name, kind, count, start, bytesWritten, (int) crc.getValue()));
        name = null;
        // keep sections 8-byte aligned
        int pad = (int) ((8 - (position & 7)) & 7);
        if (pad > 0) {
            ByteBuffer zeros = ByteBuffer.allocate(pad);
            writeFully(zeros);
            position += pad;
        }
    }

    private void flush() throws IOException {
        buf.flip();
        int n = buf.remaining();
        if (n > 0) {
            ByteBuffer view = buf.duplicate();
            crc.update(view);
            writeFully(buf);
            position += n;
            bytesWritten += n;
        }
        buf.clear();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** Writes the meta section, the section table and the trailer. The channel stays open (the caller owns it). */
    @Override
    public void close() throws IOException {
        if (name != null) {
            throw new IllegalStateException("section " + name + " is still open");
        }
        StringBuilder m = new StringBuilder();
        meta.forEach((k, v) -> m.append(k).append('=').append(v).append('\n'));
        byte[] mb = m.toString().getBytes(StandardCharsets.UTF_8);
        open(IndexReader.META, IndexReader.KIND_BYTES, mb.length);
        putRaw(mb, mb.length);
        end();
        // the table
        ByteBuffer t = ByteBuffer.allocate(64 + sections.size() * 96).order(ByteOrder.LITTLE_ENDIAN);
        t.putInt(sections.size());
        for (IndexReader.Section s : sections) {
            byte[] nb = s.name().getBytes(StandardCharsets.UTF_8);
            if (t.remaining() < nb.length + 64) {
                t = ByteBuffer.allocate(t.capacity() * 2).order(ByteOrder.LITTLE_ENDIAN).put(t.flip());
            }
            t.putShort((short) nb.length).put(nb).put(s.kind()).putLong(s.count()).putLong(s.offset())
                    .putLong(s.bytes()).putInt(s.crc());
        }
        t.flip();
        long tableOffset = position;
        int tableLength = t.remaining();
        CRC32C tc = new CRC32C();
        tc.update(t.duplicate());
        writeFully(t);
        position += tableLength;
        ByteBuffer trailer = ByteBuffer.allocate(IndexReader.TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        trailer.putLong(tableOffset).putInt(tableLength).putInt((int) tc.getValue()).putInt(IndexReader.VERSION)
                .putInt(0).put(IndexReader.END_MAGIC).flip();
        writeFully(trailer);
        position += IndexReader.TRAILER_BYTES;
    }
}
