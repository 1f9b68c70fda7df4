package dev.leakhound.core.snapshot;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StringTableTest {
    @Test
    void growthNeverOverflowsAndStopsAtTheLimit() {
        assertThat(StringTable.grownCapacity(0, StringTable.MAX_STRINGS)).isEqualTo(16);
        assertThat(StringTable.grownCapacity(1024, StringTable.MAX_STRINGS)).isEqualTo(1536);
        // size + size / 2 passes 2^31 from about 1.43G on: capped, not negative
        assertThat(StringTable.grownCapacity(1_431_655_766, StringTable.MAX_ARRAY)).isEqualTo(StringTable.MAX_ARRAY);
        assertThat(StringTable.grownCapacity(2_000_000_000, StringTable.MAX_ARRAY)).isEqualTo(StringTable.MAX_ARRAY);
        assertThat(StringTable.grownCapacity(600_000_000, StringTable.MAX_STRINGS)).isEqualTo(StringTable.MAX_STRINGS);
    }

    @Test
    void aFullTableFailsClearlyAndKeepsWhatItHolds() {
        StringTable t = new StringTable(20);
        for (int i = 0; i < 20; i++) {
            assertThat(t.isFull()).isFalse();
            assertThat(t.add("s" + i)).isEqualTo(i);
        }
        assertThat(t.isFull()).isTrue();
        assertThatThrownBy(() -> t.add("one too many"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a string table holds at most 20 strings");
        assertThat(t.size()).isEqualTo(20);
        assertThat(t.get(19)).isEqualTo("s19");
    }

    @Test
    void threeIntsPerStringFitOneArray() {
        assertThat(3L * StringTable.MAX_STRINGS).isLessThanOrEqualTo(StringTable.MAX_ARRAY);
    }
}
