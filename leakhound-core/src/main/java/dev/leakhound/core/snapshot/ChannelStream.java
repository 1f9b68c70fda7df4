package dev.leakhound.core.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** An input stream of positioned reads from {@code start} on (the channel's position is not used). */
final class ChannelStream extends InputStream {
    private final FileChannel ch;
    private long at;

    ChannelStream(FileChannel ch, long start) {
        this.ch = ch;
        this.at = start;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = ch.read(ByteBuffer.wrap(b, off, len), at);
        if (n > 0) {
            at += n;
        }
        return n;
    }
}
