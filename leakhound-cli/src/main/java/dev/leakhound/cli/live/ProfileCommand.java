package dev.leakhound.cli.live;

import dev.leakhound.analysis.profile.AllocationSites;
import dev.leakhound.analysis.profile.HeapProfile;
import dev.leakhound.analysis.profile.HeapProfileFormat;
import dev.leakhound.analysis.profile.ProfileDiff;
import dev.leakhound.cli.options.OutputOptions;
import dev.leakhound.cli.options.SourceMapOptions;
import dev.leakhound.cli.options.TargetOptions;
import dev.leakhound.cli.options.WorkerOptions;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cleanup.CleanupRegistry;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.profile.SamplingSession;
import dev.leakhound.report.ProfileReport;
import dev.leakhound.report.html.HtmlFiles;
import dev.leakhound.report.html.ProfileHtml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code leakhound profile [TARGET] --duration S}: V8's sampling heap profiler on a live process; or
 * {@code leakhound profile FILE.heapprofile [FILE2.heapprofile]}: read one profile, or compare two.
 */
@Command(name = "profile",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Which functions allocate: V8's sampling heap profiler, live or from .heapprofile files.",
            "Live (TARGET as for snapshot: --inspect, --pid or -- COMMAND): samples allocations for --duration seconds"
                    + " (HeapProfiler.startSampling; the target keeps running, cheap enough for production), then prints the"
                    + " functions that allocate most by self and total bytes with their share. Without --include-collected only"
                    + " what is still alive counts: retention by allocation site. Ctrl-C ends the sampling early and still reports.",
            "Offline: `profile FILE.heapprofile` reads a profile from node --heap-prof, DevTools (Memory > Allocation sampling)"
                    + " or profile -o; `profile A.heapprofile B.heapprofile` shows which allocation sites' bytes grew from A to B"
                    + " (two profiles of one process: a leak signal without a snapshot).",
            "--json prints JSON; --html FILE writes a self-contained page with an allocation flame graph (zoom, search)."
        },
        showEndOfOptionsDelimiterInUsageHelp = true,
        footer = {"", "Examples:",
            "  leakhound profile --pid 4242 --duration 30 -o app.heapprofile",
            "  leakhound profile --duration 10 --html flame.html -- node server.js",
            "  leakhound profile Heap.20261203.101500.4242.0.001.heapprofile",
            "  leakhound profile before.heapprofile after.heapprofile --top 10"})
public final class ProfileCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Mixin
    WorkerOptions workers;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "10",
            description = "Live: how long to sample (default ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--interval", paramLabel = "BYTES", defaultValue = "32768",
            description = "Live: mean bytes between samples; smaller is more precise and costs more (V8's default ${DEFAULT-VALUE}).")
    long interval;

    @Option(names = "--include-collected",
            description = "Live: also count objects the GC already freed (allocation churn), not only what is still alive.")
    boolean includeCollected;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Live: also save the profile to FILE in the .heapprofile format (owner-only; DevTools loads it).")
    Path output;

    @Option(names = "--save-every", paramLabel = "SECONDS",
            description = "Live, with -o: also save the profile so far every SECONDS, to FILE with .1, .2 ... before its"
                    + " extension (one sampling session: `profile FILE.1.heapprofile FILE` shows the sites that grew).")
    Double saveEvery;

    @Option(names = "--top", paramLabel = "N", defaultValue = "15",
            description = "Functions (or sites) to list in each table (default ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    OutputOptions out;

    @Mixin
    SourceMapOptions sources;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new LeakhoundException("--top must be at least 1");
        }
        out.checkHtmlTarget();
        sources.check();
        ParseResult pr = spec.commandLine().getParseResult();
        List<String> args = target.command();
        boolean launch = pr.originalArgs().contains("--");
        if (!launch && !args.isEmpty()) {
            for (String o : List.of("--inspect", "--pid", "--duration", "--interval", "--include-collected", "--output",
                    "--save-every", "--worker")) {
                if (pr.hasMatchedOption(o)) {
                    throw new LeakhoundException(o + " is for a live profile; it cannot be used when reading .heapprofile files"
                            + " (to profile a command, put it after --)");
                }
            }
            if (args.size() > 2) {
                throw new LeakhoundException("give one .heapprofile file to read, or two to compare (got " + args.size() + ")");
            }
            return args.size() == 1 ? offline(Path.of(args.get(0))) : compare(Path.of(args.get(0)), Path.of(args.get(1)));
        }
        return live();
    }

    private int offline(Path file) {
        HeapProfile p = HeapProfileFormat.read(file);
        requireSamples(p, file.toString());
        report(AllocationSites.of(p.withSources(sources.maps(spec.commandLine().getErr()))), ProfileReport.Source.file(file.toString()));
        return 0;
    }

    private int compare(Path a, Path b) {
        HeapProfile before = HeapProfileFormat.read(a);
        HeapProfile after = HeapProfileFormat.read(b);
        requireSamples(before, a.toString());
        requireSamples(after, b.toString());
        var maps = sources.maps(spec.commandLine().getErr());
        ProfileDiff.Result r = ProfileDiff.compare(before.withSources(maps), after.withSources(maps));
        PrintWriter w = spec.commandLine().getOut();
        if (out.json()) {
            ProfileReport.diffJson(r, a.toString(), b.toString(), top, w);
            w.println();
        } else {
            ProfileReport.diffText(r, a.toString(), b.toString(), top, w);
        }
        w.flush();
        if (out.html() != null) {
            HtmlFiles.write(out.html(), hw -> ProfileHtml.writeDiff(r, a.toString(), b.toString(), top, hw));
            spec.commandLine().getErr().println("leakhound: wrote " + out.html());
            spec.commandLine().getErr().flush();
        }
        return 0;
    }

    private static void requireSamples(HeapProfile p, String source) {
        if (p.totalBytes() == 0) {
            throw new LeakhoundException(source + ": empty profile: no allocation was sampled"
                    + " (node --heap-prof records only what is still alive at exit; sample longer or with a smaller interval)");
        }
    }

    private int live() {
        if (!(duration > 0) || Double.isInfinite(duration)) {
            throw new LeakhoundException("--duration must be a positive number of seconds (got " + duration + ")");
        }
        if (interval < 1 || interval > (1L << 30)) {
            throw new LeakhoundException("--interval must be between 1 and 1073741824 bytes (got " + interval + ")");
        }
        if (saveEvery != null && (output == null || !(saveEvery > 0) || Double.isInfinite(saveEvery))) {
            throw new LeakhoundException(output == null ? "--save-every needs -o FILE (the profiles are saved beside it)"
                    : "--save-every must be a positive number of seconds (got " + saveEvery + ")");
        }
        if (output != null) {
            HtmlFiles.checkTarget(output);
        }
        PrintWriter err = spec.commandLine().getErr();
        boolean tty = System.console() != null;
        workers.checkOne("profile");
        try (Target t = target.open(err)) {
            workers.focusOne(t, err);
            if (t.kind() != Target.Kind.LAUNCHED) {
                err.println("leakhound: attached to " + t.describe());
            }
            SamplingSession s = SamplingSession.start(t, interval, includeCollected);
            long t0 = System.nanoTime();
            ProfileReport.sampling(err, t.describe(), duration, interval, includeCollected);
            // Ctrl-C: end the wait, and let the profile be taken and reported before leakhound exits
            AtomicBoolean interrupted = new AtomicBoolean();
            CountDownLatch reported = new CountDownLatch(1);
            CleanupRegistry.Registration onExit = CleanupRegistry.jvm().register(CleanupRegistry.Phase.STOP_WORK,
                    "stop the sampling", () -> {
                        interrupted.set(true);
                        s.stop();
                        try {
                            reported.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt(); // exiting anyway
                        }
                    });
            try {
                int[] saves = {0};
                SamplingSession.End end = s.await(TargetOptions.seconds(duration), ms -> {
                    if (saveEvery != null && ms >= (saves[0] + 1) * saveEvery * 1000) {
                        saves[0]++;
                        if (tty) {
                            ProfileReport.clearLine(err);
                        }
                        Path f = numbered(output, saves[0]);
                        HeapProfile so = HeapProfileFormat.parse(s.peekProfile(), "the target's profile").withSamplingInterval(interval);
                        HtmlFiles.write(f, w -> HeapProfileFormat.write(so, w));
                        ProfileReport.saved(err, f, so);
                    }
                    if (tty) {
                        ProfileReport.tick(err, ms, duration);
                    }
                });
                if (tty) {
                    ProfileReport.clearLine(err);
                }
                if (end == SamplingSession.End.STOPPED) {
                    ProfileReport.endedEarly(err, interrupted.get() ? "interrupted" : "stopped");
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                HeapProfile p = HeapProfileFormat.parse(s.takeProfile(), "the target's profile").withSamplingInterval(interval);
                if (output != null) {
                    HtmlFiles.write(output, w -> HeapProfileFormat.write(p, w));
                    ProfileReport.saved(err, output, p);
                }
                if (p.totalBytes() == 0) {
                    throw new LeakhoundException("no allocation was sampled in " + String.format(java.util.Locale.ROOT, "%.1f", millis / 1000.0)
                            + " s: the target allocated less than --interval (" + interval + " bytes) that stayed alive;"
                            + " sample longer, with a smaller --interval, or with --include-collected");
                }
                report(AllocationSites.of(p.withSources(sources.maps(err))), new ProfileReport.Source(t.describe(), millis, interval, includeCollected));
            } finally {
                reported.countDown();
                onExit.close();
            }
        }
        return 0;
    }

    /** app.heapprofile -> app.3.heapprofile (or FILE.3 for another extension). */
    static Path numbered(Path file, int n) {
        String name = file.getFileName().toString();
        String ext = name.endsWith(".heapprofile") ? ".heapprofile" : "";
        String stem = name.substring(0, name.length() - ext.length());
        return file.resolveSibling(stem + "." + n + ext);
    }

    private void report(AllocationSites sites, ProfileReport.Source src) {
        PrintWriter w = spec.commandLine().getOut();
        if (out.json()) {
            ProfileReport.json(sites, src, top, w);
            w.println();
        } else {
            ProfileReport.text(sites, src, top, w);
        }
        w.flush();
        if (out.html() != null) {
            HtmlFiles.write(out.html(), hw -> ProfileHtml.write(sites, src, top, hw));
            spec.commandLine().getErr().println("leakhound: wrote " + out.html());
            spec.commandLine().getErr().flush();
        }
    }
}
