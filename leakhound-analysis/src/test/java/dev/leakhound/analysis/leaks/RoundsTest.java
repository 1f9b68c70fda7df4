package dev.leakhound.analysis.leaks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** check's prime-count rule: a leak grows by the same positive multiple of the calls in every round. */
class RoundsTest {
    static LeakReport.Leak counts(int rank, long... counts) {
        LeakSignature s = new LeakSignature(LeakPattern.ARRAY, "{global}.a" + rank + " @ [*]", "Item");
        LeakReport.Leak base = BaselineTest.leak(rank, s, 0, 1, 100, counts.length);
        long[] bytes = Arrays.stream(counts).map(c -> c * 100).toArray();
        return new LeakReport.Leak(rank, base.pattern(), base.culprit(), base.leakedClass(), bytes[bytes.length - 1],
                counts[counts.length - 1], bytes[bytes.length - 1] - bytes[0], 0, 0, counts, bytes, base.container(), base.path(),
                base.pathText(), null, base.detail(), null, s, LeakReport.Status.NEW);
    }

    @ParameterizedTest(name = "{0} with {1} calls per round: {2} per call")
    @CsvSource(delimiter = ';', value = {
        "7 14 21; 7; 1",
        "0 14 28; 7; 2",
        "100 107; 7; 1",
        "3 36 69; 11; 3",
        "0 7 15; 7; -1",      // the second round grew by 8
        "0 6 12; 7; -1",      // proportional, but not to the calls
        "0 7 21; 7; -1",      // a multiple of 7 each time, not the same one
        "5 5 5; 7; -1",       // no growth
        "21 14 7; 7; -1",     // shrinking
        "0 13 26; 13; 1",
    })
    void perCallIsTheSameMultipleOfTheCallsEveryRound(String series, int calls, long perCall) {
        long[] c = Arrays.stream(series.split(" ")).mapToLong(Long::parseLong).toArray();
        assertThat(Rounds.perCall(counts(1, c), calls)).isEqualTo(perCall);
    }

    @Test
    void judgeKeepsProportionalLeaksAndDismissesTheRest() {
        LeakReport r = BaselineTest.report(List.of(counts(1, 0, 700, 1400), counts(2, 5, 12, 20), counts(3, 7, 14, 21),
                counts(4, 0, 14, 28)), 3);
        LeakReport.Scenario sc = new LeakReport.Scenario("/app/leak.js", 7, 7);
        LeakReport j = Rounds.judge(r, sc, 2);
        assertThat(j.scenario()).isEqualTo(sc);
        assertThat(j.leaks()).extracting(l -> l.countsPerSnapshot()[2]).containsExactly(1400L, 21L);   // at most 2, ranked again
        assertThat(j.leaks()).extracting(LeakReport.Leak::rank).containsExactly(1, 2);
        assertThat(j.dismissed()).hasSize(1);
        LeakReport.Leak d = j.dismissed().get(0);
        assertThat(d.rank()).isZero();
        assertThat(d.dismissal().reason()).isEqualTo(LeakReport.Dismissal.Reason.NOT_PROPORTIONAL);
        assertThat(d.dismissal().amount()).isEqualTo(7);
        assertThat(d.dismissal().threshold()).isEqualTo(7);
        assertThat(sc.rounds(j)).isEqualTo(2);
    }
}
