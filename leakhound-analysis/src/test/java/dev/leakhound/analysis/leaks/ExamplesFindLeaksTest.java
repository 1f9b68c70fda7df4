package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.ExampleSnapshots;
import dev.leakhound.analysis.ExampleSnapshots.Example;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.snapshot.ProgressListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bundled example, run as a real Node.js process: three snapshots over ~7 s, then find-leaks.
 * Leaking examples must get the verdict "leak" with the shape, culprit, leaked class and source file
 * that examples/manifest.json gives, each in the field it belongs in; the busy-but-healthy ones must
 * get "no-leak".
 */
class ExamplesFindLeaksTest {
    /** The manifest's pattern names (which describe the example) as find-leaks' shapes. */
    static final Map<String, LeakPattern> PATTERNS = Map.ofEntries(
            Map.entry("global-array", LeakPattern.ARRAY), Map.entry("module-private-array", LeakPattern.ARRAY),
            Map.entry("map-of-requests", LeakPattern.MAP), Map.entry("memoize", LeakPattern.MEMOIZE),
            Map.entry("listeners", LeakPattern.LISTENERS), Map.entry("reconnect-listeners", LeakPattern.LISTENERS),
            Map.entry("intervals", LeakPattern.TIMERS), Map.entry("closure-context", LeakPattern.CLOSURE_CHAIN),
            Map.entry("closures-in-array", LeakPattern.CLOSURES_IN_ARRAY), Map.entry("queue", LeakPattern.QUEUE),
            Map.entry("buffers", LeakPattern.BUFFERS));

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
                assertThat(r.leaks()).as("%s: %s", ex.file(), r.leaks()).isEmpty();
                assertThat(r.verdict()).isEqualTo("no-leak");
                return;
            }
            assertThat(r.verdict()).as(ex.file()).isEqualTo("leak");
            checkLeak(ex, r.leaks().get(0), 3);
        }));
    }

    /** The top leak, field by field, against what the example fixes. */
    static void checkLeak(Example ex, LeakReport.Leak top, int snapshots) throws Exception {
        String name = ex.file();
        assertThat(top.rank()).isEqualTo(1);
        assertThat(top.pattern()).as("%s: shape", name).isEqualTo(PATTERNS.get(ex.pattern()));
        assertThat(top.culprit()).as("%s: culprit", name).isEqualTo(ex.culprit());
        if (ex.leakedClass() != null) {
            // for functions that keep objects (listeners, timers' callbacks, callbacks): the class of one they keep
            List<LeakReport.Captured> captured = captured(top.detail());
            if (captured == null) {
                assertThat(top.leakedClass()).as("%s: leaked class", name).isEqualTo(ex.leakedClass());
            } else {
                assertThat(captured).as("%s: captured", name).extracting(LeakReport.Captured::className)
                        .contains(ex.leakedClass());
            }
        }
        // where the accumulation point is the culprit's own collection, the container is reached through its name
        LeakPattern p = top.pattern();
        if (p == LeakPattern.ARRAY || p == LeakPattern.QUEUE || p == LeakPattern.MAP || p == LeakPattern.MEMOIZE
                || p == LeakPattern.BUFFERS || p == LeakPattern.CLOSURES_IN_ARRAY) {
            assertThat(top.container().pathText()).as("%s: container", name)
                    .matches(".*(\\.|::)" + Pattern.quote(ex.culprit()) + " -> .*");
            if (top.container().scope() != null) {
                assertThat(top.container().scope().variable()).as("%s: scope variable", name).isEqualTo(ex.culprit());
            }
        }
        // the source position is a line of the example's own file
        assertThat(top.location()).as("%s has a source location", name).isNotNull();
        Path source = ExampleSnapshots.examples().resolve(ex.sourceFile());
        assertThat(top.location().file()).as("%s: source file", name).isEqualTo(source.toString());
        assertThat(top.location().line()).as("%s: source line", name)
                .isBetween(1, Files.readAllLines(source).size());
        // the numbers agree with one another
        long[] counts = top.countsPerSnapshot();
        long[] bytes = top.bytesPerSnapshot();
        assertThat(counts).hasSize(snapshots);
        assertThat(bytes).hasSize(snapshots);
        assertThat(top.count()).isEqualTo(counts[snapshots - 1]);
        assertThat(top.retainedBytes()).isEqualTo(bytes[snapshots - 1]);
        assertThat(top.growthBytes()).isEqualTo(bytes[snapshots - 1] - bytes[0]);
        assertThat(counts[snapshots - 1]).as("%s grows", name).isGreaterThan(counts[0]);
        assertThat(top.newBytes()).as("%s: new bytes pass --min-bytes", name).isGreaterThanOrEqualTo(64 * 1024);
        assertThat(top.dismissal()).isNull();
        // the path runs through the accumulation point to the object it names
        assertThat(top.path()).extracting(RetainerPath.Step::id).contains(top.container().id());
        RetainerPath.Step last = top.path().get(top.path().size() - 1);
        assertThat(top.pathText()).endsWith(" @" + last.id());
        // the signature: the leak's shape and class, and a path with no object ids, indexes or keys in it
        LeakSignature sig = top.signature();
        assertThat(sig.pattern()).isEqualTo(top.pattern());
        assertThat(sig.leakedClass()).isEqualTo(top.leakedClass());
        assertThat(sig.id()).matches("[0-9a-f]{16}");
        assertThat(sig.path()).as("%s: signature path", name).contains(LeakSignature.AT).doesNotContainPattern("@[0-9]")
                .doesNotContainPattern("\\[[0-9]+\\]");
        assertThat(top.status()).isEqualTo(LeakReport.Status.NEW);
    }

    static List<LeakReport.Captured> captured(LeakReport.Detail d) {
        if (d instanceof LeakReport.Listeners l) {
            return l.captured();
        }
        if (d instanceof LeakReport.Timers t) {
            return t.captured();
        }
        return d instanceof LeakReport.Callbacks c ? c.captured() : null;
    }

    @Test
    void twoSnapshotsOfALeakingProcessFindTheSameLeak() throws Exception {
        for (Example ex : examples) {
            if (ex.file().equals("global-array.js") || ex.file().equals("http-map-of-requests.js")) {
                List<Path> s = series.get(ex.file());
                LeakReport r = FindLeaks.run(List.of(s.get(0), s.get(2)), FindLeaks.Options.defaults(), ProgressListener.NONE);
                assertThat(r.verdict()).as(ex.file()).isEqualTo("leak");
                checkLeak(ex, r.leaks().get(0), 2);
                // the same leak, the same signature, from two snapshots or three
                LeakReport all = FindLeaks.run(s, FindLeaks.Options.defaults(), ProgressListener.NONE);
                assertThat(r.leaks().get(0).signature()).as(ex.file()).isEqualTo(all.leaks().get(0).signature());
            }
        }
    }
}
