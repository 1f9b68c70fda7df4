package dev.leakhound.cli;

import dev.leakhound.analysis.diff.DiffResult;
import dev.leakhound.analysis.diff.SnapshotDiff;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.cli.options.IndexOptions;
import dev.leakhound.report.DiffReport;
import dev.leakhound.report.html.DiffHtml;
import dev.leakhound.report.html.HtmlFiles;
import dev.leakhound.cli.options.OutputOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
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

    @Mixin
    IndexOptions index;

    @Parameters(index = "0", paramLabel = "BEFORE", description = "the earlier snapshot (.heapsnapshot or .heapsnapshot.gz)")
    Path before;

    @Parameters(index = "1", paramLabel = "AFTER", description = "the later snapshot of the same process")
    Path after;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or memwatch (default: ${DEFAULT-VALUE})")
    OutputFormat format;


    @Option(names = "--top", paramLabel = "N", defaultValue = "30",
            description = "rows in the text table (default: ${DEFAULT-VALUE})")
    int top;

    @Mixin
    OutputOptions output;

    @Option(names = "--force", description = "compare even when the snapshots do not look like one process")
    boolean force;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new LeakhoundException("--top must be at least 1");
        }
        boolean json = output.json();
        Path html = output.html();
        if (json && format == OutputFormat.memwatch) {
            throw new LeakhoundException("--json and --format memwatch are two different outputs; pick one");
        }
        OutputFormat f = json ? OutputFormat.json : format;
        output.checkHtmlTarget();
        SnapshotDiff.Outcome o;
        try (Progress progress = new Progress(true)) {
            o = SnapshotDiff.run(before, after, force, f != OutputFormat.memwatch || html != null,
                    f == OutputFormat.memwatch, index.readOptions(spec.commandLine().getErr()), progress);
        }
        PrintWriter err = spec.commandLine().getErr();
        DiffResult r = o.comparison();
        for (DiffResult.Warning w : o.warnings()) {
            err.println("leakhound: warning: " + DiffReport.warning(w, o.check()));
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        switch (f) {
            case memwatch:
                DiffReport.memwatch(o.memwatch(), out);
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
}
