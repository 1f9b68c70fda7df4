package dev.leakhound.cli;

import dev.leakhound.analysis.objects.ObjectQueries;
import dev.leakhound.analysis.paths.ShortestPaths;
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

@Command(name = "path", mixinStandardHelpOptions = true,
        description = {"The k shortest retainer paths from the roots to an object (weak edges excluded), as DevTools'"
                + " Retainers view reads them: global.cache.items[12] -> Session @123.",
                "@ID is an object id as analyze and the other commands print it (@123 or 123)."})
public final class PathCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IndexOptions index;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .heapsnapshot (or .heapsnapshot.gz) file")
    Path file;

    @Parameters(index = "1", paramLabel = "@ID", description = "the object's id")
    String id;

    @Option(names = {"-k", "--paths"}, paramLabel = "N", defaultValue = "3",
            description = "how many paths, shortest first (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--json", description = "print one JSON document")
    boolean json;

    @Override
    public Integer call() {
        if (k < 1) {
            throw new LeakhoundException("-k must be at least 1");
        }
        long want = parseId(id);
        PrintWriter out = spec.commandLine().getOut();
        ShortestPaths.Result r;
        try (Progress progress = new Progress(true)) {
            r = ObjectQueries.paths(file, want, k, index.readOptions(spec.commandLine().getErr()), progress);
        }
        if (json) {
            ObjectReports.pathsJson(r, out);
            out.println();
        } else {
            ObjectReports.pathsText(r, k, out);
        }
        out.flush();
        return 0;
    }

    /** {@code @123} or {@code 123}; anything else is a one-line error. */
    static long parseId(String text) {
        String t = text.startsWith("@") ? text.substring(1) : text;
        if (t.isEmpty() || t.length() > 10 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new LeakhoundException("'" + text + "' is not an object id (expected @123 or 123)");
        }
        long v = Long.parseLong(t);
        if (v > 0xFFFFFFFFL) {
            throw new LeakhoundException("'" + text + "' is not an object id (ids are 32-bit)");
        }
        return v;
    }
}
