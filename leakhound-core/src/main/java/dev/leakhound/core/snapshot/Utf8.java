package dev.leakhound.core.snapshot;

/** UTF-8 encoding of one code point into a byte array (for decoded JSON escapes). */
final class Utf8 {
    private Utf8() {}

    /** Writes {@code cp} at {@code a[n..]} (the caller ensures 4 bytes of room); returns the new length. */
    static int encode(byte[] a, int n, int cp) {
        if (cp < 0x80) {
            a[n++] = (byte) cp;
        } else if (cp < 0x800) {
            a[n++] = (byte) (0xC0 | (cp >> 6));
            a[n++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            a[n++] = (byte) (0xE0 | (cp >> 12));
            a[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            a[n++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            a[n++] = (byte) (0xF0 | (cp >> 18));
            a[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            a[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            a[n++] = (byte) (0x80 | (cp & 0x3F));
        }
        return n;
    }
}
