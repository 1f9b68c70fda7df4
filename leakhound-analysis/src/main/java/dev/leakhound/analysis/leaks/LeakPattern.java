package dev.leakhound.analysis.leaks;

/** The shape of a leak: what holds the growing set and how; {@link #id()} is its name in the JSON. */
public enum LeakPattern {
    /** An Array only pushed to. */
    ARRAY("array"),
    /** An Array whose early members leave but more arrive (a consumer slower than its producer). */
    QUEUE("queue"),
    MAP("map"),
    SET("set"),
    /** A plain object used as a dictionary (its keys are data). */
    DICTIONARY("dictionary"),
    /** Listeners added to an EventEmitter and never removed. */
    LISTENERS("listeners"),
    /** Timers (Timeout, Immediate) never cleared. */
    TIMERS("timers"),
    /** Objects each keeping the previous one through a closure's shared scope (the "replaceThing" leak). */
    CLOSURE_CHAIN("closure-chain"),
    /** Objects linked to one another (a list that is never cut). */
    CHAIN("chain"),
    /** Functions kept in an Array, each keeping its scope. */
    CLOSURES_IN_ARRAY("closures-in-array"),
    /** Buffers and typed arrays kept: memory outside the JS heap. */
    BUFFERS("buffers"),
    /** A cache in a closure's scope that gains an entry per distinct argument. */
    MEMOIZE("memoize"),
    /** Objects accumulating under something else. */
    OBJECTS("objects");

    private final String id;

    LeakPattern(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
