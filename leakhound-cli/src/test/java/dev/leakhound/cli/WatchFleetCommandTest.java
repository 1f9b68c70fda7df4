package dev.leakhound.cli;

import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.inspector.live.ProcFs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** watch with several --pid through the CLI, and the one-line errors of the fleet options. */
class WatchFleetCommandTest {
    @TempDir
    Path tmp;

    @Test
    void severalPidsAreWatchedEachOnItsOwnLines() throws Exception {
        Assumptions.assumeTrue(ProcFs.available(), "needs Linux /proc");
        Path script = tmp.resolve("fleet-target.js");
        Files.writeString(script, "setInterval(() => {}, 1000);\n");
        // --inspect-port=0: SIGUSR1 opens each one's inspector on a port of its own (the default, 9229, can be
        // held by one process only)
        Process a = PsCommandTest.startNode(script, "--inspect-port=0");
        Process b = PsCommandTest.startNode(script, "--inspect-port=0");
        try {
            CliRun r = CliRun.of("watch", "--pid", Long.toString(a.pid()), "--pid", Long.toString(b.pid()), "--interval", "0.3",
                    "--duration", "3", "--json");
            assertThat(r.exit()).as(r.err()).isZero();
            List<JsonObj> lines = r.out().lines().map(l -> (JsonObj) Json.parse(l)).toList();
            for (Process p : List.of(a, b)) {
                assertThat(lines).as(r.out()).anyMatch(o -> "process".equals(o.str("type")) && "appeared".equals(o.str("event"))
                        && o.lng("pid", 0) == p.pid() && ("node --inspect-port=0 " + script).equals(o.str("command")));
                // named with --pid: attached (SIGUSR1), so heap figures come
                assertThat(lines).as(r.out()).anyMatch(o -> "sample".equals(o.str("type")) && o.lng("pid", 0) == p.pid()
                        && o.lng("heapUsed", 0) > 0 && o.map().containsKey("nativeOutsideV8"));
            }
            assertThat(lines.get(lines.size() - 1).str("type")).isEqualTo("end");
            assertThat(r.err()).contains("turning on the inspector of process " + a.pid(), "closed the inspector leakhound opened");
        } finally {
            a.destroyForcibly().waitFor();
            b.destroyForcibly().waitFor();
        }
    }

    @Test
    void fleetOptionErrorsAreOneLine() {
        String nl = System.lineSeparator();
        CliRun r = CliRun.of("watch", "--all", "--inspect", "127.0.0.1:9229");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("leakhound: --all and several --pid follow processes by pid: --inspect and -- COMMAND do not go with them" + nl);
        r = CliRun.of("watch", "--match", "x", "--inspect", "127.0.0.1:1");
        assertThat(r.err()).isEqualTo("leakhound: --match goes with --all" + nl);
        r = CliRun.of("watch", "--all", "--match", "(");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("leakhound: --match (: not a regular expression");
        r = CliRun.of("snapshot", "--pid", "1", "--pid", "2");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("leakhound: give one --pid (only watch follows several processes)" + nl);
        r = CliRun.of("watch", "--pid", Long.toString(ProcessHandle.current().pid()), "--pid", "999999999");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("leakhound: --pid 999999999: no such process" + nl);
    }
}
