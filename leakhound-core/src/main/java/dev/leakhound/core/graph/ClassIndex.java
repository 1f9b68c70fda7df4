package dev.leakhound.core.graph;

import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Groups nodes into classes the way Chrome DevTools' Summary view names them
 * ({@code getNodeClassIndex}/{@code className}): objects and native nodes by their constructor name,
 * {@code hidden} as {@code (system)}, {@code code} as {@code (compiled code)}, closures as
 * {@code Function}, regexps as {@code RegExp}, every other type as {@code (type)}.
 *
 * <p>Where leakhound differs on purpose: plain {@code Object}s are not split into inferred
 * "interfaces" ({@code {a, b, c}}); same-named constructors from different scripts share a row; and
 * native nodes that Node marks detached are not renamed "Detached ..." (Node marks weak BaseObjects
 * detached, which is not a DOM leak).
 */
public final class ClassIndex {
    private final int[] classOf;          // per node
    private final String[] names;         // per class
    private final boolean[] byName;       // class keyed by node name (object/native)

    private ClassIndex(int[] classOf, String[] names, boolean[] byName) {
        this.classOf = classOf;
        this.names = names;
        this.byName = byName;
    }

    public static ClassIndex build(HeapSnapshot s) {
        int n = s.nodeCount();
        int[] classOf = new int[n];
        List<String> names = new ArrayList<>();
        List<Boolean> byName = new ArrayList<>();
        int[] classOfName = new int[s.strings().size()];
        Arrays.fill(classOfName, -1);
        int[] classOfType = new int[256];
        Arrays.fill(classOfType, -1);
        for (int i = 0; i < n; i++) {
            int t = s.type(i);
            int c;
            if (t == NodeType.OBJECT || t == NodeType.NATIVE) {
                int nm = s.nameIndex(i);
                c = classOfName[nm];
                if (c < 0) {
                    String raw = s.strings().get(nm);
                    // two different strings may normalize to the same name
                    String norm = normalize(raw);
                    c = -1;
                    if (!norm.equals(raw)) {
                        int k = names.indexOf(norm);
                        if (k >= 0 && byName.get(k)) {
                            c = k;
                        }
                    }
                    if (c < 0) {
                        c = names.size();
                        names.add(norm);
                        byName.add(true);
                    }
                    classOfName[nm] = c;
                }
            } else {
                c = classOfType[t];
                if (c < 0) {
                    c = names.size();
                    names.add(typeClassName(s.typeName(i), t));
                    byName.add(false);
                    classOfType[t] = c;
                }
            }
            classOf[i] = c;
        }
        boolean[] bn = new boolean[byName.size()];
        for (int i = 0; i < bn.length; i++) {
            bn[i] = byName.get(i);
        }
        return new ClassIndex(classOf, names.toArray(new String[0]), bn);
    }

    /** DOM-style names {@code <div id=x>} become {@code <div>}; everything else stays. */
    static String normalize(String raw) {
        if (raw.length() > 2 && raw.charAt(0) == '<') {
            int sp = raw.indexOf(' ');
            int gt = raw.indexOf('>');
            if (sp > 0 && gt > sp) {
                return raw.substring(0, sp) + ">";
            }
        }
        return raw;
    }

    static String typeClassName(String typeName, int code) {
        switch (code) {
            case NodeType.HIDDEN: return "(system)";
            case NodeType.CODE: return "(compiled code)";
            case NodeType.CLOSURE: return "Function";
            case NodeType.REGEXP: return "RegExp";
            default: return "(" + typeName + ")";
        }
    }

    public int classCount() {
        return names.length;
    }

    public int classOf(int node) {
        return classOf[node];
    }

    public String name(int classId) {
        return names[classId];
    }

    /** Class id for a class name, or -1. */
    public int find(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** A class index read back from an index file (see {@link GraphIndexIO}). */
    static ClassIndex restore(int[] classOf, String[] names, boolean[] byName) {
        return new ClassIndex(classOf, names, byName);
    }

    String[] namesForIndex() {
        return names;
    }

    boolean isByName(int classId) {
        return byName[classId];
    }

    public int[] classOfArray() {
        return classOf;
    }
}
