package dev.leakhound.analysis.allocation;

import dev.leakhound.analysis.source.FunctionSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The allocating expressions looked for in a function's source when V8 only names the function: each shape found
 * at its own line, never inside strings, template literals or comments, and only inside the function.
 */
class AllocationShapesTest {
    @TempDir
    Path dir;

    private String write(String... lines) throws IOException {
        Path f = dir.resolve("app.js");
        Files.write(f, List.of(lines));
        return f.toString();
    }

    /** The line of the first match of {@code shape} in the function whose '(' is at line:column, or -1. */
    private static int lineOf(FunctionSource src, String file, int line, int column, AllocationShapes.Shape shape) {
        FunctionSource.Match m = src.find(file, line, column, shape.pattern());
        return m == null ? -1 : m.line();
    }

    @Test
    void objectAndArrayLiteralsInExpressionPositionNotBlocks() throws IOException {
        String f = write(
                "function replace(x) {",                       // 1: '(' at column 17
                "  if (x) { x = 1; }",                          // 2: a block, not a literal
                "  const s = '= { not code }'; // = { nor this",  // 3
                "  const t = `${x} = {`;",                      // 4
                "  const arrow = () => { return 1; };",         // 5: an arrow's block body
                "  theThing = {",                               // 6: the literal
                "    list: [1, 2],",                            // 7
                "  };",
                "  items.push([x]);",                           // 9
                "}",
                "function other() { return { a: 1 }; }");       // 11
        FunctionSource src = new FunctionSource(null);
        assertThat(lineOf(src, f, 1, 17, AllocationShapes.OBJECT_LITERAL)).isEqualTo(6);
        assertThat(lineOf(src, f, 1, 17, AllocationShapes.ARRAY_LITERAL)).isEqualTo(7);
        assertThat(lineOf(src, f, 11, 15, AllocationShapes.OBJECT_LITERAL)).isEqualTo(11);
        assertThat(lineOf(src, f, 11, 15, AllocationShapes.ARRAY_LITERAL)).isEqualTo(-1);
        FunctionSource.Match m = src.find(f, 1, 17, AllocationShapes.OBJECT_LITERAL.pattern());
        assertThat(m.column()).isEqualTo(14);   // at the '{'
        assertThat(m.text()).isEqualTo("theThing = {");
    }

    @Test
    void buffersTimersAndFunctionExpressions() throws IOException {
        String f = write(
                "function connect(port) {",                                       // 1: '(' at column 17
                "  // setInterval(x) and function () {} in a comment",            // 2
                "  const label = 'Buffer.from(1) function';",                     // 3
                "  this.data = Buffer.alloc(64);",                                // 4
                "  appEvents.on('shutdown', function closeOnShutdown() {",        // 5
                "    socket.destroy();",
                "  });",
                "  setInterval(() => poll(port), 1000);",                         // 8
                "}");
        FunctionSource src = new FunctionSource(null);
        assertThat(lineOf(src, f, 1, 17, AllocationShapes.BUFFER)).isEqualTo(4);
        assertThat(lineOf(src, f, 1, 17, AllocationShapes.FUNCTION)).isEqualTo(5);
        assertThat(lineOf(src, f, 1, 17, AllocationShapes.TIMER)).isEqualTo(8);
        String g = write(
                "function acceptJob(job) {",                                      // 1: '(' at column 19
                "  pendingCallbacks.push(() => runJob(job));",                     // 2
                "  list.forEach(item => use(item));",                             // 3
                "}");
        FunctionSource fresh = new FunctionSource(null);
        assertThat(lineOf(fresh, g, 1, 19, AllocationShapes.FUNCTION)).isEqualTo(2);
    }

    @Test
    void newClassIsCodeOnlyAndAWholeName() throws IOException {
        String f = write(
                "function make() {",                               // 1: '(' at column 14
                "  const s = 'new Item(1)'; // new Item(2)",       // 2
                "  const a = new ItemList();",                     // 3: another class
                "  return new Item(3);",                           // 4
                "}");
        FunctionSource src = new FunctionSource(null);
        assertThat(lineOf(src, f, 1, 14, AllocationShapes.newOf("Item"))).isEqualTo(4);
        assertThat(src.findNew(f, 1, 14, "Item").line()).isEqualTo(4);
        assertThat(AllocationShapes.newOf("(system)")).isNull();
    }

    @Test
    void aStackLooksForItsClassesNewsThenTheShapeOfItsKind() {
        // the constructor a class names comes first; then the biggest class's shape; closures' expressions after it
        assertThat(AllocationShapes.forStack(List.of("Object", "PendingRequest"), 0)).extracting(AllocationShapes.Shape::what)
                .containsExactly("new Object", "new PendingRequest", "object literal");
        assertThat(AllocationShapes.forStack(List.of("Timeout", "Array"), 3)).extracting(AllocationShapes.Shape::what)
                .containsExactly("new Timeout", "new Array", "timer", "function expression", "array literal");
        assertThat(AllocationShapes.forStack(List.of(), 5)).extracting(AllocationShapes.Shape::what)
                .containsExactly("function expression");
        assertThat(AllocationShapes.forStack(List.of("Buffer"), 0)).extracting(AllocationShapes.Shape::what)
                .containsExactly("new Buffer", "Buffer");
    }
}
