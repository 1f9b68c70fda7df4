package dev.leakhound.analysis.nodejs;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.List;
import java.util.Arrays;

/**
 * EventEmitter listeners, as Node keeps them ({@code lib/events.js}): {@code emitter._events[event]}
 * is the listener function itself for one listener, an Array of them for more; {@code once()} wraps
 * a listener in a bound {@code onceWrapper} whose state holds it as {@code .listener}; when the count
 * passed maxListeners, Node set {@code warned} on the Array (and printed MaxListenersExceededWarning).
 * Used by the one-snapshot diagnosis (which walks every emitter) and by find-leaks (which finds the
 * pattern on a leaked object's retainer path).
 */
public final class EventListeners {
    private final V8Layout v8;
    private final HeapSnapshot s;

    public EventListeners(V8Layout v8) {
        this.v8 = v8;
        this.s = v8.snapshot();
    }

    /** Whether the snapshot has any emitter at all (an {@code _events} name). */
    public boolean present() {
        return v8.names().events >= 0;
    }

    /**
     * How many listeners an {@code _events} slot holds: 1 for a function, the element count for an
     * Array, -1 for anything else (not a listener slot).
     */
    public int listenerCount(int holder) {
        if (s.type(holder) == NodeType.CLOSURE) {
            return 1;
        }
        if (v8.named(holder, v8.names().array) && s.type(holder) == NodeType.OBJECT) {
            int count = 0;
            for (int x = s.firstEdge(holder), end = s.endEdge(holder); x < end; x++) {
                if (s.edgeType(x) == EdgeType.ELEMENT) {
                    count++;
                }
            }
            return count;
        }
        return -1;
    }

    /** Whether an edge of an {@code _events} object is an event slot (a property other than {@code __proto__}). */
    public boolean isEventEdge(int e) {
        return s.edgeType(e) == EdgeType.PROPERTY && s.edgeNameOrIndex(e) != v8.names().proto;
    }

    /** The listeners a slot holds: the function, or the Array's elements. */
    public int[] listeners(int holder) {
        if (s.type(holder) == NodeType.CLOSURE) {
            return new int[] {holder};
        }
        int[] out = new int[s.edgeCountOf(holder)];
        int n = 0;
        for (int x = s.firstEdge(holder), end = s.endEdge(holder); x < end; x++) {
            if (s.edgeType(x) == EdgeType.ELEMENT) {
                out[n++] = s.edgeTo(x);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The listener behind a once() wrapper (a bound onceWrapper or an object with .listener), else itself. */
    public int unwrap(int f) {
        int l = v8.property(f, v8.names().listener);
        if (l >= 0) {
            return l;
        }
        int state = v8.internal(f, v8.names().boundThis);
        if (state >= 0) {
            l = v8.property(state, v8.names().listener);
            if (l >= 0) {
                return l;
            }
        }
        return f;
    }

    /** Whether Node printed MaxListenersExceededWarning for this listener Array. */
    public boolean warned(int holder) {
        return v8.edge(holder, EdgeType.PROPERTY, v8.names().warned) >= 0;
    }

    /**
     * The listener pattern on a retainer path: an {@code _events} property step at or after
     * {@code from}. {@code emitterStep} is the step reaching the emitter (-1 when the path starts at
     * it), {@code event} the event's name, {@code listener} the first function after {@code _events}
     * (or the one a wrapper holds), -1 if none.
     */
    public record OnPath(int eventsStep, int emitterStep, String event, int listener) {}

    /** The first {@link OnPath} at or after step {@code from}, or null. */
    public OnPath onPath(List<RetainerPath.Step> path, int from) {
        int events = -1;
        for (int i = Math.max(0, from); i < path.size(); i++) {
            int e = path.get(i).edge();
            if (s.edgeType(e) == EdgeType.PROPERTY && s.edgeNameOrIndex(e) == v8.names().events && v8.names().events >= 0) {
                events = i;
                break;
            }
        }
        if (events < 0) {
            return null;
        }
        String event = events + 1 < path.size() ? path.get(events + 1).edgeName() : "?";
        int listener = -1;
        for (int i = events + 1; i < path.size() && listener < 0; i++) {
            int v = path.get(i).node();
            if (s.type(v) == NodeType.CLOSURE) {
                listener = v;
            } else {
                // an Array of listeners' elements, or a once() wrapper holding the listener
                int l = v8.namedTarget(v, v8.names().listener);
                if (l >= 0 && s.type(l) == NodeType.CLOSURE) {
                    listener = l;
                }
            }
        }
        return new OnPath(events, events - 1, event, listener);
    }
}
