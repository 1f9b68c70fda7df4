package dev.leakhound.core.snapshot;

/**
 * How much of a snapshot's string table {@link SnapshotRedactor} replaces. Every level replaces the values;
 * they differ in which names they keep.
 */
public enum RedactLevel {
    /**
     * Values only: the names of string, concatenated string, sliced string, number and regexp nodes, unless the
     * same string is also a name (a class, function, property, variable or V8-internal name), which is kept.
     * Classes, counts, sizes, retainer paths and verdicts stay as they were.
     */
    BASIC,
    /**
     * Also property and variable (closure context) names, except the few V8 and Node.js names leakhound's
     * analyses recognize and names that are also class or function names.
     */
    NAMES,
    /** Every string but the empty one. Only the graph's shape, types, ids and sizes stay. */
    FULL;

    /** The level named {@code name} (basic, names or full, any case), or null. */
    public static RedactLevel of(String name) {
        for (RedactLevel l : values()) {
            if (l.name().equalsIgnoreCase(name)) {
                return l;
            }
        }
        return null;
    }
}
