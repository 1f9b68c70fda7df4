package dev.leakhound.cli;

import dev.leakhound.analysis.diff.DiffResult;
import dev.leakhound.analysis.diff.MemwatchDiff;
import dev.leakhound.analysis.diff.SameProcessCheck;
import dev.leakhound.analysis.diff.SnapshotDiff;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.SnapshotParser;
import dev.leakhound.report.DiffReport;
import dev.leakhound.report.html.DiffHtml;
import dev.leakhound.report.html.HtmlFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compare two snapshots of one process, as DevTools' Comparison view does: objects matched by id, "
                + "per class the objects allocated (# new) and freed (# deleted) between BEFORE and AFTER and their self "
                + "sizes, biggest size delta first.",
                "--format memwatch prints node-memwatch's HeapDiff JSON instead, for scripts written against it.",
                "Snapshots of two different processes are refused (ids only match within one process) unless --force."})
public final class DiffCommand implements Callable<Integer> {
    enum OutputFormat { text, json, memwatch }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BEFORE", description = "the earlier snapshot (.heapsnapshot or .heapsnapshot.gz)")
    Path before;

    @Parameters(index = "1", paramLabel = "AFTER", description = "the later snapshot of the same process")
    Path after;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or memwatch (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Option(names = "--json", description = "same as --format json: one JSON document with every class that changed")
    boolean json;

    @Option(names = "--top", paramLabel = "N", defaultValue = "30",
            description = "rows in the text table (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--html", paramLabel = "FILE",
            description = "also write a self-contained HTML report (totals, size-delta chart, sortable class table) to FILE")
    Path html;

    @Option(names = "--force", description = "compare even when the snapshots do not look like one process")
    boolean force;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new LeakhoundException("--top must be at least 1");
        }
        if (json && format == OutputFormat.memwatch) {
            throw new LeakhoundException("--json and --format memwatch are two different outputs; pick one");
        }
        OutputFormat f = json ? OutputFormat.json : format;
        if (html != null) {
            HtmlFiles.checkTarget(html);
        }
        HeapSnapshot b;
        HeapSnapshot a;
        try (Progress progress = new Progress(true)) {
            b = SnapshotParser.read(before, progress);
            a = SnapshotParser.read(after, progress);
        }
        SameProcessCheck.Result check = SameProcessCheck.of(b, a);
        List<String> warnings = SameProcessCheck.enforce(check, before.toString(), after.toString(), force);
        PrintWriter err = spec.commandLine().getErr();
        for (String w : warnings) {
            err.println("leakhound: warning: " + w);
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        DiffResult r = f == OutputFormat.memwatch && html == null ? null : SnapshotDiff.compare(b, a, check, warnings);
        switch (f) {
            case memwatch:
                DiffReport.memwatch(MemwatchDiff.compare(b, modified(before), a, modified(after)), out);
                out.println();
                break;
            case json:
                DiffReport.json(r, out);
                out.println();
                break;
            default:
                DiffReport.text(r, top, out);
        }
        if (html != null) {
            HtmlFiles.write(html, w -> DiffHtml.write(r, w));
            err.println("HTML report written to " + html);
            err.flush();
        }
        out.flush();
        return 0;
    }

    /**
     * memwatch's {@code time}: here the snapshot file's modification time, rounded to the millisecond
     * as Node's {@code fs.statSync(file).mtime} rounds it.
     */
    static Instant modified(Path p) {
        try {
            Instant t = Files.getLastModifiedTime(p).toInstant();
            return Instant.ofEpochMilli(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1000L),
                    (t.getNano() + 500_000L) / 1_000_000L));
        } catch (IOException e) {
            throw new LeakhoundException(p + ": cannot read its modification time: " + e.getMessage(), e);
        }
    }
}
