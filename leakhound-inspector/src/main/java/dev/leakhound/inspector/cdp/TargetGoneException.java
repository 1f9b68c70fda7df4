package dev.leakhound.inspector.cdp;

import dev.leakhound.core.LeakhoundException;

/** The inspector connection closed under us: the target exited, crashed, or closed its inspector. */
public class TargetGoneException extends LeakhoundException {
    private static final long serialVersionUID = 1L;

    public TargetGoneException(String message) {
        super(message);
    }

    public TargetGoneException(String message, Throwable cause) {
        super(message, cause);
    }
}
