package dev.leakhound.core.index;

/** An index file that cannot be trusted: truncated, corrupt, of another version or inconsistent. */
public final class IndexFormatException extends RuntimeException {
    public IndexFormatException(String message) {
        super(message);
    }
}
