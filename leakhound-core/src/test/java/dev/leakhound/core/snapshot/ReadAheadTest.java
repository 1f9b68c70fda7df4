package dev.leakhound.core.snapshot;

import dev.leakhound.core.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Inflating gzip on a second thread gives the parser exactly what inflating inline gives. */
class ReadAheadTest {

    /** A source whose reads return 1..7 bytes, then fails with a given exception. */
    static final class Choppy extends InputStream {
        final byte[] data;
        final IOException failure;
        final Random r = new Random(3);
        int at;
        volatile boolean closed;

        Choppy(byte[] data, IOException failure) {
            this.data = data;
            this.failure = failure;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (at == data.length) {
                if (failure != null) {
                    throw failure;
                }
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + r.nextInt(7)), data.length - at);
            System.arraycopy(data, at, b, off, n);
            at += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A source whose first read blocks until released; it records a close that comes during a read. */
    static final class Blocking extends InputStream {
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean inRead;
        volatile boolean closed;
        volatile boolean closedDuringRead;

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            inRead = true;
            try {
                reading.countDown();
                release.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            } finally {
                inRead = false;
            }
            return len;
        }

        @Override
        public void close() {
            closedDuringRead |= inRead;
            closed = true;
        }
    }

    @Test
    void handsOverEveryByteThenTheSourcesOwnException() throws IOException {
        byte[] data = new byte[100_000];
        new Random(1).nextBytes(data);
        ZipException boom = new ZipException("invalid block type");
        try (ReadAhead in = new ReadAhead(new Choppy(data, boom), 64, 2)) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[1000];
            assertThatThrownBy(() -> {
                int n;
                while ((n = in.read(buf, 0, buf.length)) >= 0) {
                    got.write(buf, 0, n);
                }
            }).isSameAs(boom);
            assertThat(got.toByteArray()).isEqualTo(data);
        }
        try (ReadAhead in = new ReadAhead(new Choppy(data, null), 64, 2)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void closingEarlyStopsTheThreadAndClosesTheSource() throws Exception {
        byte[] data = new byte[10_000_000];
        Choppy src = new Choppy(data, null);
        ReadAhead in = new ReadAhead(src, 1 << 16, 2);
        in.read(new byte[10], 0, 10);
        in.close();
        // close returns when the thread has stopped and closed the source: no waiting needed here
        assertThat(in.running()).isFalse();
        assertThat(src.closed).isTrue();
    }

    @Test
    void theSourceIsClosedOnlyAfterTheThreadStoppedReadingIt() throws Exception {
        Blocking src = new Blocking();
        ReadAhead in = new ReadAhead(src, 16, 2);
        assertThat(src.reading.await(10, TimeUnit.SECONDS)).isTrue();   // the thread is inside a read
        Thread closer = new Thread(() -> {
            try {
                in.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        closer.start();
        // long enough for a close that gives up waiting after a second (as it once did) to close the source
        closer.join(1500);
        assertThat(src.closed).as("the source is closed while a read is in progress").isFalse();
        assertThat(closer.isAlive()).as("close waits for the read to end").isTrue();
        src.release.countDown();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(src.closed).isTrue();
        assertThat(src.closedDuringRead).isFalse();
        assertThat(in.running()).isFalse();
    }

    private static Object outcome(Path p, boolean readAhead) {
        try {
            HeapSnapshot s = SnapshotParser.read(p, ProgressListener.NONE, ReadOptions.defaults().withReadAhead(readAhead));
            return "ok " + s.nodeCount() + " " + s.edgeCount() + " " + s.strings().size() + " " + s.totalSelfSize();
        } catch (SnapshotFormatException e) {
            return e.getMessage();
        }
    }

    /** Truncated or corrupted gzip: the same snapshot or the same error message as inflating inline. */
    static LongStream seeds() {
        return Seeds.of("read-ahead-damaged-gzip", 150);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void damagedGzipGivesTheInlineOutcome(long seed) {
        Seeds.check(seed, () -> sameOutcomeBothWays(seed));
    }

    private static void sameOutcomeBothWays(long seed) throws IOException {
        byte[] json = new SnapshotJson().bytes(ParallelReaderTest.random(seed & 3, 2000, 6000));
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bo)) {
            o.write(json);
        }
        byte[] gz = bo.toByteArray();
        Random r = new Random(seed);
        if (r.nextBoolean()) {
            gz = java.util.Arrays.copyOf(gz, r.nextInt(gz.length));
        } else {
            for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                gz[10 + r.nextInt(gz.length - 10)] ^= (byte) (1 + r.nextInt(255));
            }
        }
        Path p = Files.createTempFile("damaged", ".heapsnapshot.gz");
        try {
            Files.write(p, gz);
            assertThat(outcome(p, true)).isEqualTo(outcome(p, false));
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
