package dev.leakhound.analysis.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.leakhound.analysis.ExampleSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decoder against answers computed independently, once, by Mozilla's {@code source-map} package
 * (src/test/resources/sourcemaps/generate-expected.js, committed with its outputs), over thousands of positions
 * of a seeded random map, the examples' tsc and esbuild maps, and an index map made of them.
 */
class SourceMapTest {
    static final Path DIR = ExampleSnapshots.root().resolve("leakhound-analysis/src/test/resources/sourcemaps");
    static final Path EXAMPLES = ExampleSnapshots.examples();

    static SourceMap read(Path p) throws Exception {
        return SourceMap.parse(Files.readString(p));
    }

    static Path mapOf(String name) {
        return switch (name) {
            case "ts-sessions" -> EXAMPLES.resolve("ts-service/dist/sessions.js.map");
            case "bundle" -> EXAMPLES.resolve("bundled-service/dist/service.min.js.map");
            default -> DIR.resolve(name + ".map");
        };
    }

    /** Rows of [line, column, source, line, column, name] (0-based; nulls where source-map answered null). */
    static List<Object[]> expected(String name) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(DIR.resolve("expected-" + name + ".json").toFile())) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("queries")) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        Object[] row = new Object[6];
                        for (int i = 0; i < 6; i++) {
                            JsonToken t = p.nextToken();
                            row[i] = t == JsonToken.VALUE_NULL ? null : t == JsonToken.VALUE_STRING ? p.getText() : p.getIntValue();
                        }
                        p.nextToken();
                        rows.add(row);
                    }
                }
            }
        }
        return rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "ts-sessions", "bundle", "index"})
    void answersAsMozillasSourceMapDoes(String name) throws Exception {
        SourceMap map = read(mapOf(name));
        List<Object[]> rows = expected(name);
        assertThat(rows).hasSizeGreaterThan(400);
        int mapped = 0;
        for (Object[] r : rows) {
            int line = (Integer) r[0];
            int column = (Integer) r[1];
            SourceMap.Original o = map.lookup(line, column);
            String at = name + " at generated " + line + ":" + column + " (0-based)";
            if (r[2] == null) {
                assertThat(o).as(at).isNull();
                continue;
            }
            mapped++;
            assertThat(o).as(at).isNotNull();
            assertThat(new Object[] {o.source(), o.line(), o.column(), o.name()}).as(at)
                    .containsExactly(r[2], r[3], r[4], r[5]);
        }
        assertThat(mapped).as(name + ": positions that map").isGreaterThan(rows.size() / 3);
    }

    @Test
    void anIndexMapSectionStartsAtItsOffset() throws Exception {
        SourceMap index = read(DIR.resolve("index.map"));
        SourceMap server = read(EXAMPLES.resolve("ts-service/dist/server.js.map"));
        SourceMap bundle = read(mapOf("bundle"));
        assertThat(index.isIndexMap()).isTrue();
        // section 2 starts at line 110, column 25: from there on, the bundle's map with columns shifted by 25 on
        // that line only; before it, section 1 (the server's map, lines shifted by 70)
        for (int c = 0; c < 400; c++) {
            assertThat(index.lookup(110, 25 + c)).as("column " + (25 + c)).isEqualTo(bundle.lookup(0, c));
        }
        for (int line = 71; line < 110; line++) {
            for (int c = 0; c < 80; c++) {
                assertThat(index.lookup(line, c)).isEqualTo(server.lookup(line - 70, c));
            }
        }
        assertThat(index.lookup(110, 24)).isEqualTo(server.lookup(40, 24));
        // section 1 starts at line 70, column 0: the server map's line 0
        for (int c = 0; c < 80; c++) {
            assertThat(index.lookup(70, c)).isEqualTo(server.lookup(0, c));
        }
        // a position without a column (0 in allocation traces) takes the line's first segment naming a source
        for (int line = 71; line < 110; line++) {
            assertThat(index.firstOnLine(line)).isEqualTo(server.firstOnLine(line - 70));
        }
        SourceMap.Original first = server.firstOnLine(lineWithCode(server));
        assertThat(first).isNotNull();
        // line 110: past the server's map in section 1, then the bundle's line 0 from column 25 in section 2
        assertThat(index.firstOnLine(110)).isNotNull().isEqualTo(bundle.firstOnLine(0));
        assertThat(index.firstOnLine(111)).isEqualTo(bundle.firstOnLine(1));
        assertThat(index.mappedSegments()).isEqualTo(read(mapOf("ts-sessions")).mappedSegments() + server.mappedSegments()
                + bundle.mappedSegments());
    }

    static int lineWithCode(SourceMap m) {
        for (int line = 0; line < 100; line++) {
            if (m.firstOnLine(line) != null) {
                return line;
            }
        }
        throw new AssertionError("no mapped line");
    }

    @Test
    void sourcesContentAndNamesComeWithThePosition() throws Exception {
        SourceMap bundle = read(mapOf("bundle"));
        String metrics = Files.readString(EXAMPLES.resolve("bundled-service/src/metrics.js"));
        SourceMap.Original o = bundle.lookup(0, 0);
        assertThat(o).isNotNull();
        assertThat(o.source()).isEqualTo("../src/metrics.js");
        assertThat(o.content()).isEqualTo(metrics);
        assertThat(read(mapOf("ts-sessions")).lookup(29, 15).content()).isNull();   // tsc writes no sourcesContent
    }

    @Test
    void hardCasesByHand() throws Exception {
        // VLQ digits: "A" 0, "C" +1, "D" -1, "E" +2, "K" +5, "L" -5, "gB" +16, "2H" +123; line 1 has no segments
        SourceMap m = SourceMap.parse("""
                )]}'
                {"version":3,"sourceRoot":"root/","sources":["a.js","/abs/b.js","webpack:///c.js"],"names":["x","y"],
                 "mappings":"AAAA,gBCCgBC,ECAE;;A,2HAAAD,KAAKC,EDDL,K"}""");
        // line 0: col 0 -> a.js 0:0; col 16 -> /abs/b.js 1:16 "y"; col 18 -> c.js 1:18 (sourceRoot joins relative sources only)
        assertThat(m.lookup(0, 0)).isEqualTo(new SourceMap.Original("root/a.js", 0, 0, null, null));
        assertThat(m.lookup(0, 15)).isEqualTo(new SourceMap.Original("root/a.js", 0, 0, null, null));
        assertThat(m.lookup(0, 16)).isEqualTo(new SourceMap.Original("/abs/b.js", 1, 16, "y", null));
        assertThat(m.lookup(0, 18)).isEqualTo(new SourceMap.Original("webpack:///c.js", 1, 18, null, null));
        assertThat(m.lookup(0, 1000)).isEqualTo(m.lookup(0, 18));
        assertThat(m.lookup(1, 5)).isNull();                      // a line without segments: nothing, not line 0
        assertThat(m.lookup(2, 0)).isNull();                      // a one-field segment names no source
        // line 2 (source, line, column and name carry on from line 0): "A" col 0 alone; "2HAAAD" col 123 -> c.js 1:18 "x";
        // "KAAKC" col 128 -> c.js 1:23 "y"; "EDDL" col 130 -> b.js 0:18; "K" col 135 alone
        assertThat(m.lookup(2, 122)).isNull();
        assertThat(m.lookup(2, 123)).isEqualTo(new SourceMap.Original("webpack:///c.js", 1, 18, "x", null));
        assertThat(m.lookup(2, 129)).isEqualTo(new SourceMap.Original("webpack:///c.js", 1, 23, "y", null));
        assertThat(m.lookup(2, 130)).isEqualTo(new SourceMap.Original("/abs/b.js", 0, 18, null, null));
        assertThat(m.lookup(2, 135)).isNull();
        assertThat(m.lookup(3, 0)).isNull();
        assertThat(m.lookup(-1, 0)).isNull();
    }

    @Test
    void segmentsOutOfOrderAndAtTheSameColumn() throws Exception {
        // line 0: col 10 -> 0:10, col 2 -> 0:2 (written after it), col 10 again -> 0:5: the last written at a column wins
        SourceMap m = SourceMap.parse("{\"version\":3,\"sources\":[\"s\"],\"names\":[],\"mappings\":\"UAAU,RAAR,QAAG\"}");
        assertThat(m.lookup(0, 3)).isEqualTo(new SourceMap.Original("s", 0, 2, null, null));
        assertThat(m.lookup(0, 10).column()).isEqualTo(5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AA*A\"}|'*' is not base64",
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AA\"}|a segment of 2 fields",
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AAAAAA\"}|more than 5 fields",
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"ACAA\"}|source index 1 out of range",
        "{\"version\":3,\"sources\":[\"a\"],\"names\":[],\"mappings\":\"AAAAC\"}|name index 1 out of range",
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AAAg\"}|cut short",
        "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AADA\"}|negative original line",
        "{\"version\":2,\"sources\":[],\"mappings\":\"\"}|version 2, expected 3",
        "{\"version\":3,\"sources\":[]}|no \"mappings\" string",
        "{\"version\":3,\"mappings\":\"\"}|no \"sources\" array",
        "[1,2]|not a JSON object",
        "{\"version\":3,|not JSON",
        "{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":0},\"url\":\"x.map\"}]}|not supported",
        "{\"version\":3,\"sections\":[{\"offset\":{\"line\":5,\"column\":0},\"map\":{\"version\":3,\"sources\":[],\"mappings\":\"\"}},"
                + "{\"offset\":{\"line\":1,\"column\":0},\"map\":{\"version\":3,\"sources\":[],\"mappings\":\"\"}}]}|starts before section 0",
        "|empty file",
    })
    void malformedMapsSayWhatIsWrong(String json, String message) {
        assertThatThrownBy(() -> SourceMap.parse(json == null ? "" : json))
                .isInstanceOf(SourceMap.MalformedException.class).hasMessageContaining(message);
    }
}
