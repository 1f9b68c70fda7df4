package dev.leakhound.cli;

import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.SnapshotParser;
import dev.leakhound.report.AnalyzeReport;
import dev.leakhound.report.html.AnalyzeHtml;
import dev.leakhound.report.html.HtmlFiles;
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

    @Option(names = "--html", paramLabel = "FILE",
            description = "also write a self-contained HTML report (charts, treemap, tables; opens offline) to FILE")
    Path html;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new dev.leakhound.core.LeakhoundException("--top must be at least 1");
        }
        if (html != null) {
            HtmlFiles.checkTarget(html);
        }
        PrintWriter out = spec.commandLine().getOut();
        SnapshotAnalysis a;
        HeapGraph g;
        try (Progress progress = new Progress(true)) {
            long t0 = System.nanoTime();
            HeapSnapshot s = SnapshotParser.read(file, progress);
            long t1 = System.nanoTime();
            g = HeapGraph.build(s, progress);
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
        if (html != null) {
            HtmlFiles.write(html, w -> AnalyzeHtml.write(a, g, w));
            spec.commandLine().getErr().println("HTML report written to " + html);
        }
        return 0;
    }
}
