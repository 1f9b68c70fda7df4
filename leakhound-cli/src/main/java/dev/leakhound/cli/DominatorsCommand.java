package dev.leakhound.cli;

import dev.leakhound.analysis.objects.ObjectQueries;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.cli.options.IndexOptions;
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

@Command(name = "dominators", mixinStandardHelpOptions = true,
        description = {"The dominator tree below an object (default: the root), biggest first: what each object"
                + " keeps alive on its own.",
                "@ID is an object id as analyze and the other commands print it (@123 or 123)."})
public final class DominatorsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IndexOptions index;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .heapsnapshot (or .heapsnapshot.gz) file")
    Path file;

    @Parameters(index = "1", paramLabel = "@ID", arity = "0..1", description = "the object's id (default: the root)")
    String id;

    @Option(names = "--depth", paramLabel = "D", defaultValue = "3",
            description = "levels below the object (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "children shown per object, biggest first; the rest are summed (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--json", description = "print one JSON document")
    boolean json;

    @Override
    public Integer call() {
        if (depth < 0 || depth > 50) {
            throw new LeakhoundException("--depth must be between 0 and 50");
        }
        if (top < 1) {
            throw new LeakhoundException("--top must be at least 1");
        }
        long want = id == null ? -1 : PathCommand.parseId(id);
        PrintWriter out = spec.commandLine().getOut();
        ObjectQueries.Dominators d;
        try (Progress progress = new Progress(true)) {
            d = ObjectQueries.dominators(file, want, depth, top, index.readOptions(spec.commandLine().getErr()), progress);
        }
        if (json) {
            ObjectReports.dominatorsJson(d.tree(), d.totalBytes(), depth, out);
            out.println();
        } else {
            ObjectReports.dominatorsText(d.tree(), d.totalBytes(), depth, out);
        }
        out.flush();
        return 0;
    }
}
