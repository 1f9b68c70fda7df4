package dev.leakhound.inspector.watch;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GcEventTest {
    @Test
    void onlyTheLastFullGcOfAForcedGroupReachesMemwatch() {
        List<GcEvent> gcs = List.of(
                new GcEvent(1, GcKind.MAJOR, 5, 100, 0),   // the target's own: kept
                new GcEvent(2, GcKind.MAJOR, 5, 90, 7),    // forced group 7, superseded
                new GcEvent(2, GcKind.MINOR, 1, 89, 7),
                new GcEvent(2, GcKind.MAJOR, 5, 88, 7),    // last of group 7: kept
                new GcEvent(3, GcKind.MAJOR, 5, 95, 8),    // only one in group 8: kept
                new GcEvent(4, GcKind.MAJOR, 5, 96, 0));
        assertThat(GcEvent.supersededForced(gcs)).containsExactly(false, true, false, false, false, false);
    }
}
