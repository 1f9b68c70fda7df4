package dev.leakhound.cli;

import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.cli.options.LeakThresholdOptions;
import dev.leakhound.cli.options.OutputOptions;
import dev.leakhound.cli.options.IndexOptions;
import dev.leakhound.report.LeakReportRenderer;
import dev.leakhound.report.html.FindLeaksHtml;
import dev.leakhound.report.html.HtmlFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "find-leaks", mixinStandardHelpOptions = true,
        description = {"Find what a growing process leaks, from two or more snapshots of it taken over time "
                + "(oldest first): the objects allocated after the first snapshot that are still alive and keep "
                + "growing, grouped by the path that holds them, with the accumulation point, the source line and a fix.",
                "Exit code 0 whatever the verdict (1 on a leak with --fail-on-leak), 2 on an error."})
public final class FindLeaksCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IndexOptions index;

    @Parameters(arity = "2..*", paramLabel = "SNAPSHOT", description = "snapshots of one process, oldest first (three or more recommended)")
    List<Path> files;

    @Mixin
    OutputOptions output;

    @Mixin
    LeakThresholdOptions thresholds;

    @Option(names = "--timings", description = "also print how long reading and each analysis step took")
    boolean timings;

    @Override
    public Integer call() {
        thresholds.validate();
        output.checkHtmlTarget();
        Path html = output.html();
        FindLeaks.Options options = new FindLeaks.Options(thresholds.minBytes(), thresholds.minCount(),
                thresholds.maxLeaks(), FindLeaks.Options.defaults().bytesOnlyGrowth(), html != null);
        LeakReport r;
        try (Progress progress = new Progress(true)) {
            r = FindLeaks.run(files, options, index.readOptions(spec.commandLine().getErr()), progress);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            LeakReportRenderer.json(r, timings, out);
            out.println();
        } else {
            LeakReportRenderer.text(r, timings, out);
        }
        out.flush();
        if (html != null) {
            HtmlFiles.write(html, w -> FindLeaksHtml.write(r, timings, w));
            spec.commandLine().getErr().println("HTML report written to " + html);
        }
        return thresholds.exitCode(r.leak());
    }
}
