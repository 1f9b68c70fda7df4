package dev.leakhound.inspector.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotWriterTest {
    @TempDir
    Path dir;

    private static byte[] writeInPieces(Path file, String text, List<Integer> cuts) throws IOException {
        Files.createFile(file);
        try (SnapshotWriter w = new SnapshotWriter(file)) {
            char[] all = text.toCharArray();
            int prev = 0;
            for (int cut : new TreeSet<>(cuts)) {
                if (cut > prev && cut < all.length) {
                    w.chunk(all, prev, cut - prev);
                    w.endOfChunk();
                    prev = cut;
                }
            }
            w.chunk(all, prev, all.length - prev);
            w.endOfChunk();
            w.finish();
        }
        return Files.readAllBytes(file);
    }

    @Test
    void aSurrogatePairSplitAcrossChunksIsEncodedWhole() throws IOException {
        String s = "{\"s\":\"a\ud83d\ude00b\"}";
        int mid = s.indexOf('\ude00');
        byte[] b = writeInPieces(dir.resolve("x"), s, List.of(mid));
        assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo(s);
        assertThat(b).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tracksTheLastNonBlankCharacterAndCounts() throws IOException {
        Path f = dir.resolve("y");
        Files.createFile(f);
        try (SnapshotWriter w = new SnapshotWriter(f)) {
            char[] a = "{\"nodes\":[1,2]".toCharArray();
            char[] b = "}\n  ".toCharArray();
            w.chunk(a, 0, a.length);
            w.endOfChunk();
            assertThat(w.lastNonSpace()).isEqualTo(']');
            w.chunk(b, 0, b.length);
            w.endOfChunk();
            w.finish();
            assertThat(w.lastNonSpace()).isEqualTo('}');
            assertThat(w.chunks()).isEqualTo(2);
            assertThat(w.bytes()).isEqualTo(a.length + b.length);
        }
    }

    /** Pieces that stress the encoder: ASCII, 2- and 3-byte chars, surrogate pairs, lone surrogates. */
    private static final String[] TRICKY = {"a", "{\"n\":[1,2]}", "\\\"", "\u00e9", "\u20ac", "\ud83d\ude00", "\ud800", "\udc00", "\n"};

    /** Fixed seeds: every run checks the same cases; a failure names its seed, to replay it alone. */
    static LongStream seeds300() {
        return LongStream.range(0, 300).map(i -> 0x5EED_0000L + i);
    }

    static LongStream seeds100() {
        return LongStream.range(0, 100).map(i -> 0xC0DE_0000L + i);
    }

    /** Up to 12 cut positions in [1, max], possibly repeated or beyond the text (both are skipped). */
    private static List<Integer> cuts(Random rnd, int max) {
        List<Integer> cuts = new ArrayList<>();
        for (int i = rnd.nextInt(13); i > 0; i--) {
            cuts.add(1 + rnd.nextInt(max));
        }
        return cuts;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds300")
    void anySplitOfTrickyTextWritesTheUtf8OfTheWhole(long seed) throws IOException {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = rnd.nextInt(401); i > 0; i--) {
            sb.append(TRICKY[rnd.nextInt(TRICKY.length)]);
        }
        assertSplitWritesTheUtf8OfTheWhole(seed, sb.toString(), cuts(rnd, 1200));
    }

    /** Any UTF-16 text: every char value is possible, with surrogates and ASCII drawn more often than their share. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds100")
    void anySplitWritesTheUtf8OfTheWhole(long seed) throws IOException {
        Random rnd = new Random(seed);
        char[] text = new char[rnd.nextInt(3001)];
        for (int i = 0; i < text.length; i++) {
            text[i] = switch (rnd.nextInt(4)) {
                case 0 -> (char) (0xD800 + rnd.nextInt(0x800));   // a surrogate, high or low
                case 1 -> (char) rnd.nextInt(0x80);                // ASCII, control characters included
                default -> (char) rnd.nextInt(0x10000);
            };
        }
        assertSplitWritesTheUtf8OfTheWhole(seed, new String(text), cuts(rnd, 3000));
    }

    private void assertSplitWritesTheUtf8OfTheWhole(long seed, String text, List<Integer> cuts) throws IOException {
        Path f = dir.resolve("w-" + seed);
        byte[] b = writeInPieces(f, text, cuts);
        // Lone surrogates (invalid UTF-16) become '?' exactly as String.getBytes does.
        assertThat(b).as("seed %d: %d chars cut at %s", seed, text.length(), cuts)
                .isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bigWritesGoThroughTheBufferIntact() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 1_000_000; i++) {
            sb.append(i).append(',');
        }
        String s = sb.toString();
        byte[] b = writeInPieces(dir.resolve("big"), s, List.of(102_400, 204_800, 307_200, 999_999));
        assertThat(b.length).isEqualTo(s.length());
        assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo(s);
    }
}
