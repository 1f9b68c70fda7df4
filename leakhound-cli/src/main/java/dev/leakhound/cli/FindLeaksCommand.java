package dev.leakhound.cli;

import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.cli.options.IndexOptions;
import dev.leakhound.cli.options.LeakOutputOptions;
import dev.leakhound.cli.options.LeakThresholdOptions;
import dev.leakhound.cli.options.OutputOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "find-leaks", mixinStandardHelpOptions = true,
        description = {"Find what a growing process leaks, from two or more snapshots of it taken over time "
                + "(oldest first): the objects allocated after the first snapshot that are still alive and keep "
                + "growing, grouped by the path that holds them, with the accumulation point, the source line and a fix.",
                "With --baseline FILE, leaks whose signature is in the baseline are accepted (unless they grow more than twice as"
                        + " fast as recorded: worse); only new and worse leaks count for --fail-on-leak. --write-baseline FILE records"
                        + " the leaks found.",
                "--format junit or sarif writes the report for CI (test results, code scanning); --out FILE puts it in a file"
                        + " and keeps the text on stdout.",
                "Exit code 0 whatever the verdict (1 on a new or worse leak with --fail-on-leak), 2 on an error."},
        footer = {"", "Examples:",
            "  leakhound find-leaks s1.heapsnapshot s2.heapsnapshot s3.heapsnapshot",
            "  leakhound find-leaks s*.heapsnapshot --write-baseline leak-baseline.json",
            "  leakhound find-leaks s*.heapsnapshot --baseline leak-baseline.json --fail-on-leak",
            "  leakhound find-leaks s*.heapsnapshot --format sarif --out leaks.sarif --format junit --out leaks.xml"})
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

    @Mixin
    LeakOutputOptions ci;

    @Option(names = "--timings", description = "also print how long reading and each analysis step took")
    boolean timings;

    @Override
    public Integer call() {
        thresholds.validate();
        ci.check(output);
        FindLeaks.Options options = new FindLeaks.Options(thresholds.minBytes(), thresholds.minCount(),
                ci.leaksToAsk(thresholds.maxLeaks()), FindLeaks.Options.defaults().bytesOnlyGrowth(), output.html() != null);
        LeakReport r;
        try (Progress progress = new Progress(true)) {
            r = FindLeaks.run(files, options, index.readOptions(spec.commandLine().getErr()), progress, ci.sourceRoot());
        }
        r = ci.compare(r, thresholds.maxLeaks());
        String suite = "leakhound find-leaks " + files.get(0).getFileName() + " … " + files.get(files.size() - 1).getFileName();
        ci.emit(output, r, timings, suite, Main.version(), spec.commandLine().getOut(), spec.commandLine().getErr(), o -> { });
        return thresholds.exitCode(ci.fails(r));
    }
}
