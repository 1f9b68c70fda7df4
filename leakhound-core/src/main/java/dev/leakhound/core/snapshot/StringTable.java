package dev.leakhound.core.snapshot;

import dev.leakhound.core.index.IndexFormatException;
import dev.leakhound.core.index.IndexReader;
import dev.leakhound.core.index.IndexWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The snapshot's {@code strings} section, stored compactly: decoded UTF-8 bytes packed into chunks
 * of at most {@value #CHUNK} bytes, never one Java String (the section can exceed 512M characters).
 * A string never spans two chunks; one longer than a chunk gets a chunk of its own.
 */
public final class StringTable {
    static final int CHUNK = 32 << 20;
    /** The largest Java array the JVM reliably allocates. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    /**
     * The most strings a table holds: few enough that a table of up to three ints per string, as analyses
     * build, still fits one Java array. (V8 cannot write that many: its entry indexes have 28 bits.)
     */
    public static final int MAX_STRINGS = MAX_ARRAY / 3;

    private final int maxStrings;
    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] current = new byte[0];
    private int currentUsed;
    private long[] refs = new long[1024];   // chunk index << 32 | offset
    private int[] lengths = new int[1024];  // byte length
    private int size;
    private long totalBytes;

    public StringTable() {
        this(MAX_STRINGS);
    }

    /** A table of at most {@code maxStrings} strings (tests use small limits). */
    StringTable(int maxStrings) {
        this.maxStrings = maxStrings;
    }

    /** Whether the table holds as many strings as it can: {@link #add} would fail. */
    public boolean isFull() {
        return size >= maxStrings;
    }

    /**
     * Appends a string given as UTF-8 bytes; returns its index.
     *
     * @throws IllegalStateException when the table already holds {@link #MAX_STRINGS} strings
     */
    public int add(byte[] src, int off, int len) {
        if (size >= maxStrings) {
            throw new IllegalStateException("a string table holds at most " + maxStrings + " strings");
        }
        if (size == refs.length) {
            int n = grownCapacity(size, maxStrings);
            refs = Arrays.copyOf(refs, n);
            lengths = Arrays.copyOf(lengths, n);
        }
        if (current.length - currentUsed < len) {
            int cap = Math.max(len, Math.min(CHUNK, Math.max(1 << 16, (int) Math.min(CHUNK, totalBytes))));
            current = new byte[cap];
            currentUsed = 0;
            chunks.add(current);
        }
        System.arraycopy(src, off, current, currentUsed, len);
        refs[size] = ((long) (chunks.size() - 1) << 32) | currentUsed;
        lengths[size] = len;
        currentUsed += len;
        totalBytes += len;
        return size++;
    }

    /** Half as much again as {@code size} (at least 16), but never more than {@code max}: no int overflow. */
    static int grownCapacity(int size, int max) {
        return (int) Math.min(max, Math.max(16, size + (long) (size >> 1)));
    }

    public int add(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return add(b, 0, b.length);
    }

    public int size() {
        return size;
    }

    /** Total UTF-8 bytes held. */
    public long totalBytes() {
        return totalBytes;
    }

    public int byteLength(int index) {
        return lengths[index];
    }

    public String get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("string index " + index + " of " + size);
        }
        long r = refs[index];
        return new String(chunks.get((int) (r >>> 32)), (int) r, lengths[index], StandardCharsets.UTF_8);
    }

    /** Whether string {@code index} equals {@code s}, which must be ASCII. Allocates nothing. */
    public boolean equalsAscii(int index, String s) {
        int len = lengths[index];
        if (len != s.length()) {
            return false;
        }
        long r = refs[index];
        byte[] c = chunks.get((int) (r >>> 32));
        int off = (int) r;
        for (int i = 0; i < len; i++) {
            if (c[off + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Index of the first string equal to each of {@code texts} (ASCII), or -1 for a text not present: one
     * pass over the table for all of them (V8 interns names, so the first index is the only one).
     */
    public int[] find(String... texts) {
        int[] out = new int[texts.length];
        java.util.Arrays.fill(out, -1);
        int missing = texts.length;
        int maxLen = 0;
        for (String t : texts) {
            maxLen = Math.max(maxLen, t.length());
        }
        // the texts by length: a string is compared only with the texts as long as it is
        int[][] byLength = new int[maxLen + 1][];
        for (int k = 0; k < texts.length; k++) {
            int[] c = byLength[texts[k].length()];
            c = c == null ? new int[1] : java.util.Arrays.copyOf(c, c.length + 1);
            c[c.length - 1] = k;
            byLength[texts[k].length()] = c;
        }
        for (int i = 0; i < size && missing > 0; i++) {
            int len = lengths[i];
            int[] candidates = len <= maxLen ? byLength[len] : null;
            if (candidates == null) {
                continue;
            }
            for (int k : candidates) {
                if (out[k] < 0 && equalsAscii(i, texts[k])) {
                    out[k] = i;
                    missing--;
                }
            }
        }
        return out;
    }

    /** Whether string {@code index} starts with {@code prefix}, which must be ASCII. */
    public boolean startsWithAscii(int index, String prefix) {
        int len = lengths[index];
        if (len < prefix.length()) {
            return false;
        }
        long r = refs[index];
        byte[] c = chunks.get((int) (r >>> 32));
        int off = (int) r;
        for (int i = 0; i < prefix.length(); i++) {
            if (c[off + i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Writes the table as two sections: the byte length of each string, and all bytes in order. */
    void writeTo(IndexWriter w, String prefix) throws IOException {
        w.ints(prefix + ".lengths", lengths, size);
        w.beginRaw(prefix + ".bytes", totalBytes);
        for (int i = 0; i < size; i++) {
            long r = refs[i];
            w.rawBytes(chunks.get((int) (r >>> 32)), (int) r, lengths[i]);
        }
        w.endRaw();
    }

    /**
     * The table written by {@link #writeTo}: chunks laid out from the lengths first (as {@link #add} would,
     * each filled exactly), then the bytes streamed into them.
     */
    static StringTable readFrom(IndexReader r, String prefix) throws IOException {
        int[] lengths = r.ints(prefix + ".lengths", -1);
        if (lengths.length > MAX_STRINGS) {
            throw new IndexFormatException("index string table holds too many strings");
        }
        StringTable t = new StringTable();
        int n = lengths.length;
        t.refs = new long[Math.max(n, 16)];
        t.lengths = Arrays.copyOf(lengths, Math.max(n, 16));
        List<Integer> sizes = new ArrayList<>();
        long total = 0;
        int chunk = -1;
        int used = 0;
        int cap = 0;
        for (int i = 0; i < n; i++) {
            int len = lengths[i];
            if (len < 0) {
                throw new IndexFormatException("index string table has a negative length");
            }
            if (chunk < 0 || cap - used < len) {
                if (chunk >= 0) {
                    sizes.add(used);   // the chunk just filled (recorded once, not per string: no boxing)
                }
                chunk++;
                cap = Math.max(len, CHUNK);
                used = 0;
            }
            t.refs[i] = ((long) chunk << 32) | used;
            used += len;
            total += len;
        }
        if (chunk >= 0) {
            sizes.add(used);
        }
        for (int size : sizes) {
            t.chunks.add(new byte[size]);
        }
        if (r.count(prefix + ".bytes") != total) {
            throw new IndexFormatException("index string table's bytes do not match its lengths");
        }
        int[] at = {0, 0};   // chunk, offset
        r.readBytesInParts(prefix + ".bytes", total, (b, count) -> {
            int left = count;
            while (left > 0) {
                byte[] c = t.chunks.get(at[0]);
                if (at[1] == c.length) {   // full (or empty): the next one
                    at[0]++;
                    at[1] = 0;
                    continue;
                }
                int k = Math.min(left, c.length - at[1]);
                b.get(c, at[1], k);
                left -= k;
                at[1] += k;
            }
        });
        t.size = n;
        t.totalBytes = total;
        if (!t.chunks.isEmpty()) {
            t.current = t.chunks.get(t.chunks.size() - 1);
            t.currentUsed = t.current.length;
        }
        return t;
    }

    /**
     * The most heap bytes a table of {@code count} strings of {@code bytes} UTF-8 bytes in all takes: the bytes,
     * up to as many again (at most one chunk) of chunk space not yet filled, and a reference (8) and a length (4)
     * per string in arrays grown by half, so up to 1.5 times the count. {@link #memoryBytes()} counts the same.
     */
    public static long estimatedBytes(long count, long bytes) {
        return bytes + Math.min(bytes, CHUNK) + 18 * count;
    }

    /** Approximate heap bytes this table uses. */
    public long memoryBytes() {
        long b = (long) refs.length * 8 + (long) lengths.length * 4;
        for (byte[] c : chunks) {
            b += c.length;
        }
        return b;
    }
}
