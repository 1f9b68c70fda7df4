package dev.leakhound.inspector.integration;

import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.inspector.metrics.MetricsServer;
import dev.leakhound.inspector.metrics.PromMetrics;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.watch.GcEvent;
import dev.leakhound.inspector.watch.GcKind;
import dev.leakhound.inspector.watch.GcSampler;
import dev.leakhound.inspector.watch.Memwatch;
import dev.leakhound.inspector.watch.Sample;
import dev.leakhound.inspector.watch.Watcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** `watch` against real node processes. */
class WatchIntegrationTest {
    @TempDir
    Path dir;

    /** Collects everything a watcher reports. */
    static class Recorder implements Watcher.Listener {
        final List<Sample> samples = new CopyOnWriteArrayList<>();
        final List<Memwatch.Stats> stats = new CopyOnWriteArrayList<>();
        final List<Memwatch.Leak> leaks = new CopyOnWriteArrayList<>();
        final List<SnapshotResult> snapshots = new CopyOnWriteArrayList<>();
        final List<String> notices = new CopyOnWriteArrayList<>();
        volatile Runnable onFirstSample;

        @Override
        public void onSample(Sample s) {
            samples.add(s);
            Runnable r = onFirstSample;
            if (r != null) {
                onFirstSample = null;
                r.run();
            }
        }

        @Override
        public void onStats(Memwatch.Stats s) {
            stats.add(s);
        }

        @Override
        public void onLeak(Memwatch.Leak l) {
            leaks.add(l);
        }

        @Override
        public void onSnapshot(SnapshotResult r) {
            snapshots.add(r);
        }

        @Override
        public void onNotice(String m) {
            notices.add(m);
        }
    }

    private static Target launch(String script, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("node", NodeProcess.script(script).toString()));
        cmd.addAll(List.of(args));
        return Target.launch(cmd, Target.Options.defaults().withNotices(s -> { }).withChildStderr(java.io.OutputStream.nullOutputStream()));
    }

    private static Watcher.Config fast(Duration duration) {
        return Watcher.Config.defaults().withInterval(Duration.ofMillis(300)).withGcEvery(Duration.ofMillis(400))
                .withDuration(duration);
    }

    @Test
    void leakFiresOnTheLeakingTargetAndNotOnTheBoundedOne() throws Exception {
        // Both run at once to keep the test short.
        CompletableFuture<Object[]> bounded = CompletableFuture.supplyAsync(() -> {
            Recorder rec = new Recorder();
            try (Target t = launch("bounded.js")) {
                Watcher.Result r = new Watcher(t, fast(Duration.ofSeconds(9)), rec, null).run();
                return new Object[] {rec, r};
            }
        });
        Recorder rec = new Recorder();
        PromMetrics metrics = new PromMetrics();
        String[] scraped = {null};
        Watcher.Result leaky;
        try (Target t = launch("leaky.js"); MetricsServer server = MetricsServer.start(0, metrics)) {
            metrics.setNodeVersion(t.nodeVersion());
            Watcher w = new Watcher(t, fast(Duration.ofSeconds(12)), new Recorder() {
                @Override
                public void onLeak(Memwatch.Leak l) {
                    rec.onLeak(l);
                    try {
                        scraped[0] = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                    } catch (Exception e) {
                        scraped[0] = e.toString();
                    }
                }

                @Override
                public void onStats(Memwatch.Stats s) {
                    rec.onStats(s);
                }

                @Override
                public void onSample(Sample s) {
                    rec.onSample(s);
                    if (!rec.leaks.isEmpty() && scraped[0] != null) {
                        throw new StopWatch();
                    }
                }
            }, metrics);
            try {
                leaky = w.run();
            } catch (StopWatch stop) {
                leaky = null;
            }
        }
        assertThat(rec.leaks).as("leak on the leaking target").isNotEmpty();
        Memwatch.Leak l = rec.leaks.get(0);
        assertThat(l.growth()).isPositive();
        assertThat(l.endMillis()).isGreaterThan(l.startMillis());
        assertThat(l.gcs()).isEqualTo(5);
        assertThat(rec.stats).hasSizeGreaterThanOrEqualTo(6);
        assertThat(scraped[0]).contains("nodejs_heap_size_used_bytes ", "nodejs_heap_space_size_used_bytes{space=\"old\"} ",
                "nodejs_gc_duration_seconds_bucket{le=\"+Inf\",kind=\"major\"} ", "process_resident_memory_bytes ",
                "leakhound_memwatch_leaks_total 1", "nodejs_version_info{version=\"v");

        Object[] b = bounded.get(60, TimeUnit.SECONDS);
        Recorder brec = (Recorder) b[0];
        Watcher.Result br = (Watcher.Result) b[1];
        assertThat(br.fullGcs()).as("enough full GCs for the rule to have fired").isGreaterThanOrEqualTo(10);
        assertThat(brec.leaks).as("no leak on the bounded target").isEmpty();
        assertThat(br.endReason()).isEqualTo("watched for 9 s");
        assertThat(leaky).isNull(); // stopped by us after the leak and the scrape
    }

    /** Thrown from a listener to end a watch early. */
    static final class StopWatch extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void snapshotOnLeakWritesOneFileAndRespectsTheGap() throws Exception {
        Recorder rec = new Recorder();
        Path snaps = dir.resolve("snaps");
        try (Target t = launch("leaky.js")) {
            Watcher.Config cfg = fast(Duration.ofSeconds(30)).withSnapshots(snaps, Duration.ofMinutes(10), 3);
            Watcher.Result r = new Watcher(t, cfg, new Recorder() {
                @Override
                public void onLeak(Memwatch.Leak l) {
                    rec.leaks.add(l);
                }

                @Override
                public void onSnapshot(SnapshotResult s) {
                    rec.snapshots.add(s);
                }

                @Override
                public void onNotice(String m) {
                    rec.notices.add(m);
                }

                @Override
                public void onSample(Sample s) {
                    // the snapshot decision comes after the sample: stop at the sample after the skip
                    if (rec.notices.stream().anyMatch(n -> n.startsWith("leak snapshot skipped"))) {
                        throw new StopWatch();
                    }
                }
            }, null).run();
            org.assertj.core.api.Assertions.fail("the watch ended before a second leak event: " + r + ", notices " + rec.notices);
        } catch (StopWatch expected) {
            // two leak events seen
        }
        assertThat(rec.leaks).hasSizeGreaterThanOrEqualTo(2);
        assertThat(rec.snapshots).hasSize(1);
        assertThat(rec.notices).anyMatch(n -> n.startsWith("leak snapshot skipped: the last one was less than 600 s ago"));
        try (Stream<Path> s = Files.list(snaps)) {
            List<Path> files = s.toList();
            assertThat(files).hasSize(1);
            assertThat(files.get(0).getFileName().toString()).matches("leak\\.\\d{8}\\.\\d{6}\\.\\d+\\.heapsnapshot");
            assertThat(Files.size(files.get(0))).isEqualTo(rec.snapshots.get(0).bytes());
        }
    }

    @Test
    void endsWhenALaunchedTargetExits() {
        Recorder rec = new Recorder();
        long t0 = System.nanoTime();
        try (Target t = launch("short.js", "--ms", "1500")) {
            Watcher.Result r = new Watcher(t, Watcher.Config.defaults().withInterval(Duration.ofMillis(200)), rec, null).run();
            assertThat(r.endReason()).isEqualTo("the target exited");
        }
        assertThat(rec.samples).isNotEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void anAttachedTargetThatFinishesIsLetGo() throws Exception {
        // Node waits for attached debuggers before exiting; leakhound must disconnect so it can.
        try (NodeProcess node = NodeProcess.start(List.of("--inspect=127.0.0.1:0"), "short.js", "--ms", "1500");
             Target t = Target.attach("127.0.0.1:" + node.inspectorPort(), Target.Options.defaults().withNotices(s -> { }))) {
            Watcher.Result r = new Watcher(t, Watcher.Config.defaults().withInterval(Duration.ofMillis(200)), new Recorder(), null).run();
            assertThat(r.endReason()).isEqualTo("the target exited");
            assertThat(node.process().waitFor(10, TimeUnit.SECONDS)).as("node exited").isTrue();
            assertThat(node.process().exitValue()).isZero();
        }
    }

    @Test
    void survivesATargetThatStopsAnsweringForAWhile() {
        Recorder rec = new Recorder();
        try (Target t = launch("blocker.js", "--after-ms", "800", "--block-ms", "3000")) {
            Watcher.Config cfg = Watcher.Config.defaults().withInterval(Duration.ofMillis(200))
                    .withDuration(Duration.ofSeconds(6)).withSlowAfter(Duration.ofSeconds(1));
            Watcher.Result r = new Watcher(t, cfg, rec, null).run();
            assertThat(r.endReason()).isEqualTo("watched for 6 s");
        }
        assertThat(rec.notices).anyMatch(n -> n.startsWith("the target has not answered for 1 s"));
        assertThat(rec.notices).anyMatch(n -> n.startsWith("the target answered again after "));
        int slowAt = -1;
        for (int i = 0; i < rec.notices.size(); i++) {
            if (rec.notices.get(i).startsWith("the target answered again")) {
                slowAt = i;
            }
        }
        assertThat(slowAt).isGreaterThanOrEqualTo(1);
        // samples both before and after the block (about 0.8 s and 2 s of normal running)
        long blockStart = rec.samples.get(0).timeMillis() + 500;
        assertThat(rec.samples).anyMatch(s -> s.timeMillis() < blockStart + 300);
        assertThat(rec.samples.get(rec.samples.size() - 1).timeMillis() - rec.samples.get(0).timeMillis()).isGreaterThan(4000);
    }

    private static final String HAS_RECORDER = "Object.getOwnPropertySymbols(globalThis).map(String).includes('Symbol(leakhound.watch)')";

    @Test
    void theRecorderIsRemovedWhenLeakhoundEndsAndByItselfWhenLeakhoundVanishes() throws Exception {
        try (NodeProcess node = NodeProcess.start(List.of("--inspect=127.0.0.1:0"), "idle.js")) {
            String where = "127.0.0.1:" + node.inspectorPort();
            Target.Options o = Target.Options.defaults().withNotices(s -> { });
            try (Target observer = Target.attach(where, o)) {
                Target a = Target.attach(where, o);
                new Watcher(a, Watcher.Config.defaults().withInterval(Duration.ofMillis(200)).withDuration(Duration.ofSeconds(1)),
                        new Recorder(), null).run();
                assertThat(observer.evaluate(HAS_RECORDER)).as("installed while watching").isEqualTo(true);
                assertThat(observer.evaluate("Object.keys(globalThis).some(k => k.includes('leakhound'))")).isEqualTo(false);
                a.close();
                assertThat(observer.evaluate(HAS_RECORDER)).as("removed on close").isEqualTo(false);

                // Dead man's switch: installed, never polled again -> gone after its idle limit.
                GcSampler orphan = new GcSampler(observer.session(), Duration.ofMillis(1500), GcSampler.Mode.AUTO);
                orphan.install();
                assertThat(observer.evaluate(HAS_RECORDER)).isEqualTo(true);
                // its own timer removes it after 1.5 s without a poll: waited for (at most 30 s), not timed
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (Boolean.TRUE.equals(observer.evaluate(HAS_RECORDER)) && System.nanoTime() < deadline) {
                    Thread.sleep(100);   // polling a condition
                }
                assertThat(observer.evaluate(HAS_RECORDER)).as("removed by itself").isEqualTo(false);
            }
        }
    }

    @Test
    void bothRecorderModesSeeAForcedGcAsOneTaggedGroup() throws Exception {
        try (Target t = launch("idle.js")) {
            for (GcSampler.Mode mode : new GcSampler.Mode[] {GcSampler.Mode.AUTO, GcSampler.Mode.OBSERVER}) {
                GcSampler s = new GcSampler(t.session(), Duration.ofSeconds(60), mode);
                String used = s.install();
                assertThat(used).isEqualTo(mode == GcSampler.Mode.OBSERVER ? "observer" : "gcprofiler");
                s.parse(s.pollAsync().get(10, TimeUnit.SECONDS)); // drain
                s.forcedGc();
                // the observer delivers on a later turn of the event loop: poll until the major GCs are there (30 s at most)
                Sample smp = s.parse(s.pollAsync().get(10, TimeUnit.SECONDS));
                List<GcEvent> majors = new java.util.ArrayList<>(smp.gcs().stream().filter(g -> g.kind() == GcKind.MAJOR).toList());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (majors.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);   // polling a condition
                    smp = s.parse(s.pollAsync().get(10, TimeUnit.SECONDS));
                    majors.addAll(smp.gcs().stream().filter(g -> g.kind() == GcKind.MAJOR).toList());
                }
                assertThat(majors).as(used).isNotEmpty();
                assertThat(majors).allMatch(g -> g.forcedGroup() > 0 && g.usedHeapAfter() > 0 && g.pauseMillis() > 0);
                assertThat(majors.stream().map(GcEvent::forcedGroup).distinct()).hasSize(1);
                assertThat(smp.mem("heapUsed")).isPositive();
                assertThat(smp.spaces()).extracting(Sample.Space::name).contains("old_space", "new_space");
                s.uninstall();
                assertThat(t.evaluate(HAS_RECORDER)).isEqualTo(false);
            }
        }
    }
}
