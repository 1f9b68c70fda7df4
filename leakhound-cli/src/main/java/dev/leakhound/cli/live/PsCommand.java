package dev.leakhound.cli.live;

import dev.leakhound.cli.options.TargetOptions;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.live.NodeProcesses;
import dev.leakhound.inspector.live.ProcFs;
import dev.leakhound.report.PsReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code leakhound ps}: the Node.js processes on this machine, with their memory and its trend. */
@Command(name = "ps", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists the Node.js processes on this machine (Linux, from /proc), one line each: pid, uptime,"
                + " resident memory (RSS) and its trend over --interval, whether the inspector is open (and where), the"
                + " container's memory limit (cgroup v2 memory.max or v1 memory.limit_in_bytes, with how much of it the"
                + " group uses), and the command line. The first command to run on a host where something is growing.",
                "No process is signalled or attached to: only a process started with a random inspector port"
                        + " (--inspect=0) gets an HTTP GET /json/list on its own loopback ports, to tell which one is the"
                        + " inspector. Only processes whose /proc entries leakhound can read are listed (its user's, or all as root)."},
        footer = {"", "Examples:", "  leakhound ps", "  leakhound ps --interval 5 --json"})
public final class PsCommand implements Callable<Integer> {
    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "Read each process's RSS twice, this long apart, for its trend (0: once, no trend; default ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--json", description = "One JSON document: {time, processes: [{pid, command, argv, started, uptimeSeconds,"
            + " rss, rssAnon, rssFile, rssShmem, vmSwap, pss, privateDirty, intervalMillis, rssDelta, rssPerMinute, inspector, cgroup}]}.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (!(interval >= 0) || interval > 3600) {
            throw new LeakhoundException("--interval must be between 0 and 3600 seconds, got " + interval);
        }
        if (!ProcFs.available()) {
            throw new LeakhoundException("ps needs Linux /proc (not found here)");
        }
        List<NodeProcesses.Surveyed> rows = NodeProcesses.survey(TargetOptions.seconds(interval));
        Instant now = Instant.now();
        if (json) {
            PsReport.json(rows, now, spec.commandLine().getOut());
        } else {
            PsReport.text(rows, now, spec.commandLine().getOut());
        }
        return 0;
    }
}
