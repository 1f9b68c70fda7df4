package dev.leakhound.cli.live;

import dev.leakhound.cli.options.TargetOptions;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.workers.Workers;
import dev.leakhound.report.CaptureReport;
import dev.leakhound.report.WorkersReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code leakhound workers [TARGET] [--json]}: the worker threads of a live process, with their heaps. */
@Command(name = "workers",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Lists the worker threads of a live Node.js process: id, script, heap used.",
            "Through the inspector's NodeWorker domain: id (threadId), type, title, script URL and V8 heap used/total"
                    + " (v8.getHeapStatistics() inside each worker).",
            "The id is what --worker takes in snapshot, watch and hunt. With -- COMMAND, leakhound waits (up to --timeout)"
                    + " for the program's first worker to start.",
            "--json: {pid, nodeVersion, script, workers: [{id, type, title, url, heapUsed, heapTotal, heapLimit}]}."
        },
        showEndOfOptionsDelimiterInUsageHelp = true,
        footer = {"", "Examples:",
            "  leakhound workers                    (node --inspect listening on 127.0.0.1:9229)",
            "  leakhound workers --pid 4242 --json"})
public final class WorkersCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // a launched program's own output goes to stderr when stdout carries JSON
        try (Target t = target.open(err, json ? System.err : null)) {
            new CaptureReport(out, err).attached(t);
            Workers ws = Workers.open(t);
            ws.awaitFirstIfLaunched();
            List<Workers.Listed> rows = ws.listWithHeap();
            if (json) {
                WorkersReport.json(t, rows, out);
            } else {
                WorkersReport.text(t, rows, out);
            }
        }
        return 0;
    }
}
