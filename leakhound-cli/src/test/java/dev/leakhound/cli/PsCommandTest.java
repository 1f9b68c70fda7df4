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

/** leakhound ps against a real node process. */
class PsCommandTest {
    @TempDir
    Path tmp;

    /** Starts node on a script of its own and waits until /proc shows it running that script. */
    static Process startNode(Path script, String... nodeFlags) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("node"));
        cmd.addAll(List.of(nodeFlags));
        cmd.add(script.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("NODE_OPTIONS");
        Process p = pb.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!ProcFs.commandLine(p.pid()).contains(script.toString())) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("node did not start " + script);
            }
            Thread.sleep(10);
        }
        return p;
    }

    @Test
    void listsARunningNodeProcessByPidAndCommand() throws Exception {
        Assumptions.assumeTrue(ProcFs.available(), "needs Linux /proc");
        Path script = tmp.resolve("ps-target.js");
        Files.writeString(script, "setInterval(() => {}, 1000);\n");
        Process p = startNode(script);
        try {
            CliRun text = CliRun.of("ps", "--interval", "0.2");
            assertThat(text.exit()).as(text.err()).isZero();
            String line = text.out().lines().filter(l -> l.trim().startsWith(p.pid() + " ")).findFirst().orElseThrow(
                    () -> new AssertionError("pid " + p.pid() + " not listed:\n" + text.out()));
            assertThat(line).contains("node " + script, " MB", "s  ");
            assertThat(text.out().lines().findFirst().orElse("")).matches("\\s*PID\\s+UPTIME\\s+RSS\\s+TREND\\s+INSPECTOR\\s+LIMIT\\s+COMMAND\\s*");
            assertThat(text.out()).contains("TREND: how RSS changed in ");

            CliRun json = CliRun.of("ps", "--json", "--interval", "0");
            assertThat(json.exit()).as(json.err()).isZero();
            List<Object> procs = ((JsonObj) Json.parse(json.out())).arr("processes");
            JsonObj mine = procs.stream().map(o -> (JsonObj) o).filter(o -> o.lng("pid", -1) == p.pid()).findFirst().orElseThrow();
            assertThat(mine.str("command")).isEqualTo("node " + script);
            assertThat(mine.lng("rss", 0)).isPositive();
            assertThat(mine.lng("uptimeSeconds", -1)).isNotNegative();
            assertThat(mine.map()).containsKeys("inspector", "cgroup", "rssAnon", "rssFile");
            if (!ProcFs.smapsRollup(p.pid()).isEmpty()) {
                assertThat(mine.lng("pss", 0)).isPositive();
            }
            assertThat(mine.map().get("inspector")).isNull();
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aBadIntervalIsOneLineAndExit2() {
        CliRun r = CliRun.of("ps", "--interval", "-1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("leakhound: --interval must be between 0 and 3600 seconds, got -1.0" + System.lineSeparator());
    }
}
