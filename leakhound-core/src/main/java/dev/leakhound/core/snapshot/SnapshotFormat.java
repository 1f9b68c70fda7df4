package dev.leakhound.core.snapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a snapshot's {@code meta} says about the layout of its arrays, immutable: how many values a node, an
 * edge and a location take, where each field the readers use sits in them, and how the file's type indexes
 * map onto the canonical codes of {@link NodeType} and {@link EdgeType} (types this library does not know
 * get codes after the known ones and keep their names). Both readers decode through it.
 */
final class SnapshotFormat {
    /** Values per node ({@code node_fields.length}). */
    final int stride;
    /** Positions of the node fields in a node's values; -1 for an optional field the file does not have. */
    final int typeAt;
    final int nameAt;
    final int idAt;
    final int sizeAt;
    final int edgesAt;
    final int traceAt;
    final int detachedAt;
    private final byte[] nodeTypeCodes;
    private final String[] nodeTypeNames;

    /** Values per edge ({@code edge_fields.length}) and positions of its three fields. */
    final int edgeStride;
    final int edgeTypeAt;
    final int edgeNameAt;
    final int edgeToAt;
    private final byte[] edgeTypeCodes;
    private final String[] edgeTypeNames;

    /** The meta's lists as the file gives them: field names, and the type names in file order. */
    final List<String> nodeFields;
    final List<String> nodeTypes;
    final List<String> edgeFields;
    final List<String> edgeTypes;

    /** Values per location; 0 when the file has no usable {@code location_fields} (no object_index). */
    final int locationStride;
    final int locationNodeAt;
    final int locationScriptAt;
    final int locationLineAt;
    final int locationColumnAt;

    /**
     * The format the meta lists describe.
     *
     * @param locationFields null when the meta has none
     * @throws IllegalArgumentException when a required field is missing or a field is named twice
     */
    SnapshotFormat(List<String> nodeFields, List<String> nodeTypes, List<String> edgeFields, List<String> edgeTypes,
                   List<String> locationFields) {
        this.nodeFields = List.copyOf(nodeFields);
        this.nodeTypes = List.copyOf(nodeTypes);
        this.edgeFields = List.copyOf(edgeFields);
        this.edgeTypes = List.copyOf(edgeTypes);
        stride = nodeFields.size();
        typeAt = required(nodeFields, "node_fields", "type");
        nameAt = required(nodeFields, "node_fields", "name");
        idAt = required(nodeFields, "node_fields", "id");
        sizeAt = required(nodeFields, "node_fields", "self_size");
        edgesAt = required(nodeFields, "node_fields", "edge_count");
        traceAt = position(nodeFields, "node_fields", "trace_node_id");
        detachedAt = position(nodeFields, "node_fields", "detachedness");
        List<String> nodeNames = new ArrayList<>(Arrays.asList(NodeType.NAMES));
        nodeTypeCodes = codes(nodeTypes, nodeNames, "node");
        nodeTypeNames = nodeNames.toArray(new String[0]);

        edgeStride = edgeFields.size();
        edgeTypeAt = required(edgeFields, "edge_fields", "type");
        edgeNameAt = required(edgeFields, "edge_fields", "name_or_index");
        edgeToAt = required(edgeFields, "edge_fields", "to_node");
        List<String> edgeNames = new ArrayList<>(Arrays.asList(EdgeType.NAMES));
        edgeTypeCodes = codes(edgeTypes, edgeNames, "edge");
        edgeTypeNames = edgeNames.toArray(new String[0]);

        int objectAt = locationFields == null ? -1 : position(locationFields, "location_fields", "object_index");
        locationStride = objectAt < 0 ? 0 : locationFields.size();
        locationNodeAt = objectAt;
        locationScriptAt = objectAt < 0 ? -1 : position(locationFields, "location_fields", "script_id");
        locationLineAt = objectAt < 0 ? -1 : position(locationFields, "location_fields", "line");
        locationColumnAt = objectAt < 0 ? -1 : position(locationFields, "location_fields", "column");
    }

    /** Where {@code field} is in {@code fields}, or -1; a field named twice is ambiguous, so an error. */
    private static int position(List<String> fields, String list, String field) {
        int at = fields.indexOf(field);
        if (at >= 0 && fields.lastIndexOf(field) != at) {
            throw new IllegalArgumentException("snapshot.meta." + list + " names '" + field + "' twice");
        }
        return at;
    }

    private static int required(List<String> fields, String list, String field) {
        int at = position(fields, list, field);
        if (at < 0) {
            throw new IllegalArgumentException("snapshot.meta." + list + " has no '" + field + "'");
        }
        return at;
    }

    /** Canonical code per type index of the file; names not in {@code names} are appended to it. */
    private static byte[] codes(List<String> types, List<String> names, String what) {
        byte[] codes = new byte[types.size()];
        for (int i = 0; i < codes.length; i++) {
            int code = names.indexOf(types.get(i));
            if (code < 0) {
                names.add(types.get(i));
                code = names.size() - 1;
            }
            if (code > Byte.MAX_VALUE) {
                throw new IllegalArgumentException("too many " + what + " types");
            }
            codes[i] = (byte) code;
        }
        return codes;
    }

    /** How many node types the file names: a node's type value must be below this. */
    int nodeTypeCount() {
        return nodeTypeCodes.length;
    }

    int edgeTypeCount() {
        return edgeTypeCodes.length;
    }

    /** The canonical code of the file's node type index {@code t} ({@code 0 <= t < nodeTypeCount()}). */
    byte nodeTypeCode(int t) {
        return nodeTypeCodes[t];
    }

    byte edgeTypeCode(int t) {
        return edgeTypeCodes[t];
    }

    /** Copies of the code tables, for decoding loops that keep them in locals. */
    byte[] nodeTypeCodes() {
        return nodeTypeCodes.clone();
    }

    byte[] edgeTypeCodes() {
        return edgeTypeCodes.clone();
    }

    /** Type names by canonical code: the known ones, then the file's others. */
    String[] nodeTypeNames() {
        return nodeTypeNames.clone();
    }

    String[] edgeTypeNames() {
        return edgeTypeNames.clone();
    }

    boolean hasTraceNodeIds() {
        return traceAt >= 0;
    }

    boolean hasDetachedness() {
        return detachedAt >= 0;
    }

    boolean hasLocations() {
        return locationStride > 0;
    }
}
