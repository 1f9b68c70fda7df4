package dev.leakhound.cli;

import dev.leakhound.core.snapshot.SnapshotParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code leakhound redact} on real snapshots: a node process whose heap holds planted secrets, and a leaking
 * example's series. No byte of a secret is left, and analyze and find-leaks say the same on the copy.
 */
class RedactCommandTest {
    @TempDir
    Path tmp;

    /**
     * The planted secrets: random tokens held as a string, a Map key, a Set member, a closure's variable, an
     * object's property value, an array element, a regexp's source, a Buffer's bytes, the parts of a string
     * concatenated at run time, one with characters JSON escapes; and one used as an object's property key.
     */
    private static final String APP = """
            const v8 = require('v8');
            const crypto = require('crypto');
            const t = (p) => p + crypto.randomBytes(16).toString('hex');
            const s = {
              string: t('STRTOK'), mapKey: t('MAPKEY'), setMember: t('SETMEM'), closure: t('CLOSVAL'),
              property: t('PROPVAL'), element: t('ELEMVAL'), regexp: t('REGEXSRC'), buffer: t('BUFTOK'),
              consA: t('CONSA'), consB: t('CONSB'), escaped: t('ESC"\\u00e9\\n'), propertyKey: t('PROPKEY'),
            };
            class Holder { constructor(v) { this.v = v; } }
            const joined = s.consA + '::' + s.consB + '::' + Date.now();
            globalThis.kept = {
              string: s.string,
              map: new Map([[s.mapKey, new Holder(1)]]),
              set: new Set([s.setMember]),
              fn: (() => { const secret = s.closure; return () => secret.length; })(),
              creds: { password: s.property },
              list: [s.element],
              re: new RegExp(s.regexp),
              buf: Buffer.from(s.buffer),
              joined,
              escaped: s.escaped,
              byToken: { [s.propertyKey]: new Holder(2) },
            };
            process.stdout.write(JSON.stringify(s));
            v8.writeHeapSnapshot(process.env.SNAPSHOT_FILE);
            """;

    /** Runs {@link #APP} with {@code node -e}; returns the secrets it planted, by name. */
    private Map<String, String> plant(Path snapshot) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", "-e", APP);
        pb.environment().put("SNAPSHOT_FILE", snapshot.toString());
        Path out = tmp.resolve("planted.json");
        Path err = tmp.resolve("planted.err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        Map<String, Object> doc = AnalyzeAndFindLeaksCliTest.tree(Files.readString(out));
        Map<String, String> secrets = new LinkedHashMap<>();
        doc.forEach((k, v) -> secrets.put(k, (String) v));
        return secrets;
    }

    /**
     * The forms a secret could take in the file: as written (UTF-8), as JSON escapes it, as V8 escapes it
     * (\\uXXXX for non-ASCII), and every 12-character piece of its random part (a part of a secret is a leak too).
     */
    private static List<String> forms(String secret) {
        List<String> f = new ArrayList<>();
        f.add(secret);
        StringBuilder json = new StringBuilder();
        StringBuilder v8 = new StringBuilder();
        for (char c : secret.toCharArray()) {
            String e = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : String.valueOf(c);
            json.append(e);
            v8.append(c > 0x7E ? String.format("\\u%04x", (int) c) : e);
        }
        f.add(json.toString());
        f.add(v8.toString());
        f.add(v8.toString().toUpperCase(java.util.Locale.ROOT).replace("\\U", "\\u"));
        String random = secret.substring(secret.length() - 32);
        for (int i = 0; i + 12 <= random.length(); i++) {
            f.add(random.substring(i, i + 12));
        }
        return f;
    }

    /** The secrets (by name) some form of which is in {@code file}. */
    private static List<String> found(Path file, Map<String, String> secrets) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        String utf8 = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        secrets.forEach((name, secret) -> {
            for (String form : forms(secret)) {
                if (text.contains(form) || utf8.contains(form)) {
                    found.add(name);
                    return;
                }
            }
        });
        return found;
    }

    @Test
    void noSecretIsLeftAndAnalyzeSaysTheSame() throws Exception {
        Path orig = tmp.resolve("app.heapsnapshot");
        Map<String, String> secrets = plant(orig);
        // the check can see them: the original holds each one that V8 writes into snapshots
        assertThat(found(orig, secrets)).contains("string", "mapKey", "setMember", "closure", "property", "element",
                "regexp", "consA", "consB", "escaped", "propertyKey");

        Path basic = tmp.resolve("basic.heapsnapshot");
        CliRun r = CliRun.of("redact", orig.toString(), basic.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("wrote " + basic + " (level basic): ").contains(" strings replaced by keyed hashes");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(basic))).isEqualTo("rw-------");
        // basic keeps property names: a token used as an object's key is one (documented); every value is gone
        assertThat(found(basic, secrets)).containsExactly("propertyKey");
        SnapshotParser.read(basic);

        Path names = tmp.resolve("names.heapsnapshot.gz");
        assertThat(CliRun.of("redact", orig.toString(), names.toString(), "--level", "names").exit()).isZero();
        Path namesPlain = tmp.resolve("names.heapsnapshot");
        Files.write(namesPlain, new java.util.zip.GZIPInputStream(Files.newInputStream(names)).readAllBytes());
        assertThat(found(namesPlain, secrets)).isEmpty();
        Path full = tmp.resolve("full.heapsnapshot");
        CliRun fullRun = CliRun.of("redact", orig.toString(), full.toString(), "--level", "FULL", "--json");
        assertThat(fullRun.exit()).isZero();
        Map<String, Object> doc = AnalyzeAndFindLeaksCliTest.tree(fullRun.out());
        assertThat(doc.keySet()).containsExactly("out", "level", "strings", "replaced", "keyFileCreated");
        assertThat(doc.get("level")).isEqualTo("full");
        assertThat((Long) doc.get("replaced")).isEqualTo((Long) doc.get("strings") - 2);   // all but "" and <dummy>
        assertThat(found(full, secrets)).isEmpty();
        SnapshotParser.read(names);
        SnapshotParser.read(full);

        // analyze: classes (counts, self and retained sizes), statistics, largest objects, diagnosis: all the same
        Map<String, Object> a = analyzeJson(orig);
        Map<String, Object> b = analyzeJson(basic);
        assertThat(a).containsKeys("classes", "statistics", "largest");
        assertThat(b).isEqualTo(a);
    }

    private static Map<String, Object> analyzeJson(Path file) throws IOException {
        CliRun r = CliRun.of("analyze", file.toString(), "--json", "--no-index");
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> doc = AnalyzeAndFindLeaksCliTest.tree(r.out());
        assertThat(doc.remove("file")).isEqualTo(file.toString());
        return doc;
    }

    @Test
    void findLeaksGivesTheSameReportOnASeriesRedactedWithOneKey() throws Exception {
        String[] series = CliRun.series(CliRun.root().resolve("examples/global-array.js"), tmp.resolve("s"), 2000, -1);
        Path key = tmp.resolve("series.key");
        List<String> redacted = new ArrayList<>();
        for (int i = 0; i < series.length; i++) {
            Path out = tmp.resolve("r" + (i + 1) + ".heapsnapshot.gz");
            CliRun r = CliRun.of("redact", series[i], out.toString(), "--key-file", key.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out().contains("wrote a new random key to " + key)).isEqualTo(i == 0);
            redacted.add(out.toString());
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        Map<String, Object> a = findLeaksJson(series);
        Map<String, Object> b = findLeaksJson(redacted.toArray(new String[0]));
        assertThat(a.get("verdict")).isEqualTo("leak");
        assertThat(b).isEqualTo(a);
    }

    private static Map<String, Object> findLeaksJson(String... files) throws IOException {
        List<String> args = new ArrayList<>(List.of("find-leaks"));
        args.addAll(List.of(files));
        args.addAll(List.of("--json", "--no-index"));
        CliRun r = CliRun.of(args.toArray(new String[0]));
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> doc = AnalyzeAndFindLeaksCliTest.tree(r.out());
        assertThat(doc.remove("snapshots")).isNotNull();   // their file names
        return doc;
    }

    @Test
    void badInputGivesOneLineAndExitTwo() throws IOException {
        String in = CliRun.fixture("node20.heapsnapshot.gz").toString();
        assertOneLine(CliRun.of("redact", tmp.resolve("nope.heapsnapshot").toString(), tmp.resolve("o").toString()),
                "nope.heapsnapshot: no such file");
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "not json");
        assertOneLine(CliRun.of("redact", text.toString(), tmp.resolve("o").toString()), "not a V8 heap snapshot");
        assertOneLine(CliRun.of("redact", in, tmp.resolve("missing/dir/o").toString()), "cannot write: no such directory");
        assertOneLine(CliRun.of("redact", in, in), "is the input file; refusing to overwrite it");
        assertOneLine(CliRun.of("redact", in, tmp.resolve("o").toString(), "--level", "secret"),
                "--level must be basic, names or full");
        Path shortKey = tmp.resolve("short.key");
        Files.writeString(shortKey, "abc");
        assertOneLine(CliRun.of("redact", in, tmp.resolve("o").toString(), "--key-file", shortKey.toString()),
                "a key file needs at least 16 bytes");
        assertThat(Files.exists(tmp.resolve("o"))).isFalse();
    }

    private static void assertOneLine(CliRun r, String message) {
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("leakhound: ").contains(message).doesNotContain("\n")
                .doesNotContain("Exception");
    }
}
