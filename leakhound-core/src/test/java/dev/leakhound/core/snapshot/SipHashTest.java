package dev.leakhound.core.snapshot;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SipHashTest {
    /** The reference implementation's vectors (key 00..0f, messages 00, 00 01, ...: vectors.h of SipHash's repository). */
    @Test
    void matchesTheReferenceVectors() {
        byte[] key = new byte[16];
        for (int i = 0; i < 16; i++) {
            key[i] = (byte) i;
        }
        byte[] msg = new byte[64];
        for (int i = 0; i < msg.length; i++) {
            msg[i] = (byte) i;
        }
        SipHash h = new SipHash(key);
        assertThat(h.hash(msg, 0, 0)).isEqualTo(0x726fdb47dd0e0e31L);
        assertThat(h.hash(msg, 0, 1)).isEqualTo(0x74f839c593dc67fdL);
        assertThat(h.hash(msg, 0, 8)).isEqualTo(0x93f5f5799a932462L);
        assertThat(h.hash(msg, 0, 15)).isEqualTo(0xa129ca6149be45e5L);   // the paper's example
        assertThat(h.hash(msg, 0, 63)).isEqualTo(0x958a324ceb064572L);
        // an offset is honoured
        byte[] shifted = new byte[20];
        System.arraycopy(msg, 0, shifted, 5, 15);
        assertThat(h.hash(shifted, 5, 15)).isEqualTo(0xa129ca6149be45e5L);
        // another key, another hash; a key of another length is hashed to 16 bytes first
        assertThat(new SipHash(new byte[16]).hash(msg, 0, 15)).isNotEqualTo(0xa129ca6149be45e5L);
        assertThat(new SipHash(new byte[32]).hash(msg, 0, 15)).isNotEqualTo(new SipHash(new byte[16]).hash(msg, 0, 15));
    }
}
