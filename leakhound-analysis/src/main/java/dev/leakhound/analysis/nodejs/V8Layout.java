package dev.leakhound.analysis.nodejs;

import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.v8.KnownNames;
import dev.leakhound.core.v8.V8Names;
import java.util.HashSet;
import java.util.Set;

/**
 * How V8 lays out functions and their scopes in a snapshot: a closure's {@code context} link to the
 * Context all closures of one call share, the Context's {@code scope_info} and {@code previous}
 * links, its variables ({@code context} edges, or unnamed {@code hidden} slots), and a function's
 * SharedFunctionInfo. The recognizers of Node's leak patterns ({@link EventListeners},
 * {@link NodeTimers}, {@link ClosureScopes}, {@link Collections}, {@link ChainLinks}) read the heap
 * through it; names are compared as string-table indexes ({@link KnownNames}).
 */
public final class V8Layout {
    private final HeapSnapshot s;
    private final KnownNames names;

    public V8Layout(HeapSnapshot s) {
        this(s, KnownNames.of(s.strings()));
    }

    public V8Layout(HeapSnapshot s, KnownNames names) {
        this.s = s;
        this.names = names;
    }

    public HeapSnapshot snapshot() {
        return s;
    }

    public KnownNames names() {
        return names;
    }

    /** First edge of {@code node} of the given type (-1: any named type) whose name index is {@code name}, or -1. */
    public int edge(int node, int type, int name) {
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

    /** The node {@link #edge} leads to, or -1. */
    public int target(int node, int type, int name) {
        int e = edge(node, type, name);
        return e < 0 ? -1 : s.edgeTo(e);
    }

    /** The target of the first property, internal or context edge named {@code name}, or -1. */
    public int namedTarget(int node, int name) {
        if (node < 0 || name < 0) {
            return -1;
        }
        for (int e = s.firstEdge(node), end = s.endEdge(node); e < end; e++) {
            int t = s.edgeType(e);
            if ((t == EdgeType.PROPERTY || t == EdgeType.INTERNAL || t == EdgeType.CONTEXT) && s.edgeNameOrIndex(e) == name) {
                return s.edgeTo(e);
            }
        }
        return -1;
    }

    public int property(int node, int name) {
        return target(node, EdgeType.PROPERTY, name);
    }

    public int internal(int node, int name) {
        return target(node, EdgeType.INTERNAL, name);
    }

    /** Whether the node has the given name (false for a name the snapshot does not have). */
    public boolean named(int v, int nameIndex) {
        return v >= 0 && nameIndex >= 0 && s.nameIndex(v) == nameIndex;
    }

    /** A closure scope: a {@code system / Context} node. */
    public boolean isContext(int v) {
        return v >= 0 && s.nameIndex(v) == names.systemContext && s.type(v) != NodeType.STRING;
    }

    /** One of V8's own objects ({@code system / ...}), as opposed to a JavaScript object. */
    public boolean isSystemObject(int v) {
        return s.type(v) == NodeType.OBJECT && s.strings().startsWithAscii(s.nameIndex(v), V8Names.SYSTEM_PREFIX);
    }

    /** A closure's SharedFunctionInfo (the function's code, shared by every closure of it), or -1. */
    public int sharedInfo(int closure) {
        return s.type(closure) == NodeType.CLOSURE ? internal(closure, names.shared) : -1;
    }

    /** What identifies a closure's function: its SharedFunctionInfo, or (without one) the closure itself as -2 - ordinal. */
    public int functionKey(int closure) {
        int sfi = s.type(closure) == NodeType.CLOSURE ? sharedInfo(closure) : -1;
        return sfi >= 0 ? sfi : -2 - closure;
    }

    /** The Context a closure keeps (its scope), or -1. */
    public int contextOf(int closure) {
        return internal(closure, names.context);
    }

    /** A Context's ScopeInfo (which function's scope it is), or -1. */
    public int scopeInfo(int context) {
        return internal(context, names.scopeInfo);
    }

    /** Whether a context belongs to a module's (or script's) top level: its enclosing one is not a function's. */
    public boolean isModuleLevel(int context) {
        int prev = internal(context, names.previous);
        return prev < 0 || !isContext(prev);
    }

    /**
     * Whether an edge of a context is a captured variable: a {@code context} edge, or a {@code hidden}
     * slot to a real object (V8 writes some block scopes' variables without their names).
     */
    public boolean isVariable(int e) {
        int t = s.edgeType(e);
        if (t == EdgeType.CONTEXT) {
            return true;
        }
        if (t != EdgeType.HIDDEN) {
            return false;
        }
        int tt = s.type(s.edgeTo(e));
        return tt != NodeType.HIDDEN && tt != NodeType.CODE && tt != NodeType.OBJECT_SHAPE && tt != NodeType.SYNTHETIC;
    }

    /** A variable's name, or {@code (slot N)} for an unnamed one. */
    public String variableName(int e) {
        return s.edgeType(e) == EdgeType.CONTEXT ? s.edgeName(e) : "(slot " + s.edgeName(e) + ")";
    }

    /**
     * The name of the function a scope belongs to. V8's ScopeInfo lists the scope's context-local names
     * and then the function's name (as hidden string slots): the last string that is not one of the
     * context's variables. Null when none.
     */
    public String scopeFunctionName(int scopeInfo, int context) {
        Set<Integer> vars = new HashSet<>();
        for (int e = s.firstEdge(context), end = s.endEdge(context); e < end; e++) {
            if (s.edgeType(e) == EdgeType.CONTEXT) {
                vars.add(s.edgeNameOrIndex(e));
            }
        }
        String name = null;
        for (int e = s.firstEdge(scopeInfo), end = s.endEdge(scopeInfo); e < end; e++) {
            int t = s.edgeTo(e);
            if (s.type(t) == NodeType.STRING && s.edgeType(e) == EdgeType.HIDDEN) {
                // compare by text: variable names are edge names, the slot holds a string node
                String text = s.name(t);
                boolean isVar = false;
                for (int vi : vars) {
                    if (s.strings().get(vi).equals(text)) {
                        isVar = true;
                        break;
                    }
                }
                if (!isVar) {
                    name = text;
                }
            }
        }
        return name == null || name.isEmpty() ? null : name;
    }
}
