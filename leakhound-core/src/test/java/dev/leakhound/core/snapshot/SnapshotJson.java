package dev.leakhound.core.snapshot;

import java.nio.charset.StandardCharsets;

/** Writes snapshots in V8's JSON format, for parser tests (V8's key order and layout by default). */
final class SnapshotJson {
    boolean sixFields;          // Node 24 layout: no trace_node_id
    boolean noDetachedness;     // pre-2021 layout
    boolean stringsFirst;       // unusual key order
    boolean nodesBeforeHeader;  // forces a second pass
    String indent = "";         // pretty-printing whitespace
    String headerExtra = "";    // more header members, written before node_count (e.g. "\"root_index\":7,")

    String write(HeapSnapshot s) {
        StringBuilder sb = new StringBuilder();
        String nodeFields = noDetachedness ? "\"type\",\"name\",\"id\",\"self_size\",\"edge_count\",\"trace_node_id\""
                : sixFields ? "\"type\",\"name\",\"id\",\"self_size\",\"edge_count\",\"detachedness\""
                : "\"type\",\"name\",\"id\",\"self_size\",\"edge_count\",\"trace_node_id\",\"detachedness\"";
        int stride = noDetachedness || sixFields ? 6 : 7;
        String header = "\"snapshot\":{\"meta\":{\"node_fields\":[" + nodeFields + "],"
                + "\"node_types\":[[\"hidden\",\"array\",\"string\",\"object\",\"code\",\"closure\",\"regexp\","
                + "\"number\",\"native\",\"synthetic\",\"concatenated string\",\"sliced string\",\"symbol\","
                + "\"bigint\",\"object shape\",\"wasm object\"],\"string\",\"number\",\"number\",\"number\",\"number\",\"number\"],"
                + "\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"],"
                + "\"edge_types\":[[\"context\",\"element\",\"property\",\"internal\",\"hidden\",\"shortcut\",\"weak\"],"
                + "\"string_or_number\",\"node\"],"
                + "\"location_fields\":[\"object_index\",\"script_id\",\"line\",\"column\"]},"
                + headerExtra + "\"node_count\":" + s.nodeCount() + ",\"edge_count\":" + s.edgeCount() + ",\"trace_function_count\":0}";
        StringBuilder nodes = new StringBuilder("\"nodes\":[");
        for (int i = 0; i < s.nodeCount(); i++) {
            if (i > 0) {
                nodes.append(",").append(indent.isEmpty() ? "\n" : indent);
            }
            nodes.append(s.type(i)).append(',').append(s.nameIndex(i)).append(',').append(s.id(i)).append(',')
                    .append(s.selfSize(i)).append(',').append(s.edgeCountOf(i));
            if (!sixFields) {
                nodes.append(",0");
            }
            if (!noDetachedness) {
                nodes.append(',').append(s.detachedness(i));
            }
        }
        nodes.append("]");
        StringBuilder edges = new StringBuilder("\"edges\":[");
        for (int e = 0; e < s.edgeCount(); e++) {
            if (e > 0) {
                edges.append(",").append(indent.isEmpty() ? "\n" : indent);
            }
            edges.append(s.edgeType(e)).append(',').append(Integer.toUnsignedString(s.edgeNameOrIndex(e))).append(',')
                    .append((long) s.edgeTo(e) * stride);
        }
        edges.append("]");
        StringBuilder locs = new StringBuilder("\"locations\":[");
        SnapshotLocations l = s.locations();
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                locs.append(',');
            }
            locs.append((long) l.node(i) * stride).append(',').append(l.scriptId(i)).append(',').append(l.line(i))
                    .append(',').append(l.column(i));
        }
        locs.append("]");
        StringBuilder strings = new StringBuilder("\"strings\":[");
        for (int i = 0; i < s.strings().size(); i++) {
            if (i > 0) {
                strings.append(",\n");
            }
            strings.append(quote(s.strings().get(i)));
        }
        strings.append("]");
        String trace = "\"trace_function_infos\":[],\"trace_tree\":[],\"samples\":[]";
        String sep = "," + indent;
        sb.append("{").append(indent);
        if (stringsFirst) {
            sb.append(strings).append(sep).append(header).append(sep).append(nodes).append(sep).append(edges)
                    .append(sep).append(trace).append(sep).append(locs);
        } else if (nodesBeforeHeader) {
            sb.append(nodes).append(sep).append(edges).append(sep).append(locs).append(sep).append(header)
                    .append(sep).append(trace).append(sep).append(strings);
        } else {
            sb.append(header).append(sep).append(nodes).append(sep).append(edges).append(sep).append(trace)
                    .append(sep).append(locs).append(sep).append(strings);
        }
        sb.append(indent).append("}");
        return sb.toString();
    }

    byte[] bytes(HeapSnapshot s) {
        return write(s).getBytes(StandardCharsets.UTF_8);
    }

    /** JSON string as V8 writes it: ASCII only, everything else as \\uXXXX. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c > 0x7E) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
