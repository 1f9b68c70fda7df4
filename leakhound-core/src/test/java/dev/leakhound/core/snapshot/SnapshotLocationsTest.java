package dev.leakhound.core.snapshot;

import dev.leakhound.core.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotLocationsTest {
    /** The radix sort gives exactly what a stable comparison sort gives, duplicates in file order. */
    static LongStream seeds() {
        return Seeds.of("locations-sort", 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void entriesAreSortedStablyByNode(long seed) {
        Seeds.check(seed, () -> sortsStably(seed));
    }

    private static void sortsStably(long seed) {
        Random r = new Random(seed);
        int count = r.nextInt(3000);
        int bound = r.nextBoolean() ? 50 : Integer.MAX_VALUE;
        int[] node = new int[count];
        int[] script = new int[count];
        for (int i = 0; i < count; i++) {
            node[i] = r.nextInt(bound);
            script[i] = i;    // remembers the file position
        }
        SnapshotLocations l = new SnapshotLocations(node.clone(), script.clone(), new int[count], new int[count], count);
        Integer[] want = new Integer[count];
        for (int i = 0; i < count; i++) {
            want[i] = i;
        }
        Arrays.sort(want, Comparator.comparingInt(i -> node[i]));
        assertThat(l.size()).isEqualTo(count);
        for (int i = 0; i < count; i++) {
            assertThat(l.node(i)).isEqualTo(node[want[i]]);
            assertThat(l.scriptId(i)).isEqualTo(want[i]);
        }
    }
}
