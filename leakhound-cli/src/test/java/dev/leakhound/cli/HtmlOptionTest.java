package dev.leakhound.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --html FILE} on analyze and find-leaks, over snapshots of a real Node.js process. */
class HtmlOptionTest {
    @TempDir
    static Path dir;
    static Path s1;
    static Path s2;

    @BeforeAll
    static void snapshots() throws Exception {
        Path app = dir.resolve("grow.js");
        Files.writeString(app, """
                const v8 = require('v8');
                class Item { constructor(i) { this.i = i; this.s = 'item ' + i + ' '.repeat(100); } }
                const items = [];
                globalThis.items = items;
                for (let k = 1; k <= 2; k++) {
                  for (let i = 0; i < 2000; i++) items.push(new Item(items.length));
                  v8.writeHeapSnapshot(process.argv[2] + '/s' + k + '.heapsnapshot');
                }
                """);
        Process p = new ProcessBuilder("node", app.toString(), dir.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        s1 = dir.resolve("s1.heapsnapshot");
        s2 = dir.resolve("s2.heapsnapshot");
    }

    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void analyzeWritesAnOwnerOnlyPageWithTheJsonNumbers() throws Exception {
        Path html = dir.resolve("analyze.html");
        Run r = cli("analyze", s2.toString(), "--json", "--html", html.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.err).contains("HTML report written to " + html);
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("\"kind\":\"analyze\"").contains("\"dominators\":{");
        // the same numbers as the JSON on stdout
        String nodes = r.out.replaceAll("(?s).*\"nodes\" : (\\d+).*", "$1");
        String total = r.out.replaceAll("(?s).*\"totalBytes\" : (\\d+).*", "$1");
        assertThat(page).contains("\"nodes\":" + nodes + ",").contains("\"totalBytes\":" + total + ",");
        assertThat(Files.getPosixFilePermissions(html)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(Path::toString)).noneMatch(f -> f.endsWith(".html.tmp"));
        }
    }

    @Test
    void findLeaksWritesThePageWithTheClassComparison() throws Exception {
        Path html = dir.resolve("leaks.html");
        Run r = cli("find-leaks", s1.toString(), s2.toString(), "--html", html.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("Verdict");
        String page = Files.readString(html);
        // the class comparison of the first and last snapshot, as diff --json writes it
        assertThat(page).contains("\"kind\":\"find-leaks\"").contains("\"classDiff\":{")
                .contains("{\"name\":\"Item\",\"newCount\":2000,\"deletedCount\":0,\"deltaCount\":2000,")
                .contains("\"countBefore\":2000,\"countAfter\":4000,");
        assertThat(r.err).contains("HTML report written to " + html);
    }

    @Test
    void anUnwritableTargetIsOneLineAndExitTwoBeforeAnyWork() {
        Run r = cli("analyze", s1.toString(), "--html", dir.resolve("no/such/dir/x.html").toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.strip()).startsWith("leakhound: cannot write ").contains("no such directory").doesNotContain("\n");
        Run d = cli("find-leaks", s1.toString(), s2.toString(), "--html", dir.toString());
        assertThat(d.code).isEqualTo(2);
        assertThat(d.err.strip()).isEqualTo("leakhound: cannot write " + dir + ": it is a directory");
    }
}
