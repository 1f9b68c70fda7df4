package dev.leakhound.cli;

import dev.leakhound.analysis.info.SnapshotInfo;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.report.InfoReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"What a heap snapshot is, from its header alone, in well under a second at any size: node and "
                + "edge counts, the Node.js versions that write such a header, its fields, whether it carries "
                + "allocation traces; and how much memory and time `analyze` will need, and whether this JVM and "
                + "machine have it (if not, the LEAKHOUND_HEAP to use).",
                "Only the first few KB are read (for gzip, only the first blocks are inflated), so a file cut or "
                + "damaged after its header is not noticed here."})
public final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .heapsnapshot (or .heapsnapshot.gz) file")
    Path file;

    @Option(names = "--json", description = "Print JSON instead of text (the shape is documented in the README).")
    boolean json;

    @Override
    public Integer call() {
        SnapshotInfo info = SnapshotInfo.of(file, ReadOptions.fromSystemProperties());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            InfoReport.json(info, out);
            out.println();
        } else {
            InfoReport.text(info, out);
        }
        out.flush();
        return 0;
    }
}
