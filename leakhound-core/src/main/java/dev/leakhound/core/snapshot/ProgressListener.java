package dev.leakhound.core.snapshot;

/** Receives progress of long operations; implementations must be cheap. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (phase, fraction) -> { };

    /** {@code fraction} is in [0, 1] for the named phase. */
    void progress(String phase, double fraction);
}
