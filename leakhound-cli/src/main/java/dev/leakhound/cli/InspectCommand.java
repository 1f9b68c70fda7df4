package dev.leakhound.cli;

import dev.leakhound.analysis.objects.ObjectInfo;
import dev.leakhound.analysis.objects.ObjectQueries;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.cli.options.IndexOptions;
import dev.leakhound.cli.options.SourceMapOptions;
import dev.leakhound.report.ObjectReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"One object: its class, shallow and retained size, distance, dominator, source location, a"
                + " shortest retainer path, its outgoing edges with what each target weighs, and its retainers.",
                "@ID is an object id as analyze and the other commands print it (@123 or 123)."})
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IndexOptions index;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .heapsnapshot (or .heapsnapshot.gz) file")
    Path file;

    @Parameters(index = "1", paramLabel = "@ID", description = "the object's id")
    String id;

    @Option(names = "--edges", paramLabel = "N", defaultValue = "100",
            description = "outgoing edges shown (default: ${DEFAULT-VALUE})")
    int edges;

    @Option(names = "--retainers", paramLabel = "N", defaultValue = "10",
            description = "retainers shown (default: ${DEFAULT-VALUE})")
    int retainers;

    @Option(names = "--json", description = "print one JSON document")
    boolean json;

    @Mixin
    SourceMapOptions sources;

    @Override
    public Integer call() {
        if (edges < 0 || retainers < 0) {
            throw new LeakhoundException("--edges and --retainers must not be negative");
        }
        long want = PathCommand.parseId(id);
        PrintWriter out = spec.commandLine().getOut();
        ObjectInfo info;
        try (Progress progress = new Progress(true)) {
            info = ObjectQueries.inspect(file, want, edges, retainers, index.readOptions(spec.commandLine().getErr()),
                    sources.maps(spec.commandLine().getErr()), progress);
        }
        if (json) {
            ObjectReports.inspectJson(info, out);
            out.println();
        } else {
            ObjectReports.inspectText(info, out);
        }
        out.flush();
        return 0;
    }
}
