package dev.leakhound.analysis.paths;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.v8.V8Names;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Retainer paths and how they read. A path is a list of steps from just below the synthetic root
 * to a node, each step the edge taken and the node it reaches. Edges read as in code:
 * {@code .prop} for properties, {@code [3]} for elements, {@code ::name} for a variable in a
 * closure's scope (the function's internal link to its scope is left out), {@code {name}} for other
 * V8-internal links, {@code {#3}} for hidden slots.
 * So {@code global.handler::cache{table}[12] -> Session @123} reads: the global's {@code handler}
 * function, the variable {@code cache} in its scope, slot 12 of that Map's table.
 */
public final class RetainerPath {
    /** One step: the edge from the previous node and the node it leads to. */
    public record Step(int edge, String edgeType, String edgeName, int node, long id, String nodeClass,
                       String nodeLabel) {}

    private RetainerPath() {}

    /** The shortest non-weak path from the roots found by the distance BFS; empty for the root. */
    public static List<Step> shortest(HeapGraph g, int node) {
        HeapSnapshot s = g.snapshot();
        List<Integer> edges = new ArrayList<>();
        int v = node;
        int guard = s.nodeCount();
        while (v != s.rootOrdinal() && guard-- > 0) {
            int e = g.pathEdge(v);
            if (e < 0) {
                break;   // not reached from any root
            }
            edges.add(e);
            v = g.pathParent(v);
        }
        Collections.reverse(edges);
        return steps(g, edges);
    }

    /** Steps for a chain of edges that starts at the root. */
    public static List<Step> steps(HeapGraph g, List<Integer> edges) {
        HeapSnapshot s = g.snapshot();
        List<Step> out = new ArrayList<>(edges.size());
        for (int e : edges) {
            int to = s.edgeTo(e);
            out.add(new Step(e, s.edgeTypeName(e), s.edgeName(e), to, s.id(to), g.className(to), label(g, to)));
        }
        return out;
    }

    /** The path as one line: {@code global.a.b[3] -> Thing @123}. */
    public static String render(HeapGraph g, List<Step> path) {
        HeapSnapshot s = g.snapshot();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            Step st = path.get(i);
            int from = i == 0 ? s.rootOrdinal() : path.get(i - 1).node();
            if (from == s.rootOrdinal() || s.type(from) == NodeType.SYNTHETIC && s.type(st.node()) == NodeType.SYNTHETIC) {
                // the root's children and GC subroots read by their own names
                parts.add((parts.isEmpty() ? "" : "/") + rootName(g, st.node()));
            } else {
                parts.add(edgeLabel(s, st.edge()));
            }
        }
        StringBuilder sb = new StringBuilder(Repeats.display(parts));
        if (!path.isEmpty()) {
            Step last = path.get(path.size() - 1);
            sb.append(" -> ").append(last.nodeLabel()).append(" @").append(last.id());
        }
        return sb.toString();
    }

    private static String rootName(HeapGraph g, int node) {
        HeapSnapshot s = g.snapshot();
        String name = s.name(node);
        if (s.type(node) == NodeType.OBJECT) {
            // Node names its global "global"; Chrome's globals read "Window / https://..."
            int slash = name.indexOf(" / ");
            String base = slash > 0 ? name.substring(0, slash) : name;
            return base.isEmpty() ? g.className(node) : base;
        }
        return name.isEmpty() ? g.className(node) : name;
    }

    /** How one edge reads in a path. */
    public static String edgeLabel(HeapSnapshot s, int e) {
        int t = s.edgeType(e);
        switch (t) {
            case EdgeType.ELEMENT:
                return "[" + Integer.toUnsignedString(s.edgeNameOrIndex(e)) + "]";
            case EdgeType.HIDDEN:
                return "{#" + Integer.toUnsignedString(s.edgeNameOrIndex(e)) + "}";
            case EdgeType.PROPERTY:
            case EdgeType.SHORTCUT: {
                String name = s.edgeName(e);
                return isIdentifier(name) ? "." + name : "[" + quote(name, 60) + "]";
            }
            case EdgeType.CONTEXT:
                return "::" + s.edgeName(e);
            case EdgeType.WEAK:
                return "{weak " + shorten(s.edgeName(e), 60) + "}";
            case EdgeType.INTERNAL:
                // a function's link to its scope: the "::variable" that follows says it
                if (s.strings().equalsAscii(s.edgeNameOrIndex(e), V8Names.CONTEXT)) {
                    return "";
                }
                return "{" + shorten(s.edgeName(e), 60) + "}";
            default:
                return "{" + shorten(s.edgeName(e), 60) + "}";
        }
    }

    /** A short human label for a node: class name, or a string's value, or a function's name. */
    public static String label(HeapGraph g, int node) {
        HeapSnapshot s = g.snapshot();
        int t = s.type(node);
        if (NodeType.isString(t)) {
            if (t == NodeType.STRING) {
                return quote(s.name(node), 40);
            }
            return g.className(node);
        }
        if (t == NodeType.CLOSURE) {
            String n = s.name(node);
            return (n.isEmpty() ? "(anonymous)" : n) + "()";
        }
        if (t == NodeType.SYNTHETIC || t == NodeType.HIDDEN || t == NodeType.ARRAY || t == NodeType.CODE) {
            String n = s.name(node);
            return n.isEmpty() ? g.className(node) : shorten(n, 60);
        }
        return g.className(node);
    }

    static boolean isIdentifier(String s) {
        if (s.isEmpty() || !(Character.isJavaIdentifierStart(s.charAt(0)))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static String quote(String s, int max) {
        StringBuilder sb = new StringBuilder("\"");
        String t = shorten(s, max);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
