package dev.leakhound.analysis.nodejs;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.v8.V8Names;

import java.util.function.IntConsumer;

/**
 * Node's timers ({@code lib/internal/timers.js}): every scheduled Timeout is on a {@code TimersList}
 * per delay ({@code timerListMap[ms]}), a circular list linked through {@code _idleNext}/{@code _idlePrev};
 * clearTimeout/clearInterval unlinks it. So the Timeouts on those lists are the live ones, each
 * keeping its {@code _onTimeout} callback and the callback's scope. A repeating timer has a number in
 * {@code _repeat} (no edge in the snapshot); a one-shot timer has {@code null} there (an edge to an
 * oddball). Used by the one-snapshot diagnosis and by find-leaks.
 */
public final class NodeTimers {
    private final V8Layout v8;
    private final HeapSnapshot s;

    public NodeTimers(V8Layout v8) {
        this.v8 = v8;
        this.s = v8.snapshot();
    }

    /** Whether the snapshot has Node timer lists at all. */
    public boolean present() {
        return v8.names().timersList >= 0;
    }

    /** Whether a node is a TimersList (the scan collects them). */
    public boolean isTimerList(int v) {
        return v8.named(v, v8.names().timersList);
    }

    /** Calls {@code timer} for each live Timeout on a TimersList, in list order; returns how many. */
    public int forEachLive(int list, IntConsumer timer) {
        int n = s.nodeCount();
        int live = 0;
        int cur = v8.property(list, v8.names().idleNext);
        for (int steps = 0; cur >= 0 && cur != list && steps < n && s.nameIndex(cur) == v8.names().timeout; steps++) {
            live++;
            timer.accept(cur);
            cur = v8.property(cur, v8.names().idleNext);
        }
        return live;
    }

    /** A Timeout's callback (a closure), or -1. */
    public int callback(int timeout) {
        int cb = v8.namedTarget(timeout, v8.names().onTimeout);
        return cb >= 0 && s.type(cb) == NodeType.CLOSURE ? cb : -1;
    }

    /** A repeating timer (setInterval): its {@code _repeat} holds a number, which the snapshot has no edge for. */
    public boolean repeats(int timeout) {
        return v8.edge(timeout, EdgeType.PROPERTY, v8.names().repeat) < 0;
    }

    /** The delay of a TimersList in ms: its key in Node's timerListMap (the edge that reaches it), or -1. */
    public static long delay(HeapGraph g, int list) {
        int e = g.pathEdge(list);
        if (e < 0) {
            return -1;
        }
        HeapSnapshot s = g.snapshot();
        int t = s.edgeType(e);
        if (t == EdgeType.ELEMENT) {
            return Integer.toUnsignedLong(s.edgeNameOrIndex(e));
        }
        if (t == EdgeType.PROPERTY) {
            String name = s.edgeName(e);
            if (!name.isEmpty() && name.length() < 19 && name.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(name);
            }
        }
        return -1;
    }

    /** Whether objects of this class are Node timers (find-leaks: a leaked class, or the accumulation point's). */
    public static boolean isTimerClass(String className) {
        return className.equals(V8Names.TIMEOUT) || className.equals(V8Names.IMMEDIATE);
    }

    public static boolean isTimerListClass(String className) {
        return className.equals(V8Names.TIMERS_LIST);
    }
}
