package dev.leakhound.core.snapshot;

/** Receives progress of long operations; implementations must be cheap. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (phase, fraction) -> { };

    /** {@code fraction} is in [0, 1] for the named phase. */
    void progress(String phase, double fraction);

    /**
     * Something worth knowing about how the work is done, such as why the fast reader gave up on a file and
     * the sequential one read it (one line). Ignored unless a listener wants it.
     */
    default void note(String message) {
    }
}
