package dev.leakhound.inspector.capture;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.InspectorSession;
import dev.leakhound.inspector.cdp.Json.JsonObj;

import java.util.ArrayList;
import java.util.List;


/**
 * V8's allocation tracking on a target, for as long as this is open: every object allocated meanwhile is
 * recorded with its allocation stack, and heap snapshots taken meanwhile carry {@code trace_function_infos},
 * {@code trace_tree} and each node's {@code trace_node_id}.
 *
 * <p>Two ways, by what the target allows. <b>From start-up</b> ({@link Mode#FROM_START_UP}): a main thread started
 * with {@code node --track-heap-objects} (leakhound adds it to NODE_OPTIONS of a command it launches with
 * {@code --track-allocations}; a user may give it too) tracks from its first allocation; nothing is started here.
 * <b>Through the inspector</b> ({@link Mode#INSPECTOR}), for a process attached to or a worker: V8's inspector then
 * also runs a timer that, every 50 ms, collects all garbage and gives every live object an id, and V8 forgets the
 * stack of an object that moves after it has an id (its {@code HeapProfiler::ObjectMoveEvent} moves the stack only
 * for objects without one). A full collection every 50 ms also makes the target far slower. Measured with
 * {@code hunt} on examples/global-array.js, 3 runs each: of the RequestRecords in the last snapshot, 4%, 7% and 40%
 * kept their stack through the inspector, 100% in every run from start-up.
 *
 * <p>Started with {@code HeapProfiler.startTrackingHeapObjects({trackAllocations: true})}. Stopped with
 * {@code HeapProfiler.disable} (then {@code enable} again), not {@code stopTrackingHeapObjects}: that one
 * always streams one more full snapshot (a second pause as long as a snapshot, and its chunks to drain),
 * whereas {@code disable} stops the tracking at once and sends nothing (checked on node 20: 1 ms, no chunk).
 * {@code disable} also forgets V8's object ids, which nothing needs once the snapshots are taken. While
 * tracking, V8 sends {@code heapStatsUpdate} and {@code lastSeenObjectId} events (a few per second); the
 * connection drops events nobody listens to.
 */
public final class AllocationTracking implements AutoCloseable {
    /** The Node.js option that tracks allocations from start-up. */
    public static final String NODE_FLAG = "--track-heap-objects";

    /** How the target tracks. */
    public enum Mode {
        /** The main thread was started with {@code --track-heap-objects}: every object's stack, at no extra cost here. */
        FROM_START_UP,
        /** Started through the inspector now: stacks of objects that moved after V8 gave them an id are lost. */
        INSPECTOR,
        /** Not tracking. */
        NONE
    }

    private final InspectorSession session;
    private final Mode mode;
    private boolean open;

    private AllocationTracking(InspectorSession session, Mode mode) {
        this.session = session;
        this.mode = mode;
        this.open = mode == Mode.INSPECTOR;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * Tracking on the target: when it is a main thread started with {@link #NODE_FLAG} (in its execArgv or
     * NODE_OPTIONS), it already tracks and nothing is started; otherwise tracking starts through the inspector.
     */
    public static AllocationTracking start(InspectorSession session) {
        if (tracksFromStartUp(session)) {
            return new AllocationTracking(session, Mode.FROM_START_UP);
        }
        try {
            session.call("HeapProfiler.enable", JsonObj.of());
            session.call("HeapProfiler.startTrackingHeapObjects", JsonObj.of("trackAllocations", true));
        } catch (LeakhoundException e) {
            throw new LeakhoundException(session.label() + ": could not start allocation tracking: " + e.getMessage());
        }
        return new AllocationTracking(session, Mode.INSPECTOR);
    }

    /** Whether the session's thread is a main thread started with {@link #NODE_FLAG}; false when it cannot tell. */
    static boolean tracksFromStartUp(InspectorSession session) {
        Object v;
        try {
            v = session.evaluate("(() => { const wt = process.getBuiltinModule ? process.getBuiltinModule('worker_threads')"
                    + " : require('worker_threads'); return {main: wt.isMainThread, execArgv: process.execArgv,"
                    + " nodeOptions: process.env.NODE_OPTIONS || ''}; })()");
        } catch (LeakhoundException e) {
            return false;
        }
        if (!(v instanceof JsonObj o) || !o.bool("main")) {
            return false;
        }
        List<String> argv = new ArrayList<>();
        List<Object> a = o.arr("execArgv");
        if (a != null) {
            for (Object x : a) {
                argv.add(String.valueOf(x));
            }
        }
        return NearHeapLimit.hasFlag(argv, o.str("nodeOptions"), NODE_FLAG);
    }

    /**
     * Stops tracking; a target that went away meanwhile (its tracking ended with it) is not an error.
     */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        if (session.connection().isClosed()) {
            return;
        }
        try {
            session.call("HeapProfiler.disable", JsonObj.of());
            session.call("HeapProfiler.enable", JsonObj.of());
        } catch (LeakhoundException e) {
            // the target ended or stopped answering: its tracking ended with its session
        }
    }

    /** A no-op stand-in for when tracking is off. */
    public static AllocationTracking none() {
        return new AllocationTracking(null, Mode.NONE);
    }
}
