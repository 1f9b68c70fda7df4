package dev.leakhound.analysis.diagnosis;

/** The Node.js leak patterns the one-snapshot diagnosis detects; {@link #id()} is the name reports use. */
public enum FindingKind {
    LISTENERS("listeners"),
    TIMERS("timers"),
    CLOSURE_CHAIN("closure-chain"),
    CLOSURE_SCOPE("closure-scope"),
    COLLECTION("collection"),
    EXTERNAL_MEMORY("external-memory"),
    DUPLICATE_STRINGS("duplicate-strings");

    private final String id;

    FindingKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
