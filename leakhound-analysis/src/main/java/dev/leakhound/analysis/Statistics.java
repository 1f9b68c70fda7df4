package dev.leakhound.analysis;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotArrays;
import dev.leakhound.core.v8.V8Names;
import java.util.Arrays;

/**
 * Heap statistics grouped as DevTools' Statistics view does ({@code calculateStatistics}): nodes only
 * GC roots reach count as system first; then native (with typed-array backing stores), code,
 * strings, and JS arrays (an {@code Array} plus its elements store when nothing else holds it).
 * {@code other} is what is left of the V8 heap.
 */
public record Statistics(long total, long v8Heap, long native_, long typedArrays, long code, long strings,
                         long jsArrays, long system, long other) {

    /** Needs only distances: can run while the dominator tree is built. */
    public static Statistics compute(HeapGraph g) {
        HeapSnapshot s = g.snapshot();
        int n = s.nodeCount();
        int[] names = s.strings().find(V8Names.ARRAY, V8Names.ARRAY_BUFFER_DATA, V8Names.ELEMENTS);
        int arrayName = names[0];
        int bufferData = names[1];
        int elementsName = names[2];
        long extra = s.extraNativeBytes();
        long total = extra;
        long nat = extra;
        long typed = 0;
        long code = 0;
        long strings = 0;
        long arrays = 0;
        long system = 0;
        // elements stores of arrays: their own size counts only when the array is their only retainer
        int[] stores = new int[16];
        int storeCount = 0;
        for (int v = 0; v < n; v++) {
            long size = s.selfSize(v);
            total += size;
            if (g.isSystemOnly(v)) {
                system += size;
                continue;
            }
            int t = s.type(v);
            if (t == NodeType.NATIVE) {
                nat += size;
                if (s.nameIndex(v) == bufferData) {
                    typed += size;
                }
            } else if (t == NodeType.CODE) {
                code += size;
            } else if (NodeType.isString(t)) {
                strings += size;
            } else if (s.nameIndex(v) == arrayName && t == NodeType.OBJECT) {
                arrays += size;
                for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                    if (s.edgeType(e) == EdgeType.INTERNAL && s.edgeNameOrIndex(e) == elementsName) {
                        if (storeCount == stores.length) {
                            stores = Arrays.copyOf(stores, storeCount * 2);
                        }
                        stores[storeCount++] = s.edgeTo(e);
                        break;
                    }
                }
            }
        }
        if (storeCount > 0) {
            long[] once = singlyRetained(s, stores, storeCount);
            for (int i = 0; i < storeCount; i++) {
                int el = stores[i];
                if ((once[el >>> 6] & (1L << el)) != 0) {
                    arrays += s.selfSize(el);
                }
            }
        }
        long v8 = total - nat;
        long other = total - nat - code - strings - arrays - system;
        return new Statistics(total, v8, nat, typed, code, strings, arrays, system, Math.max(0, other));
    }

    /** Bitset of the given nodes that exactly one edge points to (one pass over the edges, bitsets only). */
    private static long[] singlyRetained(HeapSnapshot s, int[] nodes, int count) {
        int words = (s.nodeCount() + 63) >>> 6;
        long[] wanted = new long[words];
        for (int i = 0; i < count; i++) {
            wanted[nodes[i] >>> 6] |= 1L << nodes[i];
        }
        long[] once = new long[words];
        long[] more = new long[words];
        int[] to = SnapshotArrays.edgeTo(s);
        for (int e = 0, m = s.edgeCount(); e < m; e++) {
            int t = to[e];
            int w = t >>> 6;
            long bit = 1L << t;
            if ((wanted[w] & bit) != 0) {
                if ((once[w] & bit) != 0) {
                    more[w] |= bit;
                } else {
                    once[w] |= bit;
                }
            }
        }
        for (int w = 0; w < words; w++) {
            once[w] &= ~more[w];
        }
        return once;
    }
}
