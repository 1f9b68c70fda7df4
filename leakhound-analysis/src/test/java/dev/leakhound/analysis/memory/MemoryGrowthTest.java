package dev.leakhound.analysis.memory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryGrowthTest {
    private static final long MB = 1L << 20;

    /** A reading: rss = file + anon; anon = heap + external + native. */
    private static MemoryPoint point(long t, long heap, long external, long buffers, long nativeBytes) {
        long file = 40 * MB;
        long anon = heap + external + nativeBytes;
        return new MemoryPoint(t, file + anon, anon, file, 0, heap - MB, heap, heap, external, buffers, 300_000,
                Map.of("old_space", heap - 2 * MB, "code_space", 300_000L));
    }

    /** Series of {@code n} readings where one part grows by {@code step} per reading, with ±noise on every part. */
    private static List<MemoryPoint> series(Random rnd, int n, long heapStep, long externalStep, long nativeStep, long noise) {
        List<MemoryPoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long jitter = noise == 0 ? 0 : (long) (rnd.nextDouble() * noise);
            long ext = MB + i * externalStep;
            out.add(point(1000L * i, 5 * MB + i * heapStep + jitter, ext, ext, 30 * MB + i * nativeStep + jitter));
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99991})
    void eachPartIsToldApartDespiteNoise(long seed) {
        Random rnd = new Random(seed);
        int n = 3 + rnd.nextInt(4);
        long noise = MB / 4;   // under the tolerance, far under the growth
        long step = (3 + rnd.nextInt(20)) * MB;
        String why = "seed " + seed + ", n " + n + ", step " + step;
        assertThat(MemoryGrowth.judge(series(rnd, n, 0, 0, 0, noise), MemoryGrowth.DEFAULT_MIN_GROWTH).kind())
                .as(why).isEqualTo(MemoryGrowth.Kind.NONE);
        MemoryGrowth ext = MemoryGrowth.judge(series(rnd, n, 0, step, 0, noise), MemoryGrowth.DEFAULT_MIN_GROWTH);
        assertThat(ext.kind()).as(why).isEqualTo(MemoryGrowth.Kind.EXTERNAL);
        assertThat(ext.verdict()).isEqualTo("external-growth");
        assertThat(ext.externalGrowth()).as(why).isEqualTo((n - 2) * step);
        MemoryGrowth nat = MemoryGrowth.judge(series(rnd, n, 0, 0, step, noise), MemoryGrowth.DEFAULT_MIN_GROWTH);
        assertThat(nat.kind()).as(why).isEqualTo(MemoryGrowth.Kind.NATIVE);
        assertThat(nat.nativeGrowth()).as(why).isBetween((n - 2) * step - noise, (n - 2) * step + noise);
        MemoryGrowth heap = MemoryGrowth.judge(series(rnd, n, step, 0, 0, noise), MemoryGrowth.DEFAULT_MIN_GROWTH);
        assertThat(heap.kind()).as(why).isEqualTo(MemoryGrowth.Kind.JS_HEAP);
        assertThat(heap.verdict()).as(why).isNull();
    }

    @Test
    void theFirstReadingIsLeftOutFromThreeOn() {
        // the jump between the first and second reading (the heap profiler's set-up) does not count
        List<MemoryPoint> pts = List.of(point(0, 5 * MB, MB, MB, 30 * MB), point(1000, 5 * MB, MB, MB, 36 * MB),
                point(2000, 5 * MB, MB, MB, 36 * MB + MB / 2));
        MemoryGrowth g = MemoryGrowth.judge(pts, MemoryGrowth.DEFAULT_MIN_GROWTH);
        assertThat(g.from()).isEqualTo(1);
        assertThat(g.kind()).isEqualTo(MemoryGrowth.Kind.NONE);
        assertThat(g.rssGrowth()).isEqualTo(MB / 2);
        // with two readings the first counts, and twice the growth is asked
        MemoryGrowth two = MemoryGrowth.judge(pts.subList(0, 2), MemoryGrowth.DEFAULT_MIN_GROWTH);
        assertThat(two.from()).isZero();
        assertThat(two.needed()).isEqualTo(2 * MemoryGrowth.DEFAULT_MIN_GROWTH);
        assertThat(two.kind()).isEqualTo(MemoryGrowth.Kind.NONE);
    }

    @Test
    void aFallBetweenReadingsIsNoGrowth() {
        List<MemoryPoint> pts = List.of(point(0, 5 * MB, MB, MB, 30 * MB), point(1000, 5 * MB, MB, MB, 30 * MB),
                point(2000, 5 * MB, MB, MB, 20 * MB), point(3000, 5 * MB, MB, MB, 60 * MB));
        assertThat(MemoryGrowth.judge(pts, MemoryGrowth.DEFAULT_MIN_GROWTH).kind()).isEqualTo(MemoryGrowth.Kind.NONE);
    }

    @Test
    void nativeMemoryIsResidentAnonymousOutsideHeapAndExternal() {
        MemoryPoint p = point(0, 5 * MB, 2 * MB, MB, 30 * MB);
        assertThat(p.outsideV8()).isEqualTo(30 * MB);
        MemoryPoint noProc = MemoryPoint.of(0, Map.of("rss", 50 * MB, "heapTotal", 6 * MB, "heapUsed", 4 * MB,
                "external", 2 * MB, "arrayBuffers", MB), Map.of(), Map.of("code_space", 100L, "old_space", 5L), Map.of());
        assertThat(noProc.rssAnon()).isEqualTo(-1);
        assertThat(noProc.outsideV8()).isEqualTo(42 * MB);   // rss when RssAnon is unknown
        assertThat(noProc.code()).isEqualTo(100);
        assertThat(noProc.heapPhysical()).isEqualTo(6 * MB);
    }
}
