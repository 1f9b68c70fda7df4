package dev.leakhound.analysis.source;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotLocations;
import dev.leakhound.core.v8.V8Names;

import java.util.HashMap;
import java.util.Map;
import java.util.Arrays;

/**
 * Source positions of closures and constructors, and whose code a node is (Node's own, or the
 * application's). V8's {@code locations} give a script id and a 0-based line and column; the script's
 * URL is not there, so it is found by following a closure's {@code shared} link to its
 * SharedFunctionInfo and that one's {@code script} (older V8: {@code script_or_debug_info}) link to the
 * Script node, whose name is the URL. Objects' locations give only a script id, resolved through the
 * first closure located in the same script. Not thread-safe (it keeps what it found).
 */
public final class SourceLocator {
    /**
     * A 1-based position in a script; {@code file} is the URL without a {@code file://} prefix. When a source map
     * mapped it ({@link SourceMaps}), this is the original position and {@code generated} the one in the script
     * the snapshot recorded; else {@code generated} is null.
     */
    public record Location(String file, int line, int column, Location generated) {
        public Location(String file, int line, int column) {
            this(file, line, column, null);
        }

        public boolean isUserCode() {
            return isUserFile(file);
        }

        @Override
        public String toString() {
            return (file == null || file.isEmpty() ? "(unknown script)" : file) + ":" + line + ":" + column;
        }
    }

    /** Whether a script URL is the application's: not Node's ({@code node:}, {@code internal/}), not V8's, not an eval. */
    public static boolean isUserFile(String file) {
        return file != null && !file.isEmpty() && !file.startsWith("node:") && !file.startsWith("internal/")
                && !file.startsWith("native ") && !file.startsWith("evalmachine");
    }

    private static final int SMALL_IDS = 1 << 20;
    /** How far up the shortest path {@link #isInternal} looks for a node that tells. */
    public static final int PROVENANCE_STEPS = 64;

    private final HeapGraph g;
    private final HeapSnapshot s;
    private final int shared;
    private final int script;
    private final int scriptOrDebugInfo;
    private String[] urlById = new String[64];
    private final Map<Integer, String> urlByLargeId = new HashMap<>();
    private int urlScan;
    /**
     * What {@link #isInternal} found per node asked: -1 when no node within reach tells, else
     * {@code steps << 1 | (internal ? 1 : 0)}, the steps up to the node that told (a remembered answer
     * is reused from below only while that node stays within reach).
     */
    private final Map<Integer, Integer> internal = new HashMap<>();
    private final SourceMaps maps;

    public SourceLocator(HeapGraph g) {
        this(g, SourceMaps.NONE);
    }

    /** A locator whose {@link #of} positions are mapped to original sources through {@code maps}. */
    public SourceLocator(HeapGraph g, SourceMaps maps) {
        this.g = g;
        this.maps = maps == null ? SourceMaps.NONE : maps;
        this.s = g.snapshot();
        int[] names = s.strings().find(V8Names.SHARED, V8Names.SCRIPT, V8Names.SCRIPT_OR_DEBUG_INFO);
        shared = names[0];
        script = names[1];
        scriptOrDebugInfo = names[2];
    }

    public HeapGraph graph() {
        return g;
    }

    /** The node's position (mapped to its original source when the locator has source maps), or null. */
    public Location of(int node) {
        if (node < 0) {
            return null;
        }
        SnapshotLocations l = s.locations();
        int i = l.find(node);
        if (i < 0) {
            return null;
        }
        String url = s.type(node) == NodeType.CLOSURE ? scriptOfClosure(node) : null;
        if (url == null) {
            url = urlOfScript(l.scriptId(i));
        }
        return maps.map(new Location(url, l.line1(i), l.column1(i)));
    }

    /**
     * The file a closure's code comes from as leakhound prints it: the original source its position maps to
     * through a source map, else its script's URL (see {@link #scriptOfClosure}); null when unknown.
     */
    public String sourceOfClosure(int closure) {
        String script = scriptOfClosure(closure);
        if (script != null && maps != SourceMaps.NONE) {
            Location l = of(closure);
            if (l != null && l.generated() != null && script.equals(l.generated().file())) {
                return l.file();
            }
        }
        return script;
    }

    /** The script URL a closure's code comes from, or null. */
    public String scriptOfClosure(int closure) {
        int sfi = internal(closure, shared);
        if (sfi < 0) {
            return null;
        }
        int sc = internal(sfi, script);
        if (sc < 0) {
            sc = internal(sfi, scriptOrDebugInfo);
        }
        if (sc < 0) {
            return null;
        }
        String url = s.name(sc);
        return url.startsWith("file://") ? url.substring("file://".length()) : url;
    }

    /**
     * The URL of a script id: the script of the first closure located in it. Locations are looked at
     * in order, only as far as needed, and each script id's URL is kept (ids are small integers).
     */
    public String urlOfScript(int scriptId) {
        if (scriptId < 0) {
            return null;
        }
        String known = scriptId < urlById.length ? urlById[scriptId] : urlByLargeId.get(scriptId);
        if (known != null) {
            return known;
        }
        SnapshotLocations l = s.locations();
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
            String u = scriptOfClosure(node);
            if (u == null) {
                continue;
            }
            if (id >= SMALL_IDS) {
                urlByLargeId.put(id, u);
            } else {
                if (id >= urlById.length) {
                    urlById = Arrays.copyOf(urlById, Math.max(id + 1, urlById.length * 2));
                }
                urlById[id] = u;
            }
            if (id == scriptId) {
                return u;
            }
        }
        return null;
    }

    /** True: Node's code; false: the application's; null: the node says nothing about it. */
    public Boolean ownCode(int v) {
        int t = s.type(v);
        String file;
        if (t == NodeType.CLOSURE) {
            file = scriptOfClosure(v);
        } else if (t == NodeType.OBJECT && !s.strings().startsWithAscii(s.nameIndex(v), V8Names.SYSTEM_PREFIX)) {
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

    /**
     * Whether a node belongs to Node's own code: its own source position (a closure's script, an
     * object's constructor) when it has one, else that of the nearest closure or located object on its
     * shortest path from the roots (at most {@value #PROVENANCE_STEPS} steps up). Objects hung on a
     * global by application code count as the application's; properties keyed by Node's private symbols
     * ({@code <symbol node:...>}) as Node's.
     */
    public boolean isInternal(int node) {
        int found = provenance(node);
        return found >= 0 && (found & 1) == 1;
    }

    /** {@link #isInternal}'s answer, encoded as the {@code internal} map keeps it. */
    private int provenance(int node) {
        Integer cached = internal.get(node);
        if (cached != null) {
            return cached;
        }
        int result = -1;
        int v = node;
        for (int step = 0; step < PROVENANCE_STEPS && v >= 0 && v != s.rootOrdinal(); step++) {
            Boolean own = ownCode(v);
            if (own != null) {
                result = step << 1 | (own ? 1 : 0);
                break;
            }
            int e = g.pathEdge(v);
            if (e >= 0 && EdgeType.nameIsString(s.edgeType(e))
                    && s.strings().startsWithAscii(s.edgeNameOrIndex(e), V8Names.NODE_PRIVATE_SYMBOL_PREFIX)) {
                result = step << 1 | 1;
                break;
            }
            Integer known = internal.get(v);
            if (known != null && v != node) {
                // v's answer came from a node (known >> 1) steps above it: ours only if that is within our reach
                int at = known < 0 ? -1 : step + (known >> 1);
                result = at >= 0 && at < PROVENANCE_STEPS ? at << 1 | (known & 1) : -1;
                break;
            }
            v = g.pathParent(v);
        }
        internal.put(node, result);
        return result;
    }

    private int internal(int node, int name) {
        if (name < 0 || node < 0) {
            return -1;
        }
        for (int e = s.firstEdge(node), end = s.endEdge(node); e < end; e++) {
            if (s.edgeType(e) == EdgeType.INTERNAL && s.edgeNameOrIndex(e) == name) {
                return s.edgeTo(e);
            }
        }
        return -1;
    }
}
