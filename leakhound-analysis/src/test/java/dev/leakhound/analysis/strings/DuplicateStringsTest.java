package dev.leakhound.analysis.strings;

import dev.leakhound.core.snapshot.StringTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DuplicateStrings#tally}: its two ways of ranking (insertion for the detector's few, a sort for serve's
 * all) agree with each other and with a plain computation of the rules, on random counts (seeded).
 */
class DuplicateStringsTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99991})
    void bothRankingsAgreeWithThePlainRules(long seed) {
        Random r = new Random(seed);
        int n = 50 + r.nextInt(400);
        StringTable st = new StringTable();
        int[] info = new int[3 * n];
        for (int i = 0; i < n; i++) {
            // some texts long enough for V8 to cut their names: never compared
            int len = r.nextInt(10) == 0 ? DuplicateStrings.MAX_TEXT_BYTES + r.nextInt(5) - 2 : 1 + r.nextInt(40);
            st.add(i + "-" + "x".repeat(Math.max(0, len - String.valueOf(i).length() - 1)));
            info[3 * i] = r.nextInt(4) == 0 ? 0 : r.nextInt(6);
            info[3 * i + 1] = 16 + 8 * r.nextInt(4);   // few sizes: ties in waste
            info[3 * i + 2] = i;
        }
        List<DuplicateStrings.Text> expected = new ArrayList<>();
        long wasted = 0;
        long copies = 0;
        for (int i = 0; i < n; i++) {
            if (info[3 * i] >= 2 && st.byteLength(i) < DuplicateStrings.MAX_TEXT_BYTES) {
                long w = (long) (info[3 * i] - 1) * info[3 * i + 1];
                expected.add(new DuplicateStrings.Text(i, info[3 * i], info[3 * i + 1], w, i));
                wasted += w;
                copies += info[3 * i] - 1;
            }
        }
        expected.sort(Comparator.comparingLong(DuplicateStrings.Text::wasted).reversed()
                .thenComparingInt(DuplicateStrings.Text::text));
        String why = "seed " + seed;
        DuplicateStrings.Tally all = DuplicateStrings.tally(info, st, Integer.MAX_VALUE);
        assertThat(all.top()).as(why).isEqualTo(expected);
        assertThat(all.texts()).as(why).isEqualTo(expected.size());
        assertThat(all.wasted()).as(why).isEqualTo(wasted);
        assertThat(all.copies()).as(why).isEqualTo(copies);
        for (int limit : new int[] {1, 5, 64, 65}) {
            DuplicateStrings.Tally few = DuplicateStrings.tally(info, st, limit);
            assertThat(few.top()).as(why + ", limit " + limit).isEqualTo(expected.subList(0, Math.min(limit, expected.size())));
            assertThat(few.wasted()).as(why).isEqualTo(wasted);
        }
    }
}
