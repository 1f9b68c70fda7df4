package dev.leakhound.analysis.nodejs;

import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

/**
 * The version of Node.js that wrote a snapshot, when the heap says it: {@code process.versions} is a plain
 * object with the properties {@code node}, {@code v8}, {@code uv} and {@code modules}, and its {@code node}
 * property is a string such as {@code 20.20.2}. A snapshot has no header field for it, so this is the
 * only source; a snapshot of another embedder (Chrome) has no such object.
 */
public final class NodeVersion {
    private NodeVersion() {}

    /** {@code v20.20.2}, or null when no {@code process.versions} object is in the heap. One pass over the edges. */
    public static String of(HeapSnapshot s) {
        int[] names = s.strings().find("node", "v8", "uv", "modules");
        for (int n : names) {
            if (n < 0) {
                return null;
            }
        }
        int node = names[0];
        for (int v = 0, count = s.nodeCount(); v < count; v++) {
            if (s.type(v) != NodeType.OBJECT) {
                continue;
            }
            int seen = 0;
            int version = -1;
            for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                if (s.edgeType(e) != EdgeType.PROPERTY) {
                    continue;
                }
                int name = s.edgeNameOrIndex(e);
                for (int k = 0; k < names.length; k++) {
                    if (name == names[k]) {
                        seen |= 1 << k;
                    }
                }
                if (name == node && s.type(s.edgeTo(e)) == NodeType.STRING) {
                    version = s.edgeTo(e);
                }
            }
            if (seen == 0b1111 && version >= 0) {
                String text = s.name(version);
                if (text.matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?")) {
                    return "v" + text;
                }
            }
        }
        return null;
    }
}
