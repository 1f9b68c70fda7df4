package dev.leakhound.inspector.watch;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.cdp.CdpConnection;
import dev.leakhound.inspector.cdp.InspectorSession;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.inspector.cdp.TargetGoneException;
import dev.leakhound.inspector.metrics.PromMetrics;
import dev.leakhound.inspector.live.Target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The watch loop: polls the target every interval, feeds its GCs to {@link Memwatch}, reports samples and
 * memwatch events to a {@link Listener}, optionally forces a full GC at a fixed period and takes a snapshot
 * when a leak is reported (rate-limited). Ends when the target exits, when {@code duration} has passed, or
 * on {@link #stop()}. A target that does not answer a poll in time is reported once and waited for: no
 * further poll is sent until it answers.
 */
public final class Watcher {
    /** What the watcher reports. Called on the watching thread. */
    public interface Listener {
        void onSample(Sample sample);

        void onStats(Memwatch.Stats stats);

        void onLeak(Memwatch.Leak leak);

        void onSnapshot(SnapshotResult result);

        /** Something the user should know (a slow target, a skipped snapshot...). */
        void onNotice(String message);
    }

    /**
     * @param interval          time between polls
     * @param leakGcs           consecutive growing full GCs that make a leak
     * @param duration          stop after this long (null: until the target exits)
     * @param gcEvery           force a full GC (HeapProfiler.collectGarbage) this often (null: never)
     * @param snapshotDir       take a snapshot into this directory on a leak (null: never)
     * @param snapshotMinGap    at least this long between two such snapshots
     * @param maxSnapshots      at most this many such snapshots
     * @param slowAfter         report a target that has not answered a poll for this long
     * @param mode              how the target observes GCs
     */
    public record Config(Duration interval, int leakGcs, Duration duration, Duration gcEvery, Path snapshotDir,
                         Duration snapshotMinGap, int maxSnapshots, Duration slowAfter, GcSampler.Mode mode) {
        public static Config defaults() {
            return new Config(Duration.ofSeconds(2), Memwatch.DEFAULT_LEAK_GCS, null, null, null,
                    Duration.ofMinutes(10), 3, Duration.ofSeconds(10), GcSampler.Mode.AUTO);
        }

        public Config withInterval(Duration d) {
            return new Config(d, leakGcs, duration, gcEvery, snapshotDir, snapshotMinGap, maxSnapshots, slowAfter, mode);
        }

        public Config withDuration(Duration d) {
            return new Config(interval, leakGcs, d, gcEvery, snapshotDir, snapshotMinGap, maxSnapshots, slowAfter, mode);
        }

        public Config withGcEvery(Duration d) {
            return new Config(interval, leakGcs, duration, d, snapshotDir, snapshotMinGap, maxSnapshots, slowAfter, mode);
        }

        public Config withSnapshots(Path dir, Duration minGap, int max) {
            return new Config(interval, leakGcs, duration, gcEvery, dir, minGap, max, slowAfter, mode);
        }

        public Config withLeakGcs(int n) {
            return new Config(interval, n, duration, gcEvery, snapshotDir, snapshotMinGap, maxSnapshots, slowAfter, mode);
        }

        public Config withSlowAfter(Duration d) {
            return new Config(interval, leakGcs, duration, gcEvery, snapshotDir, snapshotMinGap, maxSnapshots, d, mode);
        }

        public Config withMode(GcSampler.Mode m) {
            return new Config(interval, leakGcs, duration, gcEvery, snapshotDir, snapshotMinGap, maxSnapshots, slowAfter, m);
        }
    }

    /** How a watch ended and what it saw. */
    public record Result(String endReason, long samples, long fullGcs, long incrementalGcs, long leaks,
                         List<SnapshotResult> snapshots) {}

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd.HHmmss").withZone(ZoneId.systemDefault());

    private final Target target;
    private final Config config;
    private final Listener listener;
    private final Memwatch memwatch;
    private final GcSampler sampler;
    private final PromMetrics metrics;
    private volatile boolean stopRequested;

    /** @param metrics updated with every sample and GC; may be null */
    public Watcher(Target target, Config config, Listener listener, PromMetrics metrics) {
        this.target = target;
        this.config = config;
        this.listener = listener;
        this.metrics = metrics;
        this.memwatch = new Memwatch(config.leakGcs());
        Duration idle = Duration.ofMillis(Math.max(60_000, config.interval().toMillis() * 10));
        this.sampler = new GcSampler(target.session(), idle, config.mode());
    }

    public void stop() {
        stopRequested = true;
    }

    /** The GC recorder mode in the target, once {@link #run()} has installed it. */
    public String mode() {
        return sampler.mode();
    }

    public Result run() {
        sampler.install();
        target.addCleanup("remove the GC recorder from the target", () -> {
            try {
                sampler.uninstall();
            } catch (TargetGoneException gone) {
                // nothing to remove from a target that is gone; other failures are the target's to report
            }
        });
        InspectorSession session = target.session();
        CdpConnection conn = session.connection();
        long start = System.nanoTime();
        long intervalNs = config.interval().toNanos();
        long nextPoll = start;
        long nextGc = config.gcEvery() == null ? Long.MAX_VALUE : start + config.gcEvery().toNanos();
        CompletableFuture<JsonObj> poll = null;
        long pollSent = 0;
        boolean slowReported = false;
        long samples = 0;
        long leaks = 0;
        long lastSnapshot = Long.MIN_VALUE;
        List<SnapshotResult> snapshots = new ArrayList<>();
        String end;
        while (true) {
            long now = System.nanoTime();
            if (stopRequested) {
                end = "stopped";
                break;
            }
            if (target.finished().isDone() || conn.isClosed()) {
                end = "the target exited";
                break;
            }
            if (config.duration() != null && now - start >= config.duration().toNanos()) {
                end = "watched for " + config.duration().toSeconds() + " s";
                break;
            }
            if (poll == null && now >= nextGc) {
                nextGc = now + config.gcEvery().toNanos();
                try {
                    sampler.forcedGc();
                } catch (TargetGoneException e) {
                    continue; // noticed at the top of the loop
                } catch (LeakhoundException e) {
                    listener.onNotice("forced GC failed: " + e.getMessage());
                }
                continue;
            }
            if (poll == null && now >= nextPoll) {
                poll = sampler.pollAsync();
                pollSent = now;
                nextPoll = Math.max(nextPoll + intervalNs, now + intervalNs / 2);
            }
            if (poll == null) {
                sleepNanos(Math.min(nextPoll, nextGc) - now);
                continue;
            }
            JsonObj reply;
            try {
                reply = poll.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!slowReported && System.nanoTime() - pollSent > config.slowAfter().toNanos()) {
                    listener.onNotice("the target has not answered for " + config.slowAfter().toSeconds()
                            + " s (busy or blocked); still waiting");
                    slowReported = true;
                }
                continue;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TargetGoneException || conn.isClosed()) {
                    end = "the target exited";
                    break;
                }
                throw e.getCause() instanceof LeakhoundException le ? le
                        : new LeakhoundException(target.label() + ": poll failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                end = "interrupted";
                break;
            }
            poll = null;
            if (slowReported) {
                listener.onNotice(String.format(Locale.ROOT, "the target answered again after %.1f s", (System.nanoTime() - pollSent) / 1e9));
                slowReported = false;
            }
            Sample s;
            try {
                s = sampler.parse(reply);
            } catch (LeakhoundException ex) {
                listener.onNotice("poll failed: " + ex.getMessage());
                continue;
            }
            if (s == null) {
                listener.onNotice("leakhound's GC recorder was gone from the target; installing it again");
                sampler.install();
                continue;
            }
            samples++;
            boolean leaked = false;
            boolean[] superseded = GcEvent.supersededForced(s.gcs());
            for (int gi = 0; gi < s.gcs().size(); gi++) {
                GcEvent g = s.gcs().get(gi);
                if (metrics != null) {
                    metrics.observeGc(g);
                }
                if (superseded[gi]) {
                    continue;
                }
                for (Memwatch.Event ev : memwatch.onGc(g.timeMillis(), g.kind(), g.usedHeapAfter())) {
                    if (ev instanceof Memwatch.Leak l) {
                        leaks++;
                        leaked = true;
                        if (metrics != null) {
                            metrics.onLeak();
                        }
                        listener.onLeak(l);
                    } else if (ev instanceof Memwatch.Stats st) {
                        if (metrics != null) {
                            metrics.onStats(st);
                        }
                        listener.onStats(st);
                    }
                }
            }
            if (s.droppedGcs() > 0) {
                listener.onNotice(s.droppedGcs() + " GCs were not recorded (more than the target's ring holds between two polls)");
            }
            if (metrics != null) {
                metrics.update(s, target.pid());
            }
            listener.onSample(s);

            if (leaked && config.snapshotDir() != null) {
                long t = System.nanoTime();
                if (snapshots.size() >= config.maxSnapshots()) {
                    listener.onNotice("leak snapshot skipped: already took " + snapshots.size() + " (--max-snapshots)");
                } else if (lastSnapshot != Long.MIN_VALUE && t - lastSnapshot < config.snapshotMinGap().toNanos()) {
                    listener.onNotice("leak snapshot skipped: the last one was less than "
                            + config.snapshotMinGap().toSeconds() + " s ago");
                } else {
                    SnapshotResult r = snapshotOnLeak(s);
                    lastSnapshot = System.nanoTime();
                    if (r != null) {
                        snapshots.add(r);
                        listener.onSnapshot(r);
                    }
                    nextPoll = System.nanoTime();
                }
            }
        }
        return new Result(end, samples, memwatch.numFullGc(), memwatch.numIncGc(), leaks, List.copyOf(snapshots));
    }

    /**
     * Takes a snapshot into the snapshot directory. The full GCs the snapshot itself causes are not fed to
     * memwatch (memwatch ignores GCs during its own HeapDiff snapshots the same way): the recorder is drained
     * right after and those GCs only go to the metrics.
     */
    private SnapshotResult snapshotOnLeak(Sample s) {
        Path dir = config.snapshotDir();
        try {
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(dir);
                }
            }
        } catch (IOException e) {
            listener.onNotice("leak snapshot skipped: cannot create " + dir + ": " + e.getMessage());
            return null;
        }
        Path file = dir.resolve("leak." + FILE_TIME.format(Instant.ofEpochMilli(s.timeMillis())) + "." + target.pid() + ".heapsnapshot");
        listener.onNotice("leak reported: taking a heap snapshot into " + file + " (the target is paused until it is written)");
        SnapshotResult r;
        try {
            r = target.takeSnapshot(file, false);
        } catch (LeakhoundException e) {
            listener.onNotice("leak snapshot failed: " + e.getMessage());
            return null;
        }
        try {
            Sample after = sampler.parse(target.session().connection().call("Runtime.evaluate",
                    InspectorSession.evaluateParams(GcSampler.KEY_EXPR + " ? " + GcSampler.KEY_EXPR + ".poll() : null"),
                    target.session().callTimeout()));
            if (after != null && metrics != null) {
                for (GcEvent g : after.gcs()) {
                    metrics.observeGc(g);
                }
            }
        } catch (LeakhoundException ignored) {
            // the next poll will tell
        }
        return r;
    }

    private void sleepNanos(long ns) {
        if (ns <= 0) {
            return;
        }
        try {
            Thread.sleep(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(ns))));
        } catch (InterruptedException e) {
            stopRequested = true;
        }
    }
}
