package dev.leakhound.core.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** An input stream of positioned reads from {@code start} on (the channel's position is not used). */
final class ChannelStream extends BlockInputStream {
    private final FileChannel ch;
    private long at;

    ChannelStream(FileChannel ch, long start) {
        this.ch = ch;
        this.at = start;
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
