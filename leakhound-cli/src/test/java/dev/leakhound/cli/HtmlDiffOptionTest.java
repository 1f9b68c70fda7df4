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

/** {@code diff --html FILE} over two snapshots of a real Node.js process. */
class HtmlDiffOptionTest {
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
                  for (let i = 0; i < 1500; i++) items.push(new Item(items.length));
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

    static String jsonNumber(String json, String objectKey, String key) {
        String scope = objectKey == null ? json : json.substring(json.indexOf("\"" + objectKey + "\" : {"));
        return scope.replaceAll("(?s)^.*?\"" + key + "\" : (-?\\d+).*$", "$1");
    }

    @Test
    void diffWritesAnOwnerOnlyPageWithTheJsonNumbers() throws Exception {
        Path html = dir.resolve("diff.html");
        Run r = cli("diff", s1.toString(), s2.toString(), "--json", "--html", html.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.err).contains("HTML report written to " + html);
        assertThat(r.out.strip()).startsWith("{").endsWith("}");
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("\"kind\":\"diff\"");
        assertThat(page).contains("\"deltaBytes\":" + jsonNumber(r.out, null, "deltaBytes") + ",");
        assertThat(page).contains("\"before\":{\"file\":").contains("\"totalBytes\":" + jsonNumber(r.out, "before", "totalBytes") + ",");
        assertThat(page).contains("\"nodes\":" + jsonNumber(r.out, "after", "nodes") + ",");
        String totals = "\"totals\":{\"newCount\":" + jsonNumber(r.out, "totals", "newCount") + ",\"deletedCount\":"
                + jsonNumber(r.out, "totals", "deletedCount") + ",";
        assertThat(page).contains(totals);
        // the 1,500 Items allocated between the snapshots, as diff --json writes the row
        assertThat(page).contains("{\"name\":\"Item\",\"newCount\":1500,\"deletedCount\":0,");
        assertThat(Files.getPosixFilePermissions(html)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(Path::toString)).noneMatch(f -> f.endsWith(".html.tmp"));
        }
    }

    @Test
    void theTextAndMemwatchOutputsCanWriteThePageToo() throws Exception {
        Path html = dir.resolve("memwatch.html");
        Run r = cli("diff", s1.toString(), s2.toString(), "--format", "memwatch", "--html", html.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("\"change\"");
        assertThat(Files.readString(html)).contains("\"kind\":\"diff\"").contains("{\"name\":\"Item\",\"newCount\":1500,\"deletedCount\":0,");
    }

    @Test
    void anUnwritableTargetIsOneLineAndExitTwoBeforeAnyWork() {
        Run r = cli("diff", s1.toString(), s2.toString(), "--html", dir.resolve("no/such/dir/x.html").toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.out).isEmpty();
        assertThat(r.err.strip()).startsWith("leakhound: cannot write ").contains("no such directory").doesNotContain("\n");
        Run d = cli("diff", s1.toString(), s2.toString(), "--html", dir.toString());
        assertThat(d.code).isEqualTo(2);
        assertThat(d.err.strip()).isEqualTo("leakhound: cannot write " + dir + ": it is a directory");
    }
}
