package dev.leakhound.cli.live;

import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.memory.ExternalHolders;
import dev.leakhound.analysis.memory.MemoryGrowth;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.cli.Main;
import dev.leakhound.cli.options.IndexOptions;
import dev.leakhound.core.index.SnapshotStore;
import dev.leakhound.cli.options.LeakOutputOptions;
import dev.leakhound.cli.options.LeakThresholdOptions;
import dev.leakhound.cli.options.OutputOptions;
import dev.leakhound.cli.options.TargetOptions;
import dev.leakhound.cli.options.WorkerOptions;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.inspector.cleanup.CleanupRegistry;
import dev.leakhound.inspector.hunt.Hunt;
import dev.leakhound.inspector.hunt.SnapshotFolder;
import dev.leakhound.inspector.capture.AllocationTracking;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.load.HttpLoad;
import dev.leakhound.report.HuntProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code leakhound hunt}: the one command to run when memory climbs. Reaches (or starts) the process,
 * takes the snapshots ({@link Hunt}, optionally under HTTP load), runs find-leaks on them and prints its
 * report.
 */
@Command(name = "hunt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Hunt a leak in a live Node.js process: warm up, take N heap snapshots --interval seconds apart "
                + "(a full GC before each), and print what find-leaks concludes (--json: find-leaks' JSON exactly; "
                + "--html FILE: find-leaks' page).",
                "Each snapshot pauses the target's JavaScript while it is written. Snapshots go to a temporary folder "
                        + "(in --temp-dir) removed at the end, unless --keep DIR.",
                "--baseline, --write-baseline, --format junit|sarif and --out are find-leaks' (see find-leaks --help).",
                "--worker ID: hunt in a worker thread's heap (the load still goes to --load, the process's own server; no memory"
                        + " section: resident memory is the whole process's).",
                "After each snapshot it also reads where the target's memory is (JS heap per space, external and ArrayBuffers,"
                        + " code, native memory outside V8 from /proc): when resident memory grows while the JS heap shows no"
                        + " leak, the verdict is external-growth (with the Buffers' holders) or native-growth.",
                "Exit code 0 (1 with --fail-on-leak on a new or worse leak, or on external-growth or native-growth), 2 on"
                        + " an error; a process started with -- COMMAND is always ended."},
        showEndOfOptionsDelimiterInUsageHelp = true,
        footer = {"", "Examples:",
            "  leakhound hunt -- node app.js",
            "  PORT=3000 leakhound hunt --load http://127.0.0.1:3000/ --interval 15 -- node server.js",
            "  leakhound hunt --pid 4242 --snapshots 4 --keep ./snaps --json",
            "  leakhound hunt --worker 1 --load http://127.0.0.1:3000/quote --method POST -- node server.js"})
public final class HuntCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Mixin
    WorkerOptions workers;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time between snapshots (default ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--snapshots", paramLabel = "N", defaultValue = "3",
            description = "How many snapshots (at least 2; default ${DEFAULT-VALUE}).")
    int snapshots;

    @Option(names = "--warmup", paramLabel = "SECONDS",
            description = "Wait this long before the first snapshot (default: one --interval).")
    Double warmup;

    @Option(names = "--load", paramLabel = "URL",
            description = "While hunting, send HTTP requests to this loopback URL (the app's own port).")
    URI load;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "50",
            description = "With --load: requests per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4",
            description = "With --load: requests in flight at most (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "GET",
            description = "With --load: the HTTP method (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--body", paramLabel = "TEXT", description = "With --load: a request body.")
    String body;

    @Option(names = "--header", paramLabel = "NAME:VALUE", description = "With --load: a request header (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--track-allocations",
            description = "Record the stack of every allocation (V8's allocation tracking; slows the target, see the README): "
                    + "each leak then names the stacks that allocated its objects. A command given after -- is started with "
                    + "node --track-heap-objects (every object keeps its stack); a process attached to is tracked from then on "
                    + "through the inspector (V8 loses the stack of objects that move meanwhile).")
    boolean trackAllocations;

    @Option(names = "--keep", paramLabel = "DIR", description = "Keep the snapshots in DIR.")
    Path keep;

    @Option(names = "--min-rss-growth", paramLabel = "BYTES", defaultValue = "8388608",
            description = "Resident memory growth per interval between snapshots (read after each snapshot) that gives the"
                    + " verdict external-growth or native-growth when the JS heap shows no leak (default ${DEFAULT-VALUE}:"
                    + " 8 MiB; each snapshot itself leaves 2-3.5 MB of native memory in the target).")
    long minRssGrowth;

    @Option(names = "--temp-dir", paramLabel = "DIR",
            description = "Where the temporary snapshot folder goes (default: the system's, java.io.tmpdir).")
    Path tempDir;

    @Mixin
    OutputOptions output;

    @Mixin
    LeakThresholdOptions thresholds;

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
        if (minRssGrowth < 0) {
            throw new LeakhoundException("--min-rss-growth must be >= 0");
        }
        if (snapshots < 2) {
            throw new LeakhoundException("--snapshots must be at least 2");
        }
        if (interval <= 0 || (warmup != null && warmup < 0)) {
            throw new LeakhoundException("--interval must be > 0 and --warmup >= 0");
        }
        if (load != null && (rate <= 0 || concurrency < 1)) {
            throw new LeakhoundException("--rate must be > 0 and --concurrency >= 1");
        }
        thresholds.validate();
        workers.checkOne("hunt");
        HttpLoad loader = load == null ? null : loader(load).checkTarget();   // checks the URL before anything starts
        ci.check(output);
        Hunt.Plan plan = new Hunt.Plan(TargetOptions.seconds(warmup != null ? warmup : interval), TargetOptions.seconds(interval),
                snapshots, loader);
        HuntProgress progress = new HuntProgress(err);
        MemoryTrail trail = new MemoryTrail(progress, m -> err.println("leakhound: " + m));
        CleanupRegistry cleanup = CleanupRegistry.jvm();
        try (SnapshotFolder folder = keep != null ? SnapshotFolder.keep(keep) : SnapshotFolder.temporary(tempDir, cleanup)) {
            Hunt.Result hunted;
            String described;
            // a launched program's own output goes to stderr when stdout carries a document (JSON, JUnit, SARIF)
            // a launched main thread tracks from start-up (node --track-heap-objects): see AllocationTracking
            List<String> nodeOptions = trackAllocations && !workers.given() ? List.of(AllocationTracking.NODE_FLAG) : List.of();
            try (Target t = target.open(err, ci.documentOnStdout(output) ? System.err : null, nodeOptions)) {
                workers.focusOne(t, err);
                described = t.describe();
                // a worker's hunt judges its heap only: resident and native memory are the whole process's, so the
                // memory verdicts (external-growth, native-growth) would charge the worker with the other threads' growth;
                // allocation tracking runs in the session hunted (the worker's with --worker)
                try (AllocationTracking tracking = trackAllocations ? AllocationTracking.start(t.session()) : AllocationTracking.none()) {
                    if (trackAllocations) {
                        progress.trackingAllocations(tracking.mode() == AllocationTracking.Mode.FROM_START_UP);
                    }
                    hunted = new Hunt(t, plan, folder.path(), cleanup).run(workers.given() ? progress : trail);
                }
            }
            progress.load(hunted.load());
            LeakReport report;
            try {
                report = FindLeaks.run(hunted.snapshots(), new FindLeaks.Options(thresholds.minBytes(),
                        thresholds.minCount(), ci.leaksToAsk(thresholds.maxLeaks()), FindLeaks.Options.defaults().bytesOnlyGrowth(),
                        output.html() != null).withSourceMaps(ci.sources().maps(err)), index.readOptionsFor(folder, err),
                        ProgressListener.NONE);
            } finally {
                SnapshotStore.awaitWrites();   // the folder (and a temporary index in it) may be deleted next
            }
            report = ci.compare(report, thresholds.maxLeaks());
            report = report.withMemory(memory(trail, report, hunted, index.readOptionsFor(folder, err)));
            if (!ci.documentOnStdout(output)) {
                out.println();
            }
            ci.emit(output, report, false, "leakhound hunt " + described, Main.version(), out, err, o -> {
                if (!folder.isTemporary()) {
                    HuntProgress.kept(o, folder.path());
                }
            });
            return thresholds.exitCode(ci.fails(report));
        }
    }

    /**
     * Which part of the target's memory grew between the snapshots; for Buffers growing without a leak found,
     * who holds them in the last snapshot.
     */
    private MemoryGrowth memory(MemoryTrail trail, LeakReport report, Hunt.Result hunted, ReadOptions read) {
        if (trail.points().size() < 2) {
            return null;
        }
        MemoryGrowth m = MemoryGrowth.judge(trail.points(), minRssGrowth);
        if (m.kind() == MemoryGrowth.Kind.EXTERNAL && !report.leak()) {
            List<Path> files = hunted.snapshots();
            long minBytes = Math.max(thresholds.minBytes(), m.externalGrowth() / 4);
            try {
                m = m.withHolders(ExternalHolders.of(files.get(files.size() - 1), read, minBytes));
            } finally {
                SnapshotStore.awaitWrites();
            }
        }
        return m;
    }

    private HttpLoad loader(URI uri) {
        HttpLoad l = HttpLoad.to(uri).rate(rate).concurrency(concurrency).method(method.toUpperCase(Locale.ROOT))
                .allowRemote(target.allowRemote());
        if (body != null) {
            l = l.body(body);
        }
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new LeakhoundException("--header wants NAME:VALUE, got '" + h + "'");
            }
            l = l.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        return l;
    }
}
