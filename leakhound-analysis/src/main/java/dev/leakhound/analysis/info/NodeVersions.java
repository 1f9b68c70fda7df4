package dev.leakhound.analysis.info;

import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotHeader;

import java.util.List;

/**
 * Which Node.js releases write a header like a given one, from its {@code meta} alone: a snapshot does not name
 * the Node or V8 version that wrote it, but V8 changed the meta a few times. What each Node major writes was
 * read from the committed fixtures (testdata/snapshots, written by Node 14.21, 16.20, 18.20, 20.20, 22.23 and
 * 24.21); the majors between two fixtures that differ are included in both ranges, since the change happened
 * somewhere between them. Chrome, Electron and Deno of the same V8 age write the same meta.
 */
public final class NodeVersions {
    private NodeVersions() {}

    /**
     * A feature of the meta and the Node majors known to write it.
     *
     * <p>{@code from} 0: no lower bound known; {@code to} 0: still written by the newest Node leakhound knows.
     */
    public enum Signature {
        /** Nodes have no {@code detachedness} field (V8 added it in 2021). Seen: Node 14. */
        NO_DETACHEDNESS(0, 16),
        /** {@code detachedness}, and the node types end at {@code bigint}. Seen: Node 16 and 18. */
        TYPES_END_AT_BIGINT(16, 19),
        /** The node types include {@code wasm object}. Seen: Node 20. */
        WASM_OBJECT_TYPE(19, 21),
        /** The node types end at {@code object shape}, without {@code extra_native_bytes}. Seen: Node 22. */
        TYPES_END_AT_OBJECT_SHAPE(21, 23),
        /** The header has {@code extra_native_bytes}, or nodes lack {@code trace_node_id} (V8 13). Seen: Node 24. */
        EXTRA_NATIVE_BYTES(23, 0),
        /** A node type no Node release leakhound knows writes: another producer, or a newer V8. */
        UNKNOWN_TYPES(-1, -1);

        private final int from;
        private final int to;

        Signature(int from, int to) {
            this.from = from;
            this.to = to;
        }
    }

    /**
     * The Node majors that may have written the file.
     *
     * @param from         the first, 0 when no lower bound is known, -1 when unknown
     * @param to           the last, 0 when the newest Node known still writes this, -1 when unknown
     * @param signature    the feature of the meta that decided it
     * @param unknownTypes node types no known Node release writes (for {@link Signature#UNKNOWN_TYPES})
     */
    public record Range(int from, int to, Signature signature, List<String> unknownTypes) {
        public Range {
            unknownTypes = List.copyOf(unknownTypes);
        }

        public boolean known() {
            return signature != Signature.UNKNOWN_TYPES;
        }
    }

    /** The range for {@code h}'s meta. */
    public static Range of(SnapshotHeader h) {
        List<String> unknown = h.nodeTypes().stream().filter(t -> NodeType.codeOf(t) < 0).toList();
        Signature s;
        if (!unknown.isEmpty()) {
            s = Signature.UNKNOWN_TYPES;
        } else if (h.hasExtraNativeBytes() || !h.hasTraceNodeIds()) {
            s = Signature.EXTRA_NATIVE_BYTES;
        } else if (h.nodeTypes().contains("wasm object")) {
            s = Signature.WASM_OBJECT_TYPE;
        } else if (h.nodeTypes().contains("object shape")) {
            s = Signature.TYPES_END_AT_OBJECT_SHAPE;
        } else if (h.hasDetachedness()) {
            s = Signature.TYPES_END_AT_BIGINT;
        } else {
            s = Signature.NO_DETACHEDNESS;
        }
        return new Range(s.from, s.to, s, unknown);
    }
}
