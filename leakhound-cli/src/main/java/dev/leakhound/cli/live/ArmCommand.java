package dev.leakhound.cli.live;

import dev.leakhound.cli.options.TargetOptions;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.NearHeapLimit;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.report.ArmReport;
import dev.leakhound.report.CaptureReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code leakhound arm [TARGET] [--count N] [--dir DIR]}: a running process writes a snapshot near its heap limit. */
@Command(name = "arm",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Makes a running Node.js process write a heap snapshot when its heap nears its limit, just before it would die"
                    + " of out-of-memory, without a restart (v8.setHeapSnapshotNearHeapLimit through its inspector;"
                    + " Node 18.10 / 16.18 and later).",
            "Prints where the file will appear: the process's --diagnostic-dir, else its working directory, as"
                    + " Heap.<date>.<time>.<pid>.0.<seq>.heapsnapshot. The process stays armed after leakhound leaves.",
            "Node takes the setting once per process: it cannot be changed or undone later, and a process started with"
                    + " --heapsnapshot-near-heap-limit keeps that. Warns when the disk or the process's memory limit"
                    + " leaves too little room to write the snapshot. (-- COMMAND is refused: arm is for a running process.)"
        },
        showEndOfOptionsDelimiterInUsageHelp = true,
        footer = {"", "Examples:",
            "  leakhound arm --pid 4242",
            "  leakhound arm --inspect 127.0.0.1:9229 --count 2",
            "  leakhound analyze Heap.20261203.161528.4242.0.001.heapsnapshot     (after the crash)"})
public final class ArmCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1",
            description = "Snapshots to write, each time the heap nears its limit (Node raises the limit a little for each;"
                    + " default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "The folder you expect the snapshots in. A running process cannot be told another folder"
                    + " (--diagnostic-dir is a start-up flag): when DIR is not where it will write, arm refuses and names that folder.")
    String dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new LeakhoundException("--count must be 1 or more (got " + count + ")");
        }
        if (target.hasCommand()) {
            throw new LeakhoundException("arm works on a running process (--inspect HOST:PORT or --pid PID); to start a command"
                    + " armed, give node --heapsnapshot-near-heap-limit=" + count + " yourself");
        }
        try (Target t = target.open(spec.commandLine().getErr())) {
            new CaptureReport(spec.commandLine().getOut(), spec.commandLine().getErr()).attached(t);
            NearHeapLimit.Armed a = NearHeapLimit.arm(t.session(), count, dir, target.headroomPolicy().root());
            new ArmReport(spec.commandLine().getOut(), spec.commandLine().getErr()).print(a);
        }
        return 0;
    }
}
