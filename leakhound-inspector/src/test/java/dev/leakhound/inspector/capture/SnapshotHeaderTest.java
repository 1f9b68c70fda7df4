package dev.leakhound.inspector.capture;

import dev.leakhound.core.LeakhoundException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotHeaderTest {
    @Test
    void readsTheCountsAfterTheMeta() {
        String head = "{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\",\"name\"],\"node_types\":[[\"hidden\"],\"string\"]},"
                + "\"node_count\":4641912,\"edge_count\":15048808,\"trace_function_count\":0},\n\"nodes\":[9,1";
        assertThat(SnapshotHeader.parse(head, "x")).isEqualTo(new SnapshotHeader(4_641_912, 15_048_808));
    }

    @Test
    void refusesWhatIsNotASnapshot() {
        assertThatThrownBy(() -> SnapshotHeader.parse("<html>", "f.heapsnapshot")).isInstanceOf(LeakhoundException.class)
                .hasMessage("f.heapsnapshot does not start like a V8 heap snapshot");
        assertThatThrownBy(() -> SnapshotHeader.parse("{\"snapshot\":{\"meta\":{}", "f")).isInstanceOf(LeakhoundException.class)
                .hasMessageContaining("no snapshot.node_count");
    }
}
