package dev.leakhound.inspector.integration;

import dev.leakhound.inspector.live.NodeProcesses;
import dev.leakhound.inspector.live.ProcFs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** leakhound ps's survey against real node processes: found by pid and command, inspector told apart. */
class NodeProcessesTest {
    @Test
    void findsNodeProcessesWithTheirInspector() throws Exception {
        Assumptions.assumeTrue(ProcFs.available(), "needs Linux /proc");
        try (NodeProcess open = NodeProcess.start(List.of("--inspect=127.0.0.1:0"), "idle.js");
             NodeProcess closed = NodeProcess.start(List.of(), "idle.js", "--heap-mb", "8")) {
            int port = open.inspectorPort();
            List<NodeProcesses.Surveyed> rows = NodeProcesses.survey(Duration.ofMillis(200));
            NodeProcesses.Surveyed a = find(rows, open.pid());
            NodeProcesses.Surveyed b = find(rows, closed.pid());
            assertThat(a.proc().command()).contains("--inspect=127.0.0.1:0", NodeProcess.script("idle.js").toString());
            assertThat(a.inspector()).isNotNull();
            assertThat(a.inspector().port()).isEqualTo(port);
            assertThat(a.inspector().loopback()).isTrue();
            assertThat(b.inspector()).isNull();
            assertThat(b.proc().argv()).endsWith("--heap-mb", "8");
            assertThat(b.proc().rss()).isGreaterThan(8L << 20);
            assertThat(b.proc().started()).isNotNull();
            assertThat(a.millis()).isGreaterThanOrEqualTo(200);
            assertThat(rows).extracting(r -> r.proc().pid()).doesNotContain(ProcessHandle.current().pid());
        }
    }

    @Test
    void recognisesNodeByItsExecutableOrArgv0() {
        assertThat(NodeProcesses.looksLikeNode("/usr/bin/node", List.of("my-server"))).isTrue();
        assertThat(NodeProcesses.looksLikeNode(null, List.of("/opt/node-v20/bin/node", "app.js"))).isTrue();
        assertThat(NodeProcesses.looksLikeNode("/usr/bin/python3", List.of("python3", "node.py"))).isFalse();
        assertThat(NodeProcesses.looksLikeNode(null, List.of())).isFalse();
    }

    private static NodeProcesses.Surveyed find(List<NodeProcesses.Surveyed> rows, long pid) {
        return rows.stream().filter(r -> r.proc().pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("pid " + pid + " not in " + rows.stream().map(r -> r.proc().pid()).toList()));
    }
}
