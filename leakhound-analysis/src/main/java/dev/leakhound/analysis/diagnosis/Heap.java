package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.RetainerPath;
import dev.leakhound.analysis.SourceLocator;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.StringTable;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the detectors share: the graph, string-table indexes of the names they look for (found in one
 * pass, so hot loops compare ints), the source locator, a provenance test (is this Node's own code?),
 * and the set of nodes earlier findings have claimed so later detectors do not report them twice.
 */
final class Heap {
    final HeapGraph g;
    final HeapSnapshot s;
    final DiagnosisOptions o;
    final SourceLocator locator;
    final long total;
    final BitSet claimed;

    // edge names
    final int events;
    final int onTimeout;
    final int idleNext;
    final int idlePrev;
    final int repeat;
    final int context;
    final int shared;
    final int scopeInfo;
    final int previous;
    final int table;
    final int listener;
    final int boundThis;
    final int backingStore;
    final int buffer;
    final int proto;
    final int map;
    final int warned;
    // node names
    final int systemContext;
    final int nativeContext;
    final int bufferData;
    final int array;
    final int mapClass;
    final int setClass;
    final int timeout;
    final int timersList;

    private final Map<Integer, Boolean> internal = new HashMap<>();

    Heap(HeapGraph g, DiagnosisOptions o) {
        this(g, o, null);
    }

    /** {@code classes}: class ids whose members the scan should list (for group suspects), or null. */
    Heap(HeapGraph g, DiagnosisOptions o, int[] classes) {
        this(g, o, scanned(g, o), classes);
    }

    private static final String[] NAMES = {"_events", "_onTimeout", "_idleNext", "_idlePrev", "_repeat", "context", "shared",
        "scope_info", "previous", "table", "listener", "bound_this", "backing_store", "buffer", "__proto__", "map", "warned",
        "system / Context", "system / NativeContext", "system / JSArrayBufferData", "Array", "Map", "Set", "Timeout",
        "TimersList"};

    /** The memo key of the scan (what it finds depends on the options only through minChain). */
    private record ScanKey(int minChain) {}

    /**
     * The part of the scan that needs no dominator tree (names, the node pass, closure-chain links), done
     * once per graph: {@link Diagnosis#prepare} runs it beside the dominator tree. The Heap it returns is
     * only read (each diagnosis copies what it found into its own Heap).
     */
    static Heap scanned(HeapGraph g, DiagnosisOptions o) {
        return g.memo(new ScanKey(o.minChain()), () -> {
            Heap h = new Heap(g, o, null, null);
            h.links = new Closures(h).allLinks(o.minChain());
            return h;
        });
    }

    /** Per entry of {@link #contexts}: the context its link leads to (see {@link Closures}), or -1. */
    int[] links;
    private final int[] nameIndexes;

    /**
     * From {@code from}'s scan when given (else scans, without the dominator tree), then the members of
     * {@code classes} and the total (which need the dominator tree) when {@code from} is given.
     */
    private Heap(HeapGraph g, DiagnosisOptions o, Heap from, int[] classes) {
        this.g = g;
        this.s = g.snapshot();
        this.o = o;
        this.locator = new SourceLocator(g);
        this.claimed = new BitSet(s.nodeCount());
        int[] ix = from == null ? indexes(s.strings(), NAMES) : from.nameIndexes;
        nameIndexes = ix;
        int k = 0;
        events = ix[k++];
        onTimeout = ix[k++];
        idleNext = ix[k++];
        idlePrev = ix[k++];
        repeat = ix[k++];
        context = ix[k++];
        shared = ix[k++];
        scopeInfo = ix[k++];
        previous = ix[k++];
        table = ix[k++];
        listener = ix[k++];
        boundThis = ix[k++];
        backingStore = ix[k++];
        buffer = ix[k++];
        proto = ix[k++];
        map = ix[k++];
        warned = ix[k++];
        systemContext = ix[k++];
        nativeContext = ix[k++];
        bufferData = ix[k++];
        array = ix[k++];
        mapClass = ix[k++];
        setClass = ix[k++];
        timeout = ix[k++];
        timersList = ix[k];
        if (from == null) {
            emitters = new IntList();
            timerLists = new IntList();
            collections = new IntList();
            collectionKinds = new IntList();
            backingStores = new IntList();
            scan();
            total = -1;
            return;
        }
        emitters = from.emitters;
        timerLists = from.timerLists;
        collections = from.collections;
        collectionKinds = from.collectionKinds;
        backingStores = from.backingStores;
        contexts = from.contexts;
        links = from.links;
        stringInfo = from.stringInfo;
        stringNodes = from.stringNodes;
        if (classes != null) {
            membersOf = new IntList[g.classes().classCount()];
            for (int c : classes) {
                membersOf[c] = new IntList();
            }
            int[] classOf = g.classes().classOfArray();
            for (int v = 0, n = s.nodeCount(); v < n; v++) {
                IntList l = membersOf[classOf[v]];
                if (l != null && s.selfSize(v) > 0) {
                    l.add(v);
                }
            }
        }
        // every node's self size is in the root's retained size (unreachable ones are attached to it)
        this.total = g.retainedSize(s.rootOrdinal()) + s.extraNativeBytes();
    }

    /** Per class id asked for: its members with a non-zero size; null for other classes. */
    IntList[] membersOf;

    // ---- what one pass over the nodes and their edges collects for the detectors ----

    /** Pairs (emitter, its {@code _events} object). */
    final IntList emitters;
    final IntList timerLists;
    /** Contexts with their ScopeInfo, sorted: scope << 32 | context. */
    long[] contexts;
    /** Collections with at least {@link LargeCollections#MIN_ENTRIES} edges that may be entries, and their kind. */
    final IntList collections;
    final IntList collectionKinds;
    static final int ARRAY = 0;
    static final int MAP = 1;
    static final int SET = 2;
    static final int DICTIONARY = 3;
    final IntList backingStores;
    /**
     * Per string-table index i: how many user-reachable string nodes have that text ({@code [3i]}), the
     * size of one ({@code [3i+1]}) and the first of them ({@code [3i+2]}); interleaved so that counting a
     * string touches one cache line.
     */
    int[] stringInfo;
    int stringNodes;

    /**
     * One pass over every node and its edges (the detectors' only full pass besides the dominator
     * walk of the suspects); reads no dominator tree.
     */
    private void scan() {
        int n = s.nodeCount();
        int strings = s.strings().size();
        int[] info = new int[3 * strings];
        stringInfo = info;
        long[] ctx = new long[64];
        int nctx = 0;
        for (int v = 0; v < n; v++) {
            int type = s.type(v);
            if (type == NodeType.STRING) {
                int d = g.distance(v);
                if (d >= 0 && d < dev.leakhound.core.graph.Distances.SYSTEM_BASE) {
                    stringNodes++;
                    int at = 3 * s.nameIndex(v);
                    if (info[at]++ == 0) {
                        info[at + 1] = (int) Math.min(Integer.MAX_VALUE, s.selfSize(v));
                        info[at + 2] = v;
                    }
                }
                continue;
            }
            if (type == NodeType.NATIVE) {
                if (s.nameIndex(v) == bufferData) {
                    backingStores.add(v);
                }
                continue;
            }
            if (type != NodeType.OBJECT) {
                continue;
            }
            if (scanObject(v)) {
                if (nctx == ctx.length) {
                    ctx = java.util.Arrays.copyOf(ctx, nctx * 2);
                }
                ctx[nctx++] = pendingContext;
            }
        }
        contexts = java.util.Arrays.copyOf(ctx, nctx);
        java.util.Arrays.sort(contexts);
        if (events >= 0) {
            scanEmitters();
        }
    }

    private long pendingContext;

    /** One object node: a context (true, with {@link #pendingContext} set), a timer list, or a collection. */
    private boolean scanObject(int v) {
        int min = LargeCollections.MIN_ENTRIES;
        int name = s.nameIndex(v);
        if (name == systemContext) {
            int scope = internalEdge(v, scopeInfo);
            if (scope >= 0) {
                pendingContext = ((long) scope << 32) | v;
                return true;
            }
            return false;
        }
        if (name == timersList) {
            timerLists.add(v);
        }
        if (name == mapClass || name == setClass) {
            int tableOf = internalEdge(v, table);
            if (tableOf >= 0 && s.edgeCountOf(tableOf) >= min) {
                collections.add(v);
                collectionKinds.add(name == mapClass ? MAP : SET);
            }
            return false;
        }
        if (s.edgeCountOf(v) < min) {
            return false;   // too few edges to hold MIN_ENTRIES entries
        }
        int elements = 0;
        int props = 0;
        for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
            int et = s.edgeType(e);
            if (et == EdgeType.ELEMENT) {
                elements++;
            } else if (et == EdgeType.PROPERTY && s.edgeNameOrIndex(e) != proto) {
                props++;
            }
        }
        if (name == array) {
            if (elements >= min) {
                collections.add(v);
                collectionKinds.add(ARRAY);
            }
        } else if (props >= min && g.distance(v) > 1 && !s.strings().startsWithAscii(name, "system / ")) {
            collections.add(v);
            collectionKinds.add(DICTIONARY);
        }
        return false;
    }

    /** Emitters: property edges named {@code _events}, found by one sequential pass over the edges. */
    private void scanEmitters() {
        for (int e = 0, m = s.edgeCount(); e < m; e++) {
            if (s.edgeNameOrIndex(e) == events && s.edgeType(e) == EdgeType.PROPERTY) {
                int ev = s.edgeTo(e);
                int from = s.edgeFrom(e);
                if (s.type(ev) == NodeType.OBJECT && s.type(from) == NodeType.OBJECT) {
                    emitters.add(from);
                    emitters.add(ev);
                }
            }
        }
    }

    /** A growable int array. */
    static final class IntList {
        int[] a = new int[16];
        int size;

        void add(int x) {
            if (size == a.length) {
                a = java.util.Arrays.copyOf(a, size * 2);
            }
            a[size++] = x;
        }

        int get(int i) {
            return a[i];
        }

        int size() {
            return size;
        }
    }

    /** String-table index of each ASCII name (the first one, V8 interns names), -2 when absent; one pass. */
    static int[] indexes(StringTable st, String[] names) {
        int[] out = new int[names.length];
        java.util.Arrays.fill(out, -2);
        int maxLen = 0;
        for (String name : names) {
            maxLen = Math.max(maxLen, name.length());
        }
        int[][] byLength = new int[maxLen + 1][];
        for (int i = 0; i < names.length; i++) {
            int[] c = byLength[names[i].length()];
            c = c == null ? new int[1] : java.util.Arrays.copyOf(c, c.length + 1);
            c[c.length - 1] = i;
            byLength[names[i].length()] = c;
        }
        int found = 0;
        for (int i = 0, n = st.size(); i < n && found < names.length; i++) {
            int len = st.byteLength(i);
            int[] c = len <= maxLen ? byLength[len] : null;
            if (c == null) {
                continue;
            }
            for (int w : c) {
                if (out[w] == -2 && st.equalsAscii(i, names[w])) {
                    out[w] = i;
                    found++;
                }
            }
        }
        return out;
    }

    /** First edge of {@code node} of the given type (-1: any) whose name index is {@code name}, or -1. */
    int edge(int node, int type, int name) {
        if (node < 0 || name < 0) {
            return -1;
        }
        for (int e = s.firstEdge(node), end = s.endEdge(node); e < end; e++) {
            int t = s.edgeType(e);
            if ((type < 0 ? EdgeType.nameIsString(t) : t == type) && s.edgeNameOrIndex(e) == name) {
                return e;
            }
        }
        return -1;
    }

    int target(int node, int type, int name) {
        int e = edge(node, type, name);
        return e < 0 ? -1 : s.edgeTo(e);
    }

    int property(int node, int name) {
        return target(node, EdgeType.PROPERTY, name);
    }

    int internalEdge(int node, int name) {
        return target(node, EdgeType.INTERNAL, name);
    }

    boolean isContext(int v) {
        return v >= 0 && s.nameIndex(v) == systemContext && s.type(v) != NodeType.STRING;
    }

    boolean named(int v, int nameIndex) {
        return v >= 0 && nameIndex >= 0 && s.nameIndex(v) == nameIndex;
    }

    /** A closure's SharedFunctionInfo (the function's code, shared by every closure of it), or -1. */
    int sharedInfo(int closure) {
        return s.type(closure) == NodeType.CLOSURE ? internalEdge(closure, shared) : -1;
    }

    /** The listener behind a once() wrapper (a bound onceWrapper or an object with .listener), else itself. */
    int unwrapListener(int f) {
        int l = property(f, listener);
        if (l >= 0) {
            return l;
        }
        int state = internalEdge(f, boundThis);
        if (state >= 0) {
            l = property(state, listener);
            if (l >= 0) {
                return l;
            }
        }
        return f;
    }

    /**
     * Whether a node belongs to Node's own code: its own source position (a closure's script, an
     * object's constructor) when it has one, else that of the nearest closure or located object on its
     * shortest path from the roots. Objects hung on a global by application code count as the
     * application's; properties keyed by Node's private symbols ({@code <symbol node:...>}) as Node's.
     */
    boolean isInternal(int node) {
        Boolean cached = internal.get(node);
        if (cached != null) {
            return cached;
        }
        boolean result = false;
        int v = node;
        for (int step = 0; step < 64 && v >= 0 && v != s.rootOrdinal(); step++) {
            Boolean own = ownCode(v);
            if (own != null) {
                result = own;
                break;
            }
            int e = g.pathEdge(v);
            if (e >= 0 && EdgeType.nameIsString(s.edgeType(e))
                    && s.strings().startsWithAscii(s.edgeNameOrIndex(e), "<symbol node:")) {
                result = true;
                break;
            }
            Boolean known = internal.get(v);
            if (known != null && v != node) {
                result = known;
                break;
            }
            v = g.pathParent(v);
        }
        internal.put(node, result);
        return result;
    }

    /** True: Node's code; false: the application's; null: the node says nothing about it. */
    Boolean ownCode(int v) {
        int t = s.type(v);
        String file;
        if (t == NodeType.CLOSURE) {
            file = locator.scriptOfClosure(v);
        } else if (t == NodeType.OBJECT && !s.strings().startsWithAscii(s.nameIndex(v), "system / ")) {
            int i = s.locations().find(v);
            file = i < 0 ? null : urlOfScript(s.locations().scriptId(i));
        } else {
            return null;
        }
        if (file == null || file.isEmpty()) {
            return null;
        }
        return !isUserFile(file);
    }

    static boolean isUserFile(String file) {
        return new SourceLocator.Location(file, 0, 0).isUserCode();
    }

    /**
     * The source position of a node, or null: as {@link SourceLocator#of}, with the script URLs of
     * objects (whose location gives only a script id) resolved through {@link #urlOfScript}.
     */
    SourceLocator.Location locate(int node) {
        if (node < 0) {
            return null;
        }
        dev.leakhound.core.snapshot.SnapshotLocations l = s.locations();
        int i = l.find(node);
        if (i < 0) {
            return null;
        }
        String url = s.type(node) == NodeType.CLOSURE ? locator.scriptOfClosure(node) : null;
        if (url == null) {
            url = urlOfScript(l.scriptId(i));
        }
        return new SourceLocator.Location(url, l.line1(i), l.column1(i));
    }

    private String[] urlById;
    private final Map<Integer, String> urlByLargeId = new HashMap<>();
    private int urlScan;
    private static final int SMALL_IDS = 1 << 20;

    /**
     * The URL of a script id: the script of the first closure located in it. Locations are looked at
     * in order, only as far as needed, and each script id's URL is kept (ids are small integers).
     */
    String urlOfScript(int scriptId) {
        if (scriptId < 0) {
            return null;
        }
        if (urlById == null) {
            urlById = new String[64];
        }
        String known = scriptId < urlById.length ? urlById[scriptId] : urlByLargeId.get(scriptId);
        if (known != null) {
            return known;
        }
        dev.leakhound.core.snapshot.SnapshotLocations l = s.locations();
        while (urlScan < l.size()) {
            int i = urlScan++;
            int id = l.scriptId(i);
            if (id < 0 || (id < urlById.length ? urlById[id] != null : urlByLargeId.containsKey(id))) {
                continue;
            }
            int node = l.node(i);
            if (s.type(node) != NodeType.CLOSURE) {
                continue;
            }
            String u = locator.scriptOfClosure(node);
            if (u == null) {
                continue;
            }
            if (id >= SMALL_IDS) {
                urlByLargeId.put(id, u);
            } else {
                if (id >= urlById.length) {
                    urlById = java.util.Arrays.copyOf(urlById, Math.max(id + 1, urlById.length * 2));
                }
                urlById[id] = u;
            }
            if (id == scriptId) {
                return u;
            }
        }
        return null;
    }

    List<RetainerPath.Step> path(int node) {
        return RetainerPath.shortest(g, node);
    }

    String render(List<RetainerPath.Step> path) {
        return RetainerPath.render(g, path);
    }

    /**
     * What people call the thing a path leads to: its last property or variable name with up to two
     * named steps before it, e.g. {@code renderProfile::cache} or {@code eventBus._events["config-changed"]}.
     */
    String holderName(List<RetainerPath.Step> path) {
        int i = path.size() - 1;
        while (i >= 0 && !named(path.get(i))) {
            i--;
        }
        if (i < 0) {
            return path.isEmpty() ? "(root)" : path.get(path.size() - 1).nodeLabel();
        }
        // up to two more named steps before it, looking through a function's link to its scope; a variable
        // of a module's top-level scope is named alone (the function that reached the scope is incidental)
        List<String> parts = new ArrayList<>();
        parts.add(RetainerPath.edgeLabel(s, path.get(i).edge()));
        int last = i;
        for (int j = i - 1; j >= 0 && parts.size() < 3 && !moduleVariable(path.get(last)); j--) {
            RetainerPath.Step st = path.get(j);
            String l = RetainerPath.edgeLabel(s, st.edge());
            if (l.isEmpty()) {
                continue;
            }
            if (!named(st) || s.edgeFrom(st.edge()) == s.rootOrdinal()) {
                break;
            }
            parts.add(0, l);
            last = j;
        }
        String first = parts.get(0);
        parts.set(0, first.startsWith("::") ? first.substring(2) : first.startsWith(".") ? first.substring(1) : first);
        return String.join("", parts);
    }

    /** A step to a variable of a module's top-level scope (whose enclosing context is not a function's). */
    private boolean moduleVariable(RetainerPath.Step st) {
        if (s.edgeType(st.edge()) != EdgeType.CONTEXT) {
            return false;
        }
        int prev = internalEdge(s.edgeFrom(st.edge()), previous);
        return prev < 0 || !isContext(prev);
    }

    private boolean named(RetainerPath.Step st) {
        int t = s.edgeType(st.edge());
        return t == EdgeType.PROPERTY || t == EdgeType.CONTEXT;
    }

    String label(int node) {
        return RetainerPath.label(g, node);
    }

    /** {@code label @id} */
    String ref(int node) {
        return label(node) + " @" + s.id(node);
    }

    /** Node's class or label, with a location when there is one: {@code onData() at app.js:12:3}. */
    String function(int closure) {
        SourceLocator.Location l = locate(closure);
        return label(closure) + (l == null ? "" : " at " + l);
    }

    /** A closure's captured variables, biggest first: {@code ctx → RequestContext @12 (1.1 KB)}. */
    List<String> captured(int closure, int max) {
        int ctx = internalEdge(closure, context);
        List<String> out = new ArrayList<>();
        if (ctx < 0) {
            return out;
        }
        List<int[]> vars = new ArrayList<>();
        for (int e = s.firstEdge(ctx), end = s.endEdge(ctx); e < end; e++) {
            if (isVariable(e)) {
                vars.add(new int[] {e, s.edgeTo(e)});
            }
        }
        vars.sort((a, b) -> Long.compare(g.retainedSize(b[1]), g.retainedSize(a[1])));
        for (int i = 0; i < vars.size() && i < max; i++) {
            int t = vars.get(i)[1];
            out.add(variableName(vars.get(i)[0]) + " → " + ref(t) + " (" + bytes(g.retainedSize(t)) + ")");
        }
        return out;
    }

    /**
     * Whether an edge of a context is a captured variable: a {@code context} edge, or a {@code hidden}
     * slot to a real object (V8 writes some block scopes' variables without their names).
     */
    boolean isVariable(int e) {
        int t = s.edgeType(e);
        if (t == EdgeType.CONTEXT) {
            return true;
        }
        if (t != EdgeType.HIDDEN) {
            return false;
        }
        int to = s.edgeTo(e);
        int tt = s.type(to);
        return tt != NodeType.HIDDEN && tt != NodeType.CODE && tt != NodeType.OBJECT_SHAPE && tt != NodeType.SYNTHETIC;
    }

    /** A variable's name, or {@code (slot N)} for an unnamed one. */
    String variableName(int e) {
        return s.edgeType(e) == EdgeType.CONTEXT ? s.edgeName(e) : "(slot " + s.edgeName(e) + ")";
    }

    static String bytes(long b) {
        long a = Math.abs(b);
        if (a < 1024) {
            return b + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = a;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        String num = v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        return (b < 0 ? "-" : "") + num + " " + units[u];
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    String share(long bytes) {
        if (total <= 0) {
            return "-";
        }
        double p = 100.0 * bytes / total;
        return String.format(Locale.ROOT, p >= 10 ? "%.0f%%" : "%.1f%%", p);
    }

    static String q(String name) {
        return "`" + name + "`";
    }

    /** The ids of the first {@code max} nodes. */
    List<Long> ids(int[] nodes, int count, int max) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < count && i < max; i++) {
            out.add(s.id(nodes[i]));
        }
        return out;
    }
}
