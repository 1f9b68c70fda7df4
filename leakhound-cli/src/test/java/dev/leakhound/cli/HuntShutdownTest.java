package dev.leakhound.cli;

import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.hunt.SnapshotFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C (SIGTERM) in the middle of a hunt, with leakhound in a JVM of its own: the JVM's cleanup (one
 * shutdown hook, run in order) ends the command leakhound started and removes the temporary snapshot folder.
 * Every wait is on a condition (a line of output, a process exit), bounded only to fail instead of hanging.
 */
class HuntShutdownTest {
    @TempDir
    Path tmp;

    @Test
    void sigtermEndsTheLaunchedCommandAndRemovesTheSnapshotFolder() throws Exception {
        Path temp = Files.createDirectories(tmp.resolve("temp"));
        Path pidFile = tmp.resolve("node.pid");
        Path script = tmp.resolve("idle.js");
        Files.writeString(script, "require('fs').writeFileSync(" + Json.write(pidFile.toString()) + ", String(process.pid));\n"
                + "globalThis.kept = Array.from({length: 1000}, (_, i) => ({i}));\nsetInterval(() => {}, 1000);\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-Djava.io.tmpdir=" + temp,
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "hunt", "--warmup", "0", "--interval", "120", "--temp-dir", temp.toString(), "--", "node", script.toString()));
        Process jvm = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> err = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> firstSnapshot = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(jvm.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    err.add(line);
                    if (line.startsWith("leakhound: snapshot 1/3: ")) {
                        firstSnapshot.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // the JVM ended
            }
            firstSnapshot.completeExceptionally(new AssertionError("leakhound ended before its first snapshot"));
        });
        reader.setDaemon(true);
        reader.start();
        try {
            firstSnapshot.get(120, TimeUnit.SECONDS);
            Path folder = huntDirs(temp).stream().findFirst().orElseThrow();
            assertThat(folder.resolve("s1.heapsnapshot")).isRegularFile();
            long nodePid = Long.parseLong(Files.readString(pidFile).strip());
            Optional<ProcessHandle> node = ProcessHandle.of(nodePid);
            assertThat(node).as("the launched node process runs").isPresent();

            jvm.destroy(); // SIGTERM, as the shell sends on Ctrl-C to a job it ends
            assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).as("leakhound ended; stderr: %s", err).isTrue();
            node.get().onExit().get(30, TimeUnit.SECONDS);
            assertThat(node.get().isAlive()).as("the launched command is ended").isFalse();
            assertThat(huntDirs(temp)).as("the snapshot folder is removed; stderr: %s", err).isEmpty();
            try (Stream<Path> left = Files.list(temp)) {
                assertThat(left.toList()).as("nothing left in the temporary directory").isEmpty();
            }
        } finally {
            jvm.destroyForcibly();
        }
    }

    static List<Path> huntDirs(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(p -> p.getFileName().toString().startsWith(SnapshotFolder.TEMPORARY_PREFIX)).toList();
        }
    }
}
