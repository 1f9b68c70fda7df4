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
    void closingEarlyStopsTheThread() throws Exception {
        byte[] data = new byte[10_000_000];
        ReadAhead in = new ReadAhead(new Choppy(data, null), 1 << 16, 2);
        in.read(new byte[10], 0, 10);
        in.close();
        Thread.sleep(100);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("leakhound-read-ahead") && t.isAlive());
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
