package dev.leakhound.inspector.cleanup;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cleanup.CleanupRegistry.Phase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CleanupRegistryTest {
    @Test
    void phasesRunInOrderAndLatestFirstWithinAPhase() {
        CleanupRegistry r = new CleanupRegistry();
        List<String> ran = new ArrayList<>();
        r.register(Phase.DELETE_FILES, "delete a", () -> ran.add("delete a"));
        r.register(Phase.END_TARGETS, "end target", () -> ran.add("end target"));
        r.register(Phase.DELETE_FILES, "delete b", () -> ran.add("delete b"));
        r.register(Phase.STOP_WORK, "stop load", () -> ran.add("stop load"));
        assertThat(r.runAll()).isEmpty();
        assertThat(ran).containsExactly("stop load", "end target", "delete b", "delete a");
        assertThat(r.size()).isZero();
    }

    @Test
    void aClosedRegistrationDoesNotRunAndEachActionRunsOnce() {
        CleanupRegistry r = new CleanupRegistry();
        List<String> ran = new ArrayList<>();
        CleanupRegistry.Registration gone = r.register(Phase.STOP_WORK, "gone", () -> ran.add("gone"));
        r.register(Phase.STOP_WORK, "kept", () -> ran.add("kept"));
        gone.close();
        gone.close();
        r.runAll();
        r.runAll();
        assertThat(ran).containsExactly("kept");
    }

    @Test
    void aFailingActionIsReportedAndTheOthersStillRun() {
        CleanupRegistry r = new CleanupRegistry();
        List<String> ran = new ArrayList<>();
        r.register(Phase.DELETE_FILES, "delete", () -> ran.add("delete"));
        r.register(Phase.END_TARGETS, "end", () -> {
            throw new IllegalStateException("boom");
        });
        List<CleanupRegistry.Failure> failures = r.runAll();
        assertThat(ran).containsExactly("delete");
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.what()).isEqualTo("end");
            assertThat(f.error()).hasMessage("boom");
        });
    }

    @Test
    void anActionMayCloseAnotherRegistration() {
        CleanupRegistry r = new CleanupRegistry();
        List<String> ran = new ArrayList<>();
        CleanupRegistry.Registration files = r.register(Phase.DELETE_FILES, "files", () -> ran.add("files"));
        r.register(Phase.END_TARGETS, "target", () -> {
            ran.add("target");
            files.close(); // cleaned up by itself
        });
        r.runAll();
        assertThat(ran).containsExactly("target");
    }

    @Test
    void noRegistrationOnceEnding() {
        CleanupRegistry r = new CleanupRegistry();
        r.runAll();
        assertThat(r.isRunning()).isTrue();
        assertThatThrownBy(() -> r.register(Phase.DELETE_FILES, "write a snapshot", () -> { }))
                .isInstanceOf(LeakhoundException.class)
                .hasMessage("leakhound is ending: not starting to write a snapshot");
    }
}
