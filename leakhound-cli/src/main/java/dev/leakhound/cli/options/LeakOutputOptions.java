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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How find-leaks, hunt and check report for CI (a picocli mixin, used with {@link OutputOptions}):
 * {@code --format text|json|junit|sarif} with {@code --out FILE} and {@code --source-root DIR}, and the
 * baseline ({@code --baseline FILE}, {@code --write-baseline FILE}).
 *
 * <p>Without {@code --out}, the one {@code --format} given goes to stdout ({@code --json} is {@code --format
 * json}; with another format it is an error). With {@code --out}, each {@code --format} is written to the
 * {@code --out} FILE given in the same position ({@code --format sarif --out a.sarif --format junit --out
 * a.xml}), and stdout carries the text report (or the JSON with {@code --json}), so a CI log shows it.
 * {@code --html FILE} is written besides, whatever the formats.
 */
public final class LeakOutputOptions {
    /** The documents a leak report can be written as. */
    public enum Format { text, json, junit, sarif }

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "text (default), json (= --json), junit or sarif; to stdout, or to the --out FILE in the same position"
                    + " (repeatable with --out)")
    List<Format> formats = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE",
            description = "write the --format document given in the same position to FILE (owner-only); stdout then"
                    + " carries the text report")
    List<Path> outs = new ArrayList<>();

    @Option(names = "--source-root", paramLabel = "DIR",
            description = "with --format sarif: scripts under DIR are written relative to it (default: the current directory);"
                    + " scripts and package.json files not found at their own path are looked for under DIR")
    Path sourceRoot;

    /** --source-root, or null. */
    public Path sourceRoot() {
        return sourceRoot;
    }

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
        if (outs.isEmpty()) {
            if (formats.size() > 1) {
                throw new LeakhoundException("only one --format can go to stdout: give an --out FILE for each --format"
                        + " (they pair up in order)");
            }
            if (output.json() && !formats.isEmpty() && formats.get(0) != Format.text && formats.get(0) != Format.json) {
                throw new LeakhoundException("--json and --format " + formats.get(0) + " are two different outputs; pick one,"
                        + " or write the --format document to --out FILE");
            }
        } else {
            if (formats.size() != outs.size()) {
                throw new LeakhoundException("each --out FILE needs its --format (json, junit or sarif), in the same order: got "
                        + formats.size() + " --format and " + outs.size() + " --out");
            }
            if (formats.contains(Format.text)) {
                throw new LeakhoundException("--format text goes to stdout, not to --out FILE: give --format json, junit or sarif"
                        + " with --out");
            }
        }
        if (sourceRoot != null && !Files.isDirectory(sourceRoot)) {
            throw new LeakhoundException("--source-root " + sourceRoot + ": no such directory");
        }
        output.checkHtmlTarget();
        for (Path out : outs) {
            HtmlFiles.checkTarget(out);
        }
        if (writeBaseline != null) {
            HtmlFiles.checkTarget(writeBaseline);
        }
        if (baselineFile != null) {
            baseline = BaselineFile.read(baselineFile);
        }
    }

    /** The format of stdout: json with {@code --json}, else the one {@code --format} without {@code --out}, else text. */
    public Format stdoutFormat(OutputOptions output) {
        if (output.json()) {
            return Format.json;
        }
        return outs.isEmpty() && !formats.isEmpty() ? formats.get(0) : Format.text;
    }

    /** Whether stdout carries a machine-readable document (a launched program's own output must then go to stderr). */
    public boolean documentOnStdout(OutputOptions output) {
        return stdoutFormat(output) != Format.text;
    }

    /** How many leaks to ask find-leaks for: the baseline's accepted ones must not crowd out new ones. */
    public int leaksToAsk(int maxLeaks) {
        return baseline == null ? maxLeaks : maxLeaks + baseline.entries().size();
    }

    /** The report compared with the baseline (statuses, at most {@code maxLeaks} new ones), or as it is without one. */
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
     * Writes everything asked for: stdout's document (or the text report), each --out document, the HTML page,
     * the baseline.
     *
     * @param suite     what was checked, for JUnit's test suite name ({@code leakhound check test/leak.js})
     * @param version   leakhound's version (SARIF's tool version)
     * @param afterText called after the text report on stdout (hunt: where the snapshots were kept)
     */
    public void emit(OutputOptions output, LeakReport r, boolean timings, String suite, String version, PrintWriter stdout,
                     PrintWriter err, Consumer<PrintWriter> afterText) {
        Format f = stdoutFormat(output);
        if (f != Format.text) {
            document(f, r, timings, suite, version, stdout);
        } else {
            LeakReportRenderer.text(r, timings, stdout);
            afterText.accept(stdout);
        }
        stdout.flush();
        for (int i = 0; i < outs.size(); i++) {
            Format of = formats.get(i);
            Path out = outs.get(i);
            HtmlFiles.write(out, w -> document(of, r, timings, suite, version, w));
            err.println("leakhound: " + of + " report written to " + out);
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
