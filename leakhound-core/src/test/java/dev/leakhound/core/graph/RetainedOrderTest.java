package dev.leakhound.core.graph;

import dev.leakhound.core.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class RetainedOrderTest {
    static LongStream seeds() {
        return Seeds.of("retained-order", 200);
    }

    /** A slice in the middle of an array sorts like a comparison sort on (retained descending, ordinal ascending). */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void sortsASliceLikeAComparisonSort(long seed) {
        Seeds.check(seed, () -> {
            Random r = new Random(seed);
            int n = 1 + r.nextInt(500);
            long[] retained = new long[n];
            boolean ties = r.nextBoolean();
            for (int v = 0; v < n; v++) {
                retained[v] = ties ? r.nextInt(4) : r.nextLong() >>> 1;
            }
            int[] a = new int[n];
            for (int i = 0; i < n; i++) {
                a[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
            int from = r.nextInt(n);
            int to = from + r.nextInt(n - from + 1);
            Integer[] want = Arrays.stream(a, from, to).boxed().toArray(Integer[]::new);
            Arrays.sort(want, Comparator.<Integer>comparingLong(v -> -retained[v]).thenComparingInt(v -> v));
            int[] before = a.clone();
            RetainedOrder.sort(a, from, to, retained, new int[to - from]);
            assertThat(Arrays.stream(a, from, to).boxed().toArray(Integer[]::new)).containsExactly(want);
            assertThat(Arrays.copyOf(a, from)).containsExactly(Arrays.copyOf(before, from));
            assertThat(Arrays.copyOfRange(a, to, n)).containsExactly(Arrays.copyOfRange(before, to, n));
        });
    }
}
