package dev.leakhound.core.snapshot;

import dev.leakhound.core.LeakhoundException;

/** A file that is not a readable V8 heap snapshot; the message names the file and the byte offset. */
public final class SnapshotFormatException extends LeakhoundException {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public SnapshotFormatException(String file, long offset, String what) {
        super(file + ": " + what + (offset >= 0 ? " (at byte " + offset + ")" : ""));
        this.offset = offset;
    }

    /** Byte offset in the (decompressed) input where the problem was found, or -1. */
    public long offset() {
        return offset;
    }
}
