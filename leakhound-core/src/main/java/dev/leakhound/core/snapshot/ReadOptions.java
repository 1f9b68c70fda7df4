package dev.leakhound.core.snapshot;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.Parallel;
import dev.leakhound.core.index.IndexSettings;

import java.util.Properties;

/**
 * How {@link SnapshotParser} reads a file. {@link #defaults()} suits every use; {@link #fromSystemProperties()}
 * lets a user change them from the command line, and tests pass their own.
 *
 * @param readAhead        inflate gzip input on a second thread, a few reads ahead of the parser
 * @param fastPath         read large plain files with the two-thread fast path (which falls back to the
 *                         sequential pass for files it does not handle)
 * @param fastPathMinBytes plain files smaller than this are read sequentially: two threads do not pay off
 * @param maxGzipRatio     decompressed bytes may be at most this many times the compressed size (gzip-bomb guard)
 * @param fastPathWindow   bytes each fast-path thread buffers (tests make it tiny, to cross every boundary)
 * @param fastPathBlock    bytes of {@code edges} per block the fast-path threads take turns at
 * @param index            whether and where snapshots' indexes are kept ({@code SnapshotStore}); the parser
 *                         itself ignores it
 */
public record ReadOptions(boolean readAhead, boolean fastPath, long fastPathMinBytes, long maxGzipRatio,
                          int fastPathWindow, int fastPathBlock, IndexSettings index) {
    /** The system properties {@link #fromSystemProperties()} reads. */
    public static final String SEQUENTIAL = "leakhound.sequentialParse";
    public static final String FAST_PATH_MIN_BYTES = "leakhound.parallelParseMinBytes";
    public static final String MAX_GZIP_RATIO = "leakhound.maxGzipRatio";

    public ReadOptions {
        if (index == null) {
            throw new IllegalArgumentException("index settings missing");
        }
        if (fastPathMinBytes < 0 || maxGzipRatio < 1 || fastPathWindow < 1 || fastPathBlock < 1) {
            throw new IllegalArgumentException("read options out of range: " + fastPathMinBytes + ", " + maxGzipRatio
                    + ", " + fastPathWindow + ", " + fastPathBlock);
        }
    }

    /**
     * Read-ahead when there is a second core, the fast path from 4 MB on, gzip expanding at most 100x, no
     * index (a command line turns it on: {@link #withIndex}).
     */
    public static ReadOptions defaults() {
        return new ReadOptions(Parallel.THREADS > 1, true, 4L << 20, 100, 1 << 20, 4 << 20, IndexSettings.off());
    }

    public ReadOptions withIndex(IndexSettings settings) {
        return new ReadOptions(readAhead, fastPath, fastPathMinBytes, maxGzipRatio, fastPathWindow, fastPathBlock, settings);
    }

    /**
     * The defaults, changed by the system properties {@value #SEQUENTIAL} ({@code true}: no fast path),
     * {@value #FAST_PATH_MIN_BYTES} and {@value #MAX_GZIP_RATIO}, for a command line to pass in.
     *
     * @throws LeakhoundException when a property is set to something that is not a number
     */
    public static ReadOptions fromSystemProperties() {
        return fromProperties(System.getProperties());
    }

    /** {@link #fromSystemProperties()} from the given properties. */
    public static ReadOptions fromProperties(Properties p) {
        ReadOptions o = defaults();
        if (p.getProperty(SEQUENTIAL) != null) {
            o = o.withFastPath(!Boolean.parseBoolean(p.getProperty(SEQUENTIAL)));
        }
        o = o.withFastPathMinBytes(number(p, FAST_PATH_MIN_BYTES, o.fastPathMinBytes(), 0));
        return o.withMaxGzipRatio(number(p, MAX_GZIP_RATIO, o.maxGzipRatio(), 1));
    }

    private static long number(Properties p, String key, long otherwise, long min) {
        String text = p.getProperty(key);
        if (text == null) {
            return otherwise;
        }
        try {
            long v = Long.parseLong(text.trim());
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LeakhoundException("system property " + key + "=" + text + " is not a whole number of at least " + min);
    }

    public ReadOptions withReadAhead(boolean on) {
        return new ReadOptions(on, fastPath, fastPathMinBytes, maxGzipRatio, fastPathWindow, fastPathBlock, index);
    }

    public ReadOptions withFastPath(boolean on) {
        return new ReadOptions(readAhead, on, fastPathMinBytes, maxGzipRatio, fastPathWindow, fastPathBlock, index);
    }

    public ReadOptions withFastPathMinBytes(long bytes) {
        return new ReadOptions(readAhead, fastPath, bytes, maxGzipRatio, fastPathWindow, fastPathBlock, index);
    }

    public ReadOptions withMaxGzipRatio(long ratio) {
        return new ReadOptions(readAhead, fastPath, fastPathMinBytes, ratio, fastPathWindow, fastPathBlock, index);
    }

    /** The fast path's buffer and block sizes in bytes. */
    public ReadOptions withFastPathBuffers(int window, int block) {
        return new ReadOptions(readAhead, fastPath, fastPathMinBytes, maxGzipRatio, window, block, index);
    }
}
