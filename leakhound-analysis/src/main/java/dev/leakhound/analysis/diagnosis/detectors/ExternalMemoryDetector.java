package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Claims;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisContext;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.v8.V8Names;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Memory outside the JS heap: ArrayBuffer backing stores ({@code system / JSArrayBufferData} native
 * nodes, sized by their byte length; Buffers and typed arrays are views on an ArrayBuffer). Each store
 * is attributed to its <em>owner</em>, the first node above it in the dominator tree (at most
 * {@value #OWNER_STEPS} up) that is not itself a buffer ({@link V8Names#BUFFER_CLASSES}) nor one of V8's
 * arrays, and stores are grouped by the owner's class and the owner's own dominator (the collection or
 * object holding the owners). Groups holding {@code minBytes} are reported ({@code internalFactor}
 * times that for Node's own). Reads no claims; claims each finding's subject.
 */
public final class ExternalMemoryDetector implements Detector {
    /** How many dominators up a backing store's owner is looked for. */
    public static final int OWNER_STEPS = 16;

    private static final class Group {
        int owner;        // sample owner
        int container;    // the owners' dominator
        int count;        // backing stores
        long bytes;
        final List<Integer> owners = new ArrayList<>();
        int via = -1;     // an edge from a sample owner toward its buffer
        boolean manyOwners;
    }

    @Override
    public FindingKind kind() {
        return FindingKind.EXTERNAL_MEMORY;
    }

    @Override
    public Result detect(DiagnosisContext c, Claims claimed) {
        DiagnosisOptions o = c.options();
        if (c.scan().names().arrayBufferData < 0) {
            return Result.none(new Check.ExternalMemory(false, 0, 0, 0, 0, o.minBytes()));
        }
        HeapSnapshot s = c.snapshot();
        HeapGraph g = c.graph();
        Map<Integer, Boolean> bufferish = new HashMap<>();   // class id -> is a buffer class
        Map<Long, Group> groups = new LinkedHashMap<>();
        long total = 0;
        int[] stores = c.scan().backingStores();
        for (int v : stores) {
            long size = s.selfSize(v);
            total += size;
            int below = v;
            int owner = g.idom(v);
            for (int i = 0; i < OWNER_STEPS && owner >= 0 && owner != s.rootOrdinal()
                    && (isBuffer(g, owner, bufferish) || isInternalStore(s, owner)); i++) {
                below = owner;
                owner = g.idom(owner);
            }
            if (owner < 0) {
                continue;
            }
            int container = owner == s.rootOrdinal() ? owner : g.idom(owner);
            long key = ((long) g.classes().classOf(owner) << 32) | (container & 0xFFFFFFFFL);
            Group gr = groups.get(key);
            if (gr == null) {
                gr = new Group();
                gr.owner = owner;
                gr.container = container;
                gr.via = edgeBetween(s, owner, below);
                groups.put(key, gr);
            }
            gr.count++;
            gr.bytes += size;
            if (!gr.owners.contains(owner)) {
                if (gr.owners.size() < 5) {
                    gr.owners.add(owner);
                } else {
                    gr.manyOwners = true;
                }
            }
        }
        List<Group> ranked = new ArrayList<>(groups.values());
        ranked.sort((a, b) -> Long.compare(b.bytes, a.bytes));
        Claims mine = claimed.forDetector();
        List<Finding> out = new ArrayList<>();
        for (Group gr : ranked) {
            if (gr.bytes < o.minBytes()) {
                break;
            }
            if (c.isInternal(gr.owner) && gr.bytes < o.minBytes() * o.internalFactor()) {
                continue;
            }
            int subject = single(s, gr) ? gr.owner : gr.container;
            out.add(report(c, gr, subject, total));
            mine.add(subject);
        }
        return new Result(out, new Check.ExternalMemory(true, stores.length, total, groups.size(), out.size(), o.minBytes()),
                mine.added());
    }

    private static boolean single(HeapSnapshot s, Group gr) {
        return gr.owners.size() == 1 && !gr.manyOwners || gr.container == s.rootOrdinal();
    }

    /** V8's own arrays and hidden objects (a Map's table, an object's elements) are looked through too. */
    private static boolean isInternalStore(HeapSnapshot s, int v) {
        int t = s.type(v);
        return t == NodeType.ARRAY || t == NodeType.HIDDEN;
    }

    private static boolean isBuffer(HeapGraph g, int v, Map<Integer, Boolean> cache) {
        int c = g.classes().classOf(v);
        return cache.computeIfAbsent(c, k -> V8Names.BUFFER_CLASSES.contains(g.classes().name(k)));
    }

    /** An edge from {@code from} straight to {@code to}, or -1. */
    static int edgeBetween(HeapSnapshot s, int from, int to) {
        for (int e = s.firstEdge(from), end = s.endEdge(from); e < end; e++) {
            if (s.edgeTo(e) == to && s.edgeType(e) != EdgeType.WEAK) {
                return e;
            }
        }
        return -1;
    }

    private static Finding report(DiagnosisContext c, Group gr, int subject, long total) {
        HeapSnapshot s = c.snapshot();
        boolean single = single(s, gr);
        List<RetainerPath.Step> path = c.path(subject);
        List<Long> ids = new ArrayList<>();
        for (int o : gr.owners) {
            ids.add(s.id(o));
        }
        Finding.ExternalMemory detail = new Finding.ExternalMemory(gr.count, gr.bytes, total, single, c.ref(gr.owner),
                gr.via >= 0 ? RetainerPath.edgeLabel(s, gr.via) : "", single ? null : c.ref(gr.container),
                single ? "" : c.render(path), c.holderName(path));
        return c.finding(FindingKind.EXTERNAL_MEMORY, gr.bytes, gr.count, subject, c.locator().of(gr.owner), ids, detail);
    }
}
