package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.RetainerPath;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Memory outside the JS heap: ArrayBuffer backing stores ({@code system / JSArrayBufferData} native
 * nodes, sized by their byte length; Buffers and typed arrays are views on an ArrayBuffer). Each store
 * is attributed to its <em>owner</em>, the first node above it in the dominator tree that is not
 * itself a buffer (not an ArrayBuffer, Buffer, typed array or DataView), and stores are grouped by
 * the owner's class and the owner's own dominator (the collection or object holding the owners).
 */
final class ExternalMemory {
    static final Set<String> BUFFERISH = Set.of("ArrayBuffer", "SharedArrayBuffer", "Buffer", "FastBuffer", "Uint8Array",
            "Int8Array", "Uint8ClampedArray", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array",
            "Float64Array", "BigInt64Array", "BigUint64Array", "DataView", "system / JSArrayBufferData");

    private ExternalMemory() {}

    private static final class Group {
        int owner;        // sample owner
        int container;    // the owners' dominator
        int count;        // backing stores
        long bytes;
        final List<Integer> owners = new ArrayList<>();
        int via = -1;     // an edge from a sample owner toward its buffer
        boolean manyOwners;
    }

    static void find(Heap h, List<Finding> out, List<String> checked) {
        HeapSnapshot s = h.s;
        HeapGraph g = h.g;
        if (h.bufferData < 0) {
            checked.add("external memory: no ArrayBuffer backing stores in the snapshot");
            return;
        }
        Map<Integer, Boolean> bufferish = new HashMap<>();   // class id -> is a buffer class
        Map<Long, Group> groups = new HashMap<>();
        long total = 0;
        int stores = 0;
        for (int si = 0; si < h.backingStores.size(); si++) {
            int v = h.backingStores.get(si);
            stores++;
            long size = s.selfSize(v);
            total += size;
            int below = v;
            int owner = g.idom(v);
            for (int i = 0; i < 16 && owner >= 0 && owner != s.rootOrdinal()
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
        int reported = 0;
        for (Group gr : ranked) {
            if (gr.bytes < h.o.minBytes()) {
                break;
            }
            boolean internal = h.isInternal(gr.owner);
            if (internal && gr.bytes < h.o.minBytes() * h.o.internalFactor()) {
                continue;
            }
            report(h, gr, total, out);
            reported++;
        }
        checked.add("external memory: " + Heap.count(stores) + " ArrayBuffer backing stores, " + Heap.bytes(total)
                + " outside the JS heap, in " + groups.size() + " groups by holder; " + reported + " reported (threshold "
                + Heap.bytes(h.o.minBytes()) + ")");
    }

    /** V8's own arrays and hidden objects (a Map's table, an object's elements) are looked through too. */
    private static boolean isInternalStore(HeapSnapshot s, int v) {
        int t = s.type(v);
        return t == NodeType.ARRAY || t == NodeType.HIDDEN;
    }

    private static boolean isBuffer(HeapGraph g, int v, Map<Integer, Boolean> cache) {
        int c = g.classes().classOf(v);
        return cache.computeIfAbsent(c, k -> BUFFERISH.contains(g.classes().name(k)));
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

    private static void report(Heap h, Group gr, long total, List<Finding> out) {
        HeapSnapshot s = h.s;
        HeapGraph g = h.g;
        boolean single = gr.owners.size() == 1 && !gr.manyOwners || gr.container == s.rootOrdinal();
        int subject = single ? gr.owner : gr.container;
        List<RetainerPath.Step> path = h.path(subject);
        String holder = h.holderName(path);
        String ownerClass = g.className(gr.owner);
        String via = gr.via >= 0 ? RetainerPath.edgeLabel(s, gr.via) : "";
        List<Finding.Fact> facts = new ArrayList<>();
        facts.add(Finding.Fact.count("backing stores", gr.count));
        facts.add(Finding.Fact.text("of all external", total <= 0 ? "-"
                : String.format(java.util.Locale.ROOT, "%.0f%%", 100.0 * gr.bytes / total)));
        facts.add(Finding.Fact.text(single ? "owner" : "owners", single ? h.ref(gr.owner) + (via.isEmpty() ? ""
                : " (through its " + via + ")") : ownerClass + (via.isEmpty() ? "" : " (the buffer is its " + via + ")")));
        if (!single) {
            facts.add(Finding.Fact.text("held in", h.ref(gr.container) + "  " + h.render(path)));
        }
        List<Long> ids = new ArrayList<>();
        for (int o : gr.owners) {
            ids.add(s.id(o));
        }
        String title = Heap.bytes(gr.bytes) + " of ArrayBuffer memory outside the JS heap in " + Heap.count(gr.count)
                + " backing stores, held by " + (single ? Heap.q(holder) + " (" + ownerClass + ")"
                : ownerClass + " objects" + (via.isEmpty() ? "" : " (" + via + ")") + " in " + Heap.q(holder) + " ("
                + g.className(gr.container) + ")");
        String fix = "Buffer and typed-array bytes live outside the JS heap (process.memoryUsage().external and"
                + " arrayBuffers), so heap charts understate them. Drop the references when done and bound what is"
                + " kept; copy the bytes you need (Buffer.from(buf.subarray(...))) instead of keeping slices, which pin"
                + " the whole parent buffer.";
        out.add(new Finding("external-memory", title, gr.bytes, gr.count, s.id(subject), g.className(subject),
                h.render(path), path, h.locate(gr.owner), facts, ids, fix));
        h.claimed.set(subject);
    }
}
