package dev.leakhound.analysis;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotLocations;

import java.util.HashMap;
import java.util.Map;

/**
 * Source positions of closures and constructors. V8's {@code locations} give a script id and a
 * 0-based line and column; the script's URL is not there, so it is found by following a closure's
 * {@code shared} link to its SharedFunctionInfo and that one's {@code script} (older V8:
 * {@code script_or_debug_info}) link to the Script node, whose name is the URL.
 */
public final class SourceLocator {
    /** A 1-based position in a script; {@code file} is the URL without a {@code file://} prefix. */
    public record Location(String file, int line, int column) {
        public boolean isUserCode() {
            return file != null && !file.isEmpty() && !file.startsWith("node:") && !file.startsWith("internal/")
                    && !file.startsWith("native ") && !file.startsWith("evalmachine");
        }

        @Override
        public String toString() {
            return (file == null || file.isEmpty() ? "(unknown script)" : file) + ":" + line + ":" + column;
        }
    }

    private final HeapGraph g;
    private final HeapSnapshot s;
    private Map<Integer, String> urls;

    public SourceLocator(HeapGraph g) {
        this.g = g;
        this.s = g.snapshot();
    }

    /** The node's recorded position, or null. */
    public Location of(int node) {
        SnapshotLocations l = s.locations();
        int i = l.find(node);
        if (i < 0) {
            return null;
        }
        String url = s.type(node) == NodeType.CLOSURE ? scriptOfClosure(node) : null;
        if (url == null) {
            url = urlOfScript(l.scriptId(i));
        }
        return new Location(url, l.line1(i), l.column1(i));
    }

    /** The script URL a closure's code comes from, or null. */
    public String scriptOfClosure(int closure) {
        int sfi = target(closure, "shared");
        if (sfi < 0) {
            return null;
        }
        int script = target(sfi, "script");
        if (script < 0) {
            script = target(sfi, "script_or_debug_info");
        }
        if (script < 0) {
            return null;
        }
        return clean(s.name(script));
    }

    private String urlOfScript(int scriptId) {
        if (urls == null) {
            urls = new HashMap<>();
            SnapshotLocations l = s.locations();
            for (int i = 0; i < l.size(); i++) {
                int node = l.node(i);
                if (s.type(node) == NodeType.CLOSURE && !urls.containsKey(l.scriptId(i))) {
                    String u = scriptOfClosure(node);
                    if (u != null) {
                        urls.put(l.scriptId(i), u);
                    }
                }
            }
        }
        return urls.get(scriptId);
    }

    static String clean(String url) {
        if (url == null) {
            return null;
        }
        return url.startsWith("file://") ? url.substring("file://".length()) : url;
    }

    private int target(int node, String internalName) {
        for (int e = s.firstEdge(node), end = s.endEdge(node); e < end; e++) {
            if (s.edgeType(e) == EdgeType.INTERNAL && s.strings().equalsAscii(s.edgeNameOrIndex(e), internalName)) {
                return s.edgeTo(e);
            }
        }
        return -1;
    }

    public HeapGraph graph() {
        return g;
    }
}
