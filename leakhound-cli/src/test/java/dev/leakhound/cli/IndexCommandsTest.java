package dev.leakhound.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands answered from a snapshot's index print exactly what a fresh parse prints, and the index command
 * lists, builds and clears the cache folder.
 */
class IndexCommandsTest {
    @TempDir
    Path tmp;

    private String[] withIndex(String... args) {
        String[] out = new String[args.length + 2];
        System.arraycopy(args, 0, out, 0, args.length);
        out[args.length] = "--index-dir";
        out[args.length + 1] = tmp.resolve("cache").toString();
        return out;
    }

    private String[] withoutIndex(String... args) {
        String[] out = new String[args.length + 1];
        System.arraycopy(args, 0, out, 0, args.length);
        out[args.length] = "--no-index";
        return out;
    }

    private long entries() throws Exception {
        Path cache = tmp.resolve("cache");
        if (!Files.isDirectory(cache)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.toString().endsWith(".base.lhidx")).count();
        }
    }

    /** The same command three ways: without an index, writing it, reading it. */
    private void sameAnswer(String... args) {
        CliRun plain = CliRun.of(withoutIndex(args));
        CliRun writing = CliRun.of(withIndex(args));
        CliRun reading = CliRun.of(withIndex(args));
        assertThat(plain.exit()).as(plain.err()).isIn(0, 1);
        assertThat(writing.out()).as(String.join(" ", args) + " writing the index").isEqualTo(plain.out());
        assertThat(reading.out()).as(String.join(" ", args) + " from the index").isEqualTo(plain.out());
        assertThat(reading.exit()).isEqualTo(plain.exit());
        assertThat(writing.err() + reading.err()).doesNotContain("index of");
    }

    @Test
    void everyCommandGivesTheSameAnswerFromTheIndex() throws Exception {
        String file = CliRun.fixture("node22.heapsnapshot.gz").toString();
        sameAnswer("analyze", file, "--json");
        assertThat(entries()).isEqualTo(1);
        sameAnswer("analyze", file);
        String id = firstLargestId(CliRun.of("analyze", file, "--json", "--no-index").out());
        sameAnswer("path", file, "@" + id, "--json");
        sameAnswer("inspect", file, "@" + id, "--json");
        sameAnswer("dominators", file, "--json");
        sameAnswer("dominators", file, "@" + id);
        String other = CliRun.fixture("node20.heapsnapshot.gz").toString();
        sameAnswer("diff", file, file, "--json");
        assertThat(entries()).isEqualTo(1);
        CliRun list = CliRun.of(withIndex("index", "--list", "--json"));
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("node22.heapsnapshot.gz").contains("\"dominators\" : true");
        CliRun built = CliRun.of(withIndex("index", other, file));
        assertThat(built.exit()).as(built.err()).isZero();
        assertThat(built.out()).contains("indexed in").contains("already indexed: " + file);
        assertThat(entries()).isEqualTo(2);
        CliRun text = CliRun.of(withIndex("index", "--list"));
        assertThat(text.out()).contains("2 indexes").contains("node20.heapsnapshot.gz");
        CliRun cleared = CliRun.of(withIndex("index", "--clear"));
        assertThat(cleared.out()).startsWith("removed ");
        assertThat(entries()).isZero();
        assertThat(CliRun.of(withIndex("index", "--list")).out()).startsWith("no indexes in ");
    }

    @Test
    void findLeaksGivesTheSameReportFromIndexes() throws Exception {
        String[] s = CliRun.series(CliRun.root().resolve("examples/global-array.js"), tmp.resolve("s"), 1000, -1);
        String s1 = s[0];
        String s2 = s[1];
        String s3 = s[2];
        sameAnswer("find-leaks", s1, s2, s3, "--json");
        assertThat(entries()).isEqualTo(3);
        assertThat(CliRun.of(withIndex("find-leaks", s1, s2, s3, "--json")).out()).contains("\"verdict\" : \"leak\"");
    }

    @Test
    void aCorruptIndexIsANoticeAndTheSameAnswer() throws Exception {
        String file = CliRun.fixture("node20.heapsnapshot.gz").toString();
        CliRun first = CliRun.of(withIndex("analyze", file, "--json"));
        Path base;
        try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
            base = s.filter(p -> p.toString().endsWith(".base.lhidx")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(base);
        b[b.length / 2] ^= 0x21;
        Files.write(base, b);
        CliRun again = CliRun.of(withIndex("analyze", file, "--json"));
        assertThat(again.exit()).isZero();
        assertThat(again.out()).isEqualTo(first.out());
        assertThat(again.err()).containsPattern("leakhound: index of .*node20.heapsnapshot.gz was unusable \\(.*checksum.*\\); rebuilding it")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void badIndexCommandLinesAreOneLineErrors() {
        CliRun none = CliRun.of(withIndex("index"));
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err().strip()).startsWith("leakhound: index: give snapshot files").doesNotContain("\n");
        CliRun both = CliRun.of(withIndex("index", "--list", "--clear"));
        assertThat(both.exit()).isEqualTo(2);
        CliRun off = CliRun.of("index", "--list", "--no-index");
        assertThat(off.exit()).isEqualTo(2);
        assertThat(off.err()).contains("--no-index");
        CliRun missing = CliRun.of(withIndex("index", tmp.resolve("nope.heapsnapshot").toString()));
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).contains("nope.heapsnapshot").doesNotContain("\n");
        CliRun budget = CliRun.of(withIndex("analyze", CliRun.fixture("node20.heapsnapshot.gz").toString(), "--index-budget", "lots"));
        assertThat(budget.exit()).isEqualTo(2);
        assertThat(budget.err()).contains("--index-budget");
    }

    /** The id of the first of analyze's largest objects. */
    private static String firstLargestId(String json) {
        int at = json.indexOf("\"largest\"");
        assertThat(at).isPositive();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"id\" : (\\d+)").matcher(json);
        assertThat(m.find(at)).isTrue();
        return m.group(1);
    }
}
