package dev.leakhound.cli;

import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.report.AnalyzeReport;
import dev.leakhound.report.html.AnalyzeHtml;
import dev.leakhound.report.html.HtmlFiles;
import dev.leakhound.cli.options.DiagnosisThresholds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Analyze one heap snapshot: statistics, classes by retained size, the largest objects "
                + "with the path that retains each, and a diagnosis: leak suspects (Eclipse MAT's method) and Node.js "
                + "leak patterns (listeners, timers, closures, collections, external memory, duplicate strings).",
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
    @Mixin
    DiagnosisThresholds diagnosis;

    @Option(names = "--timings", description = "also print how long reading and each analysis step took")
    boolean timings;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new LeakhoundException("--top must be at least 1");
        }
        if (html != null) {
            HtmlFiles.checkTarget(html);
        }
        PrintWriter out = spec.commandLine().getOut();
        SnapshotAnalysis a;
        try (Progress progress = new Progress(true)) {
            a = SnapshotAnalysis.analyze(file, new SnapshotAnalysis.Options(top, diagnosis.options(), html != null), progress);
        }
        if (json) {
            AnalyzeReport.json(a, timings, out);
            out.println();
        } else {
            AnalyzeReport.text(a, top, timings, out);
        }
        out.flush();
        if (html != null) {
            HtmlFiles.write(html, w -> AnalyzeHtml.write(a, timings, w));
            spec.commandLine().getErr().println("HTML report written to " + html);
        }
        return 0;
    }
}
