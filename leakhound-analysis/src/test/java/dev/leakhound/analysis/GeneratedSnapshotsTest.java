package dev.leakhound.analysis;

import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Suspect;
import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.core.snapshot.SnapshotParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmarks' snapshot generator (bench/gen/SnapshotGenerator.java, run with the JDK's source
 * launcher as the README says) for a small series of one process: leakhound must read its files
 * with nothing unreachable, and find the leak it plants (PendingRequest objects in the global Map
 * pendingRequests) with exactly the counts the generator says it planted, and nothing else.
 */
class GeneratedSnapshotsTest {
    static final long SEED = 11;
    static final Pattern LINE = Pattern.compile(
            "\"file\":\"([^\"]+)\".*\"nodes\":(\\d+),\"edges\":(\\d+).*\"leaked\":(\\d+),\"newLeaked\":(\\d+)");

    @TempDir
    static Path dir;
    static final List<Path> files = new ArrayList<>();
    static final List<long[]> planted = new ArrayList<>(); // nodes, edges, leaked, newLeaked

    @BeforeAll
    static void generate() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path source = ExampleSnapshots.root().resolve("bench/gen/SnapshotGenerator.java");
        Path out = dir.resolve("gen.heapsnapshot");
        Path err = dir.resolve("generator.err");
        Process p = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", source.toString(), "--nodes", "40000",
                "--series", "3",
                "--seed", Long.toString(SEED), "--out", out.toString())
                .redirectError(err.toFile()).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("generator finished").isTrue();
        assertThat(p.exitValue()).as("generator exit; stderr: %s", Files.readString(err)).isZero();
        for (String line : stdout.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                files.add(Path.of(m.group(1)));
                planted.add(new long[]{Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                        Long.parseLong(m.group(5))});
            }
        }
        assertThat(files).as("one summary line per snapshot in: %s", stdout).hasSize(3);
    }

    @Test
    void findLeaksReportsThePlantedLeakWithItsExactCounts() {
        LeakReport r = FindLeaks.run(files, FindLeaks.Options.defaults(), ProgressListener.NONE);
        assertThat(r.verdict()).as("seed %d", SEED).isEqualTo("leak");
        assertThat(r.leaks()).as("seed %d: only the planted leak grows; the churn is dismissed", SEED).hasSize(1);
        LeakReport.Leak top = r.leaks().get(0);
        assertThat(top.leakedClass()).isEqualTo("PendingRequest");
        assertThat(top.culprit()).isEqualTo("pendingRequests");
        assertThat(top.container().className()).isEqualTo("Map");
        assertThat(top.countsPerSnapshot()).as("seed %d: PendingRequest held per snapshot", SEED)
                .containsExactly(planted.get(0)[2], planted.get(1)[2], planted.get(2)[2]);
        // allocated between the first two snapshots and still alive in the last (memlab's rule too)
        assertThat(top.newCount()).as("seed %d", SEED).isEqualTo(planted.get(1)[3]);
        for (int i = 0; i < 3; i++) {
            assertThat((long) r.snapshots().get(i).nodes()).isEqualTo(planted.get(i)[0]);
        }
    }

    @Test
    void analyzeReadsItCleanlyAndNamesTheLeakAsASuspect() {
        // the heap is ~2 MB: lower the 4 MiB floor so the 10%-of-heap rule decides, as it does at real sizes
        SnapshotAnalysis.Options o = new SnapshotAnalysis.Options(20, DiagnosisOptions.defaults().withMinBytes(64 << 10),
                false);
        SnapshotAnalysis a = SnapshotAnalysis.analyze(files.get(2), o, ProgressListener.NONE);
        assertThat(a.nodeCount()).isEqualTo((int) planted.get(2)[0]);
        assertThat(a.edgeCount()).isEqualTo((int) planted.get(2)[1]);
        assertThat(a.unreachableNodes()).as("seed %d: every node reachable from the root", SEED).isZero();
        Suspect leak = a.diagnosis().suspects().stream()
                .filter(s -> s.pathText().contains("pendingRequests")).findFirst().orElse(null);
        assertThat(leak).as("seed %d: a suspect on pendingRequests among %s", SEED, a.diagnosis().suspects()).isNotNull();
        assertThat(leak.className()).isEqualTo("Map");
        assertThat(leak.accumulation().topChildren().get(0).className()).isEqualTo("PendingRequest");
        assertThat(leak.accumulation().topChildren().get(0).count()).isEqualTo(planted.get(2)[2]);
    }

    /**
     * The churn is not a leak: units replaced between snapshots keep every tenant's collections at the
     * same size (only their objects are new), so nothing but the planted leak can be seen growing.
     */
    @Test
    void replacedUnitsKeepEveryCollectionsSize() {
        Map<Long, List<Integer>> first = null;
        long firstMaxId = 0;
        for (Path f : files) {
            HeapSnapshot s = SnapshotParser.read(f, ProgressListener.NONE, ReadOptions.defaults());
            Map<Long, List<Integer>> sizes = tenantCollections(s);
            assertThat(sizes).as("%s: tenants", f).hasSizeGreaterThanOrEqualTo(16);
            if (first == null) {
                first = sizes;
                firstMaxId = s.maxJsObjectId();
                continue;
            }
            assertThat(sizes).as("seed %d, %s: entries of each tenant's collections (by tenant id)", SEED, f)
                    .isEqualTo(first);
            long newSessions = 0;
            for (int v = 0; v < s.nodeCount(); v++) {
                if (s.name(v).equals("Session") && s.id(v) > firstMaxId) {
                    newSessions++;
                }
            }
            assertThat(newSessions).as("seed %d, %s: sessions replaced since the first snapshot", SEED, f).isPositive();
        }
    }

    /** Tenant id -> entries of its users, sessions, cache, orders, logs, buffers and sessionMeta. */
    static Map<Long, List<Integer>> tenantCollections(HeapSnapshot s) {
        Map<Long, List<Integer>> out = new TreeMap<>();
        for (int v = 0; v < s.nodeCount(); v++) {
            if (!s.name(v).equals("Tenant") || s.type(v) != NodeType.OBJECT) {
                continue;
            }
            List<Integer> sizes = new ArrayList<>();
            for (String field : List.of("users", "sessions", "cache", "orders", "logs", "buffers", "sessionMeta")) {
                int c = target(s, v, field);
                int table = target(s, c, "table");
                int n = 0;
                if (table >= 0) {
                    // a Map's or WeakMap's table: its slots (all edges but the map's)
                    for (int e = s.firstEdge(table); e < s.endEdge(table); e++) {
                        n += s.edgeName(e).equals("map") ? 0 : 1;
                    }
                } else {
                    for (int e = s.firstEdge(c); e < s.endEdge(c); e++) {
                        n += s.edgeType(e) == EdgeType.ELEMENT ? 1 : 0;
                    }
                }
                sizes.add(n);
            }
            out.put(s.id(v), sizes);
        }
        return out;
    }

    static int target(HeapSnapshot s, int from, String name) {
        for (int e = s.firstEdge(from); e < s.endEdge(from); e++) {
            if (s.edgeType(e) != EdgeType.ELEMENT && s.edgeType(e) != EdgeType.HIDDEN && s.edgeName(e).equals(name)) {
                return s.edgeTo(e);
            }
        }
        return -1;
    }

    @Test
    void filesAreOwnerOnly() throws Exception {
        for (Path f : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
        }
        try (var s = Files.list(dir)) {
            assertThat(s.map(x -> x.getFileName().toString()).filter(n -> n.contains(".tmp"))).as("no temporary files left").isEmpty();
        }
    }
}
