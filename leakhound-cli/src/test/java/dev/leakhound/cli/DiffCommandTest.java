package dev.leakhound.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code leakhound diff} end to end on real snapshots: one node process snapshots, allocates
 * {@value #N} DiffProbe objects and snapshots again; another process of the same script snapshots
 * once. JSON outputs are read back by node, the way scripts written for memwatch read them.
 */
class DiffCommandTest {
    static final int N = 600;

    static final String PROBE = String.join("\n",
            "const v8 = require('v8');",
            "class DiffProbe { constructor(i) { this.i = i; this.label = 'probe-' + i; } }",
            "const keep = [];",
            "globalThis.keep = keep;",
            "v8.writeHeapSnapshot(process.argv[2]);",
            "const n = Number(process.argv[4] || 0);",
            "for (let i = 0; i < n; i++) keep.push(new DiffProbe(i));",
            "if (process.argv[3]) v8.writeHeapSnapshot(process.argv[3]);",
            "");

    /** Reads memwatch-format JSON on stdin and checks it the way a memwatch user's script sees it. */
    static final String MEMWATCH_CHECK = String.join("\n",
            "const fs = require('fs');",
            "const d = JSON.parse(fs.readFileSync(0, 'utf8'));",
            "const [beforeFile, afterFile, n] = [process.argv[2], process.argv[3], Number(process.argv[4])];",
            "const eq = (a, b, what) => { if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(what + ': ' + JSON.stringify(a)); };",
            "eq(Object.keys(d), ['before', 'after', 'change'], 'top keys');",
            "for (const s of ['before', 'after']) eq(Object.keys(d[s]), ['nodes', 'time', 'size_bytes', 'size'], s + ' keys');",
            "eq(Object.keys(d.change), ['size_bytes', 'size', 'freed_nodes', 'allocated_nodes', 'details'], 'change keys');",
            "for (const x of d.change.details) eq(Object.keys(x), ['what', 'size_bytes', 'size', '+', '-'], 'detail keys');",
            "eq(d.before.time, fs.statSync(beforeFile).mtime.toJSON(), 'before.time');",
            "eq(d.after.time, fs.statSync(afterFile).mtime.toJSON(), 'after.time');",
            "eq(d.change.size_bytes, d.after.size_bytes - d.before.size_bytes, 'change.size_bytes');",
            "const names = d.change.details.map(x => x.what);",
            "const sorted = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));",
            "eq(names, sorted, 'details order');",
            "for (const x of d.change.details) if (['(system)', '(string)', ''].includes(x.what)) throw new Error('unexpected what ' + x.what);",
            "const p = d.change.details.find(x => x.what === 'DiffProbe');",
            "if (!p || p['+'] < n || p['-'] !== 0) throw new Error('DiffProbe: ' + JSON.stringify(p));",
            "if (d.change.allocated_nodes < n) throw new Error('allocated_nodes ' + d.change.allocated_nodes);",
            "console.log('ok ' + p['+']);",
            "");

    static final String JSON_CHECK = String.join("\n",
            "const d = JSON.parse(require('fs').readFileSync(0, 'utf8'));",
            "const n = Number(process.argv[2]);",
            "const p = d.classes.find(c => c.name === 'DiffProbe');",
            "if (!p || p.newCount < n || p.deletedCount !== 0 || p.deltaCount !== p.newCount) throw new Error(JSON.stringify(p));",
            "for (let i = 1; i < d.classes.length; i++) if (d.classes[i - 1].deltaBytes < d.classes[i].deltaBytes) throw new Error('order');",
            "const t = d.totals;",
            "if (t.newCount !== d.classes.reduce((s, c) => s + c.newCount, 0)) throw new Error('totals');",
            "if (t.countAfter - t.countBefore !== t.deltaCount) throw new Error('counts');",
            "if (!d.ids.sameProcess || d.warnings.length !== 0) throw new Error('ids ' + JSON.stringify(d.ids));",
            "console.log('ok ' + p.newCount);",
            "");

    @TempDir
    static Path dir;
    static Path before;
    static Path after;
    static Path other;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs a node script with the given stdin; returns its stdout after checking it exited 0. */
    static String node(String script, String stdin, String... args) throws IOException, InterruptedException {
        Path js = Files.createTempFile(dir, "script", ".js");
        Files.writeString(js, script, StandardCharsets.UTF_8);
        Path in = Files.createTempFile(dir, "stdin", ".txt");
        Files.writeString(in, stdin, StandardCharsets.UTF_8);
        Path log = Files.createTempFile(dir, "node", ".log");
        List<String> cmd = new ArrayList<>(List.of("node", js.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectInput(in.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node did not finish in 120 s");
        }
        String output = Files.readString(log);
        assertThat(p.exitValue()).as("node %s exit code; output: %s", js.getFileName(), output).isZero();
        return output;
    }

    @BeforeAll
    static void snapshots() throws Exception {
        before = dir.resolve("before.heapsnapshot");
        after = dir.resolve("after.heapsnapshot");
        other = dir.resolve("other.heapsnapshot");
        node(PROBE, "", before.toString(), after.toString(), Integer.toString(N));
        node(PROBE, "", other.toString());
    }

    @Test
    void textShowsTheProbesAndTotals() {
        Run r = run("diff", before.toString(), after.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("Before  " + before + "    ");
        assertThat(r.out()).contains("\nAfter   " + after + "    ");
        assertThat(r.out()).contains("Classes by size delta (top ");
        Matcher m = Pattern.compile("\\n  DiffProbe +([0-9,]+) +([0-9,]+) +\\+([0-9,]+) ").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Integer.parseInt(m.group(1).replace(",", ""))).isGreaterThanOrEqualTo(N);
        assertThat(m.group(2)).isEqualTo("0");
        assertThat(r.out()).containsPattern("\\n  total \\([0-9,]+ classes\\) +[0-9,]+ ");
    }

    @Test
    void topLimitsTheRows() {
        Run r = run("diff", "--top", "1", before.toString(), after.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("(top 1 of ");
        long rows = r.out().lines().filter(l -> l.startsWith("  ") && !l.startsWith("  class") && !l.startsWith("  --")
                && !l.startsWith("  total") && !l.startsWith("  (")).count();
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void jsonIsOneDocumentNodeCanRead() throws Exception {
        Run r = run("diff", before.toString(), after.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(node(JSON_CHECK, r.out(), Integer.toString(N))).startsWith("ok ");
        Run same = run("diff", "--format", "json", before.toString(), after.toString());
        assertThat(same.out()).isEqualTo(r.out());
    }

    @Test
    void memwatchFormatReadsLikeHeapDiff() throws Exception {
        Run r = run("diff", before.toString(), after.toString(), "--format", "memwatch");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        String ok = node(MEMWATCH_CHECK, r.out(), before.toString(), after.toString(), Integer.toString(N));
        assertThat(ok).startsWith("ok ");
    }

    @Test
    void twoProcessesAreRefusedInOneLine() {
        Run r = run("diff", before.toString(), other.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("leakhound: " + before + " and " + other + " do not look like snapshots of one process")
                .contains("use --force");
        Run m = run("diff", other.toString(), after.toString(), "--format", "memwatch");
        assertThat(m.exit()).isEqualTo(2);
        assertThat(m.out()).isEmpty();
    }

    @Test
    void forceComparesTwoProcessesWithAWarning() {
        Run r = run("diff", "--force", before.toString(), other.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).startsWith("leakhound: warning: ").contains("compared anyway (--force)");
        assertThat(r.out()).contains("Classes by size delta");
    }

    @Test
    void swappedFilesGetAWarning() {
        Run r = run("diff", after.toString(), before.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("leakhound: warning: " + before + " looks older than " + after)
                .contains("swap them? (leakhound diff " + before + " " + after + ")");
        Matcher m = Pattern.compile("\\n  DiffProbe +0 +([0-9,]+) +-([0-9,]+) ").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Integer.parseInt(m.group(1).replace(",", ""))).isGreaterThanOrEqualTo(N);
    }

    @Test
    void badInputGivesOneLineAndExitTwo() throws IOException {
        Path notSnapshot = dir.resolve("notes.txt");
        Files.writeString(notSnapshot, "hello\n");
        Path missing = dir.resolve("missing.heapsnapshot");
        List<String[]> cases = List.of(
                new String[] {"diff", missing.toString(), after.toString()},
                new String[] {"diff", before.toString(), notSnapshot.toString()},
                new String[] {"diff", "--top", "0", before.toString(), after.toString()},
                new String[] {"diff", "--json", "--format", "memwatch", before.toString(), after.toString()});
        for (String[] args : cases) {
            Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("leakhound: ").doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(run("diff", missing.toString(), after.toString()).err()).contains("missing.heapsnapshot: no such file");
        // a missing argument is a usage error: exit 2, no stack trace
        Run usage = run("diff", before.toString());
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).startsWith("leakhound: ").doesNotContain("\tat ");
    }
}
