package dev.leakhound.inspector.cdp;

import dev.leakhound.core.LeakhoundException;

/** The target answered a protocol call with an error, or JavaScript evaluated there threw. */
public class CdpException extends LeakhoundException {
    private static final long serialVersionUID = 1L;

    public CdpException(String message) {
        super(message);
    }
}
