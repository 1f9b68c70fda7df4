package dev.leakhound.core.snapshot;

import dev.leakhound.core.LeakhoundException;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A snapshot file as input: its size, whether it is gzip (by content, not by name), and streams of its JSON,
 * inflated and bounded for gzip (a gzip bomb is refused) and counted for progress. Also the one place that
 * turns an I/O failure into the error a user reads.
 */
final class SnapshotInput {
    /** Bytes per read from the file, and the size of the readers' buffers. */
    static final int BUFFER = 1 << 20;

    final Path path;
    final String file;
    final long size;
    final boolean gzip;
    private final long maxGzipRatio;
    private volatile CountingStream counter;

    private SnapshotInput(Path path, long size, boolean gzip, long maxGzipRatio) {
        this.path = path;
        this.file = path.toString();
        this.size = size;
        this.gzip = gzip;
        this.maxGzipRatio = maxGzipRatio;
    }

    /** The file at {@code path}; a missing, unreadable or directory path is a one-line error. */
    static SnapshotInput of(Path path, long maxGzipRatio) {
        String file = path.toString();
        if (Files.isDirectory(path)) {
            throw new LeakhoundException(file + ": is a directory, not a heap snapshot file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            int b0 = in.read();
            int b1 = in.read();
            return new SnapshotInput(path, Files.size(path), b0 == 0x1f && b1 == 0x8b, maxGzipRatio);
        } catch (NoSuchFileException e) {
            throw new LeakhoundException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new LeakhoundException(file + ": permission denied");
        } catch (IOException e) {
            throw readError(file, e);
        }
    }

    /** The most bytes of JSON the input can deliver (for gzip: the bomb guard's bound). */
    long maxJsonBytes() {
        return gzip ? size * maxGzipRatio + (64L << 20) : size;
    }

    /**
     * The JSON from its first byte: inflated for gzip, on a second thread a few reads ahead of the caller when
     * {@code readAhead} (the same reads, so the same bytes, errors and offsets as inflating inline).
     */
    InputStream open(boolean readAhead) throws IOException {
        InputStream raw = Files.newInputStream(path);
        CountingStream counted = new CountingStream(raw);
        counter = counted;
        if (!gzip) {
            return counted;
        }
        GZIPInputStream gz;
        try {
            gz = new GZIPInputStream(counted, 1 << 16);
        } catch (ZipException | EOFException e) {
            raw.close();
            throw new SnapshotFormatException(file, 0, "corrupt gzip header: " + e.getMessage());
        }
        InputStream bounded = new Bounded(gz, maxJsonBytes());
        return readAhead ? new ReadAhead(bounded, BUFFER, 4) : bounded;
    }

    /** How far through the file the last opened stream has read, from 0 to 1 (compressed bytes for gzip). */
    double fractionRead() {
        CountingStream c = counter;
        return c == null ? 0 : Math.min(1.0, (double) c.count / Math.max(1, size));
    }

    /** Raw bytes the last opened stream has taken from the file so far (compressed bytes for gzip). */
    long bytesRead() {
        CountingStream c = counter;
        return c == null ? 0 : c.count;
    }

    /**
     * For gzip: the inflated size the gzip trailer records, modulo 2^32 (RFC 1952's ISIZE, the file's last four
     * bytes, little-endian; of the last member when there are several). -1 for plain files and files too short
     * to have a trailer. Reads those four bytes only.
     */
    long gzipTrailerSize() {
        if (!gzip || size < 18) {   // a gzip member is at least a 10-byte header and an 8-byte trailer
            return -1;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (ch.read(b, size - 4 + b.position()) < 0) {
                    return -1;
                }
            }
            return b.getInt(0) & 0xFFFFFFFFL;
        } catch (IOException e) {
            throw readError(file, e);
        }
    }

    /**
     * The error for a failed read of {@code file}: an interrupt stops the read (the thread's interrupt flag is
     * set again), any other failure is reported as the system gives it.
     */
    static LeakhoundException readError(String file, IOException e) {
        if (e instanceof ClosedByInterruptException || e instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
            return new LeakhoundException(file + ": reading interrupted", e);
        }
        return new LeakhoundException(file + ": cannot read: " + e.getMessage(), e);
    }

    /** Refuses to deliver more than {@code limit} inflated bytes (a gzip bomb). */
    private final class Bounded extends FilterInputStream {
        private final long limit;
        private long total;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                total += n;
                if (total > limit) {
                    throw new SnapshotFormatException(file, total, "gzip data expands more than " + maxGzipRatio
                            + "x its compressed size; refusing it (gzip bomb?)");
                }
            }
            return n;
        }
    }

    /** Counts the raw (compressed) bytes read, for progress. */
    private static final class CountingStream extends FilterInputStream {
        volatile long count;   // written by the read-ahead thread for gzip, read for progress

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
