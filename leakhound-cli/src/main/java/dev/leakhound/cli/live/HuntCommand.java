package dev.leakhound.cli.live;

import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.load.HttpLoad;
import dev.leakhound.report.LeakReportRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code leakhound hunt}: the one command to run when memory climbs. Reaches (or starts) the process,
 * optionally drives HTTP load at it, takes N snapshots some seconds apart (a full GC before each),
 * and prints what find-leaks concludes.
 */
@Command(name = "hunt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Hunt a leak in a live Node.js process: warm up, take N heap snapshots --interval seconds apart "
                + "(a full GC before each), and print what find-leaks concludes (--json: find-leaks' JSON exactly).",
                "Each snapshot pauses the target's JavaScript while it is written. Snapshots go to a temporary folder "
                        + "removed at the end, unless --keep DIR.",
                "Exit code 0 (1 on a leak with --fail-on-leak), 2 on an error; a process started with -- COMMAND is always ended."},
        showEndOfOptionsDelimiterInUsageHelp = true,
        footer = {"", "Examples:",
            "  leakhound hunt -- node app.js",
            "  PORT=3000 leakhound hunt --load http://127.0.0.1:3000/ --interval 15 -- node server.js",
            "  leakhound hunt --pid 4242 --snapshots 4 --keep ./snaps --json"})
public final class HuntCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

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

    @Option(names = "--keep", paramLabel = "DIR", description = "Keep the snapshots in DIR.")
    Path keep;

    @Option(names = "--json", description = "Print find-leaks' JSON document.")
    boolean json;

    @Option(names = "--fail-on-leak", description = "Exit with code 1 when the verdict is leak (for CI).")
    boolean failOnLeak;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the find-leaks report as a self-contained HTML page.")
    Path html;

    @Option(names = "--min-bytes", paramLabel = "BYTES", defaultValue = "65536",
            description = "As find-leaks: smallest growth reported as a leak (default ${DEFAULT-VALUE}).")
    long minBytes;

    @Option(names = "--min-count", paramLabel = "N", defaultValue = "5",
            description = "As find-leaks: smallest growth in objects reported as a leak (default ${DEFAULT-VALUE}).")
    long minCount;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (snapshots < 2) {
            throw new LeakhoundException("--snapshots must be at least 2");
        }
        if (interval <= 0 || (warmup != null && warmup < 0)) {
            throw new LeakhoundException("--interval must be > 0 and --warmup >= 0");
        }
        if (load != null && (rate <= 0 || concurrency < 1)) {
            throw new LeakhoundException("--rate must be > 0 and --concurrency >= 1");
        }
        HttpLoad loader = load == null ? null : loader(load);   // checks the URL before anything starts
        if (html != null) {
            dev.leakhound.report.html.HtmlFiles.checkTarget(html);
        }
        var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Path dir = keep == null ? Files.createTempDirectory("leakhound-hunt-", ownerOnly)
                : Files.isDirectory(keep) ? keep : Files.createDirectories(keep, ownerOnly);
        // on Ctrl-C or SIGTERM the JVM may end before the finally block below: the hook removes the folder then
        Thread cleanup = new Thread(() -> {
            try {
                deleteTree(dir);
            } catch (IOException ignored) {
                // best effort while the JVM is going down
            }
        }, "leakhound-hunt-cleanup");
        if (keep == null) {
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
        List<Path> files = new ArrayList<>();
        Thread loadThread = null;
        HttpLoad.LoadReport[] loadReport = new HttpLoad.LoadReport[1];
        RuntimeException[] loadError = new RuntimeException[1];
        try {
            // a launched program's own output goes to stderr when stdout carries JSON
            try (Target t = target.open(err, json ? System.err : null)) {
                double warm = warmup != null ? warmup : interval;
                double total = warm + interval * (snapshots - 1);
                err.printf(Locale.ROOT, "leakhound: hunting in %s: %d snapshots %.0f s apart after %.0f s of warm-up"
                        + " (about %.0f s); each snapshot pauses its JavaScript%n", t.describe(), snapshots, interval, warm, total);
                err.flush();
                if (loader != null) {
                    HttpLoad l = loader.duration(Duration.ofMillis(Math.round((total + 1) * 1000)));
                    loadThread = new Thread(() -> {
                        try {
                            loadReport[0] = l.run();
                        } catch (RuntimeException e) {
                            loadError[0] = e;
                        }
                    }, "leakhound-hunt-load");
                    loadThread.setDaemon(true);
                    loadThread.start();
                }
                for (int i = 1; i <= snapshots; i++) {
                    wait(t, i == 1 ? warm : interval);
                    if (loadError[0] != null) {
                        throw new LeakhoundException("--load failed: " + loadError[0].getMessage());
                    }
                    Path f = dir.resolve("s" + i + ".heapsnapshot");
                    SnapshotResult r = t.takeSnapshot(f, true);
                    files.add(f);
                    err.printf(Locale.ROOT, "leakhound: snapshot %d/%d: %.1f MB, %,d nodes; target paused %.2f s%n", i,
                            snapshots, r.bytes() / 1e6, r.nodeCount(), r.paused().toNanos() / 1e9);
                    err.flush();
                }
            }
            if (loadThread != null) {
                loadThread.interrupt();
                loadThread.join(2000);
                HttpLoad.LoadReport lr = loadReport[0];
                if (lr != null) {
                    err.printf(Locale.ROOT, "leakhound: load: %,d requests sent, %,d answered OK, %,d errors%n",
                            lr.sent(), lr.ok(), lr.errors());
                }
            }
            LeakReport report = FindLeaks.run(files, new FindLeaks.Options(minBytes, minCount, 10,
                    FindLeaks.Options.defaults().bytesOnlyGrowth(), html != null), dev.leakhound.core.snapshot.ProgressListener.NONE);
            if (html != null) {
                dev.leakhound.report.html.HtmlFiles.write(html, w -> dev.leakhound.report.html.FindLeaksHtml.write(report, false, w));
                err.println("HTML report written to " + html);
            }
            if (json) {
                LeakReportRenderer.json(report, out);
                out.println();
            } else {
                out.println();
                LeakReportRenderer.text(report, out);
                if (keep != null) {
                    out.println();
                    out.println("Snapshots kept in " + dir);
                }
            }
            out.flush();
            return report.leak() && failOnLeak ? 1 : 0;
        } finally {
            if (loadThread != null) {
                loadThread.interrupt();
            }
            if (keep == null) {
                deleteTree(dir);
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or will run: nothing left to do
                }
            }
        }
    }

    private HttpLoad loader(URI uri) {
        String host = uri.getHost();
        if (host == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new LeakhoundException("--load wants an http:// URL with a host, got " + uri);
        }
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        if (!loopback && !target.allowRemote) {
            throw new LeakhoundException("--load " + uri + " is not on this machine (loopback); leakhound only drives load at"
                    + " loopback addresses unless --allow-remote is given");
        }
        HttpLoad l = HttpLoad.to(uri).rate(rate).concurrency(concurrency).method(method.toUpperCase(Locale.ROOT))
                .allowRemote(target.allowRemote);
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

    /** Sleeps, but notices a target that exits meanwhile. */
    private static void wait(Target t, double seconds) throws InterruptedException {
        try {
            t.finished().get(Math.round(seconds * 1000), TimeUnit.MILLISECONDS);
            throw new LeakhoundException("the target exited before the hunt was over; no verdict");
        } catch (TimeoutException stillRunning) {
            // good
        } catch (ExecutionException e) {
            throw new LeakhoundException("lost the target: " + e.getCause().getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
