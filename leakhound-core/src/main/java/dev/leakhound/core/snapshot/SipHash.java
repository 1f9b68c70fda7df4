package dev.leakhound.core.snapshot;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash made for short inputs, a pseudorandom
 * function of its 128-bit key. Without the key, a hash does not let one check a guess of the input. Used by
 * {@link SnapshotRedactor}, where millions of short strings are hashed (HMAC-SHA256 took a third of its time).
 */
final class SipHash {
    private final long k0;
    private final long k1;

    /** The hash keyed with {@code key}: its 16 bytes, or the first 16 bytes of its SHA-256 when it has another length. */
    SipHash(byte[] key) {
        byte[] k = key;
        if (k.length != 16) {
            try {
                k = MessageDigest.getInstance("SHA-256").digest(key);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
        }
        k0 = le64(k, 0, 8);
        k1 = le64(k, 8, 8);
    }

    private static long le64(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFFL);
        }
        return v;
    }

    /** The hash of {@code b[off .. off + len)}. */
    long hash(byte[] b, int off, int len) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        int end = off + (len & ~7);
        for (int i = off; i < end; i += 8) {
            long m = le64(b, i, 8);
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        long last = ((long) len << 56) | le64(b, end, len & 7);
        v3 ^= last;
        for (int r = 0; r < 2; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= last;
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
