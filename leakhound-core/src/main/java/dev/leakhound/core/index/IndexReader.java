package dev.leakhound.core.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads an index file written by {@link IndexWriter}, trusting nothing in it.
 *
 * <p>Layout (little-endian): a 16-byte header ({@link #MAGIC}, format {@link #VERSION}, zeros); sections,
 * each 8-byte aligned; the section table (count, then per section: name length and UTF-8 name, kind, element
 * count, offset, byte length, CRC-32C of the section's bytes); a 32-byte trailer (table offset and length,
 * the table's CRC-32C, the version again, {@link #END_MAGIC}). The trailer is written last, so a file cut
 * short anywhere has no valid trailer. Opening checks the magic numbers, the versions, the table's checksum
 * and that every section lies inside the file; reading a section checks its kind, its length against its
 * element count and its checksum. Every failure is an {@link IndexFormatException}.
 */
public final class IndexReader implements AutoCloseable {
    static final byte[] MAGIC = {'L', 'H', 'I', 'N', 'D', 'E', 'X', 0};
    static final byte[] END_MAGIC = {'L', 'H', 'I', 'E', 'N', 'D', 0, 0};
    /** Bumped whenever what is written or how changes; an index of another version is rebuilt. */
    public static final int VERSION = 2;
    static final int HEADER_BYTES = 16;
    static final int TRAILER_BYTES = 32;
    static final String META = "meta";
    static final byte KIND_BYTES = 1;
    static final byte KIND_INTS = 4;
    static final byte KIND_LONGS = 8;
    static final byte KIND_TEXTS = 16;
    /** Bytes read at a time: a multiple of 8, so no element straddles two reads. */
    private static final int WINDOW = 8 << 20;
    private static final ThreadLocal<ByteBuffer> BUFFERS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(WINDOW).order(ByteOrder.LITTLE_ENDIAN));

    record Section(String name, byte kind, long count, long offset, long bytes, int crc) {}

    private final FileChannel in;
    private final long size;
    private final Map<String, Section> sections = new HashMap<>();
    private final Map<String, String> meta = new HashMap<>();

    public IndexReader(FileChannel in) throws IOException {
        this.in = in;
        this.size = in.size();
        if (size < HEADER_BYTES + TRAILER_BYTES) {
            throw new IndexFormatException("index file is too short (" + size + " bytes)");
        }
        ByteBuffer header = readFully(in, 0, HEADER_BYTES);
        byte[] magic = new byte[MAGIC.length];
        header.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IndexFormatException("not a leakhound index (bad magic number)");
        }
        int version = header.getInt();
        if (version != VERSION) {
            throw new IndexFormatException("index format version " + version + ", this leakhound reads " + VERSION);
        }
        ByteBuffer trailer = readFully(in, size - TRAILER_BYTES, TRAILER_BYTES);
        long tableOffset = trailer.getLong();
        int tableLength = trailer.getInt();
        int tableCrc = trailer.getInt();
        int version2 = trailer.getInt();
        trailer.getInt();
        byte[] end = new byte[END_MAGIC.length];
        trailer.get(end);
        if (!Arrays.equals(end, END_MAGIC) || version2 != VERSION) {
            throw new IndexFormatException("index file is incomplete (no trailer)");
        }
        if (tableOffset < HEADER_BYTES || tableLength < 4 || tableOffset + tableLength != size - TRAILER_BYTES) {
            throw new IndexFormatException("index section table out of place");
        }
        ByteBuffer table = readFully(in, tableOffset, tableLength);
        CRC32C c = new CRC32C();
        c.update(table.duplicate());
        if ((int) c.getValue() != tableCrc) {
            throw new IndexFormatException("index section table checksum mismatch");
        }
        try {
            int n = table.getInt();
            if (n < 0 || n > 10_000) {
                throw new IndexFormatException("index section count " + n);
            }
            for (int i = 0; i < n; i++) {
                int nl = table.getShort() & 0xFFFF;
                byte[] nb = new byte[nl];
                table.get(nb);
                Section s = new Section(new String(nb, StandardCharsets.UTF_8), table.get(), table.getLong(),
                        table.getLong(), table.getLong(), table.getInt());
                if (s.offset() < HEADER_BYTES || s.bytes() < 0 || s.count() < 0 || s.offset() + s.bytes() > tableOffset) {
                    throw new IndexFormatException("index section " + s.name() + " lies outside the file");
                }
                sections.put(s.name(), s);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IndexFormatException("index section table is truncated");
        }
        byte[] mb = bytes(META, -1);
        for (String line : new String(mb, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                meta.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
    }

    /** A scalar written with {@link IndexWriter#meta(String, long)}. */
    public long meta(String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new IndexFormatException("index has no value " + key);
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IndexFormatException("index value " + key + " is not a number");
        }
    }

    /** A scalar that must lie in {@code [min, max]}. */
    public int metaInt(String key, int min, int max) {
        long v = meta(key);
        if (v < min || v > max) {
            throw new IndexFormatException("index value " + key + "=" + v + " out of range");
        }
        return (int) v;
    }

    public String metaText(String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new IndexFormatException("index has no value " + key);
        }
        return v;
    }

    /** Where a section lies in the file (for tests that damage one section). */
    Section sectionInfo(String name) {
        return sections.get(name);
    }

    public boolean has(String section) {
        return sections.containsKey(section);
    }

    /** The byte array of a section; {@code expected} elements, or any count when negative. */
    public byte[] bytes(String name, long expected) throws IOException {
        Section s = section(name, KIND_BYTES, 1, expected);
        byte[] a = new byte[(int) s.count()];
        read(s, (b, off, k) -> b.get(a, off, k), 1);
        return a;
    }

    public int[] ints(String name, long expected) throws IOException {
        Section s = section(name, KIND_INTS, 4, expected);
        int[] a = new int[(int) s.count()];
        read(s, (b, off, k) -> b.asIntBuffer().get(a, off, k), 4);
        return a;
    }

    /**
     * {@link #ints(String, long)} with {@code check} run on each part just read, while it is still in the
     * cache (a check over a whole column afterwards reads it from memory again).
     */
    public int[] ints(String name, long expected, PartCheck check) throws IOException {
        Section s = section(name, KIND_INTS, 4, expected);
        int[] a = new int[(int) s.count()];
        read(s, (b, off, k) -> {
            b.asIntBuffer().get(a, off, k);
            check.check(a, off, off + k);
        }, 4);
        return a;
    }

    /** {@link #ints(String, long)}, every value checked to lie in {@code [min, max)} as it is read. */
    public int[] ints(String name, long expected, int min, int max) throws IOException {
        return ints(name, expected, (a, from, to) -> checkRange(a, from, to, min, max, name));
    }

    /** {@link #bytes(String, long)}, every value checked to lie in {@code [0, limit)} as it is read. */
    public byte[] bytes(String name, long expected, int limit) throws IOException {
        Section s = section(name, KIND_BYTES, 1, expected);
        byte[] a = new byte[(int) s.count()];
        read(s, (b, off, k) -> {
            b.get(a, off, k);
            for (int i = off, end = off + k; i < end; i++) {
                if (a[i] < 0 || a[i] >= limit) {
                    throw new IndexFormatException("index section " + name + " holds an unknown type");
                }
            }
        }, 1);
        return a;
    }

    /** Checks the values {@code a[from..to)} of a column just read; throws {@link IndexFormatException}. */
    public interface PartCheck {
        void check(int[] a, int from, int to);
    }

    /** Every value of {@code a[from..to)} in {@code [min, max)}. */
    public static void checkRange(int[] a, int from, int to, int min, int max, String what) {
        // one unsigned comparison per value: v - min below max - min
        int span = max - min + Integer.MIN_VALUE;
        for (int i = from; i < to; i++) {
            if (a[i] - min + Integer.MIN_VALUE >= span) {
                throw new IndexFormatException("index section " + what + " holds a value out of range");
            }
        }
    }

    public long[] longs(String name, long expected) throws IOException {
        Section s = section(name, KIND_LONGS, 8, expected);
        long[] a = new long[(int) s.count()];
        read(s, (b, off, k) -> b.asLongBuffer().get(a, off, k), 8);
        return a;
    }

    public String[] texts(String name, long expected) throws IOException {
        Section s = section(name, KIND_TEXTS, 0, expected);
        if (s.bytes() > Integer.MAX_VALUE - 8 || s.count() > s.bytes() / 4) {
            throw new IndexFormatException("index section " + name + " has a bad size");
        }
        byte[] all = new byte[(int) s.bytes()];
        read(s, (b, off, k) -> b.get(all, off, k), 1);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        String[] out = new String[(int) s.count()];
        try {
            for (int i = 0; i < out.length; i++) {
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) {
                    throw new IndexFormatException("index section " + name + " has a bad text length");
                }
                out[i] = new String(all, b.position(), len, StandardCharsets.UTF_8);
                b.position(b.position() + len);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IndexFormatException("index section " + name + " is truncated");
        }
        if (b.hasRemaining()) {
            throw new IndexFormatException("index section " + name + " has trailing bytes");
        }
        return out;
    }

    /**
     * An int section mapped into memory instead of read: only the pages used are ever read from the file.
     * Its checksum is not checked here but by {@link MappedInts#verified()}. Null when the section is too
     * large for one mapping (over 2 GiB): the caller reads it with {@link #ints} instead. The mapping stays
     * valid after this reader is closed (and after the file is deleted).
     */
    public MappedInts mapInts(String name, long expected) throws IOException {
        Section s = section(name, KIND_INTS, 4, expected);
        if (s.bytes() > Integer.MAX_VALUE) {
            return null;
        }
        ByteBuffer b = in.map(FileChannel.MapMode.READ_ONLY, s.offset(), s.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        return new MappedInts(name, b, s.crc());
    }

    /** An int section mapped by {@link #mapInts}. */
    public record MappedInts(String name, ByteBuffer bytes, int crc) {
        /** The ints, after checking the section's checksum (reads every page once). */
        public java.nio.IntBuffer verified() {
            CRC32C c = new CRC32C();
            c.update(bytes.duplicate());
            if ((int) c.getValue() != crc) {
                throw new IndexFormatException("index section " + name + " checksum mismatch");
            }
            return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        }
    }

    /** The element count of a section (for sections read in parts). */
    public long count(String name) {
        Section s = sections.get(name);
        if (s == null) {
            throw new IndexFormatException("index has no section " + name);
        }
        return s.count();
    }

    /** Reads a byte section in order into the caller's arrays, checking its checksum at the end. */
    public void readBytesInParts(String name, long expected, PartSink sink) throws IOException {
        Section s = section(name, KIND_BYTES, 1, expected);
        read(s, (b, off, k) -> sink.accept(b, k), 1);
    }

    /** Takes {@code count} bytes from the buffer's position. */
    public interface PartSink {
        void accept(ByteBuffer b, int count) throws IOException;
    }

    private interface Chunk {
        void take(ByteBuffer b, int elementOffset, int elements) throws IOException;
    }

    private Section section(String name, byte kind, int width, long expected) {
        Section s = sections.get(name);
        if (s == null) {
            throw new IndexFormatException("index has no section " + name);
        }
        if (s.kind() != kind) {
            throw new IndexFormatException("index section " + name + " has the wrong kind");
        }
        if (width > 0 && (s.bytes() != s.count() * width || s.count() > Integer.MAX_VALUE - 8)) {
            throw new IndexFormatException("index section " + name + " has a bad size");
        }
        if (expected >= 0 && s.count() != expected) {
            throw new IndexFormatException("index section " + name + " holds " + s.count() + " elements, expected " + expected);
        }
        return s;
    }

    /**
     * Streams a section through a buffer of {@value #WINDOW} bytes per thread (read, not mapped: mapped pages
     * would count in the process's resident memory), checking its checksum. Safe from several threads at once.
     */
    private void read(Section s, Chunk into, int width) throws IOException {
        ByteBuffer buf = BUFFERS.get();
        CRC32C c = new CRC32C();
        long pos = s.offset();
        long left = s.bytes();
        int element = 0;
        int step = width == 0 ? 1 : width;
        IndexFormatException failed = null;
        while (left > 0) {
            int want = (int) Math.min(left, WINDOW);
            buf.clear().limit(want);
            while (buf.hasRemaining()) {
                if (in.read(buf, pos + buf.position()) < 0) {
                    throw new IndexFormatException("index file ends inside section " + s.name());
                }
            }
            buf.flip();
            c.update(buf.duplicate());
            int k = want / step;
            if (failed == null) {
                try {
                    into.take(buf, element, k);
                } catch (IndexFormatException e) {
                    failed = e;   // a check of the values: reported after the checksum, which says more
                }
            }
            element += k;
            pos += want;
            left -= want;
        }
        if ((int) c.getValue() != s.crc()) {
            throw new IndexFormatException("index section " + s.name() + " checksum mismatch");
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** {@code length} bytes from {@code pos} (little-endian), or an EOFException when the file is shorter. */
    static ByteBuffer readFully(FileChannel ch, long pos, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new java.io.EOFException("the file ends before byte " + (pos + length));
            }
        }
        return b.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
