package dev.leakhound.cli;

import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.core.LeakhoundException;
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
import java.util.Locale;

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
    // ---- diagnosis thresholds (see the README: "leakhound analyze: diagnosis") ----

    @Option(names = "--no-diagnosis", description = "leave out the diagnosis (leak suspects and Node.js leak patterns)")
    boolean noDiagnosis;

    @Option(names = "--min-bytes", paramLabel = "SIZE", defaultValue = "4MB",
            description = "bytes at stake for findings that rest on size: suspects, collections, closure scopes, "
                    + "external memory, duplicate strings (e.g. 512KB, 4MB; default: ${DEFAULT-VALUE})")
    String minBytes;

    @Option(names = "--suspect-percent", paramLabel = "P", defaultValue = "10",
            description = "share of the heap a leak suspect retains, in percent (MAT's default: ${DEFAULT-VALUE})")
    double suspectPercent;

    @Option(names = "--min-listeners", paramLabel = "N", defaultValue = "11",
            description = "listeners for one event that make a finding (default ${DEFAULT-VALUE}: more than Node's maxListeners)")
    int minListeners;

    @Option(names = "--min-timers", paramLabel = "N", defaultValue = "10",
            description = "live timers running one function that make a finding (default: ${DEFAULT-VALUE})")
    int minTimers;

    @Option(names = "--min-entries", paramLabel = "N", defaultValue = "10000",
            description = "entries that make a collection's fan-out very high on their own (default: ${DEFAULT-VALUE})")
    int minEntries;

    @Option(names = "--min-chain", paramLabel = "N", defaultValue = "10",
            description = "closure scopes of one function linked into a chain (default: ${DEFAULT-VALUE})")
    int minChain;

    @Option(names = "--max-findings", paramLabel = "N", defaultValue = "10",
            description = "findings shown, biggest first (default: ${DEFAULT-VALUE})")
    int maxFindings;

    DiagnosisOptions diagnosisOptions() {
        if (noDiagnosis) {
            return null;
        }
        if (!(suspectPercent > 0 && suspectPercent <= 100)) {
            throw new LeakhoundException("--suspect-percent must be in (0, 100], got " + suspectPercent);
        }
        return DiagnosisOptions.defaults().withMinBytes(parseSize("--min-bytes", minBytes))
                .withSuspectShare(suspectPercent / 100).withMinListeners(minListeners).withMinTimers(minTimers)
                .withMinEntries(minEntries).withMinChain(minChain).withMaxFindings(maxFindings);
    }

    /** A size: a number of bytes, optionally with a unit (B, KB, MB, GB; K, M, G; binary multiples). */
    static long parseSize(String option, String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        String[][] units = {{"KB", "1024"}, {"MB", "1048576"}, {"GB", "1073741824"}, {"K", "1024"}, {"M", "1048576"},
            {"G", "1073741824"}, {"B", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                mult = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            double v = Double.parseDouble(t);
            if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return (long) (v * mult);
        } catch (NumberFormatException e) {
            throw new LeakhoundException(option + ": '" + text + "' is not a size (e.g. 4MB, 512KB, 1048576)");
        }
    }

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
            a = SnapshotAnalysis.analyze(file, new SnapshotAnalysis.Options(top, diagnosisOptions(), html != null), progress);
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
