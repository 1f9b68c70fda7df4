package dev.leakhound.cli;

import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.report.LeakReportRenderer;
import dev.leakhound.report.html.FindLeaksHtml;
import dev.leakhound.report.html.HtmlFiles;
import picocli.CommandLine.Command;
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

    @Parameters(arity = "2..*", paramLabel = "SNAPSHOT", description = "snapshots of one process, oldest first (three or more recommended)")
    List<Path> files;

    @Option(names = "--json", description = "print one JSON document (shape documented in the README)")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "also write a self-contained HTML report (verdict, growth charts, paths, class comparison) to FILE")
    Path html;

    @Option(names = "--fail-on-leak", description = "exit with code 1 when the verdict is leak (for CI)")
    boolean failOnLeak;

    @Option(names = "--min-bytes", paramLabel = "BYTES", defaultValue = "65536",
            description = "smallest growth (new bytes kept) reported as a leak (default: ${DEFAULT-VALUE})")
    long minBytes;

    @Option(names = "--min-count", paramLabel = "N", defaultValue = "5",
            description = "smallest growth in objects reported as a leak (default: ${DEFAULT-VALUE})")
    long minCount;

    @Option(names = "--max-leaks", paramLabel = "N", defaultValue = "10",
            description = "report at most N leaks, most growth first (default: ${DEFAULT-VALUE})")
    int maxLeaks;

    @Option(names = "--timings", description = "also print how long reading and each analysis step took")
    boolean timings;

    @Override
    public Integer call() {
        if (minBytes < 0 || minCount < 0 || maxLeaks < 1) {
            throw new LeakhoundException("--min-bytes and --min-count must be >= 0 and --max-leaks >= 1");
        }
        if (html != null) {
            HtmlFiles.checkTarget(html);
        }
        FindLeaks.Options options = new FindLeaks.Options(minBytes, minCount, maxLeaks,
                FindLeaks.Options.defaults().bytesOnlyGrowth(), html != null);
        LeakReport r;
        try (Progress progress = new Progress(true)) {
            r = FindLeaks.run(files, options, progress);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
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
        return r.leak() && failOnLeak ? 1 : 0;
    }
}
