package dev.leakhound.inspector.cdp;

import dev.leakhound.core.LeakhoundException;

/** The target did not answer in time. The connection may still be usable (a late reply is ignored). */
public class InspectorTimeoutException extends LeakhoundException {
    private static final long serialVersionUID = 1L;

    public InspectorTimeoutException(String message) {
        super(message);
    }
}
