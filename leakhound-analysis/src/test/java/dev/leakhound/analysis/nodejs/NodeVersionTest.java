package dev.leakhound.analysis.nodejs;

import dev.leakhound.analysis.ExampleSnapshots;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.SnapshotParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NodeVersionTest {
    /** Each fixture names the node that wrote it in its string {@code fixture-meta:node=<version>;mode=...}. */
    @ParameterizedTest
    @ValueSource(strings = {"node14", "node16", "node18", "node20", "node20-alloc-tracking", "node22", "node24"})
    void readsTheVersionOfEveryFixture(String name) {
        HeapSnapshot s = SnapshotParser.read(ExampleSnapshots.root().resolve("testdata/snapshots/" + name + ".heapsnapshot.gz"));
        String meta = null;
        for (int i = 0; i < s.strings().size() && meta == null; i++) {
            if (s.strings().startsWithAscii(i, "fixture-meta:node=v") && s.strings().get(i).contains(";mode=")) {
                meta = s.strings().get(i);
            }
        }
        assertThat(meta).isNotNull();
        String expected = meta.substring("fixture-meta:node=".length(), meta.indexOf(';'));
        assertThat(NodeVersion.of(s)).isEqualTo(expected);
    }
}
