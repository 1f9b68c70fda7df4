package dev.leakhound.cli.options;

import dev.leakhound.analysis.leaks.Baseline;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.report.BaselineFile;
import dev.leakhound.report.JUnitReport;
import dev.leakhound.report.LeakReportRenderer;
import dev.leakhound.report.SarifReport;
import dev.leakhound.report.html.FindLeaksHtml;
import dev.leakhound.report.html.HtmlFiles;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * How find-leaks, hunt and check report for CI (a picocli mixin, used with {@link OutputOptions}):
 * {@code --format text|json|junit|sarif} with {@code --out FILE} and {@code --source-root DIR}, and the
 * baseline ({@code --baseline FILE}, {@code --write-baseline FILE}).
 *
 * <p>The document {@code --format} names goes to stdout, or with {@code --out FILE} to that file, and then
 * the text report still goes to stdout (a CI log shows it). {@code --json} is {@code --format json}; with
 * another {@code --format} it is an error. {@code --html FILE} is written besides, whatever the format.
 */
public final class LeakOutputOptions {
    /** The documents a leak report can be written as. */
    public enum Format { text, json, junit, sarif }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json (= --json), junit or sarif (default: ${DEFAULT-VALUE}); to stdout, or to --out FILE")
    Format format;

    @Option(names = "--out", paramLabel = "FILE",
            description = "write the --format document (json, junit or sarif) to FILE (owner-only) and the text report to stdout")
    Path out;

    @Option(names = "--source-root", paramLabel = "DIR",
            description = "with --format sarif: scripts under DIR are written relative to it (default: the current directory)")
    Path sourceRoot;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "leaks accepted for now (from --write-baseline): only new leaks, and accepted ones growing more than"
                    + " twice as fast as recorded (worse), fail the run")
    Path baselineFile;

    @Option(names = "--write-baseline", paramLabel = "FILE",
            description = "record the leaks found in FILE as accepted (with their growth); the run then exits 0 on them"
                    + " unless --baseline is also given")
    Path writeBaseline;

    private Baseline baseline;

    /**
     * Checks the options and reads the baseline, before anything long starts: a bad combination, an output
     * file that could not be written or a bad baseline is a one-line error (exit 2).
     */
    public void check(OutputOptions output) {
        if (output.json() && format != Format.text && format != Format.json) {
            throw new LeakhoundException("--json and --format " + format + " are two different outputs; pick one");
        }
        if (out != null && format(output) == Format.text) {
            throw new LeakhoundException("--out FILE writes the --format document: give --format json, junit or sarif"
                    + " (the text report goes to stdout)");
        }
        if (sourceRoot != null && !Files.isDirectory(sourceRoot)) {
            throw new LeakhoundException("--source-root " + sourceRoot + ": no such directory");
        }
        output.checkHtmlTarget();
        if (out != null) {
            HtmlFiles.checkTarget(out);
        }
        if (writeBaseline != null) {
            HtmlFiles.checkTarget(writeBaseline);
        }
        if (baselineFile != null) {
            baseline = BaselineFile.read(baselineFile);
        }
    }

    /** The format in effect ({@code --json} is json). */
    public Format format(OutputOptions output) {
        return output.json() ? Format.json : format;
    }

    /** Whether stdout carries a machine-readable document (a launched program's own output must then go to stderr). */
    public boolean documentOnStdout(OutputOptions output) {
        return format(output) != Format.text && out == null;
    }

    /** How many leaks to ask find-leaks for: the baseline's accepted ones must not crowd out new ones. */
    public int leaksToAsk(int maxLeaks) {
        return baseline == null ? maxLeaks : maxLeaks + baseline.entries().size();
    }

    /** The report compared with the baseline (statuses, at most {@code maxLeaks} new or worse), or as it is without one. */
    public LeakReport compare(LeakReport r, int maxLeaks) {
        return baseline == null ? r : baseline.apply(r, maxLeaks);
    }

    /**
     * Whether the run fails on its leaks: a new or worse one; never when it only records a baseline
     * ({@code --write-baseline} without {@code --baseline}: the leaks found are the ones it accepts).
     */
    public boolean fails(LeakReport r) {
        if (writeBaseline != null && baseline == null) {
            return false;
        }
        return !r.failing().isEmpty();
    }

    /**
     * Writes everything asked for: the document on stdout (or the text report, with the document in --out),
     * the HTML page, the baseline.
     *
     * @param suite     what was checked, for JUnit's test suite name ({@code leakhound check test/leak.js})
     * @param version   leakhound's version (SARIF's tool version)
     * @param afterText called after the text report on stdout (hunt: where the snapshots were kept)
     */
    public void emit(OutputOptions output, LeakReport r, boolean timings, String suite, String version, PrintWriter stdout,
                     PrintWriter err, Consumer<PrintWriter> afterText) {
        Format f = format(output);
        if (out == null && f != Format.text) {
            document(f, r, timings, suite, version, stdout);
        } else {
            LeakReportRenderer.text(r, timings, stdout);
            afterText.accept(stdout);
        }
        stdout.flush();
        if (out != null) {
            HtmlFiles.write(out, w -> document(f, r, timings, suite, version, w));
            err.println("leakhound: " + f + " report written to " + out);
        }
        Path html = output.html();
        if (html != null) {
            HtmlFiles.write(html, w -> FindLeaksHtml.write(r, timings, w));
            err.println("HTML report written to " + html);
        }
        if (writeBaseline != null) {
            BaselineFile.write(writeBaseline, r);
            err.println("leakhound: baseline written to " + writeBaseline + " (" + r.leaks().size()
                    + (r.leaks().size() == 1 ? " leak" : " leaks") + " accepted)");
        }
        err.flush();
    }

    private void document(Format f, LeakReport r, boolean timings, String suite, String version, Writer w) {
        PrintWriter p = w instanceof PrintWriter pw ? pw : new PrintWriter(w);
        switch (f) {
            case json -> LeakReportRenderer.json(r, timings, p);
            case junit -> JUnitReport.write(r, suite, p);
            case sarif -> SarifReport.write(r, sourceRoot != null ? sourceRoot : Path.of(""), version, p);
            default -> LeakReportRenderer.text(r, timings, p);
        }
        p.println();
        p.flush();
    }
}
