package dev.leakhound.core.snapshot;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotLocationsTest {
    /** The radix sort gives exactly what a stable comparison sort gives, duplicates in file order. */
    @Property(tries = 200)
    void entriesAreSortedStablyByNode(@ForAll long seed) {
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
