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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * find-leaks on snapshot series taken with allocation tracking ({@code node --track-heap-objects}) of every
 * example of examples/manifest.json: each leaking example's leak names the stacks that allocated its objects, and
 * one of them is created at the line of the example's own source marked {@code leak:allocates} (found here by
 * reading the source, not from leakhound's output: a {@code new Class(}, or an object literal for
 * closure-context.js), with its first application frame in that file. Healthy examples stay no-leak with tracking on.
 */
class AllocationSitesExamplesTest {
    /** The comment that marks, in each leaking example's source, the line that creates its leaked objects. */
    static final String MARKER = "leak:allocates";

    static List<String> leaking = new ArrayList<>();
    static List<String> healthy = new ArrayList<>();

    @TempDir
    static Path dir;
    static Map<String, Example> byFile = new LinkedHashMap<>();
    static Map<String, List<Path>> series = new LinkedHashMap<>();

    @BeforeAll
    static void takeSnapshots() throws Exception {
        for (Example e : ExampleSnapshots.manifest()) {
            byFile.put(e.file(), e);
            (e.leaks() ? leaking : healthy).add(e.file());
        }
        assertThat(leaking).hasSizeGreaterThanOrEqualTo(11);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Map<String, Future<List<Path>>> f = new LinkedHashMap<>();
            for (String file : Stream.concat(leaking.stream(), healthy.stream()).toList()) {
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
        return leaking.stream().map(file -> DynamicTest.dynamicTest(file, () -> {
            Example ex = byFile.get(file);
            assertThat(SnapshotParser.read(series.get(file).get(2)).allocationTraces()).as(file).isNotNull();
            LeakReport r = FindLeaks.run(series.get(file), FindLeaks.Options.defaults(), ProgressListener.NONE);
            assertThat(r.verdict()).as(file).isEqualTo("leak");
            // the leak of the example's class; where the leaked objects are the closures or timers that hold them, the first
            LeakReport.Leak leak = r.leaks().stream().filter(l -> l.leakedClass() != null && l.leakedClass().equals(ex.leakedClass()))
                    .findFirst().orElse(r.leaks().get(0));
            String source = ExampleSnapshots.examples().resolve(ex.sourceFile()).toString();
            int line = markedLine(ex.sourceFile());
            assertThat(leak.allocations()).as(file).isNotEmpty();
            assertThat(leak.allocations()).as(file + ": " + leak.allocations()).anySatisfy(st -> {
                assertThat(st.site()).isNotNull();
                assertThat(st.site().file()).isEqualTo(source);
                assertThat(st.site().line()).isEqualTo(line);
                assertThat(st.application()).isNotNull();
                assertThat(st.application().file()).isEqualTo(source);
                assertThat(st.count()).isPositive();
            });
            for (int i = 1; i < leak.allocations().size(); i++) {
                assertThat(leak.allocations().get(i).count()).isLessThanOrEqualTo(leak.allocations().get(i - 1).count());
            }
        }));
    }

    /** The 1-based number of the only line of examples/{file} that holds {@link #MARKER}. */
    static int markedLine(String file) throws IOException {
        List<String> lines = Files.readAllLines(ExampleSnapshots.examples().resolve(file));
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(MARKER)) {
                assertThat(found).as(file + " marks more than one line with " + MARKER).isEqualTo(-1);
                found = i + 1;
            }
        }
        assertThat(found).as(file + " marks no line with " + MARKER).isPositive();
        return found;
    }

    @Test
    void healthyExamplesStayNoLeakWithTracking() {
        assertThat(healthy).isNotEmpty();
        for (String file : healthy) {
            LeakReport r = FindLeaks.run(series.get(file), FindLeaks.Options.defaults(), ProgressListener.NONE);
            assertThat(r.verdict()).as(file + ": " + r.leaks()).isEqualTo("no-leak");
        }
    }
}
