package dev.leakhound.analysis.source;

import dev.leakhound.analysis.ExampleSnapshots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding and applying a script's map: the examples' compiled files, copies of them with the map inline, beside
 * the script without a comment, missing or malformed (one warning per script, the generated position kept), and
 * scripts recorded on another machine found through a {@link SourceRoot}.
 */
class SourceMapsTest {
    static final Path TS = ExampleSnapshots.examples().resolve("ts-service");
    static final Path BUNDLE = ExampleSnapshots.examples().resolve("bundled-service");

    @TempDir
    Path tmp;

    final List<String> warnings = new ArrayList<>();
    SourceMaps maps;

    @BeforeEach
    void reading() {
        maps = SourceMaps.reading(SourceRoot.NONE, (script, map, reason) -> warnings.add(script + " | " + map + " | " + reason));
    }

    /** The 1-based line of the first line of {@code file} containing {@code marker}. */
    static int lineOf(Path file, String marker) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError(marker + " not in " + file);
    }

    /** The 1-based line and column of the first occurrence of {@code text} in a file. */
    static int[] positionOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            int c = lines.get(i).indexOf(text);
            if (c >= 0) {
                return new int[] {i + 1, c + 1};
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    static SourceLocator.Location at(Path script, int[] pos) {
        return new SourceLocator.Location(script.toString(), pos[0], pos[1]);
    }

    @Test
    void tscOutputMapsToTheTypeScriptLine() throws IOException {
        Path js = TS.resolve("dist/sessions.js");
        // the constructor's parameter list, where V8 records a class's position
        int[] generated = positionOf(js, "constructor(");
        generated[1] += "constructor".length();
        SourceLocator.Location l = maps.map(at(js, generated));
        assertThat(l.file()).isEqualTo(TS.resolve("src/sessions.ts").toString());
        assertThat(l.line()).isEqualTo(lineOf(TS.resolve("src/sessions.ts"), "leak:constructor"));
        assertThat(l.generated()).isEqualTo(at(js, generated));
        assertThat(l.toString()).isEqualTo(TS.resolve("src/sessions.ts") + ":" + l.line() + ":" + l.column());
        // a line with code keeps its own: `openSessions.set(` in the .js is the marked line in the .ts, same column
        int[] set = positionOf(js, "openSessions.set(");
        int[] setTs = positionOf(TS.resolve("src/sessions.ts"), "openSessions.set(");
        SourceLocator.Location s = maps.map(at(js, set));
        assertThat(new int[] {s.line(), s.column()}).containsExactly(setTs);
        assertThat(warnings).isEmpty();
    }

    @Test
    void theMinifiedBundleMapsToEachOriginalFile() throws IOException {
        Path js = BUNDLE.resolve("dist/service.min.js");
        String code = Files.readString(js);
        // in the one minified line: the class's constructor parameters, and the push
        int ctor = code.indexOf("constructor(") + "constructor".length();
        SourceLocator.Location l = maps.map(new SourceLocator.Location(js.toString(), 1, ctor + 1));
        assertThat(l.file()).isEqualTo(BUNDLE.resolve("src/metrics.js").toString());
        assertThat(l.line()).isEqualTo(lineOf(BUNDLE.resolve("src/metrics.js"), "leak:constructor"));
        int push = code.indexOf(".push(new ");
        SourceLocator.Location p = maps.map(new SourceLocator.Location(js.toString(), 1, push + 1));
        assertThat(p.file()).endsWith("src/metrics.js");
        assertThat(p.line()).isEqualTo(lineOf(BUNDLE.resolve("src/metrics.js"), "leak:accumulates"));
        int interval = code.indexOf("setInterval(");
        SourceLocator.Location i = maps.map(new SourceLocator.Location(js.toString(), 1, interval + 1));
        assertThat(i.file()).isEqualTo(BUNDLE.resolve("src/main.js").toString());
        assertThat(i.line()).isEqualTo(lineOf(BUNDLE.resolve("src/main.js"), "setInterval("));
        assertThat(warnings).isEmpty();
    }

    /** A copy of dist/sessions.js in {@code dir} whose last line (the comment) is replaced by {@code last}. */
    Path sessionsWith(Path dir, String last) throws IOException {
        Files.createDirectories(dir);
        String js = Files.readString(TS.resolve("dist/sessions.js"));
        String body = js.substring(0, js.lastIndexOf("//# sourceMappingURL="));
        Path out = dir.resolve("sessions.js");
        Files.writeString(out, body + last);
        return out;
    }

    SourceLocator.Location constructorOf(Path js) throws IOException {
        int[] pos = positionOf(js, "constructor(");
        pos[1] += "constructor".length();
        return at(js, pos);
    }

    @Test
    void anInlineDataUrlMapsRelativeToTheScript() throws IOException {
        String map = Files.readString(TS.resolve("dist/sessions.js.map"));
        // an earlier comment (in a string, say) does not count: the last one does
        Path js = sessionsWith(tmp.resolve("app/dist"), "const s = '//# sourceMappingURL=nowhere.map';\n"
                + "//# sourceMappingURL=data:application/json;charset=utf-8;base64,"
                + Base64.getEncoder().encodeToString(map.getBytes(StandardCharsets.UTF_8)) + "\n");
        SourceLocator.Location l = maps.map(constructorOf(js));
        assertThat(l.file()).isEqualTo(tmp.resolve("app/src/sessions.ts").toString());
        assertThat(l.line()).isEqualTo(lineOf(TS.resolve("src/sessions.ts"), "leak:constructor"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void aMapBesideTheScriptIsUsedWithoutAComment() throws IOException {
        Path js = sessionsWith(tmp.resolve("dist"), "");
        Files.copy(TS.resolve("dist/sessions.js.map"), tmp.resolve("dist/sessions.js.map"));
        assertThat(maps.map(constructorOf(js)).line()).isEqualTo(lineOf(TS.resolve("src/sessions.ts"), "leak:constructor"));
        // no comment and no map: no map, and nothing to warn about
        Path plain = sessionsWith(tmp.resolve("plain"), "");
        assertThat(maps.map(constructorOf(plain))).isEqualTo(constructorOf(plain));
        assertThat(warnings).isEmpty();
    }

    @Test
    void aMissingMapWarnsOnceAndKeepsTheGeneratedPosition() throws IOException {
        Path js = sessionsWith(tmp.resolve("dist"), "//# sourceMappingURL=gone/sessions.js.map\n");
        SourceLocator.Location g = constructorOf(js);
        for (int i = 0; i < 3; i++) {
            assertThat(maps.map(g)).isEqualTo(g);
            assertThat(maps.map(js.toString(), 1, 1)).isNull();
        }
        assertThat(warnings).containsExactly(js + " | " + tmp.resolve("dist/gone/sessions.js.map")
                + " | the source map file is missing");
    }

    @Test
    void aMalformedMapWarnsOnceAndKeepsTheGeneratedPosition() throws IOException {
        Path js = sessionsWith(tmp.resolve("dist"), "//# sourceMappingURL=sessions.js.map\n");
        Files.writeString(tmp.resolve("dist/sessions.js.map"), "{\"version\":3,\"sources\":[\"../src/a.ts\"],\"mappings\":\"AAAA,C!\"}");
        Path inline = sessionsWith(tmp.resolve("inline"), "//# sourceMappingURL=data:application/json;base64,%%%\n");
        for (int i = 0; i < 2; i++) {
            assertThat(maps.map(constructorOf(js))).isEqualTo(constructorOf(js));
            assertThat(maps.map(constructorOf(inline))).isEqualTo(constructorOf(inline));
        }
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).startsWith(js + " | " + tmp.resolve("dist/sessions.js.map")
                + " | malformed source map: '!' is not base64");
        assertThat(warnings.get(1)).startsWith(inline + " | inline data: URL | malformed source map: bad base64");
    }

    @Test
    void aSourceRootFindsScriptsRecordedElsewhere() throws IOException {
        // the snapshot was taken in a container where the service lived in /app
        Path checkout = tmp.resolve("checkout");
        Files.createDirectories(checkout.resolve("dist"));
        Files.copy(TS.resolve("dist/sessions.js"), checkout.resolve("dist/sessions.js"));
        Files.copy(TS.resolve("dist/sessions.js.map"), checkout.resolve("dist/sessions.js.map"));
        SourceMaps rooted = SourceMaps.reading(SourceRoot.of(checkout), (s, m, r) -> warnings.add(s + " | " + r));
        int[] pos = positionOf(TS.resolve("dist/sessions.js"), "constructor(");
        pos[1] += "constructor".length();
        SourceLocator.Location l = rooted.map(new SourceLocator.Location("/app/dist/sessions.js", pos[0], pos[1]));
        // named as the container named it: /app/src/sessions.ts
        assertThat(l.file()).isEqualTo("/app/src/sessions.ts");
        assertThat(l.line()).isEqualTo(lineOf(TS.resolve("src/sessions.ts"), "leak:constructor"));
        assertThat(l.generated().file()).isEqualTo("/app/dist/sessions.js");
        assertThat(rooted.root().local("file:///app/dist/sessions.js")).isEqualTo(checkout.resolve("dist/sessions.js"));
        assertThat(rooted.root().local("/srv/app/dist/sessions.js.map")).isEqualTo(checkout.resolve("dist/sessions.js.map"));
        // a script not under the root: one warning, its position kept
        SourceLocator.Location other = new SourceLocator.Location("/app/dist/other.js", 3, 4);
        assertThat(rooted.map(other)).isEqualTo(other);
        assertThat(rooted.map(other)).isEqualTo(other);
        assertThat(warnings).containsExactly("/app/dist/other.js | the script is not under --source-root " + checkout);
        // without the root, the recorded path is not on this machine: nothing mapped, nothing to warn about
        warnings.clear();
        SourceLocator.Location away = new SourceLocator.Location("/app/dist/sessions.js", pos[0], pos[1]);
        assertThat(maps.map(away)).isEqualTo(away);
        assertThat(warnings).isEmpty();
    }

    @Test
    void anAbsoluteMapUrlIsReRootedToo() throws IOException {
        Path checkout = tmp.resolve("checkout");
        Files.createDirectories(checkout.resolve("build/maps"));
        sessionsWith(checkout.resolve("dist"), "//# sourceMappingURL=file:///app/build/maps/sessions.js.map\n");
        Files.copy(TS.resolve("dist/sessions.js.map"), checkout.resolve("build/maps/sessions.js.map"));
        SourceMaps rooted = SourceMaps.reading(SourceRoot.of(checkout), (s, m, r) -> warnings.add(s + " | " + r));
        int[] pos = positionOf(checkout.resolve("dist/sessions.js"), "constructor(");
        SourceLocator.Location l = rooted.map(new SourceLocator.Location("/app/dist/sessions.js", pos[0], pos[1] + 11));
        // sources are relative to the map: /app/build/maps/../src/sessions.ts
        assertThat(l.file()).isEqualTo("/app/build/src/sessions.ts");
        assertThat(l.line()).isEqualTo(lineOf(TS.resolve("src/sessions.ts"), "leak:constructor"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void nodesOwnScriptsAndUnknownColumns() throws IOException {
        SourceLocator.Location internal = new SourceLocator.Location("node:internal/timers", 40, 3);
        assertThat(maps.map(internal)).isSameAs(internal);
        assertThat(SourceMaps.NONE.map(constructorOf(TS.resolve("dist/sessions.js")))).isEqualTo(constructorOf(TS.resolve("dist/sessions.js")));
        // an allocation frame with an unknown column (0) is looked up at its line's start
        Path js = TS.resolve("dist/sessions.js");
        int line = positionOf(js, "openSessions.set(")[0];
        SourceLocator.Location f = maps.map(js.toString(), line, 0);
        assertThat(f.line()).isEqualTo(lineOf(TS.resolve("src/sessions.ts"), "leak:accumulates"));
        assertThat(f.generated().column()).isZero();
        // mapping a mapped location again changes nothing
        SourceLocator.Location once = maps.map(constructorOf(js));
        assertThat(maps.map(once)).isSameAs(once);
        assertThat(warnings).isEmpty();
    }

    @Test
    void oddScriptsAndSourcesNeverFail() throws IOException {
        // a script that is not UTF-8 (Latin-1 bytes) still has its comment read
        Path dir = Files.createDirectories(tmp.resolve("latin1"));
        Path js = sessionsWith(dir, "//# sourceMappingURL=sessions.js.map\n");
        SourceLocator.Location g = constructorOf(js);   // the first line gets the prefix: other lines stay
        byte[] body = Files.readAllBytes(js);
        byte[] withLatin1 = new byte[body.length + 3];
        withLatin1[0] = '/';
        withLatin1[1] = '/';
        withLatin1[2] = (byte) 0xE9;
        System.arraycopy(body, 0, withLatin1, 3, body.length);
        Files.write(js, withLatin1);
        Files.copy(TS.resolve("dist/sessions.js.map"), dir.resolve("sessions.js.map"));
        assertThat(maps.map(new SourceLocator.Location(js.toString(), g.line(), g.column())).file())
                .isEqualTo(tmp.resolve("src/sessions.ts").toString());
        // a source name with a NUL is kept as the map names it; a recorded script with one is no map, no failure
        Path nul = sessionsWith(tmp.resolve("nul"), "//# sourceMappingURL=sessions.js.map\n");
        Files.writeString(tmp.resolve("nul/sessions.js.map"), Files.readString(TS.resolve("dist/sessions.js.map"))
                .replace("../src/sessions.ts", "../src/a\\u0000b.ts"));
        assertThat(maps.map(constructorOf(nul)).file()).isEqualTo("../src/a\u0000b.ts");
        SourceLocator.Location odd = new SourceLocator.Location("/app/a\u0000b.js", 1, 1);
        assertThat(maps.map(odd)).isEqualTo(odd);
    }

    @Test
    void percentEscapesAndLastComment() {
        assertThat(SourceMaps.percentDecode("a%20b%C3%A9+c%zz%2")).isEqualTo("a bé+c%zz%2");
        assertThat(SourceMaps.lastMappingUrl("x\n//# sourceMappingURL=a.map\n//@ sourceMappingURL=b.map\n  \n")).isEqualTo("b.map");
        assertThat(SourceMaps.lastMappingUrl("x // sourceMappingURL=a.map")).isNull();
    }
}
