package dev.leakhound.cli.live;

import dev.leakhound.cli.Cli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Capture that does not kill the process, end to end against real node processes: the headroom check
 * before a snapshot (refusal on a fake cgroup limit, --force, the real machine) and {@code arm} on a
 * process driven into out-of-memory.
 */
class CaptureSafetyTest {
    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(rc, out.toString(), err.toString());
    }

    /** A node process started by the test, its stderr collected, its inspector port read from it. */
    record Node(Process process, List<String> stderr, int port) {
        String inspect() {
            return "127.0.0.1:" + port;
        }
    }

    private static final Pattern LISTENING = Pattern.compile("Debugger listening on ws://127\\.0\\.0\\.1:(\\d+)/");

    private Node start(Path cwd, String script, String... nodeFlags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", "--inspect=127.0.0.1:0"));
        cmd.addAll(List.of(nodeFlags));
        cmd.add(script);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().remove("NODE_OPTIONS");
        Process p = pb.start();
        started.add(p);
        List<String> err = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread e = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    err.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // ended
            }
            port.complete(-1);
        });
        Thread o = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("ready")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // ended
            }
            ready.complete(null);
        });
        e.setDaemon(true);
        o.setDaemon(true);
        e.start();
        o.start();
        ready.get(30, TimeUnit.SECONDS);
        int pt = port.get(30, TimeUnit.SECONDS);
        assertThat(p.isAlive()).as("node started: " + err).isTrue();
        return new Node(p, err, pt);
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A process that holds a few MB and waits; "go" on stdin makes it leak LeakedRecord objects (8 KB each, so
     * the heap fills fast with few objects and the snapshots stay small) until it dies.
     */
    private Path leaker() throws IOException {
        Path script = dir.resolve("leaker.js");
        Files.writeString(script, """
                'use strict';
                class LeakedRecord { constructor(i) { this.i = i; this.label = 'record-' + i; this.payload = new Array(1000).fill(i); } }
                const kept = [];
                const base = [];
                for (let i = 0; i < 20000; i++) base.push({ i });
                process.stdin.on('data', () => {
                  setInterval(() => { for (let i = 0; i < 100; i++) kept.push(new LeakedRecord(kept.length)); }, 1);
                });
                console.log('ready');
                """);
        return script;
    }

    /** A fake /proc and /sys/fs/cgroup (v2) whose limit leaves the target {@code freeMb} MB. */
    private Path fakeCgroup(long limitMb, long usedMb) throws IOException {
        Path root = dir.resolve("fakeroot");
        Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(root.resolve("proc/self/cgroup"), "0::/kubepods/pod7/app\n");
        Files.writeString(root.resolve("proc/self/mountinfo"),
                "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw\n");
        Files.writeString(root.resolve("proc/meminfo"), "MemTotal: 24000000 kB\nMemAvailable: 20000000 kB\n");
        Path cg = root.resolve("sys/fs/cgroup/kubepods/pod7/app");
        Files.createDirectories(cg);
        Files.writeString(cg.resolve("memory.max"), (limitMb * 1024 * 1024) + "\n");
        Files.writeString(cg.resolve("memory.current"), (usedMb * 1024 * 1024) + "\n");
        return root;
    }

    @Test
    void aSnapshotThatWouldNotFitIsRefusedWithTheNumbersAndForceTakesIt() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Node node = start(work, leaker().toString());
        Path root = fakeCgroup(256, 250);   // 6 MB left under the container's limit
        Path out = dir.resolve("refused.heapsnapshot");

        Run refused = run("snapshot", "--inspect", node.inspect(), "--proc-root", root.toString(), "-o", out.toString());
        assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
        List<String> lines = refused.err().lines().filter(l -> !l.startsWith("leakhound: attached to")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .startsWith("leakhound: not taking the snapshot: writing it needs about ")
                .contains("its cgroup /sys/fs/cgroup/kubepods/pod7/app (v2) leaves 6.3 MB (limit 268.4 MB, in use 262.1 MB)")
                .contains("--force", "leakhound profile", "more memory");
        assertThat(refused.out()).isEmpty();
        assertThat(out).doesNotExist();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("refused"));
        }
        assertThat(node.process().isAlive()).isTrue();

        // the same limit with --force: taken
        Run forced = run("snapshot", "--inspect", node.inspect(), "--proc-root", root.toString(), "--force", "-o", out.toString());
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(Files.size(out)).isGreaterThan(1_000_000);

        // a limit with room: taken without --force
        Path roomy = dir.resolve("roomy.heapsnapshot");
        Files.writeString(root.resolve("sys/fs/cgroup/kubepods/pod7/app/memory.max"), (4096L * 1024 * 1024) + "\n");
        Run fits = run("snapshot", "--inspect", node.inspect(), "--proc-root", root.toString(), "-o", roomy.toString());
        assertThat(fits.exit()).as(fits.err()).isZero();
        assertThat(roomy).exists();

        // and this machine's real figures (a small heap fits): the normal path still takes snapshots
        Path real = dir.resolve("real.heapsnapshot");
        Run normal = run("snapshot", "--inspect", node.inspect(), "-o", real.toString());
        assertThat(normal.exit()).as(normal.err()).isZero();
        assertThat(real).exists();
    }

    /**
     * watch --snapshot-on-leak under a limit the snapshot would not fit: the leak event comes, the snapshot is
     * refused with the same numbers as a notice, watching goes on, and nothing is written.
     */
    @Test
    void watchNamesTheRefusedLeakSnapshotAndKeepsWatching() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path script = dir.resolve("slow-leaker.js");
        Files.writeString(script, """
                'use strict';
                const kept = [];
                setInterval(() => { for (let i = 0; i < 20; i++) kept.push({ i, payload: new Array(250).fill(i) }); }, 10);
                console.log('ready');
                """);
        Node node = start(work, script.toString());
        Path root = fakeCgroup(256, 250);
        Path snaps = dir.resolve("snaps");
        Run r = run("watch", "--inspect", node.inspect(), "--proc-root", root.toString(), "--snapshot-on-leak", snaps.toString(),
                "--leak-gcs", "3", "--gc-every", "0.3", "--interval", "0.5", "--duration", "12");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out() + r.err()).contains("leak snapshot failed: not taking the snapshot: writing it needs about ")
                .contains("its cgroup /sys/fs/cgroup/kubepods/pod7/app (v2) leaves 6.3 MB");
        if (Files.exists(snaps)) {
            try (Stream<Path> s = Files.list(snaps)) {
                assertThat(s.filter(p -> p.toString().endsWith(".heapsnapshot"))).isEmpty();
            }
        }
        assertThat(node.process().isAlive()).isTrue();
    }

    @Test
    void huntStopsAtTheRefusalWithoutASnapshot() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Node node = start(work, leaker().toString());
        Path root = fakeCgroup(256, 250);
        Path keep = dir.resolve("kept");
        Run r = run("hunt", "--inspect", node.inspect(), "--proc-root", root.toString(), "--warmup", "0", "--interval", "0.1",
                "--keep", keep.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("leakhound: not taking the snapshot: writing it needs about ")
                .contains("its cgroup /sys/fs/cgroup/kubepods/pod7/app (v2) leaves 6.3 MB");
        if (Files.exists(keep)) {
            try (Stream<Path> s = Files.list(keep)) {
                assertThat(s.filter(p -> p.toString().endsWith(".heapsnapshot"))).isEmpty();
            }
        }
        assertThat(node.process().isAlive()).isTrue();
    }

    @Test
    void armedProcessDrivenIntoOutOfMemoryLeavesCompleteSnapshotsThatFindLeaksReads() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        // a small heap limit, young generation included: out of memory within seconds of "go"
        Node node = start(work, leaker().toString(), "--max-old-space-size=8", "--max-semi-space-size=1");
        long pid = node.process().pid();

        Run armed = run("arm", "--inspect", node.inspect(), "--count", "2");
        assertThat(armed.exit()).as(armed.err()).isZero();
        assertThat(armed.out()).startsWith("armed pid " + pid + " (node v")
                .contains("it will write 2 heap snapshots when its heap nears its limit")
                .contains("  file:   " + work.toRealPath() + "/Heap.<date>.<time>." + pid + ".0.<seq>.heapsnapshot")
                .contains("its working directory");

        // arming again with another count cannot change Node's setting: refused, one line
        Run again = run("arm", "--inspect", node.inspect(), "--count", "3");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("leakhound: pid " + pid + " is already armed by leakhound for 2 snapshot(s)");

        // another folder cannot be given to a running process: refused, naming the real one
        Run elsewhere = run("arm", "--inspect", node.inspect(), "--dir", dir.toString());
        assertThat(elsewhere.exit()).isEqualTo(2);
        assertThat(elsewhere.err()).contains("--diagnostic-dir is a start-up flag that a running process cannot change; pid "
                + pid + " will write them to " + work.toRealPath());

        // leak until out of memory: the process writes its two snapshots, then dies
        try (OutputStream in = node.process().getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(node.process().waitFor(300, TimeUnit.SECONDS)).as("the process ran out of memory and ended").isTrue();
        assertThat(node.process().exitValue()).isNotZero();
        List<Path> files;
        try (Stream<Path> s = Files.list(work)) {
            files = s.filter(p -> p.getFileName().toString().matches("Heap\\.\\d{8}\\.\\d{6}\\." + pid + "\\.0\\.\\d{3}\\.heapsnapshot"))
                    .sorted().toList();
        }
        assertThat(files).as("snapshots in %s; stderr %s", work, node.stderr()).hasSize(2);
        for (Path f : files) {
            assertThat(node.stderr()).contains("Wrote snapshot to " + work.toRealPath().resolve(f.getFileName()));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        }

        // complete: leakhound reads each one, and find-leaks finds what grew between them
        Run analyze = run("analyze", "--no-index", files.get(1).toString());
        assertThat(analyze.exit()).as(analyze.err()).isZero();
        assertThat(analyze.out()).contains("LeakedRecord");
        Run leaks = run("find-leaks", "--no-index", files.get(0).toString(), files.get(1).toString());
        assertThat(leaks.exit()).as(leaks.err()).isZero();
        assertThat(leaks.out()).contains("LeakedRecord");
    }

    @Test
    void armRefusesALaunchedCommandAndABadCount() {
        Run launched = run("arm", "--", "node", "-e", "0");
        assertThat(launched.exit()).isEqualTo(2);
        assertThat(launched.err()).startsWith("leakhound: arm works on a running process").contains("--heapsnapshot-near-heap-limit=1");
        Run zero = run("arm", "--count", "0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).isEqualTo("leakhound: --count must be 1 or more (got 0)" + System.lineSeparator());
    }
}
