package dev.leakhound.inspector.watch;

/**
 * Kinds of V8 garbage collection, with Node's perf_hooks codes ({@code NODE_PERFORMANCE_GC_*}) and
 * prom-client's label for {@code nodejs_gc_duration_seconds{kind}}.
 */
public enum GcKind {
    MINOR(1, "minor"),
    MAJOR(4, "major"),
    INCREMENTAL(8, "incremental"),
    WEAKCB(16, "weakcb"),
    UNKNOWN(0, "unknown");

    private final int code;
    private final String label;

    GcKind(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    /** prom-client's label value. */
    public String label() {
        return label;
    }

    public static GcKind ofCode(int code) {
        for (GcKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return UNKNOWN;
    }
}
