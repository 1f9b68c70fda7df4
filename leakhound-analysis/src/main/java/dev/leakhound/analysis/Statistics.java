package dev.leakhound.analysis;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

/**
 * Heap statistics grouped as DevTools' Statistics view does ({@code calculateStatistics}): nodes only
 * GC roots reach count as system first; then native (with typed-array backing stores), code,
 * strings, and JS arrays (an {@code Array} plus its elements store when nothing else holds it).
 * {@code other} is what is left of the V8 heap.
 */
public record Statistics(long total, long v8Heap, long native_, long typedArrays, long code, long strings,
                         long jsArrays, long system, long other) {

    public static Statistics compute(HeapGraph g) {
        HeapSnapshot s = g.snapshot();
        int n = s.nodeCount();
        int[] inDegree = null;
        int arrayName = -1;
        int bufferData = -1;
        int elementsName = -1;
        var st = s.strings();
        for (int i = 0, k = st.size(); i < k; i++) {
            if (arrayName < 0 && st.equalsAscii(i, "Array")) {
                arrayName = i;
            } else if (bufferData < 0 && st.equalsAscii(i, "system / JSArrayBufferData")) {
                bufferData = i;
            } else if (elementsName < 0 && st.equalsAscii(i, "elements")) {
                elementsName = i;
            }
        }
        long extra = s.extraNativeBytes();
        long total = extra;
        long nat = extra;
        long typed = 0;
        long code = 0;
        long strings = 0;
        long arrays = 0;
        long system = 0;
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
                if (inDegree == null) {
                    inDegree = inDegrees(s);
                }
                arrays += size;
                for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                    if (s.edgeType(e) == EdgeType.INTERNAL && s.edgeNameOrIndex(e) == elementsName) {
                        int el = s.edgeTo(e);
                        if (inDegree[el] == 1) {
                            arrays += s.selfSize(el);
                        }
                        break;
                    }
                }
            }
        }
        long v8 = total - nat;
        long other = total - nat - code - strings - arrays - system;
        return new Statistics(total, v8, nat, typed, code, strings, arrays, system, Math.max(0, other));
    }

    private static int[] inDegrees(HeapSnapshot s) {
        int[] d = new int[s.nodeCount()];
        for (int e = 0, m = s.edgeCount(); e < m; e++) {
            d[s.edgeTo(e)]++;
        }
        return d;
    }
}
