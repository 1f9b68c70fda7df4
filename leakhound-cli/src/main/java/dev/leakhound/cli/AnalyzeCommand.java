package dev.leakhound.cli;

import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.cli.options.IndexOptions;
import dev.leakhound.report.AnalyzeReport;
import dev.leakhound.report.html.AnalyzeHtml;
import dev.leakhound.report.html.HtmlFiles;
import dev.leakhound.cli.options.DiagnosisThresholds;
import dev.leakhound.cli.options.OutputOptions;
import dev.leakhound.cli.options.SourceMapOptions;
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

    @Mixin
    IndexOptions index;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .heapsnapshot (or .heapsnapshot.gz) file")
    Path file;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20",
            description = "rows in the class and largest-object tables (default: ${DEFAULT-VALUE})")
    int top;

    @Mixin
    OutputOptions output;

    @Mixin
    DiagnosisThresholds diagnosis;

    @Mixin
    SourceMapOptions sources;

    @Option(names = "--timings", description = "also print how long reading and each analysis step took")
    boolean timings;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new LeakhoundException("--top must be at least 1");
        }
        output.checkHtmlTarget();
        Path html = output.html();
        PrintWriter out = spec.commandLine().getOut();
        SnapshotAnalysis a;
        try (Progress progress = new Progress(true)) {
            a = SnapshotAnalysis.analyze(file, new SnapshotAnalysis.Options(top, diagnosis.options(), html != null)
                            .withSourceMaps(sources.maps(spec.commandLine().getErr())),
                    index.readOptions(spec.commandLine().getErr()), progress);
        }
        if (output.json()) {
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
