package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Claims;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisContext;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.NodeScan;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small heaps shaped the way V8 writes a Node.js program (see {@code docs/heapsnapshot-format.md}), for
 * the detector tests:
 * <ul>
 *   <li>the root's {@code shortcut} edge to the {@code global} object (the only user root);</li>
 *   <li>functions: a closure has an {@code internal shared} edge to its SharedFunctionInfo (a {@code code}
 *       node), whose {@code internal script} edge reaches the Script (a {@code code} node named by its URL),
 *       and a {@code locations} entry (0-based line and column);</li>
 *   <li>scopes: a closure's {@code internal context} edge to a {@code system / Context} object with
 *       {@code internal scope_info} (a ScopeInfo whose {@code hidden} string slots are the variable names,
 *       then the function's name) and {@code internal previous} (the enclosing Context; a module's
 *       top-level scope has the NativeContext there); variables are {@code context} edges;</li>
 *   <li>V8's code and read-only objects (SharedFunctionInfos, ScopeInfos, Scripts, oddballs such as
 *       {@code null}) also hang from one holder on the global, so they are never part of what an object
 *       under test retains: retained sizes in the tests add up only the objects a test makes.</li>
 * </ul>
 * Helpers for Node's emitters ({@code _events}), timers ({@code timerListMap[ms]} -> TimersList ->
 * {@code _idleNext}/{@code _idlePrev} ring of Timeouts) and Maps/Sets (OrderedHashMap tables) follow
 * {@code lib/events.js}, {@code lib/internal/timers.js} and V8's layouts.
 */
final class NodeHeap {
    static final String APP = "file:///app/server.js";
    /** How {@link SourceLocator.Location} reads {@link #APP}. */
    static final String APP_FILE = "/app/server.js";
    static final String NODE_NET = "node:net";
    static final String NODE_TIMERS = "node:internal/timers";

    static final long CLOSURE = 32;
    static final long CONTEXT = 40;
    static final long TIMEOUT = 120;
    static final long TIMERS_LIST = 48;

    final SnapshotBuilder b = new SnapshotBuilder();
    final int root;
    final int global;
    /** V8's code and read-only objects hang here (held by the global, so they are dominated by it). */
    final int code;
    final int nativeContext;
    final int nullValue;
    final int trueValue;
    /** The application's module scope (a closure {@code global.main} holds it). */
    final int module;

    private final Map<String, Integer> scripts = new HashMap<>();
    private final Map<String, Integer> internedStrings = new HashMap<>();
    private int timerListMap = -1;
    private final Map<Integer, List<Integer>> rings = new LinkedHashMap<>();
    private HeapGraph graph;

    /** A function: its SharedFunctionInfo and where its code is (0-based line and column, as V8 writes them). */
    record Fn(String name, int sfi, int scriptId, int line, int column) {
        /** Where {@link SourceLocator#of} puts it: 1-based. */
        SourceLocator.Location location(String file) {
            return new SourceLocator.Location(file, line + 1, column + 1);
        }
    }

    NodeHeap() {
        root = b.node(NodeType.SYNTHETIC, "", 0);
        global = b.node(NodeType.OBJECT, "global", 0);
        b.edge(root, EdgeType.SHORTCUT, "global", global);
        code = b.node(NodeType.HIDDEN, "system / Code space", 0);
        b.edge(global, EdgeType.INTERNAL, "code", code);
        nativeContext = b.node(NodeType.HIDDEN, "system / NativeContext", 0);
        hold(nativeContext);
        nullValue = oddball("null");
        trueValue = oddball("true");
        Fn mainFn = function("main", APP, 0);
        module = context(scopeInfo("main"), nativeContext);
        int main = closure(mainFn, module);
        b.edge(global, EdgeType.PROPERTY, "main", main);
    }

    /** Keeps a V8 code or read-only object outside every object under test. */
    int hold(int node) {
        b.edge(code, EdgeType.INTERNAL, "(held " + node + ")", node);
        return node;
    }

    int oddball(String name) {
        return hold(b.node(NodeType.HIDDEN, "system / Oddball", 32));
    }

    int obj(String className, long size) {
        return b.node(NodeType.OBJECT, className, size);
    }

    /** A property {@code from.name = to}; returns {@code to}. */
    int prop(int from, String name, int to) {
        b.edge(from, EdgeType.PROPERTY, name, to);
        return to;
    }

    int element(int from, int index, int to) {
        b.edge(from, EdgeType.ELEMENT, index, to);
        return to;
    }

    int internal(int from, String name, int to) {
        b.edge(from, EdgeType.INTERNAL, name, to);
        return to;
    }

    /** {@code global.name = new className} of {@code size} bytes. */
    int onGlobal(String name, String className, long size) {
        return prop(global, name, obj(className, size));
    }

    /** A string node (V8 names it by its text). */
    int string(String text, long size) {
        return b.node(NodeType.STRING, text, size);
    }

    /** The script with this URL (one node per URL; script ids from 1 in order of first use). */
    int script(String url) {
        Integer s = scripts.get(url);
        if (s == null) {
            s = hold(b.node(NodeType.CODE, url, 0));
            scripts.put(url, s);
        }
        return s;
    }

    private final Map<String, Integer> scriptIds = new HashMap<>();

    private int idOf(String url) {
        return scriptIds.computeIfAbsent(url, u -> scriptIds.size() + 1);
    }

    /** A function defined at {@code line} (0-based) of the script {@code url}: its SharedFunctionInfo. */
    Fn function(String name, String url, int line) {
        int sfi = hold(b.node(NodeType.CODE, name, 0));
        b.edge(sfi, EdgeType.INTERNAL, "script", script(url));
        return new Fn(name, sfi, idOf(url), line, 4);
    }

    /** A closure of {@code fn} over {@code context} (-1: none), with its location. */
    int closure(Fn fn, int context) {
        int f = b.node(NodeType.CLOSURE, fn.name(), CLOSURE);
        b.edge(f, EdgeType.INTERNAL, "shared", fn.sfi());
        if (context >= 0) {
            b.edge(f, EdgeType.INTERNAL, "context", context);
        }
        b.location(f, fn.scriptId(), fn.line(), fn.column());
        return f;
    }

    /** An internalized string for a name V8 keeps (one node per text). */
    int name(String text) {
        return internedStrings.computeIfAbsent(text, t -> hold(string(t, 0)));
    }

    /** A ScopeInfo: the variable names, then the function's name, as hidden string slots. */
    int scopeInfo(String function, String... variables) {
        int si = hold(b.node(NodeType.CODE, "system / ScopeInfo", 0));
        int slot = 0;
        for (String v : variables) {
            b.edge(si, EdgeType.HIDDEN, slot++, name(v));
        }
        b.edge(si, EdgeType.HIDDEN, slot, name(function));
        return si;
    }

    /** A function scope ({@code system / Context}, {@value #CONTEXT} bytes) whose enclosing scope is {@code previous}. */
    int context(int scopeInfo, int previous) {
        int c = b.node(NodeType.OBJECT, "system / Context", CONTEXT);
        b.edge(c, EdgeType.INTERNAL, "scope_info", scopeInfo);
        if (previous >= 0) {
            b.edge(c, EdgeType.INTERNAL, "previous", previous);
        }
        return c;
    }

    /** A captured variable: a {@code context} edge. Returns {@code target}. */
    int variable(int context, String name, int target) {
        b.edge(context, EdgeType.CONTEXT, name, target);
        return target;
    }

    // ---- EventEmitter (lib/events.js) ----

    /** An EventEmitter and its {@code _events} object. */
    record Emitter(int node, int events) {}

    /** {@code global.name = new className()} with an {@code _events} object (100 + 50 bytes). */
    Emitter emitter(String name, String className) {
        int e = onGlobal(name, className, 100);
        return new Emitter(e, prop(e, "_events", obj("Object", 50)));
    }

    /** {@code emitter._events[event] = listeners}: the function itself for one, an Array (16 bytes) for more. */
    int listen(Emitter emitter, String event, int... listeners) {
        if (listeners.length == 1) {
            return prop(emitter.events(), event, listeners[0]);
        }
        int array = prop(emitter.events(), event, obj("Array", 16));
        for (int i = 0; i < listeners.length; i++) {
            element(array, i, listeners[i]);
        }
        return array;
    }

    /**
     * Node's once(): {@code onceWrapper.bind(state)} (a bound function whose {@code bound_this} is the state),
     * the state (64 bytes) holding {@code .listener}. {@code onceWrapper} is Node's one closure of that function.
     */
    int onceWrapper(int onceWrapper, int listener) {
        int state = obj("Object", 64);
        prop(state, "listener", listener);
        int bound = b.node(NodeType.CLOSURE, "bound onceWrapper", CLOSURE);
        b.edge(bound, EdgeType.INTERNAL, "bound_this", state);
        b.edge(bound, EdgeType.INTERNAL, "bound_function", onceWrapper);
        return bound;
    }

    // ---- timers (lib/internal/timers.js) ----

    /** {@code timerListMap[delay]}: a TimersList reached by an element edge whose index is the delay. */
    int timerList(int delay) {
        if (timerListMap < 0) {
            timerListMap = onGlobal("timerListMap", "Object", 0);
        }
        int list = element(timerListMap, delay, obj("TimersList", TIMERS_LIST));
        rings.put(list, new ArrayList<>());
        return list;
    }

    /**
     * A Timeout ({@value #TIMEOUT} bytes) on {@code list} running {@code callback}; a one-shot timer has
     * {@code _repeat = null} (an edge to the null oddball), a repeating one a number there (no edge).
     */
    int timeout(int list, int callback, boolean repeating) {
        int t = obj("Timeout", TIMEOUT);
        prop(t, "_onTimeout", callback);
        if (!repeating) {
            prop(t, "_repeat", nullValue);
        }
        rings.get(list).add(t);
        return t;
    }

    // ---- Maps and Sets (V8's OrderedHashMap / OrderedHashSet) ----

    /** The OrderedHashMap/Set size for {@code buckets} buckets: 2 header words and 3 + buckets + entries slots, 8 bytes each. */
    static long tableSize(int buckets, boolean isMap) {
        return 16 + 8L * (3 + buckets + (isMap ? 3 : 2) * 2L * buckets);
    }

    /** The first slot of entry {@code i} in a table of {@code buckets} buckets. */
    static int entrySlot(int buckets, boolean isMap, int i) {
        return 3 + buckets + (isMap ? 3 : 2) * i;
    }

    // ---- the graph and the detectors ----

    HeapGraph graph() {
        if (graph == null) {
            for (Map.Entry<Integer, List<Integer>> r : rings.entrySet()) {
                int list = r.getKey();
                List<Integer> ts = r.getValue();
                int prev = list;
                for (int t : ts) {
                    prop(prev, "_idleNext", t);
                    prop(t, "_idlePrev", prev);
                    prev = t;
                }
                prop(prev, "_idleNext", list);
                prop(list, "_idlePrev", prev);
            }
            graph = HeapGraph.build(b.build());
        }
        return graph;
    }

    HeapSnapshot snapshot() {
        return graph().snapshot();
    }

    long id(int node) {
        return snapshot().id(node);
    }

    DiagnosisContext context(DiagnosisOptions o) {
        HeapGraph g = graph();
        return new DiagnosisContext(g, o, NodeScan.of(g, o.minChain()));
    }

    Detector.Result detect(Detector d, DiagnosisOptions o) {
        return d.detect(context(o), Claims.none());
    }

    Detector.Result detect(Detector d, DiagnosisOptions o, Claims claims) {
        return d.detect(context(o), claims);
    }
}
