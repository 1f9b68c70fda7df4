package dev.leakhound.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The npm package, as a user gets it: scripts/npm-pack.sh packs it around the jar just built, it is installed
 * from the tarball into a fresh project with {@code npm install --offline} (it has no dependencies), and
 * {@code npx leakhound} runs there. Also: no Java or a too old one, exit codes and signals passed through.
 * Runs after {@code package} (failsafe), since it needs leakhound-cli/target/leakhound.jar.
 */
class NpmPackageIT {
    @TempDir
    static Path tmp;
    static Path project;
    static Path launcher;

    record Run(int exit, String out, String err) {}

    static Run run(Path dir, Map<String, String> env, List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("npm_config_cache", tmp.resolve("npm-cache").toString());
        pb.environment().put("npm_config_update_notifier", "false");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish in 3 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void packAndInstall() throws Exception {
        Path root = CliRun.root();
        Run pack = run(root, Map.of(), List.of("bash", root.resolve("scripts/npm-pack.sh").toString(), tmp.resolve("out").toString()));
        assertThat(pack.exit()).as(pack.err()).isZero();
        String[] lines = pack.out().strip().split("\n");
        Path tarball = Path.of(lines[lines.length - 1]);
        assertThat(tarball).exists();
        project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("package.json"), "{\"name\":\"try-leakhound\",\"version\":\"1.0.0\",\"private\":true}\n");
        Run install = run(project, Map.of(), List.of("npm", "install", "--offline", "--no-audit", "--no-fund", tarball.toString()));
        assertThat(install.exit()).as(install.out() + install.err()).isZero();
        launcher = project.resolve("node_modules/leakhound/bin/leakhound.js");
        assertThat(launcher).exists();
        assertThat(project.resolve("node_modules/.bin/leakhound")).exists();
    }

    @Test
    void npxLeakhoundHelpAndDemo() throws Exception {
        Run help = run(project, Map.of(), List.of("npx", "--offline", "leakhound", "--help"));
        assertThat(help.exit()).as(help.err()).isZero();
        assertThat(help.out()).contains("Usage: leakhound", "hunt", "analyze", "mcp");
        Run demo = run(project, Map.of(), List.of("npx", "--offline", "leakhound", "demo"));
        assertThat(demo.exit()).as(demo.err()).isZero();
        assertThat(demo.out()).contains("Hunting a leak in examples/http-map-of-requests.js", "Verdict    LEAK", "PendingRequest");
        Run missing = run(project, Map.of(), List.of("npx", "--offline", "leakhound", "analyze", "missing.heapsnapshot"));
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).startsWith("leakhound: ").contains("no such file").doesNotContain("\n");
    }

    @Test
    void withoutJavaItSaysWhatToInstall() throws Exception {
        String node = whichNode();
        Path empty = Files.createDirectories(tmp.resolve("empty-bin"));
        Run none = run(project, Map.of("PATH", empty.toString(), "JAVA_HOME", tmp.resolve("no-such-jdk").toString()),
                List.of(node, launcher.toString(), "--help"));
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.out()).isEmpty();
        assertThat(none.err().strip().split("\n")).hasSize(2);
        assertThat(none.err()).contains("needs Java 17 or newer: no java in JAVA_HOME or PATH", "openjdk-17-jre-headless");
        // a Java 11 in JAVA_HOME: named, and refused
        Path old = Files.createDirectories(tmp.resolve("jdk11/bin"));
        Path java = old.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Run tooOld = run(project, Map.of("PATH", empty.toString(), "JAVA_HOME", tmp.resolve("jdk11").toString()),
                List.of(node, launcher.toString(), "--help"));
        assertThat(tooOld.exit()).isEqualTo(2);
        assertThat(tooOld.err()).contains("found Java 11 at " + java);
    }

    @Test
    void signalsReachJavaAndTheLauncherEndsAsItDid() throws Exception {
        for (String signal : List.of("TERM", "INT")) {
            // mcp waits on its stdin: a long-lived java below the launcher
            ProcessBuilder pb = new ProcessBuilder(whichNode(), launcher.toString(), "mcp").directory(project.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            try {
                ProcessHandle java = waitForChild(p);
                assertThat(java.info().command().orElse("")).endsWith("java");
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
                assertThat(kill.waitFor()).isZero();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the launcher ended on SIG" + signal).isTrue();
                assertThat(java.onExit().get(60, TimeUnit.SECONDS).isAlive()).as("java ended too").isFalse();
                assertThat(p.exitValue()).as("SIG" + signal).isEqualTo(signal.equals("TERM") ? 128 + 15 : 128 + 2);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /** The launcher's child (java), once it exists. */
    private static ProcessHandle waitForChild(Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> child = p.toHandle().children().findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            assertThat(p.isAlive()).as("the launcher is running").isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("the launcher started no java in 60 s");
    }

    private static String whichNode() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", "command -v node").start();
        String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).isZero();
        return path;
    }
}
