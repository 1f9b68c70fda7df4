package dev.leakhound.cli;

import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hunt --track-allocations} against real Node.js processes: every leaking example's leak names the stack that
 * allocated its objects, with the line of the example's own source marked {@code leak:allocates} (found here by
 * reading the source); a leak inside a package under node_modules names the package and version from its
 * package.json and where the application calls it; a healthy example stays no-leak with tracking on.
 */
class HuntTrackAllocationsTest {
    @TempDir
    Path tmp;

    static Path examples() {
        return CliRun.root().resolve("examples");
    }

    /** The 1-based number of the only line of {@code file} containing {@code text}. */
    static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                assertThat(found).as(file + " has " + text + " on more than one line").isEqualTo(-1);
                found = i + 1;
            }
        }
        assertThat(found).as(file + " has no line with " + text).isPositive();
        return found;
    }

    private static JsonObj hunt(Path script, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("hunt", "--track-allocations", "--warmup", "2", "--json"));
        args.addAll(more.length > 0 ? List.of(more) : List.of("--interval", "2"));
        args.addAll(List.of("--", "node", script.toString()));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        // a command leakhound starts tracks from start-up (node --track-heap-objects), where every object keeps its stack
        assertThat(r.err()).contains("allocation tracking on since start-up");
        return (JsonObj) Json.parse(r.out());
    }

    /**
     * Every leaking example of examples/manifest.json, hunted with {@code --track-allocations}: its leak (the one of the
     * example's class; where the leaked objects are the closures or timers that hold them, the first) names a stack
     * created at the line the example marks {@code leak:allocates} (a {@code new Class(}, an object literal...), read
     * here from the source, with its first application frame in that file. Tracking slows the target: HTTP examples
     * get a longer interval.
     */
    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> everyLeakNamesTheLineOfItsOwnSourceThatCreatesItsObjects() throws IOException {
        List<DynamicTest> tests = new java.util.ArrayList<>();
        for (Object o : (List<Object>) Json.parse(Files.readString(examples().resolve("manifest.json")))) {
            JsonObj ex = (JsonObj) o;
            if (ex.bool("leaks")) {
                tests.add(DynamicTest.dynamicTest(ex.str("file"), () -> huntNamesTheMarkedLine(ex)));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(11);
        return tests.stream();
    }

    private static void huntNamesTheMarkedLine(JsonObj ex) throws IOException {
        Path script = examples().resolve(ex.str("file"));
        Path source = examples().resolve(ex.str("sourceFile"));
        int line = lineOf(source, "leak:allocates");
        JsonObj doc = hunt(script, "--interval", ex.bool("http") ? "4" : "2");
        assertThat(doc.str("verdict")).isEqualTo("leak");
        JsonObj leak = (JsonObj) doc.arr("leaks").get(0);
        for (Object o : doc.arr("leaks")) {
            if (ex.str("leakedClass") != null && ex.str("leakedClass").equals(((JsonObj) o).str("leakedClass"))) {
                leak = (JsonObj) o;
                break;
            }
        }
        List<Object> stacks = leak.arr("allocations");
        assertThat(stacks).as(leak.toString()).isNotEmpty();
        boolean named = false;
        for (Object o : stacks) {
            JsonObj st = (JsonObj) o;
            assertThat(st.lng("count", 0)).isPositive();
            JsonObj site = st.obj("site");
            int app = (int) st.lng("applicationFrame", -1);
            if (site != null && site.str("file").equals(source.toString()) && site.lng("line", 0) == line && app >= 0) {
                JsonObj frame = (JsonObj) st.arr("frames").get(app);
                assertThat(frame.str("file")).isEqualTo(source.toString());
                assertThat(frame.lng("line", 0)).isBetween(1L, (long) line);
                named = true;
            }
        }
        assertThat(named).as("a stack created at %s:%d in %s", source, line, stacks).isTrue();
    }

    /** A copy of examples/dependency-leak (with its node_modules) under {@code to}. */
    static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }

    @Test
    void aLeakInsideAPackageNamesThePackageAndWhereTheAppCallsIt() throws IOException {
        Path app = tmp.resolve("app");
        copyTree(examples().resolve("dependency-leak"), app);
        Path script = app.resolve("server.js");
        Path manifest = app.resolve("node_modules/tiny-registry/package.json");
        JsonObj pkg = (JsonObj) Json.parse(Files.readString(manifest));
        Path kept = tmp.resolve("snaps");
        JsonObj doc = hunt(script, "--interval", "2", "--keep", kept.toString());
        assertThat(doc.str("verdict")).isEqualTo("leak");
        JsonObj leak = (JsonObj) doc.arr("leaks").get(0);
        JsonObj p = leak.obj("package");
        assertThat(p).as(leak.toString()).isNotNull();
        assertThat(p.str("name")).isEqualTo(pkg.str("name"));
        assertThat(p.str("version")).isEqualTo(pkg.str("version"));
        assertThat(p.str("keptAt")).isEqualTo("accumulation-point");
        assertThat(p.str("holder")).contains("subscriptions");
        assertThat(p.str("script")).endsWith("node_modules/tiny-registry/lib/registry.js");
        assertThat(p.obj("calledFrom").str("file")).isEqualTo(script.toString());
        // the Map's keys (strings) and values (Subscriptions) accumulate in one container: one leak, nothing dismissed
        assertThat(doc.arr("leaks")).hasSize(1);
        for (Object o : doc.arr("dismissed")) {
            assertThat(((JsonObj) o).obj("container").lng("id", -1)).isNotEqualTo(leak.obj("container").lng("id", -2));
        }

        // the snapshots read on "another machine": the app moved; its package.json is found under --source-root
        Path moved = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.move(app, moved.resolve("app"));
        List<String> snaps = List.of(kept.resolve("s1.heapsnapshot").toString(), kept.resolve("s2.heapsnapshot").toString(),
                kept.resolve("s3.heapsnapshot").toString());
        List<String> args = new java.util.ArrayList<>(List.of("find-leaks", "--json"));
        args.addAll(snaps);
        CliRun without = CliRun.of(args.toArray(String[]::new));
        JsonObj p2 = ((JsonObj) ((JsonObj) Json.parse(without.out())).arr("leaks").get(0)).obj("package");
        assertThat(p2.str("name")).isEqualTo("tiny-registry");
        assertThat(p2.get("version")).isNull();
        args.addAll(List.of("--source-root", moved.toString()));
        CliRun with = CliRun.of(args.toArray(String[]::new));
        assertThat(with.exit()).as(with.err()).isZero();
        JsonObj p3 = ((JsonObj) ((JsonObj) Json.parse(with.out())).arr("leaks").get(0)).obj("package");
        assertThat(p3.str("version")).isEqualTo(pkg.str("version"));
    }

    @Test
    void snapshotTracksFromAttachingAndAnalyzeShowsTheAllocationView() throws IOException {
        Path script = examples().resolve("slow-consumer-queue.js");
        Path file = tmp.resolve("traced.heapsnapshot");
        CliRun r = CliRun.of("snapshot", "--track-allocations", "--delay", "2", "-o", file.toString(), "--", "node", script.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(dev.leakhound.core.snapshot.SnapshotParser.readHeader(file).hasAllocationTraces()).isTrue();
        CliRun a = CliRun.of("analyze", file.toString(), "--json", "--no-index");
        assertThat(a.exit()).as(a.err()).isZero();
        JsonObj view = ((JsonObj) Json.parse(a.out())).obj("allocationView");
        assertThat(view).isNotNull();
        assertThat(view.lng("tracedCount", 0)).isPositive();
        // the example's own function that makes the jobs is among the allocating functions
        assertThat(view.arr("rows")).anySatisfy(o -> assertThat(((JsonObj) o).obj("function").str("file")).isEqualTo(script.toString()));
        CliRun plain = CliRun.of("analyze", file.toString(), "--no-index");
        assertThat(plain.out()).contains("Allocation view: live objects by allocating function");
    }

    /**
     * Attached to a running process, tracking goes through the inspector and says what that loses; attached to one
     * started with --track-heap-objects, nothing is started and every stack is there. Both snapshots carry traces.
     */
    @ParameterizedTest
    @CsvSource({"false, through the inspector", "true, since start-up"})
    void attachedTrackingSaysHowItTracks(boolean flag, String how) throws IOException {
        Path script = examples().resolve("slow-consumer-queue.js");
        Path file = tmp.resolve("attached.heapsnapshot");
        try (InspectedNode node = flag ? InspectedNode.start("--track-heap-objects", script.toString()) : InspectedNode.start(script.toString())) {
            CliRun r = CliRun.of("snapshot", "--track-allocations", "--delay", "1", "--inspect", node.hostPort(), "-o", file.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).contains("allocation tracking on " + how);
        }
        assertThat(dev.leakhound.core.snapshot.SnapshotParser.readHeader(file).hasAllocationTraces()).isTrue();
    }

    @Test
    void aHealthyProcessIsStillNoLeakWithTracking() {
        JsonObj doc = hunt(examples().resolve("healthy-http-server.js"));
        assertThat(doc.str("verdict")).isEqualTo("no-leak");
    }
}
