package dev.leakhound.mcp;

import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.inspector.capture.SnapshotCapture;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.cdp.InspectorEndpoint;
import dev.leakhound.inspector.cleanup.CleanupRegistry;
import dev.leakhound.inspector.hunt.Hunt;
import dev.leakhound.inspector.hunt.SnapshotFolder;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.report.CaptureReport;
import dev.leakhound.report.Json;
import dev.leakhound.report.LeakReportRenderer;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tools that act on a live Node.js process on this machine: {@code snapshot} and {@code hunt}, through
 * the inspector module's {@link Target} (loopback only: the server has no way to reach a remote inspector)
 * and {@link Hunt}. What leakhound does to the target is said on stderr, as the CLI says it.
 */
final class LiveTools {
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd.HHmmss").withZone(ZoneId.systemDefault());

    private final PrintStream log;
    private final Path snapshotDir;
    private final ReadOptions read;
    private final CleanupRegistry cleanup = CleanupRegistry.jvm();
    private final AtomicInteger taken = new AtomicInteger();
    private SnapshotFolder sessionFolder;   // guarded by this

    /**
     * @param snapshotDir where snapshots without an {@code output} go; null: a private temporary folder,
     *                    deleted when the server exits
     */
    LiveTools(PrintStream log, Path snapshotDir, ReadOptions read) {
        this.log = log;
        this.snapshotDir = snapshotDir;
        this.read = read;
    }

    List<Tool> tools() {
        List<Tool> t = new ArrayList<>();
        t.add(new Tool("snapshot", "Take a heap snapshot",
                "Take a heap snapshot of a Node.js process on this machine, by `pid` (its inspector is turned on with "
                        + "SIGUSR1, Linux, and off again) or by `inspector` (HOST:PORT or the ws:// URL of an inspector already "
                        + "listening on a loopback address). The process's JavaScript is paused while the snapshot is written. "
                        + "The file is owner-only; without `output` it goes to the server's snapshot folder (by default a "
                        + "private folder deleted when the server exits). Returns the file to pass to the other tools.",
                target(new ToolSchema())
                        .string("output", "where to write the snapshot (a new .heapsnapshot file)", false)
                        .bool("gc", "run a full garbage collection first", true),
                false, this::snapshot));
        t.add(new Tool("hunt", "Hunt a leak in a live process",
                "Hunt a leak in a Node.js process on this machine (`pid` or `inspector`, as for snapshot): wait `warmup` "
                        + "seconds, take `snapshots` heap snapshots `interval` seconds apart (a full GC before each), then run "
                        + "find_leaks on them. Takes warmup + (snapshots - 1) x interval seconds, plus the snapshots' time; the "
                        + "process must be doing its work meanwhile. The snapshots are deleted afterwards unless `keep` names a "
                        + "folder for them.",
                target(new ToolSchema())
                        .integer("snapshots", "how many snapshots", 3, 2, 10)
                        .number("interval", "seconds between snapshots", 10.0, 0.1, 600)
                        .number("warmup", "seconds before the first snapshot (default: interval)", null, 0, 600)
                        .string("keep", "a folder to keep the snapshots in", false)
                        .integer("limit", "leaks reported at most, most growth first", 10, 1, 50)
                        .bytes("min_bytes", "new bytes a leak must reach", FindLeaks.Options.defaults().minBytes())
                        .integer("min_count", "objects a leak's count must grow by", (int) FindLeaks.Options.defaults().minCount(),
                                1, Integer.MAX_VALUE),
                false, this::hunt));
        return t;
    }

    private static ToolSchema target(ToolSchema s) {
        return s.integer("pid", "the process id of a Node.js process (give pid or inspector)", 1, Integer.MAX_VALUE)
                .string("inspector", "the inspector's HOST:PORT or ws:// URL on a loopback address (give pid or inspector)", false);
    }

    private void snapshot(Args a, Json j) {
        Path output = a.optionalPath("output");
        boolean gc = a.bool("gc", true);
        if (output != null && Files.exists(output)) {
            throw new LeakhoundException("snapshot: " + output + " exists; name a new file");
        }
        try (Target t = open(a)) {
            Path file = output != null ? output : folder().resolve("Heap." + NAME_TIME.format(Instant.now()) + "." + t.pid()
                    + "." + taken.incrementAndGet() + ".heapsnapshot");
            log.println("leakhound: taking a heap snapshot of " + t.describe() + (gc ? " after a full GC" : ""));
            SnapshotResult r = t.takeSnapshot(file, new SnapshotCapture.Options(gc, Duration.ofSeconds(60), null));
            CaptureReport.fields(r, j);
            j.field("pid", t.pid()).field("nodeVersion", t.nodeVersion()).field("kept", output != null || snapshotDir != null);
        }
    }

    private void hunt(Args a, Json j) {
        int count = a.integer("snapshots", 3, 2, 10);
        double interval = a.number("interval", 10, 0.1, 600);
        double warmup = a.number("warmup", interval, 0, 600);
        Path keep = a.optionalPath("keep");
        int limit = a.integer("limit", 10, 1, 50);
        FindLeaks.Options d = FindLeaks.Options.defaults();
        long minBytes = a.bytes("min_bytes", d.minBytes());
        int minCount = a.integer("min_count", (int) d.minCount(), 1, Integer.MAX_VALUE);
        Hunt.Plan plan = new Hunt.Plan(seconds(warmup), seconds(interval), count, null);
        try (SnapshotFolder folder = keep != null ? SnapshotFolder.keep(keep) : SnapshotFolder.temporary(null, cleanup)) {
            Hunt.Result hunted;
            try (Target t = open(a)) {
                hunted = new Hunt(t, plan, folder.path(), cleanup).run(new Hunt.Listener() {
                    @Override
                    public void started(Target target, Hunt.Plan p) {
                        log.println("leakhound: hunting in " + target.describe() + ": " + p.snapshots() + " snapshots");
                    }

                    @Override
                    public void snapshotTaken(int index, int total, SnapshotResult result) {
                        log.println("leakhound: snapshot " + index + "/" + total + ": " + CaptureReport.summary(result));
                    }
                });
            }
            LeakReport r = FindLeaks.run(hunted.snapshots(), new FindLeaks.Options(minBytes, minCount, limit,
                    d.bytesOnlyGrowth(), false), read, ProgressListener.NONE);
            LeakReportRenderer.fields(r, j, AnalysisTools.bounds(limit), false);
            j.field("kept", keep != null);
        }
    }

    /** Reaches the process named by {@code pid} or {@code inspector}: exactly one, and only on this machine. */
    private Target open(Args a) {
        boolean pid = a.has("pid");
        boolean inspector = a.has("inspector");
        if (pid == inspector) {
            throw new LeakhoundException("give either pid or inspector (the process to reach)");
        }
        Target.Options o = Target.Options.defaults().withCleanup(cleanup)
                .withNotices(s -> log.println("leakhound: " + s));
        if (pid) {
            return Target.attachPid(a.integer("pid", 0, 1, Integer.MAX_VALUE), o);
        }
        String hostPort = hostPort(a.string("inspector"));
        String host = InspectorEndpoint.HostPort.parse(hostPort).host();
        if (!InspectorEndpoint.isLoopback(host)) {
            throw new LeakhoundException(host + " is not a loopback address; the MCP server only reaches processes on this machine");
        }
        return Target.attach(hostPort, o);
    }

    /** {@code HOST:PORT} from {@code HOST:PORT}, {@code ws://HOST:PORT/...} or {@code http://HOST:PORT/...}. */
    static String hostPort(String inspector) {
        String s = inspector.trim();
        if (!s.contains("://")) {
            return s;
        }
        try {
            URI u = new URI(s);
            if (u.getHost() == null) {
                throw new LeakhoundException("inspector: no host in '" + inspector + "'");
            }
            String host = u.getHost().contains(":") && !u.getHost().startsWith("[") ? "[" + u.getHost() + "]" : u.getHost();
            return u.getPort() < 0 ? host : host + ":" + u.getPort();
        } catch (URISyntaxException e) {
            throw new LeakhoundException("inspector: '" + inspector + "' is neither HOST:PORT nor a ws:// URL");
        }
    }

    /** The folder for snapshots without an output: the configured one, or a private one made on first use. */
    private synchronized Path folder() {
        if (snapshotDir != null) {
            return SnapshotFolder.keep(snapshotDir).path();
        }
        if (sessionFolder == null) {
            sessionFolder = SnapshotFolder.temporary(null, cleanup);
        }
        return sessionFolder.path();
    }

    /** Deletes the private snapshot folder, if one was made. */
    synchronized void close() {
        if (sessionFolder != null) {
            sessionFolder.close();
            sessionFolder = null;
        }
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
