package dev.leakhound.analysis.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The light function scan: extents of functions and arrows, brackets in strings and comments skipped. */
class FunctionSourceTest {
    @TempDir
    Path dir;

    private Path write(String... lines) throws IOException {
        Path f = dir.resolve("app.js");
        Files.write(f, List.of(lines));
        return f;
    }

    @Test
    void findsTheNewInsideTheFunctionThatStartsAtThePosition() throws IOException {
        Path f = write(
                "class Item { constructor(i) { this.i = i; } }",             // 1
                "function make(n) {",                                         // 2: '(' at column 14
                "  const s = '} not the end {'; // } nor this",             // 3
                "  /* { */ const t = `${n} }`;",                              // 4
                "  return new Item(n);",                                      // 5
                "}",                                                          // 6
                "function other() { return new Item(0); }");                  // 7
        FunctionSource src = new FunctionSource(null);
        FunctionSource.Match m = src.findNew(f.toString(), 2, 14, "Item");
        assertThat(m).isNotNull();
        assertThat(m.line()).isEqualTo(5);
        assertThat(m.column()).isEqualTo(10);
        assertThat(m.text()).isEqualTo("return new Item(n);");
        // the other function's own 'new' is found from its start, and not from the first function's
        assertThat(src.findNew(f.toString(), 7, 15, "Item").line()).isEqualTo(7);
        assertThat(src.findNew(f.toString(), 2, 14, "Other")).isNull();
    }

    @Test
    void arrowFunctionsWithBlockAndExpressionBodies() throws IOException {
        Path f = write(
                "const a = (x) => { return new Box(x); };",   // 1: '(' at column 11
                "const b = y => new Box(y), c = new Box(3);",  // 2: 'y' at column 11
                "class Box { constructor(v) { this.v = v; } }");
        FunctionSource src = new FunctionSource(null);
        assertThat(src.findNew(f.toString(), 1, 11, "Box").column()).isEqualTo(27);
        FunctionSource.Match b = src.findNew(f.toString(), 2, 11, "Box");
        assertThat(b.line()).isEqualTo(2);
        assertThat(b.column()).isEqualTo(16);
        // the expression body ends at the ',': the next declaration's 'new' is not the arrow's
        assertThat(FunctionSource.functionEnd("y => new Box(y), c = new Box(3);", 0)).isEqualTo(15);
    }

    @Test
    void unknownFilesPositionsAndNamesGiveNothing() throws IOException {
        Path f = write("function f() { return new X(); }");
        FunctionSource src = new FunctionSource(null);
        assertThat(src.findNew(dir.resolve("missing.js").toString(), 1, 11, "X")).isNull();
        assertThat(src.findNew(f.toString(), 9, 1, "X")).isNull();
        assertThat(src.findNew(f.toString(), 1, 11, null)).isNull();
        assertThat(src.findNew(f.toString(), 1, 11, "a.b")).isNull();
        assertThat(src.findNew("node:events", 1, 1, "X")).isNull();
    }

    @Test
    void aSourceRootFindsScriptsFromAnotherMachine() throws IOException {
        Path f = write("function f() { return new X(); }");
        FunctionSource src = new FunctionSource(SourceRoot.of(dir));
        assertThat(src.findNew("/somewhere/else/app.js", 1, 11, "X")).isNotNull();
        assertThat(SourceRoot.NONE.script("file://" + f)).isEqualTo(f);
    }
}
