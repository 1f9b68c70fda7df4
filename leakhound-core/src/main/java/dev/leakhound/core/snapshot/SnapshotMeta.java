package dev.leakhound.core.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code snapshot} header, checked: the format its {@code meta} describes, the node and edge counts, the
 * root and the extra native bytes. Every value taken from the header is validated here, once for both
 * readers: a value out of range is a one-line {@link SnapshotFormatException} at the header's offset.
 */
final class SnapshotMeta {
    /** The most nodes or edges: a column of them must fit one Java array. */
    static final long MAX_COUNT = Integer.MAX_VALUE - 8;

    final SnapshotFormat format;
    final int nodeCount;
    final int edgeCount;
    /** The root's node ordinal (the header's {@code root_index} divided by the field count; 0 when absent). */
    final int rootOrdinal;
    final long extraNativeBytes;
    /** Whether the header has an {@code extra_native_bytes} member at all (recent V8 writes it, older does not). */
    final boolean hasExtraNativeBytes;
    /**
     * The header's {@code trace_function_count}: above 0 when the snapshot carries allocation traces; -1 when
     * absent or not a non-negative integer (the readers do not use it, so it is not an error).
     */
    final long traceFunctionCount;
    /** How {@code trace_function_infos} and {@code trace_tree} are laid out ({@link TraceSections.Layout}). */
    final TraceSections.Layout traceLayout;

    private SnapshotMeta(SnapshotFormat format, int nodeCount, int edgeCount, int rootOrdinal, long extraNativeBytes,
                         boolean hasExtraNativeBytes, long traceFunctionCount, TraceSections.Layout traceLayout) {
        this.format = format;
        this.nodeCount = nodeCount;
        this.edgeCount = edgeCount;
        this.rootOrdinal = rootOrdinal;
        this.extraNativeBytes = extraNativeBytes;
        this.hasExtraNativeBytes = hasExtraNativeBytes;
        this.traceFunctionCount = traceFunctionCount;
        this.traceLayout = traceLayout;
    }

    /**
     * Checks the header read as a small JSON value (maps, lists, strings, longs) from the file at offset
     * {@code at}; {@code input} bounds the counts (a lying header must not make a reader allocate).
     */
    static SnapshotMeta parse(Object header, long at, SnapshotInput input) {
        return new Parser(input.file, at).parse(header, input);
    }

    /** Validation with the file and offset every error names. */
    private static final class Parser {
        private final String file;
        private final long at;

        Parser(String file, long at) {
            this.file = file;
            this.at = at;
        }

        private SnapshotFormatException error(String what) {
            return new SnapshotFormatException(file, at, what);
        }

        @SuppressWarnings("unchecked")
        SnapshotMeta parse(Object h, SnapshotInput input) {
            if (!(h instanceof Map)) {
                throw error("'snapshot' is not an object");
            }
            Map<String, Object> header = (Map<String, Object>) h;
            if (!(header.get("meta") instanceof Map)) {
                throw error("'snapshot.meta' is missing or not an object");
            }
            SnapshotFormat format = format((Map<String, Object>) header.get("meta"));
            long nodes = count(header, "node_count");
            long edges = count(header, "edge_count");
            // every value takes at least a digit and a separator
            long minBytes = nodes * format.stride * 2 + edges * format.edgeStride * 2;
            if (minBytes > input.maxJsonBytes()) {
                throw error("the header declares " + nodes + " nodes and " + edges + " edges, more than a "
                        + (input.gzip ? "gzip file" : "file") + " of " + input.size + " bytes can hold (truncated or corrupt?)");
            }
            long root = optionalInteger(header, "root_index");
            if (nodes > 0) {
                checkRoot(root, format.stride, nodes);
            }
            long extra = optionalInteger(header, "extra_native_bytes");
            if (extra < 0) {
                throw error("snapshot.extra_native_bytes " + extra + " is negative");
            }
            Object traces = header.get("trace_function_count");
            long traceFunctions = traces instanceof Long && (Long) traces >= 0 ? (Long) traces : -1;
            return new SnapshotMeta(format, (int) nodes, (int) edges, (int) (root / format.stride), extra,
                    header.containsKey("extra_native_bytes"), traceFunctions,
                    TraceSections.Layout.of((Map<String, Object>) header.get("meta")));
        }

        private SnapshotFormat format(Map<String, Object> meta) {
            List<String> nodeFields = stringList(meta, "node_fields");
            List<String> edgeFields = stringList(meta, "edge_fields");
            List<String> nodeTypes = enumList(meta, "node_types", nodeFields.indexOf("type"));
            List<String> edgeTypes = enumList(meta, "edge_types", edgeFields.indexOf("type"));
            List<String> locationFields = meta.get("location_fields") == null ? null : stringList(meta, "location_fields");
            try {
                return new SnapshotFormat(nodeFields, nodeTypes, edgeFields, edgeTypes, locationFields);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        }

        /** A node index: not negative, a multiple of the field count, below the end of 'nodes'. */
        private void checkRoot(long root, int stride, long nodes) {
            if (root < 0) {
                throw error("snapshot.root_index " + root + " is negative, not a node index");
            }
            if (root % stride != 0) {
                throw error("snapshot.root_index " + root + " is not a node index: not a multiple of the " + stride
                        + " node fields");
            }
            if (root / stride >= nodes) {
                throw error("snapshot.root_index " + root + " is past the last node (" + nodes + " nodes x " + stride
                        + " fields)");
            }
        }

        private long count(Map<String, Object> header, String key) {
            Object v = header.get(key);
            if (!(v instanceof Long) || (Long) v < 0) {
                throw error("snapshot." + key + " is missing or not a non-negative integer");
            }
            long n = (Long) v;
            if (n > MAX_COUNT) {
                throw error("snapshot." + key + " = " + n + " exceeds what leakhound supports (2^31)");
            }
            return n;
        }

        /** An optional integer member: 0 when absent, an error when present but not an integer. */
        private long optionalInteger(Map<String, Object> header, String key) {
            if (!header.containsKey(key)) {
                return 0;
            }
            Object v = header.get(key);
            if (!(v instanceof Long)) {
                throw error("snapshot." + key + " is not an integer: " + v);
            }
            return (Long) v;
        }

        private List<String> stringList(Map<String, Object> meta, String key) {
            Object v = meta.get(key);
            if (!(v instanceof List) || ((List<?>) v).isEmpty()) {
                throw error("snapshot.meta." + key + " is missing or empty");
            }
            List<String> out = new ArrayList<>();
            for (Object o : (List<?>) v) {
                if (!(o instanceof String)) {
                    throw error("snapshot.meta." + key + " holds a non-string");
                }
                out.add((String) o);
            }
            return out;
        }

        /** The enum list describing the {@code type} field, found by field position (not by length). */
        private List<String> enumList(Map<String, Object> meta, String key, int typeField) {
            Object v = meta.get(key);
            if (!(v instanceof List) || typeField < 0 || typeField >= ((List<?>) v).size()
                    || !(((List<?>) v).get(typeField) instanceof List)) {
                // Node 24 drops a node field but keeps every type descriptor: the enum is still the first entry
                if (v instanceof List && !((List<?>) v).isEmpty() && ((List<?>) v).get(0) instanceof List) {
                    typeField = 0;
                } else {
                    throw error("snapshot.meta." + key + " has no list of type names");
                }
            }
            List<String> out = new ArrayList<>();
            for (Object o : (List<?>) ((List<?>) v).get(typeField)) {
                out.add(String.valueOf(o));
            }
            return out;
        }
    }
}
