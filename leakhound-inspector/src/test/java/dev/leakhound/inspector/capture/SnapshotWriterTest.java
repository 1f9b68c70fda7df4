package dev.leakhound.inspector.capture;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

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

    /** Text built from pieces that stress the encoder: ASCII, 2- and 3-byte chars, surrogate pairs, lone surrogates. */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.of("a", "{\"n\":[1,2]}", "\\\"", "\u00e9", "\u20ac", "\ud83d\ude00", "\ud800", "\udc00", "\n")
                .list().ofMaxSize(400).map(l -> String.join("", l));
    }

    @Property(tries = 300)
    void anySplitOfTrickyTextWritesTheUtf8OfTheWhole(@ForAll("texts") String text,
                                                      @ForAll @Size(max = 12) List<@IntRange(min = 1, max = 1200) Integer> cuts) throws IOException {
        anySplitWritesTheUtf8OfTheWhole(text, cuts);
    }

    @Property(tries = 100)
    void anySplitWritesTheUtf8OfTheWhole(@ForAll @StringLength(max = 3000) String text,
                                         @ForAll @Size(max = 12) List<@IntRange(min = 1, max = 3000) Integer> cuts) throws IOException {
        Path f = Files.createTempFile("leakhound-writer", ".txt"); // jqwik properties get no @TempDir
        Files.delete(f);
        try {
            byte[] b = writeInPieces(f, text, cuts);
            // Lone surrogates (invalid UTF-16) become '?' exactly as String.getBytes does.
            assertThat(b).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(f);
        }
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
