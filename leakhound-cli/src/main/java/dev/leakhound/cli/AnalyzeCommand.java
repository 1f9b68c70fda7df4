package dev.leakhound.cli;

import dev.leakhound.analysis.ClassSummary;
import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.analysis.Statistics;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.SnapshotParser;
import dev.leakhound.report.AnalyzeReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Analyze one heap snapshot: statistics, classes by retained size, and the largest objects "
                + "with the path that retains each.",
                "FILE is a V8 .heapsnapshot, plain or gzipped (Node 14 to 24, Chrome)."})
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .heapsnapshot (or .heapsnapshot.gz) file")
    Path file;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20",
            description = "rows in the class and largest-object tables (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--json", description = "print one JSON document instead of tables")
    boolean json;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new dev.leakhound.core.LeakhoundException("--top must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        SnapshotAnalysis a;
        try (Progress progress = new Progress(true)) {
            long t0 = System.nanoTime();
            HeapSnapshot s = SnapshotParser.read(file, progress);
            long t1 = System.nanoTime();
            // statistics and class counts need no dominator tree: computed on the other core meanwhile
            HeapGraph g = HeapGraph.build(s, progress, gr -> {
                Statistics.compute(gr);
                ClassSummary.prepare(gr);
            });
            progress.progress("report", 0);
            long t2 = System.nanoTime();
            a = SnapshotAnalysis.of(g, top, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        }
        if (json) {
            AnalyzeReport.json(a, out);
            out.println();
        } else {
            AnalyzeReport.text(a, top, out);
        }
        out.flush();
        return 0;
    }
}
