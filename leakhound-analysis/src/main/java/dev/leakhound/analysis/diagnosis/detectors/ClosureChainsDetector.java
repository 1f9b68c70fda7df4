package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Claims;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisContext;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.analysis.diagnosis.NodeScan;
import dev.leakhound.analysis.nodejs.ChainLinks;
import dev.leakhound.analysis.nodejs.ClosureScopes;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chains of one function's closure scopes, each keeping the previous one alive through a variable
 * (Meteor's "replaceThing", 2013): the links {@link NodeScan} found between the contexts of one
 * ScopeInfo ({@link ChainLinks.ContextLinks}) are followed from each chain's head, and a chain of
 * {@code minChain} or more contexts is reported. Reads the claims (a claimed context, such as a
 * listener's scope, is no link); claims the chain's contexts and its ScopeInfo (so the closure-scope
 * detector leaves that function's scopes to this finding).
 */
public final class ClosureChainsDetector implements Detector {
    @Override
    public FindingKind kind() {
        return FindingKind.CLOSURE_CHAIN;
    }

    @Override
    public Result detect(DiagnosisContext c, Claims claimed) {
        long[] byScope = c.scan().contexts();
        int minChain = c.options().minChain();
        if (c.scan().minChain() > minChain) {
            throw new IllegalArgumentException("the scan linked groups of " + c.scan().minChain()
                    + " contexts or more; this diagnosis asks for chains of " + minChain);
        }
        Claims mine = claimed.forDetector();
        Chains chains = new Chains(c, claimed);
        int groups = 0;
        int longest = 0;
        List<Chain> found = new ArrayList<>();
        for (int i = 0; i < byScope.length; ) {
            int j = NodeScan.groupEnd(byScope, i);
            groups++;
            if (j - i >= minChain) {
                Chain chain = chains.longest(i, j);
                longest = Math.max(longest, chain.length);
                if (chain.head >= 0 && chain.length >= minChain) {   // a ring (no head) is only counted
                    found.add(chain);
                }
            }
            i = j;
        }
        List<Finding> out = new ArrayList<>();
        for (Chain chain : found) {
            out.add(report(c, chain));
            for (int m : chain.members) {
                mine.add(m);
            }
            mine.add(chain.scope);
        }
        return new Result(out, new Check.ClosureChains(byScope.length, groups, longest, out.size(), minChain), mine.added());
    }

    /** A chain: its head context, length, members in order, ScopeInfo, and the edges of its first link. */
    private record Chain(int head, int length, int[] members, int scope, List<Integer> link) {}

    /** The longest chain of each scope group, on int arrays indexed by position in the group. */
    private static final class Chains {
        private final DiagnosisContext c;
        private final Claims claimed;
        private final long[] byScope;
        private final int[] links;
        private int[] next = new int[64];
        private int[] seen = new int[64];
        private int[] pointed = new int[64];
        private int seenStamp;
        private int pointedStamp;
        private ChainLinks.ContextLinks search;

        Chains(DiagnosisContext c, Claims claimed) {
            this.c = c;
            this.claimed = claimed;
            this.byScope = c.scan().contexts();
            this.links = c.scan().links();
        }

        /** The longest chain among contexts byScope[from..to) (claimed contexts are no links); length 0 when none. */
        Chain longest(int from, int to) {
            int scope = NodeScan.scope(byScope[from]);
            int size = to - from;
            if (next.length < size) {
                next = new int[size];
                seen = new int[size];
                pointed = new int[size];
            }
            for (int i = from; i < to; i++) {
                int ctx = NodeScan.context(byScope[i]);
                int nx = claimed.has(ctx) ? -1 : links[i];
                // position of the next context in the group (contexts of a scope are sorted by ordinal); -1: no
                // link, -2: a link to a context the scan did not list (not an object node)
                int k = nx < 0 ? -1 : Arrays.binarySearch(byScope, from, to, ((long) scope << 32) | nx) - from;
                next[i - from] = nx < 0 ? -1 : k < 0 ? -2 : k;
            }
            int stamp = ++pointedStamp;
            for (int i = 0; i < size; i++) {
                if (next[i] >= 0) {
                    pointed[next[i]] = stamp;
                }
            }
            // heads: linked, and no other context links to them; the longest walk wins (the first on ties)
            int bestHead = -1;
            int bestLen = 0;
            for (int i = 0; i < size; i++) {
                if (next[i] == -1 || pointed[i] == stamp) {
                    continue;
                }
                int len = 1;
                int walk = ++seenStamp;
                for (int x = i; x >= 0 && next[x] != -1 && seen[x] != walk; x = next[x]) {
                    seen[x] = walk;
                    len++;
                }
                if (len > bestLen) {
                    bestLen = len;
                    bestHead = i;
                }
            }
            if (bestHead < 0) {
                bestLen = longestCycle(size);
            }
            if (bestHead < 0 || bestLen < c.options().minChain()) {
                return new Chain(-1, bestLen, new int[0], scope, List.of());
            }
            int[] members = new int[bestLen];
            int count = 0;
            int walk = ++seenStamp;
            for (int x = bestHead; count < bestLen; ) {
                members[count++] = x >= 0 ? NodeScan.context(byScope[from + x]) : -1;
                if (x < 0 || next[x] == -1 || seen[x] == walk) {
                    break;
                }
                seen[x] = walk;
                if (next[x] == -2) {   // the last link leaves the listed contexts
                    members[count++] = links[from + x];
                    break;
                }
                x = next[x];
            }
            members = Arrays.copyOf(members, count);
            int head = members[0];
            // the head's link again, for its edges (one search, its arrays reused, for every reported chain)
            if (search == null) {
                search = new ChainLinks.ContextLinks(c.v8());
            }
            search.startGroup(byScope, from, to);
            search.next(head, scope);
            List<Integer> link = search.lastLink();
            search.endGroup(byScope, from, to);
            return new Chain(head, bestLen, members, scope, link);
        }

        /**
         * Contexts linked in a ring have no head: the most contexts one walk around a ring visits (a ring is
         * not reported as a chain, it is only counted for the "longest" figure of the check).
         */
        private int longestCycle(int size) {
            int best = 0;
            int walk = ++seenStamp;
            for (int i = 0; i < size; i++) {
                if (next[i] < 0 || seen[i] == walk) {
                    continue;
                }
                int len = 0;
                for (int x = i; x >= 0 && seen[x] != walk; x = next[x]) {
                    seen[x] = walk;
                    len++;
                }
                best = Math.max(best, len);
            }
            return best;
        }
    }

    private static Finding report(DiagnosisContext c, Chain chain) {
        HeapSnapshot s = c.snapshot();
        List<Integer> edges = chain.link;
        int linkTarget = s.edgeTo(edges.get(0));
        ClosureScopes.Holders holders = c.scopes().holders(chain.members);
        Map<Integer, int[]> byFunction = new HashMap<>();   // function key -> {count, sample closure}
        List<Integer> order = new ArrayList<>();
        Set<Integer> distinct = new HashSet<>();
        for (int m : chain.members) {
            if (!distinct.add(m)) {
                continue;
            }
            for (int closure : holders.of(m)) {
                int key = c.v8().functionKey(closure);
                int[] acc = byFunction.get(key);
                if (acc == null) {
                    acc = new int[] {0, closure};
                    byFunction.put(key, acc);
                    order.add(key);
                }
                acc[0]++;
            }
        }
        List<int[]> ranked = new ArrayList<>();
        for (int key : order) {
            ranked.add(byFunction.get(key));
        }
        ranked.sort((a, b) -> Integer.compare(b[0], a[0]));
        List<Finding.FunctionCount> fns = new ArrayList<>();
        for (int i = 0; i < ranked.size() && i < 4; i++) {
            fns.add(new Finding.FunctionCount(ranked.get(i)[0], c.function(ranked.get(i)[1])));
        }
        int holder = ranked.isEmpty() ? -1 : byFunction.get(order.get(0))[1];
        long bytes = c.graph().retainedSize(chain.head);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < chain.members.length && i < 5; i++) {
            ids.add(s.id(chain.members[i]));
        }
        Finding.ClosureChain detail = new Finding.ClosureChain(chain.length,
                c.v8().scopeFunctionName(chain.scope, chain.head), s.id(chain.scope), c.v8().variableName(edges.get(0)),
                c.ref(linkTarget), ChainLinks.segmentText(s, edges), fns, holder >= 0 ? c.label(holder) : null,
                bytes / Math.max(1, chain.length));
        return c.finding(FindingKind.CLOSURE_CHAIN, bytes, chain.length, chain.head,
                holder >= 0 ? c.locator().of(holder) : null, ids, detail);
    }
}
