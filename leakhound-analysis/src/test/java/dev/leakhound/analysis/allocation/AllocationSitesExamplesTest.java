package dev.leakhound.analysis.allocation;

import dev.leakhound.analysis.ExampleSnapshots;
import dev.leakhound.analysis.ExampleSnapshots.Example;
import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.SnapshotParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * find-leaks on snapshot series taken with allocation tracking ({@code node --track-heap-objects}) of real
 * example processes: each leak names the stacks that allocated its objects, and one of them creates the leaked
 * class at the line of the example's source that holds {@code new LeakedClass(} (found here by reading the
 * source, not from leakhound's output), with its first application frame in that file. A healthy example stays
 * no-leak with tracking on.
 */
class AllocationSitesExamplesTest {
    /** Leaking examples whose leaked objects are made with {@code new LeakedClass(…)}. */
    static final List<String> LEAKING = List.of("global-array.js", "slow-consumer-queue.js", "audit-log.js", "buffers-kept.js",
            "closures-in-array.js");
    static final List<String> HEALTHY = List.of("bounded-lru-cache.js");

    @TempDir
    static Path dir;
    static Map<String, Example> byFile = new LinkedHashMap<>();
    static Map<String, List<Path>> series = new LinkedHashMap<>();

    @BeforeAll
    static void takeSnapshots() throws Exception {
        for (Example e : ExampleSnapshots.manifest()) {
            byFile.put(e.file(), e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Map<String, Future<List<Path>>> f = new LinkedHashMap<>();
            for (String file : Stream.concat(LEAKING.stream(), HEALTHY.stream()).toList()) {
                f.put(file, pool.submit(() -> ExampleSnapshots.tracked(file, dir.resolve(file.replace(".js", "")), 3, 2500, 2000)));
            }
            for (var e : f.entrySet()) {
                series.put(e.getKey(), e.getValue().get(5, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @TestFactory
    Stream<DynamicTest> leaksNameTheLineThatCreatesTheirObjects() {
        return LEAKING.stream().map(file -> DynamicTest.dynamicTest(file, () -> {
            Example ex = byFile.get(file);
            assertThat(SnapshotParser.read(series.get(file).get(2)).allocationTraces()).as(file).isNotNull();
            LeakReport r = FindLeaks.run(series.get(file), FindLeaks.Options.defaults(), ProgressListener.NONE);
            assertThat(r.verdict()).as(file).isEqualTo("leak");
            // the leak of the example's class; for closures-in-array the leaked objects are the closures that hold them
            LeakReport.Leak leak = r.leaks().stream().filter(l -> ex.leakedClass().equals(l.leakedClass())).findFirst()
                    .orElse(r.leaks().get(0));
            String source = ExampleSnapshots.examples().resolve(ex.sourceFile()).toString();
            int line = ExampleSnapshots.lineOf(ex.sourceFile(), "new " + ex.leakedClass() + "(");
            assertThat(leak.allocations()).as(file).isNotEmpty();
            assertThat(leak.allocations()).as(file + ": " + leak.allocations()).anySatisfy(st -> {
                assertThat(st.site()).isNotNull();
                assertThat(st.site().file()).isEqualTo(source);
                assertThat(st.site().line()).isEqualTo(line);
                assertThat(st.application()).isNotNull();
                assertThat(st.application().file()).isEqualTo(source);
                assertThat(st.count()).isPositive();
                assertThat(st.className()).isEqualTo(ex.leakedClass());
            });
            for (int i = 1; i < leak.allocations().size(); i++) {
                assertThat(leak.allocations().get(i).count()).isLessThanOrEqualTo(leak.allocations().get(i - 1).count());
            }
        }));
    }

    @Test
    void aHealthyExampleStaysNoLeakWithTracking() {
        for (String file : HEALTHY) {
            LeakReport r = FindLeaks.run(series.get(file), FindLeaks.Options.defaults(), ProgressListener.NONE);
            assertThat(r.verdict()).as(file + ": " + r.leaks()).isEqualTo("no-leak");
        }
    }
}
