package dev.leakhound.cli;

import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.hunt.SnapshotFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** hunt against real Node.js processes: started by leakhound, driven with load, snapshotted, judged. */
class HuntCommandTest {
    @TempDir
    Path tmp;

    /** A private copy of an example (and its lib), so that its processes can be told apart from others'. */
    Path example(String name) throws IOException {
        Path src = CliRun.root().resolve("examples");
        Path dir = Files.createDirectories(tmp.resolve("ex"));
        Files.copy(src.resolve(name), dir.resolve(name));
        if (!Files.exists(dir.resolve("lib"))) {
            Files.createDirectories(dir.resolve("lib"));
            try (var files = Files.list(src.resolve("lib"))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, dir.resolve("lib").resolve(f.getFileName()));
                }
            }
        }
        return dir.resolve(name);
    }

    static long processesRunning(Path script) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(script.toString())).orElse(false)).count();
    }

    @Test
    void huntsALaunchedLeakAndEndsTheProcess() throws IOException {
        Path script = example("global-array.js");
        Path keep = tmp.resolve("kept");
        CliRun r = CliRun.of("hunt", "--interval", "2", "--json", "--fail-on-leak", "--keep", keep.toString(),
                "--", "node", script.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("\"verdict\" : \"leak\"", "leakArray", "global-array.js");
        assertThat(r.out().strip()).startsWith("{").endsWith("}");   // the app's own output went to stderr
        assertThat(r.err()).contains("snapshot 3/3", "pauses");
        assertThat(processesRunning(script)).isZero();
        for (int i = 1; i <= 3; i++) {
            Path f = keep.resolve("s" + i + ".heapsnapshot");
            assertThat(Files.getPosixFilePermissions(f)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE));
        }
    }

    @Test
    void aBusyButBoundedProcessIsNoLeak() throws Exception {
        Path script = example("bounded-lru-cache.js");
        Path junit = tmp.resolve("hunt.xml");
        CliRun r = CliRun.of("hunt", "--interval", "2", "--fail-on-leak", "--format", "junit", "--out", junit.toString(),
                "--", "node", script.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Verdict    no-leak");
        assertThat(processesRunning(script)).isZero();
        // the JUnit document went to --out: one passing test case
        var suites = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile())
                .getDocumentElement();
        assertThat(suites.getAttribute("tests")).isEqualTo("1");
        assertThat(suites.getAttribute("failures")).isEqualTo("0");
        assertThat(suites.getElementsByTagName("testcase").item(0).getAttributes().getNamedItem("name").getNodeValue())
                .isEqualTo("no leak");
        assertThat(((org.w3c.dom.Element) suites.getElementsByTagName("testsuite").item(0)).getAttribute("name"))
                .startsWith("leakhound hunt node v").contains(script.toString());
    }

    @Test
    void drivesHttpLoadAtTheAppsOwnPort() throws IOException {
        Path script = example("http-map-of-requests.js");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRun r = CliRun.of("hunt", "--interval", "2", "--load", "http://127.0.0.1:" + port + "/orders", "--rate", "100",
                "--", "env", "NO_SELF_LOAD=1", "PORT=" + port, "node", script.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).containsPattern("load: [0-9,]+ requests sent, [0-9,]+ answered OK");
        assertThat(r.out()).contains("Verdict    LEAK", "`requests` (Map)", "http-map-of-requests.js");
        assertThat(processesRunning(script)).isZero();
    }

    @Test
    void refusesBadOptionsBeforeStartingAnything() throws IOException {
        Path script = example("global-array.js");
        CliRun one = CliRun.of("hunt", "--snapshots", "1", "--", "node", script.toString());
        assertThat(one.exit()).isEqualTo(2);
        assertThat(one.err().strip()).isEqualTo("leakhound: --snapshots must be at least 2");
        CliRun remote = CliRun.of("hunt", "--load", "http://10.9.8.7:3000/", "--", "node", script.toString());
        assertThat(remote.exit()).isEqualTo(2);
        assertThat(remote.err().strip()).isEqualTo("leakhound: load URL http://10.9.8.7:3000/ is not on this machine (not a"
                + " loopback address); leakhound drives load only at loopback addresses unless --allow-remote is given");
        assertThat(processesRunning(script)).isZero();
    }

    @Test
    void aTargetThatExitsEarlyIsAClearErrorAndLeavesNothing() throws IOException {
        Path temp = Files.createDirectories(tmp.resolve("temp"));   // this test's own: other runs cannot add to it
        Path seen = tmp.resolve("seen.txt");
        Path script = tmp.resolve("short.js");
        // while it runs, the target records what is in the temporary directory: the hunt's folder
        Files.writeString(script, "require('fs').writeFileSync(" + Json.write(seen.toString()) + ", require('fs').readdirSync("
                + Json.write(temp.toString()) + ").join('\\n'));\nsetTimeout(() => {}, 1500);\n");
        CliRun r = CliRun.of("hunt", "--interval", "3", "--temp-dir", temp.toString(), "--", "node", script.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("exited before the hunt was over");
        assertThat(Files.readString(seen)).startsWith(SnapshotFolder.TEMPORARY_PREFIX).doesNotContain("\n");
        assertThat(huntDirs(temp)).as("removed at the end").isEmpty();
        assertThat(processesRunning(script)).isZero();

        CliRun missing = CliRun.of("hunt", "--temp-dir", tmp.resolve("nope").toString(), "--", "node", script.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("leakhound: cannot create a temporary folder in " + tmp.resolve("nope")
                + ": no such directory");
    }

    static List<Path> huntDirs(Path parent) throws IOException {
        try (var s = Files.list(parent)) {
            return s.filter(p -> p.getFileName().toString().startsWith(SnapshotFolder.TEMPORARY_PREFIX)).toList();
        }
    }
}
