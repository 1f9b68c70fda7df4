package dev.leakhound.analysis.paths;

import dev.leakhound.analysis.nodejs.V8Layout;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * What people call the thing a retainer path leads to: its last property or variable name with up to
 * two named steps before it, e.g. {@code renderProfile::cache} or {@code eventBus._events["config-changed"]}.
 */
public final class PathNames {
    private PathNames() {}

    /** The holder's name: the last named step (property or variable) and up to two named steps before it. */
    public static String holderName(V8Layout v8, List<RetainerPath.Step> path) {
        HeapSnapshot s = v8.snapshot();
        int i = path.size() - 1;
        while (i >= 0 && !named(s, path.get(i))) {
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
        for (int j = i - 1; j >= 0 && parts.size() < 3 && !moduleVariable(v8, path.get(last)); j--) {
            RetainerPath.Step st = path.get(j);
            String l = RetainerPath.edgeLabel(s, st.edge());
            if (l.isEmpty()) {
                continue;
            }
            if (!named(s, st) || s.edgeFrom(st.edge()) == s.rootOrdinal()) {
                break;
            }
            parts.add(0, l);
            last = j;
        }
        String first = parts.get(0);
        parts.set(0, first.startsWith("::") ? first.substring(2) : first.startsWith(".") ? first.substring(1) : first);
        return String.join("", parts);
    }

    /** The last property or variable name on a path, alone; the last node's label when there is none. */
    public static String lastName(HeapSnapshot s, List<RetainerPath.Step> path) {
        for (int i = path.size() - 1; i >= 0; i--) {
            if (named(s, path.get(i))) {
                return path.get(i).edgeName();
            }
        }
        return path.isEmpty() ? "(root)" : path.get(path.size() - 1).nodeLabel();
    }

    /** The name a step is known by: its property or variable name, else the class of the node it reaches. */
    public static String stepName(HeapSnapshot s, RetainerPath.Step step) {
        return named(s, step) ? step.edgeName() : step.nodeClass();
    }

    /** A step to a variable of a module's top-level scope (whose enclosing context is not a function's). */
    private static boolean moduleVariable(V8Layout v8, RetainerPath.Step st) {
        HeapSnapshot s = v8.snapshot();
        if (s.edgeType(st.edge()) != EdgeType.CONTEXT) {
            return false;
        }
        return v8.isModuleLevel(s.edgeFrom(st.edge()));
    }

    private static boolean named(HeapSnapshot s, RetainerPath.Step st) {
        int t = s.edgeType(st.edge());
        return t == EdgeType.PROPERTY || t == EdgeType.CONTEXT;
    }
}
