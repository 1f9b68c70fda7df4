package dev.leakhound.analysis.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions that allocate, from a sampling heap profile, as DevTools' "Bottom-up" and Clinic's
 * "functions by heat" count them: a function's <b>self</b> bytes are the bytes sampled in call-tree nodes
 * whose frame is that function (it allocated them itself); its <b>total</b> bytes are the bytes of the
 * subtrees under those nodes (it or its callees allocated them), each subtree counted once even when the
 * function calls itself recursively (a node under an ancestor with the same function adds nothing).
 *
 * <p>A function is its {@link CallFrame#siteKey() site}: name, script URL, line and column. V8's pseudo
 * frames other than the head (e.g. {@code (V8 API)}) are functions too; the head {@code (root)} is not.
 */
public final class AllocationSites {
    /** One allocating function: self and total bytes, and the number of call-tree nodes it appears in. */
    public record Site(CallFrame frame, long selfBytes, long totalBytes, int nodes) {}

    private final HeapProfile profile;
    private final List<Site> sites;

    private AllocationSites(HeapProfile profile, List<Site> sites) {
        this.profile = profile;
        this.sites = sites;
    }

    public static AllocationSites of(HeapProfile p) {
        Map<String, Integer> index = new HashMap<>();
        List<CallFrame> frames = new ArrayList<>();
        int n = p.nodeCount();
        int[] key = new int[n];
        for (int i = 0; i < n; i++) {
            CallFrame f = p.frame(i);
            key[i] = index.computeIfAbsent(f.siteKey(), k -> {
                frames.add(f);
                return frames.size() - 1;
            });
        }
        long[] self = new long[frames.size()];
        long[] total = new long[frames.size()];
        int[] nodes = new int[frames.size()];
        int[] onStack = new int[frames.size()];
        // depth-first with enter/exit: a node adds its total only when no ancestor has the same site
        int[] stack = new int[Math.max(16, n)];
        boolean[] exiting = new boolean[n];
        int top = -1;
        for (int c = p.firstChild(0); c >= 0; c = p.nextSibling(c)) {
            stack[++top] = c;
        }
        while (top >= 0) {
            int v = stack[top];
            if (exiting[v]) {
                top--;
                onStack[key[v]]--;
                continue;
            }
            exiting[v] = true;
            int k = key[v];
            self[k] += p.selfBytes(v);
            nodes[k]++;
            if (onStack[k]++ == 0) {
                total[k] += p.totalBytes(v);
            }
            for (int c = p.firstChild(v); c >= 0; c = p.nextSibling(c)) {
                if (top + 1 == stack.length) {
                    stack = java.util.Arrays.copyOf(stack, stack.length * 2);
                }
                stack[++top] = c;
            }
        }
        List<Site> out = new ArrayList<>();
        for (int k = 0; k < frames.size(); k++) {
            if (nodes[k] > 0) {
                out.add(new Site(frames.get(k), self[k], total[k], nodes[k]));
            }
        }
        out.sort(BY_SELF);
        return new AllocationSites(p, List.copyOf(out));
    }

    /** Biggest self bytes first; ties by total, then by name for a stable order. */
    public static final Comparator<Site> BY_SELF = Comparator.comparingLong(Site::selfBytes).reversed()
            .thenComparing(Comparator.comparingLong(Site::totalBytes).reversed())
            .thenComparing(s -> s.frame().siteKey());

    public static final Comparator<Site> BY_TOTAL = Comparator.comparingLong(Site::totalBytes).reversed()
            .thenComparing(Comparator.comparingLong(Site::selfBytes).reversed())
            .thenComparing(s -> s.frame().siteKey());

    public HeapProfile profile() {
        return profile;
    }

    /** All bytes in the profile (the share's whole). */
    public long totalBytes() {
        return profile.totalBytes();
    }

    /** Every function that appears in the tree, biggest self bytes first. */
    public List<Site> bySelf() {
        return sites;
    }

    /** Every function, biggest total bytes first. */
    public List<Site> byTotal() {
        List<Site> l = new ArrayList<>(sites);
        l.sort(BY_TOTAL);
        return l;
    }

    /** The site for this function, or null. */
    public Site find(String siteKey) {
        for (Site s : sites) {
            if (s.frame().siteKey().equals(siteKey)) {
                return s;
            }
        }
        return null;
    }
}
