package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.nodejs.ClosureScopes;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * For accumulation points that are closure variables: the variable, the functions whose closures
 * share its scope and their script. The functions of every group's scope are found in one pass over
 * the closures ({@link ClosureScopes#holders}).
 */
final class ContainerScopes {
    private ContainerScopes() {}

    /** One scope per accumulation point, null where it is not a closure variable. */
    static List<LeakReport.Scope> of(HeapGraph g, ClosureScopes scopes, SourceLocator locator, List<Accumulation> groups) {
        HeapSnapshot s = g.snapshot();
        int[] contexts = new int[groups.size()];
        int asked = 0;
        for (Accumulation acc : groups) {
            int ctx = context(s, acc.containerPath());
            if (ctx >= 0) {
                contexts[asked++] = ctx;
            }
        }
        ClosureScopes.Holders holders = scopes.holders(java.util.Arrays.copyOf(contexts, asked));
        List<LeakReport.Scope> out = new ArrayList<>(groups.size());
        for (Accumulation acc : groups) {
            List<RetainerPath.Step> p = acc.containerPath();
            int ctx = context(s, p);
            if (ctx < 0) {
                out.add(null);
                continue;
            }
            int[] fns = holders.of(ctx);
            List<String> labels = new ArrayList<>();
            String script = null;
            for (int fn : fns) {
                if (labels.size() < LeakReport.Scope.MAX_FUNCTIONS) {
                    labels.add(RetainerPath.label(g, fn));
                }
                if (script == null) {
                    script = locator.sourceOfClosure(fn);
                }
            }
            out.add(new LeakReport.Scope(p.get(p.size() - 1).edgeName(), script == null || script.isEmpty() ? null : script,
                    labels, fns.length));
        }
        return out;
    }

    /** The closure scope (Context) whose variable the path's last step is, or -1. */
    static int context(HeapSnapshot s, List<RetainerPath.Step> p) {
        if (p.size() < 2 || s.edgeType(p.get(p.size() - 1).edge()) != EdgeType.CONTEXT) {
            return -1;
        }
        return p.get(p.size() - 2).node();
    }
}
