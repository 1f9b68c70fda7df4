package dev.leakhound.core;

/**
 * An error the user can act on: bad input, unreachable target, and the like.
 * The CLI prints its message as one line and exits with {@link #exitCode()}, without a stack trace.
 */
public class LeakhoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public LeakhoundException(String message) {
        this(message, null);
    }

    public LeakhoundException(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = 2;
    }

    public int exitCode() {
        return exitCode;
    }
}
