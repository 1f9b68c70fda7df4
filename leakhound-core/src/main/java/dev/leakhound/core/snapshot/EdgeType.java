package dev.leakhound.core.snapshot;

/**
 * Canonical edge type codes, mapped from {@code meta.edge_types} by name. Unknown types get codes
 * from {@link #FIRST_UNKNOWN} on; their {@code name_or_index} is kept as a number.
 */
public final class EdgeType {
    public static final int CONTEXT = 0;
    public static final int ELEMENT = 1;
    public static final int PROPERTY = 2;
    public static final int INTERNAL = 3;
    public static final int HIDDEN = 4;
    public static final int SHORTCUT = 5;
    public static final int WEAK = 6;
    public static final int FIRST_UNKNOWN = 7;

    static final String[] NAMES = {"context", "element", "property", "internal", "hidden", "shortcut", "weak"};

    private EdgeType() {}

    public static int codeOf(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code name_or_index} of an edge of this type is an index into the strings table. */
    public static boolean nameIsString(int code) {
        return code == CONTEXT || code == PROPERTY || code == INTERNAL || code == SHORTCUT || code == WEAK;
    }
}
