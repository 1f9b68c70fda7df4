package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.ExampleSnapshots;
import dev.leakhound.analysis.ExampleSnapshots.Example;
import dev.leakhound.core.snapshot.ProgressListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bundled example, run as a real Node.js process: three snapshots over ~7 s, then find-leaks.
 * Leaking examples must get the verdict "leak" with the culprit named and the source file found;
 * the busy-but-healthy ones must get "no-leak".
 */
class ExamplesFindLeaksTest {
    @TempDir
    static Path dir;
    static List<Example> examples;
    static Map<String, List<Path>> series;

    @BeforeAll
    static void takeSnapshots() throws Exception {
        examples = ExampleSnapshots.manifest();
        series = ExampleSnapshots.series(examples, dir, 3, 2500, 6);
    }

    @TestFactory
    Stream<DynamicTest> eachExample() {
        assertThat(examples.stream().filter(Example::leaks).count()).isGreaterThanOrEqualTo(10);
        assertThat(examples.stream().filter(e -> !e.leaks()).count()).isGreaterThanOrEqualTo(5);
        return examples.stream().map(ex -> DynamicTest.dynamicTest(ex.file() + (ex.leaks() ? " leaks" : " does not leak"), () -> {
            LeakReport r = FindLeaks.run(series.get(ex.file()), FindLeaks.Options.defaults(), ProgressListener.NONE);
            if (!ex.leaks()) {
                assertThat(r.verdict()).as("%s: %s", ex.file(), r.leaks().isEmpty() ? "" : r.leaks().get(0).culprit())
                        .isEqualTo("no-leak");
                return;
            }
            assertThat(r.verdict()).as(ex.file()).isEqualTo("leak");
            LeakReport.Leak top = r.leaks().get(0);
            assertThat(top.rank()).isEqualTo(1);
            String named = top.culprit() + " | " + top.pathText() + " | " + top.container().pathText();
            assertThat(named).as("%s names its culprit", ex.file()).contains(ex.culprit());
            assertThat(top.location()).as("%s has a source location", ex.file()).isNotNull();
            assertThat(top.location().file()).as("%s: source file", ex.file()).endsWith("examples/" + ex.sourceFile());
            assertThat(top.location().line()).isPositive();
            long[] counts = top.countsPerSnapshot();
            assertThat(counts[2]).as("%s grows", ex.file()).isGreaterThan(counts[0]);
            assertThat(top.retainedBytes()).isPositive();
            assertThat(top.path()).isNotEmpty();
        }));
    }
}
