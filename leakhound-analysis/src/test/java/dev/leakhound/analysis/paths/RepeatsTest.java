package dev.leakhound.analysis.paths;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatsTest {
    @Test
    void foldsSingleLabelRuns() {
        List<String> p = new ArrayList<>(List.of("global", ".list"));
        p.addAll(Collections.nCopies(40, "._idleNext"));
        p.add("._onTimeout");
        assertThat(Repeats.display(p)).isEqualTo("global.list._idleNext×40._onTimeout");
        assertThat(Repeats.key(p)).isEqualTo("global.list(._idleNext)+._onTimeout");
    }

    @Test
    void foldsMultiLabelUnitsAndKeysIgnoreTheLength() {
        List<String> a = new ArrayList<>(List.of("::theThing"));
        List<String> b = new ArrayList<>(List.of("::theThing"));
        for (int i = 0; i < 5; i++) {
            a.add(".someMethod");
            a.add("::originalThing");
        }
        for (int i = 0; i < 9; i++) {
            b.add(".someMethod");
            b.add("::originalThing");
        }
        assertThat(Repeats.display(a)).isEqualTo("::theThing(.someMethod::originalThing)×5");
        assertThat(Repeats.key(a)).isEqualTo(Repeats.key(b));
    }

    @Test
    void leavesShortRunsAloneInDisplay() {
        List<String> p = List.of(".a", "[3]", "[3]", ".b");
        assertThat(Repeats.display(p)).isEqualTo(".a[3][3].b");
        assertThat(Repeats.key(p)).isEqualTo(".a([3])+.b");
    }
}
