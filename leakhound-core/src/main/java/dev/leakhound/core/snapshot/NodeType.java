package dev.leakhound.core.snapshot;

/**
 * Canonical node type codes. The parser maps the file's {@code meta.node_types} names onto these
 * codes, so analyses never depend on the order a given V8 version writes them in. Types this table
 * does not know get codes from {@link #FIRST_UNKNOWN} on and keep their name.
 */
public final class NodeType {
    public static final int HIDDEN = 0;
    public static final int ARRAY = 1;
    public static final int STRING = 2;
    public static final int OBJECT = 3;
    public static final int CODE = 4;
    public static final int CLOSURE = 5;
    public static final int REGEXP = 6;
    public static final int NUMBER = 7;
    public static final int NATIVE = 8;
    public static final int SYNTHETIC = 9;
    public static final int CONCATENATED_STRING = 10;
    public static final int SLICED_STRING = 11;
    public static final int SYMBOL = 12;
    public static final int BIGINT = 13;
    public static final int OBJECT_SHAPE = 14;
    public static final int WASM_OBJECT = 15;
    public static final int FIRST_UNKNOWN = 16;

    static final String[] NAMES = {
        "hidden", "array", "string", "object", "code", "closure", "regexp", "number", "native", "synthetic",
        "concatenated string", "sliced string", "symbol", "bigint", "object shape", "wasm object",
    };

    private NodeType() {}

    /** The canonical code for a type name, or -1 when the name is not one V8 is known to write. */
    public static int codeOf(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public static boolean isString(int code) {
        return code == STRING || code == CONCATENATED_STRING || code == SLICED_STRING;
    }
}
