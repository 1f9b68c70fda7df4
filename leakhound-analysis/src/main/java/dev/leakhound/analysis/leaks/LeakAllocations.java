package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.source.SourceMaps;

import dev.leakhound.analysis.allocation.AllocationSites;
import dev.leakhound.analysis.allocation.AllocationStack;
import dev.leakhound.analysis.allocation.Frame;
import dev.leakhound.analysis.allocation.PackageRef;
import dev.leakhound.analysis.allocation.Packages;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What find-leaks adds once the leaks are judged: each leak's allocation stacks, when the last snapshot carries
 * allocation traces ({@link AllocationSites} over the group's new objects), and the npm package its code sits
 * in, when the position that explains it, its objects' constructor or its allocating function is under
 * {@code node_modules}.
 */
final class LeakAllocations {
    private LeakAllocations() {}

    static FindLeaks.Verdicts attach(HeapGraph g, PathKeys keys, boolean[] isNew, int[] top, List<FindLeaks.Judged> judged,
                                     List<LeakReport.Leak> leaks, List<LeakReport.Leak> dismissed, SourceMaps maps) {
        HeapSnapshot s = g.snapshot();
        AllocationSites sites = AllocationSites.of(s, maps);
        Packages packages = sites != null ? sites.packages() : new Packages(maps.root());
        SourceLocator locator = new SourceLocator(g);
        int[][] members = null;
        if (sites != null && !judged.isEmpty()) {
            List<Group> groups = new ArrayList<>();
            for (FindLeaks.Judged j : judged) {
                groups.add(j.group());
                groups.addAll(j.absorbed());
            }
            int[][] each = LeakRoots.members(g, isNew, keys, top, groups);
            members = new int[judged.size()][];
            int k = 0;
            for (int i = 0; i < judged.size(); i++) {
                int parts = 1 + judged.get(i).absorbed().size();
                int total = 0;
                for (int p = 0; p < parts; p++) {
                    total += each[k + p].length;
                }
                int[] all = new int[total];
                int at = 0;
                for (int p = 0; p < parts; p++) {
                    System.arraycopy(each[k + p], 0, all, at, each[k + p].length);
                    at += each[k + p].length;
                }
                members[i] = all;
                k += parts;
            }
        }
        List<LeakReport.Leak> all = new ArrayList<>(leaks);
        all.addAll(dismissed);
        List<LeakReport.Leak> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            LeakReport.Leak leak = all.get(i);
            List<AllocationStack> stacks = members == null ? List.of()
                    : sites.stacks(members[i], leak.leakedClass(), AllocationSites.MAX_STACKS);
            LeakReport.Dependency dep = dependency(leak, locator.of(judged.get(i).group().representative()), stacks, packages);
            out.add(stacks.isEmpty() && dep == null ? leak : leak.withAllocations(stacks, dep));
        }
        return new FindLeaks.Verdicts(out.subList(0, leaks.size()), out.subList(leaks.size(), out.size()), judged);
    }

    /**
     * The package the leak's code sits in: the accumulation point's variable first, then the position that explains
     * the leak, the leaked objects' constructor, the biggest stack's allocating function; null when none is under
     * node_modules.
     */
    static LeakReport.Dependency dependency(LeakReport.Leak leak, SourceLocator.Location constructor,
                                            List<AllocationStack> stacks, Packages packages) {
        Frame caller = null;
        Frame allocating = null;
        if (!stacks.isEmpty()) {
            AllocationStack top = stacks.get(0);
            caller = top.application();
            for (Frame f : top.frames()) {
                if (f.pkg() != null) {
                    allocating = f;
                    break;
                }
                if (f.isApplication()) {
                    break;
                }
            }
        }
        SourceLocator.Location loc = leak.location();
        boolean locInPackage = loc != null && Frame.inNodeModules(loc.file());
        LeakReport.Scope scope = leak.container().scope();
        if (scope != null && scope.script() != null && Frame.inNodeModules(scope.script())) {
            PackageRef p = packages.of(scope.script());
            SourceLocator.Location where = locInPackage && p.equals(packages.of(loc.file())) ? loc : null;
            String holder = "`" + scope.variable() + "` (" + leak.container().className() + ")";
            return new LeakReport.Dependency(p, "accumulation-point", holder, where, scope.script(), caller);
        }
        if (locInPackage) {
            return new LeakReport.Dependency(packages.of(loc.file()), "source", null, loc, loc.file(), caller);
        }
        if (constructor != null && Frame.inNodeModules(constructor.file())) {
            return new LeakReport.Dependency(packages.of(constructor.file()), "constructor", null, constructor,
                    constructor.file(), caller);
        }
        if (allocating != null) {
            return new LeakReport.Dependency(allocating.pkg(), "allocation", null,
                    new SourceLocator.Location(allocating.file(), allocating.line(), allocating.column()), allocating.file(),
                    caller);
        }
        return null;
    }
}
