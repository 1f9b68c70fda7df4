package dev.leakhound.analysis.allocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The source expressions that create objects, for finding the line in a function where a stack's objects were
 * made (V8's allocation traces name functions and their start, not the allocating line): {@code new Class} for each
 * class the stack made, and the shapes that make objects of a kind without {@code new}: an object literal for
 * {@code Object}s, an array literal for {@code Array}s, {@code Buffer.alloc / from / concat} for Buffers,
 * {@code setInterval / setTimeout / setImmediate} for timers, and a {@code function} or arrow expression for
 * closures (a listener or callback created in the function). {@link AllocationSites} tries the {@code new}s, then a
 * constructor's caller, then the shapes. Patterns only, matched on code with strings and comments blanked
 * ({@link dev.leakhound.analysis.source.FunctionSource#find}): the first match in a function wins.
 */
final class AllocationShapes {
    private AllocationShapes() {}

    /** A pattern to look for, and what it stands for. */
    record Shape(String what, Pattern pattern) {
        /** A {@code new Class}, rather than a shape without a class name. */
        boolean isNew() {
            return what.startsWith("new ");
        }
    }

    private static final String IDENT = "[A-Za-z_$][A-Za-z0-9_$]*";

    /** A {@code {} or {@code [} where an expression starts: after {@code = ( , : [ ? return yield => (} ... */
    private static String literal(char open) {
        return "(?:[=(,:\\[?]|\\breturn|\\byield|&&|\\|\\||\\?\\?)\\s*(\\" + open + ")";
    }

    static final Shape OBJECT_LITERAL = new Shape("object literal", Pattern.compile(
            literal('{') + "|(\\bObject\\s*\\.\\s*(?:assign|create|fromEntries)\\s*\\()|(?<![.\\w$])(JSON\\s*\\.\\s*parse\\s*\\()"));
    static final Shape ARRAY_LITERAL = new Shape("array literal", Pattern.compile(
            literal('[') + "|(\\bnew\\s+Array\\b)|(\\bArray\\s*\\.\\s*(?:from|of)\\s*\\()"
                    + "|(\\.\\s*(?:map|filter|slice|concat|split|flatMap)\\s*\\()"));
    static final Shape BUFFER = new Shape("Buffer", Pattern.compile(
            "\\bBuffer\\s*\\.\\s*(?:alloc|allocUnsafe|allocUnsafeSlow|from|concat)\\s*\\("
                    + "|\\bnew\\s+(?:Uint8Array|ArrayBuffer|SharedArrayBuffer|DataView)\\b"));
    static final Shape TIMER = new Shape("timer", Pattern.compile("\\bset(?:Interval|Timeout|Immediate)\\s*\\("));
    /** A nested function: the {@code function} keyword or an arrow's parameters. */
    static final Shape FUNCTION = new Shape("function expression", Pattern.compile(
            "\\bfunction\\b|(\\(\\s*(?:" + IDENT + "(?:\\s*,\\s*" + IDENT + ")*)?\\s*\\)\\s*=>)|(" + IDENT + "\\s*=>)"));

    private static final Set<String> BUFFERS = Set.of("Buffer", "FastBuffer", "Uint8Array", "ArrayBuffer", "SharedArrayBuffer",
            "DataView");
    private static final Set<String> TIMERS = Set.of("Timeout", "Immediate");

    /** {@code new Class} for a class name (an identifier), else null. */
    static Shape newOf(String className) {
        if (className == null || !className.matches(IDENT)) {
            return null;
        }
        return new Shape("new " + className, Pattern.compile("\\bnew\\s+" + Pattern.quote(className) + "(?![A-Za-z0-9_$])"));
    }

    /** The shape that makes objects of class {@code className} without naming it, or null. */
    static Shape of(String className) {
        if (className == null) {
            return null;
        }
        if (className.equals("Object")) {
            return OBJECT_LITERAL;
        }
        if (className.equals("Array")) {
            return ARRAY_LITERAL;
        }
        if (BUFFERS.contains(className)) {
            return BUFFER;
        }
        return TIMERS.contains(className) ? TIMER : null;
    }

    /**
     * What to look for, in order, for a stack that made objects of {@code classes} (most first) and
     * {@code closures} closures: each class's {@code new}, then the biggest class's shape, then (when the stack
     * made closures) a function expression, then the other classes' shapes.
     */
    static List<Shape> forStack(List<String> classes, long closures) {
        List<Shape> out = new ArrayList<>();
        for (String c : classes) {
            Shape n = newOf(c);
            if (n != null) {
                out.add(n);
            }
        }
        for (int i = 0; i < classes.size(); i++) {
            if (i == 1 && closures > 0) {
                out.add(FUNCTION);
            }
            Shape s = of(classes.get(i));
            if (s != null && !out.contains(s)) {
                out.add(s);
            }
        }
        if (closures > 0 && !out.contains(FUNCTION)) {
            out.add(FUNCTION);
        }
        return out;
    }
}
