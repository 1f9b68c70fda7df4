package dev.leakhound.inspector.hunt;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.cleanup.CleanupRegistry;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.load.HttpLoad;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The capturing half of {@code leakhound hunt}: waits the warm-up, then takes N snapshots of the target an
 * interval apart, each after a full GC, into a folder ({@code s1.heapsnapshot}, {@code s2...}), while
 * optionally driving HTTP load at it. Reports what it does to a {@link Listener} (data; the wording is the
 * report module's) and returns the snapshot files for find-leaks. {@code check} uses it with a {@link Step}
 * instead of the waits: before each snapshot, the step makes the target do its work (a round of calls).
 *
 * <p>While it runs, the hunt is registered with the cleanup registry's {@link CleanupRegistry.Phase#STOP_WORK}
 * phase: when leakhound ends early, the load stops and no further snapshot is started.
 */
public final class Hunt {
    /**
     * @param warmup    wait before the first snapshot
     * @param interval  time between snapshots
     * @param snapshots how many (at least 2)
     * @param load      HTTP load to drive for the whole hunt, or null; its duration is set by the hunt
     * @param step      what runs before each snapshot instead of the warm-up and interval waits, or null
     */
    public record Plan(Duration warmup, Duration interval, int snapshots, HttpLoad load, Step step) {
        public Plan {
            if (snapshots < 2) {
                throw new IllegalArgumentException("a hunt takes at least 2 snapshots");
            }
        }

        /** A timed hunt: waits, then snapshots. */
        public Plan(Duration warmup, Duration interval, int snapshots, HttpLoad load) {
            this(warmup, interval, snapshots, load, null);
        }

        /** A hunt driven by {@code step} before each of its snapshots (no waits, no load). */
        public static Plan stepped(int snapshots, Step step) {
            return new Plan(Duration.ZERO, Duration.ZERO, snapshots, null, step);
        }

        /** From the first wait to the last snapshot. */
        public Duration total() {
            return warmup.plus(interval.multipliedBy(snapshots - 1));
        }
    }

    /** Work the target does before a snapshot (check's round of calls); a failure ends the hunt with it. */
    public interface Step {
        /** Runs before snapshot {@code index} (1-based) is taken. */
        void beforeSnapshot(int index, Target target);
    }

    /** What the hunt does, as it happens. Called on the hunting thread. */
    public interface Listener {
        /** The warm-up starts. */
        void started(Target target, Plan plan);

        /** Snapshot {@code index} (1-based) of {@code count} is written. */
        void snapshotTaken(int index, int count, SnapshotResult result);
    }

    /**
     * @param snapshots the files, oldest first
     * @param load      what the load did (null without load, or when it did not report in time)
     */
    public record Result(List<Path> snapshots, HttpLoad.LoadReport load) {}

    private final Target target;
    private final Plan plan;
    private final Path dir;
    private final CleanupRegistry cleanup;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    /** @param dir where the snapshots go (see {@link SnapshotFolder}) */
    public Hunt(Target target, Plan plan, Path dir, CleanupRegistry cleanup) {
        this.target = target;
        this.plan = plan;
        this.dir = dir;
        this.cleanup = cleanup;
    }

    /** Stops the hunt: the load stops and no further snapshot starts; {@link #run} fails. */
    public void stop() {
        stopped.complete(null);
    }

    public Result run(Listener listener) {
        CleanupRegistry.Registration stopOnExit = cleanup.register(CleanupRegistry.Phase.STOP_WORK, "stop the hunt", this::stop);
        try {
            listener.started(target, plan);
            AtomicReference<HttpLoad.LoadReport> loadReport = new AtomicReference<>();
            AtomicReference<RuntimeException> loadError = new AtomicReference<>();
            Thread loadThread = plan.load() == null ? null : startLoad(plan.load(), loadReport, loadError);
            try {
                List<Path> files = new ArrayList<>();
                for (int i = 1; i <= plan.snapshots(); i++) {
                    if (plan.step() != null) {
                        plan.step().beforeSnapshot(i, target);
                        if (stopped.isDone()) {
                            throw new LeakhoundException("the hunt was stopped; no verdict");
                        }
                    } else {
                        await(i == 1 ? plan.warmup() : plan.interval());
                    }
                    RuntimeException e = loadError.get();
                    if (e != null) {
                        throw new LeakhoundException("--load failed: " + e.getMessage());
                    }
                    Path f = dir.resolve("s" + i + ".heapsnapshot");
                    SnapshotResult res = target.takeSnapshot(f, true);
                    files.add(f);
                    listener.snapshotTaken(i, plan.snapshots(), res);
                }
                if (loadThread != null) {
                    loadThread.interrupt();   // the load ends its stream and reports
                    join(loadThread);
                }
                return new Result(List.copyOf(files), loadReport.get());
            } finally {
                if (loadThread != null) {
                    loadThread.interrupt();
                }
            }
        } finally {
            stopOnExit.close();
        }
    }

    private Thread startLoad(HttpLoad load, AtomicReference<HttpLoad.LoadReport> report, AtomicReference<RuntimeException> error) {
        // the load is stopped after the last snapshot; its own bound leaves room for the snapshots' pauses, which
        // plan.total() does not count (a worker's 5 MB snapshots paused 2-3 s each on a busy machine, and a load
        // bounded by plan.total() ended before the last snapshot)
        HttpLoad l = load.duration(plan.total().plusSeconds(1).plus(Duration.ofMinutes(1).multipliedBy(plan.snapshots())));
        Thread t = new Thread(() -> {
            try {
                report.set(l.run());
            } catch (RuntimeException e) {
                error.set(e);
            }
        }, "leakhound-hunt-load");
        t.setDaemon(true);
        t.start();
        stopped.thenRun(t::interrupt);
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeakhoundException("interrupted while the load ended");
        }
    }

    /** Waits {@code d}; fails when the target's program ends or the hunt is stopped meanwhile. */
    private void await(Duration d) {
        try {
            CompletableFuture.anyOf(target.finished(), stopped).get(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException stillRunning) {
            return;
        } catch (ExecutionException e) {
            throw new LeakhoundException("lost the target: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeakhoundException("interrupted; no verdict");
        }
        if (stopped.isDone()) {
            throw new LeakhoundException("the hunt was stopped; no verdict");
        }
        throw new LeakhoundException("the target exited before the hunt was over; no verdict");
    }
}
