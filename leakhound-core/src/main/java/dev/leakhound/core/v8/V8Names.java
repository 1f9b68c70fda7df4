package dev.leakhound.core.v8;

import java.util.Set;

/**
 * The names V8 and Node.js write into heap snapshots that leakhound's analyses look for, in one
 * place: edge names (a closure's {@code context}, an emitter's {@code _events}, a Timeout's
 * {@code _onTimeout}...) and node names ({@code system / Context}, {@code TimersList}...). Where they
 * come from is said beside each group; {@link KnownNames} finds them in one snapshot's string table.
 */
public final class V8Names {
    private V8Names() {}

    // ---- V8's internal links (edge type internal) ----
    /** A closure's link to its Context (the scope shared by all closures of one call). */
    public static final String CONTEXT = "context";
    /** A closure's link to its SharedFunctionInfo (the function's code, shared by all its closures). */
    public static final String SHARED = "shared";
    /** A SharedFunctionInfo's link to its Script (older V8: {@link #SCRIPT_OR_DEBUG_INFO}). */
    public static final String SCRIPT = "script";
    public static final String SCRIPT_OR_DEBUG_INFO = "script_or_debug_info";
    /** A Context's ScopeInfo (which function scope it is) and its enclosing Context. */
    public static final String SCOPE_INFO = "scope_info";
    public static final String PREVIOUS = "previous";
    /** A Map's or Set's OrderedHashMap/OrderedHashSet. */
    public static final String TABLE = "table";
    /** A bound function's receiver (Node's once() wrapper binds its state object). */
    public static final String BOUND_THIS = "bound_this";
    /** An ArrayBuffer's backing store, and a typed array's ArrayBuffer. */
    public static final String BACKING_STORE = "backing_store";
    public static final String BUFFER = "buffer";
    /** An object's elements store. */
    public static final String ELEMENTS = "elements";
    /** An object's hidden class (its Map, in V8's words). */
    public static final String MAP = "map";

    // ---- JavaScript properties ----
    public static final String PROTO = "__proto__";
    /** EventEmitter ({@code lib/events.js}): {@code emitter._events[event]} holds the listener or an Array of them. */
    public static final String EVENTS = "_events";
    /** Node's once() wrapper state: the wrapped listener. */
    public static final String LISTENER = "listener";
    /** Set on a listener Array when Node printed MaxListenersExceededWarning for it. */
    public static final String WARNED = "warned";
    /** Timeout ({@code lib/internal/timers.js}): the callback, the repeat interval, the timer list links. */
    public static final String ON_TIMEOUT = "_onTimeout";
    public static final String REPEAT = "_repeat";
    public static final String IDLE_NEXT = "_idleNext";
    public static final String IDLE_PREV = "_idlePrev";
    /** Node's private symbols read {@code <symbol node:...>} as property names. */
    public static final String NODE_PRIVATE_SYMBOL_PREFIX = "<symbol node:";

    // ---- node names ----
    /** V8's own objects are named {@code system / Something}. */
    public static final String SYSTEM_PREFIX = "system / ";
    public static final String SYSTEM_CONTEXT = "system / Context";
    public static final String NATIVE_CONTEXT = "system / NativeContext";
    /** The native node holding an ArrayBuffer's bytes (sized by their length). */
    public static final String ARRAY_BUFFER_DATA = "system / JSArrayBufferData";
    public static final String MAP_DESCRIPTORS = "(map descriptors)";
    public static final String SLOPPY_FUNCTION_MAP = "sloppy_function_map";
    public static final String ARRAY = "Array";
    public static final String MAP_CLASS = "Map";
    public static final String SET_CLASS = "Set";
    public static final String OBJECT_CLASS = "Object";
    /** Node's timers: a Timeout or Immediate per scheduled callback, a TimersList per delay. */
    public static final String TIMEOUT = "Timeout";
    public static final String IMMEDIATE = "Immediate";
    public static final String TIMERS_LIST = "TimersList";

    /** Classes whose objects are buffers or views on one (their bytes live outside the JS heap). */
    public static final Set<String> BUFFER_CLASSES = Set.of("ArrayBuffer", "SharedArrayBuffer", "Buffer", "FastBuffer",
            "Uint8Array", "Int8Array", "Uint8ClampedArray", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array",
            "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "DataView", ARRAY_BUFFER_DATA);
}
