package dev.leakhound.cli.live;

import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.leaks.Rounds;
import dev.leakhound.cli.Main;
import dev.leakhound.cli.options.IndexOptions;
import dev.leakhound.core.index.SnapshotStore;
import dev.leakhound.cli.options.LeakOutputOptions;
import dev.leakhound.cli.options.OutputOptions;
import dev.leakhound.cli.options.TargetOptions;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.inspector.check.Scenario;
import dev.leakhound.inspector.cleanup.CleanupRegistry;
import dev.leakhound.inspector.hunt.Hunt;
import dev.leakhound.inspector.hunt.SnapshotFolder;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.report.CheckProgress;
import dev.leakhound.report.HuntProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code leakhound check SCENARIO.js}: a leak test for one unit of code (fuite's prime-count method). Starts
 * a fresh Node.js process under leakhound's harness ({@link Scenario}), warms the scenario up, snapshots, runs
 * it N times, snapshots, N times again, snapshots ({@link Hunt} with a step), runs find-leaks on the three
 * snapshots and keeps only the groups that grew by the same multiple of N in each round ({@link Rounds}).
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A leak test for a unit of code, for CI: SCENARIO is a module that exports an async function"
                + " (module.exports = async () => {...} or export default). leakhound starts a fresh node process with it"
                + " under its inspector, calls it --warmup times, takes a heap snapshot, calls it --iterations times,"
                + " snapshots, calls it --iterations times again, snapshots, and runs find-leaks on the three snapshots.",
                "A leak is reported only for objects whose number grew by the same multiple of N (k x N, k >= 1) in both rounds:"
                        + " the scenario leaks k of them per call. Growth that is not proportional to the calls (a cache"
                        + " filling up, the runtime's own bookkeeping) is dismissed, so a prime N (the default 7) leaves"
                        + " little noise.",
                "Snapshots go to an owner-only temporary folder that is removed at the end, unless --keep DIR.",
                "Exit code 0 (no leak, or only leaks accepted in --baseline), 1 on a new or worse leak, 2 on an error"
                        + " (the scenario is missing, cannot be loaded, exports no function, throws or hangs)."},
        footer = {"", "Examples:",
            "  leakhound check test/leaks/cache.scenario.js",
            "  leakhound check cache.scenario.js --iterations 13 --baseline leak-baseline.json",
            "  leakhound check cache.scenario.js --format sarif --out leaks.sarif --html leaks.html"})
public final class CheckCommand implements Callable<Integer> {
    /** find-leaks measures twice this many groups for check, so that small leaks are not crowded out by bigger noise. */
    static final int GROUPS_TO_JUDGE = 25;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "the scenario module (.js, .cjs or .mjs)")
    Path file;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "7",
            description = "calls of the scenario per round (default ${DEFAULT-VALUE}; a prime such as 7, 11 or 13 is best)")
    int iterations;

    @Option(names = "--warmup", paramLabel = "N",
            description = "calls before the first snapshot (default: --iterations); make it larger than any cache the scenario"
                    + " fills, or the filling reads as a leak")
    Integer warmup;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "time one round of calls (or loading the scenario) may take (default ${DEFAULT-VALUE})")
    double timeout;

    @Option(names = "--node", paramLabel = "PATH", defaultValue = "node",
            description = "the node executable (default: ${DEFAULT-VALUE}, from the PATH)")
    String node;

    @Option(names = "--min-bytes", paramLabel = "BYTES", defaultValue = "0",
            description = "smallest growth (new bytes kept) reported as a leak (default ${DEFAULT-VALUE}: the rounds are the test)")
    long minBytes;

    @Option(names = "--max-leaks", paramLabel = "N", defaultValue = "10",
            description = "report at most N leaks, the ones that grew most (default ${DEFAULT-VALUE})")
    int maxLeaks;

    @Option(names = "--keep", paramLabel = "DIR", description = "Keep the snapshots (and the harness) in DIR.")
    Path keep;

    @Option(names = "--temp-dir", paramLabel = "DIR",
            description = "Where the temporary snapshot folder goes (default: the system's, java.io.tmpdir).")
    Path tempDir;

    @Mixin
    OutputOptions output;

    @Mixin
    LeakOutputOptions ci;

    @Spec
    CommandSpec spec;

    @Mixin
    IndexOptions index;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int warm = warmup != null ? warmup : iterations;
        if (iterations < 2 || warm < 0) {
            throw new LeakhoundException("--iterations must be at least 2 and --warmup at least 0");
        }
        if (timeout <= 0 || minBytes < 0 || maxLeaks < 1) {
            throw new LeakhoundException("--timeout must be > 0, --min-bytes >= 0 and --max-leaks >= 1");
        }
        Path scenarioFile = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(scenarioFile)) {
            throw new LeakhoundException("no scenario file " + file + (Files.isDirectory(scenarioFile) ? " (it is a directory)" : ""));
        }
        ci.check(output);
        Duration limit = TargetOptions.seconds(timeout);
        Scenario scenario = new Scenario(scenarioFile, limit);
        CleanupRegistry cleanup = CleanupRegistry.jvm();
        try (SnapshotFolder folder = keep != null ? SnapshotFolder.keep(keep) : SnapshotFolder.temporary(tempDir, cleanup)) {
            Path harness = Scenario.writeHarness(folder.path());
            Target.Options o = Target.Options.defaults()
                    .withTimeouts(Duration.ofSeconds(5), limit, Duration.ofSeconds(30))
                    .withNotices(s -> {
                        err.println("leakhound: " + s);
                        err.flush();
                    })
                    // the scenario's own output goes to stderr when stdout carries a document (JSON, JUnit, SARIF)
                    .withChildStdout(ci.documentOnStdout(output) ? System.err : null);
            Hunt.Result taken;
            try (Target t = Target.launch(scenario.command(node, harness), o)) {
                scenario.load(t);
                taken = new Hunt(t, Hunt.Plan.stepped(3, scenario.rounds(warm, iterations)), folder.path(), cleanup)
                        .run(new CheckProgress(err, String.valueOf(file), warm, iterations));
            }
            LeakReport r;
            try {
                r = FindLeaks.run(taken.snapshots(), new FindLeaks.Options(minBytes, 1,
                        Math.max(ci.leaksToAsk(maxLeaks), GROUPS_TO_JUDGE), FindLeaks.Options.defaults().bytesOnlyGrowth(),
                        output.html() != null).withSourceMaps(ci.sources().maps(err)), index.readOptionsFor(folder, err),
                        ProgressListener.NONE);
            } finally {
                SnapshotStore.awaitWrites();   // the folder (and a temporary index in it) may be deleted next
            }
            r = Rounds.judge(r, new LeakReport.Scenario(scenarioFile.toString(), iterations, warm), ci.leaksToAsk(maxLeaks));
            r = ci.compare(r, maxLeaks);
            if (!ci.documentOnStdout(output)) {
                out.println();
            }
            ci.emit(output, r, false, "leakhound check " + file, Main.version(), out, err, o2 -> {
                if (!folder.isTemporary()) {
                    HuntProgress.kept(o2, folder.path());
                }
            });
            return ci.fails(r) ? 1 : 0;
        }
    }
}
