package dev.leakhound.inspector.profile;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.CdpException;
import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.inspector.live.Target;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

/**
 * V8's sampling heap profiler in a live target, over the inspector: {@code HeapProfiler.enable},
 * {@code startSampling {samplingInterval, includeObjectsCollectedByMajorGC/MinorGC}}, a wait, then
 * {@code getSamplingProfile} and {@code stopSampling}. The target keeps running the whole time; V8 records
 * a stack for about one allocation per {@code samplingInterval} bytes (a Poisson process), which is cheap
 * enough for production.
 *
 * <p>The profile comes back as its JSON text (the {@code .heapprofile} format): leakhound-analysis reads it
 * with the same reader as a file. While sampling, the target carries a cleanup that stops the profiler, so
 * leakhound ending early (Ctrl-C, an error) does not leave it running.
 */
public final class SamplingSession {
    /** V8's default sampling interval (bytes). */
    public static final long DEFAULT_INTERVAL = 32768;

    /** How the wait ended. */
    public enum End { DURATION, STOPPED, TARGET_ENDED }

    private final Target target;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean sampling;

    private SamplingSession(Target target) {
        this.target = target;
    }

    /**
     * Starts sampling in {@code target}.
     *
     * @param interval         mean bytes between samples
     * @param includeCollected also keep samples of objects the GC already freed (V8's
     *                         includeObjectsCollectedByMajorGC and ...MinorGC): allocation churn rather than
     *                         what is still alive
     */
    public static SamplingSession start(Target target, long interval, boolean includeCollected) {
        SamplingSession s = new SamplingSession(target);
        target.session().call("HeapProfiler.enable", null);
        JsonObj params = JsonObj.of("samplingInterval", interval);
        if (includeCollected) {
            params.put("includeObjectsCollectedByMajorGC", true).put("includeObjectsCollectedByMinorGC", true);
        }
        target.session().call("HeapProfiler.startSampling", params);
        s.sampling = true;
        target.addCleanup("stop the sampling heap profiler", s::stopSampling);
        return s;
    }

    /** Ends {@link #await} early (Ctrl-C): the profile is still taken. */
    public void stop() {
        stop.countDown();
    }

    /**
     * Waits for {@code duration}, for {@link #stop()}, or for the target to end, whichever comes first;
     * {@code tick} hears the elapsed milliseconds about once a second.
     */
    public End await(Duration duration, LongConsumer tick) {
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                return End.DURATION;
            }
            if (target.finished().isDone()) {
                return End.TARGET_ENDED;
            }
            long wait = Math.min(end - now, TimeUnit.SECONDS.toNanos(1));
            try {
                if (stop.await(wait, TimeUnit.NANOSECONDS)) {
                    return End.STOPPED;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return End.STOPPED;
            }
            try {
                target.finished().get(0, TimeUnit.NANOSECONDS);
                return End.TARGET_ENDED;
            } catch (TimeoutException running) {
                // still there
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return End.STOPPED;
            } catch (ExecutionException e) {
                return End.TARGET_ENDED;
            }
            tick.accept(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    /**
     * HeapProfiler.getSamplingProfile while sampling goes on: the profile so far, as JSON text. Profiles taken
     * this way from one session are what {@code profile A B} compares: the second holds what the first held
     * (what is still alive) and what was allocated since.
     */
    public String peekProfile() {
        JsonObj profile = target.session().call("HeapProfiler.getSamplingProfile", null).obj("profile");
        if (profile == null) {
            throw new LeakhoundException(target.label() + ": HeapProfiler.getSamplingProfile answered without a profile");
        }
        return Json.write(profile);
    }

    /**
     * HeapProfiler.getSamplingProfile, then stopSampling: the profile's JSON text.
     *
     * @throws LeakhoundException when the target is gone (its samples went with it)
     */
    public String takeProfile() {
        if (!target.isConnected()) {
            throw new LeakhoundException("the target ended before its sampling profile was taken; no profile"
                    + " (a launched command must still run when --duration ends)");
        }
        JsonObj reply = target.session().call("HeapProfiler.getSamplingProfile", null);
        JsonObj profile = reply.obj("profile");
        if (profile == null) {
            throw new LeakhoundException(target.label() + ": HeapProfiler.getSamplingProfile answered without a profile");
        }
        stopSampling();
        return Json.write(profile);
    }

    private void stopSampling() {
        if (!sampling) {
            return;
        }
        sampling = false;
        if (target.isConnected()) {
            try {
                target.session().call("HeapProfiler.stopSampling", null);
            } catch (CdpException e) {
                // not sampling any more: fine
            }
        }
    }
}
