package dev.leakhound.core.snapshot;

import java.util.Arrays;

/**
 * Decodes the records of the big sections, for both readers: the values of nodes, edges and locations,
 * read by the caller into a {@code long[]} batch (one record's values after the other), are checked against
 * the format and written to the columns. Every rule for a value lives here, once.
 *
 * <p>A batch holds as many records as the caller likes, so a fast caller pays one call per batch, not one
 * per record. {@link #nodes} keeps the running edge count and must be called by one thread, in node order;
 * {@link #edges} keeps nothing and may be called by several threads on disjoint edge ranges.
 */
final class RecordDecoder {
    /** A value the format does not allow; {@link #value} is its index in the batch (-1: none in particular). */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int value;

        Invalid(int value, String what) {
            super(what, null, false, false);
            this.value = value;
        }
    }

    private final ColumnsBuilder out;
    private final SnapshotFormat f;
    private final int nodeCount;
    private final long edgeCount;
    private final byte[] nodeTypeCodes;
    private final byte[] edgeTypeCodes;
    /** Per file edge type: whether its name_or_index is an index into the strings table. */
    private final boolean[] edgeNameIsString;
    /** Values in 'nodes': a to_node or object_index must be below it. */
    private final long nodeValues;
    /** {@code v / stride == multiplyHigh(v, magic)} for every {@code v < nodeValues}; 0 when that does not hold. */
    private final long magic;
    private long edgeSum;

    RecordDecoder(ColumnsBuilder out) {
        this.out = out;
        this.f = out.meta.format;
        this.nodeCount = out.meta.nodeCount;
        this.edgeCount = out.meta.edgeCount;
        this.nodeTypeCodes = f.nodeTypeCodes();
        this.edgeTypeCodes = f.edgeTypeCodes();
        this.edgeNameIsString = new boolean[edgeTypeCodes.length];
        for (int t = 0; t < edgeTypeCodes.length; t++) {
            edgeNameIsString[t] = EdgeType.nameIsString(edgeTypeCodes[t]);
        }
        this.nodeValues = (long) nodeCount * f.stride;
        // ceil(2^64 / stride) divides exactly while v * stride < 2^64 / stride; node fields are at least 5
        this.magic = f.stride >= 3 && nodeValues < (1L << 62) / f.stride ? Long.divideUnsigned(-1L, f.stride) + 1 : 0;
    }

    /**
     * Decodes nodes {@code first .. first+count-1} from {@code v} ({@code stride} values each) into the node
     * columns. Returns the index in {@code v} of the largest name in the batch (-1 for none).
     */
    int nodes(long[] v, int first, int count) {
        final int st = f.stride;
        final int typeAt = f.typeAt;
        final int nameAt = f.nameAt;
        final int idAt = f.idAt;
        final int sizeAt = f.sizeAt;
        final int edgesAt = f.edgesAt;
        final int traceAt = f.traceAt;
        final int detachedAt = f.detachedAt;
        final byte[] codes = nodeTypeCodes;
        final byte[] type = out.nodeType;
        final int[] name = out.nodeName;
        final int[] id = out.nodeId;
        final long[] size = out.nodeSize;
        final int[] firstEdge = out.firstEdge;
        final byte[] detached = out.nodeDetached;
        final long edges = edgeCount;
        long sum = edgeSum;
        long bestName = -1;
        int best = -1;
        for (int r = 0, o = 0; r < count; r++, o += st) {
            final int i = first + r;
            final long t = v[o + typeAt];
            if (t >= codes.length) {
                throw new Invalid(o + typeAt, "node " + i + " has type " + t + ", not one of the " + codes.length + " node types");
            }
            type[i] = codes[(int) t];
            final long nm = v[o + nameAt];
            if (nm > bestName) {
                bestName = nm;
                best = o + nameAt;
            }
            name[i] = (int) Math.min(nm, Integer.MAX_VALUE);   // checked against the strings table at the end
            final long nodeId = v[o + idAt];
            if (nodeId > 0xFFFFFFFFL) {
                throw new Invalid(o + idAt, "node " + i + " has id " + nodeId + ", larger than 32 bits");
            }
            id[i] = (int) nodeId;
            size[i] = v[o + sizeAt];
            sum += v[o + edgesAt];
            if (sum > edges) {
                throw new Invalid(o + edgesAt, "node " + i + "'s edge_count takes the total past the header's edge_count " + edges);
            }
            firstEdge[i + 1] = (int) sum;
            if (traceAt >= 0 && v[o + traceAt] != 0) {
                trace(i, v[o + traceAt], o + traceAt);
            }
            if (detachedAt >= 0) {
                final long d = v[o + detachedAt];
                if (d > Byte.MAX_VALUE) {
                    throw new Invalid(o + detachedAt, "node " + i + " has detachedness " + d + ", not a state code (0 to 127)");
                }
                detached[i] = (byte) d;
            }
        }
        edgeSum = sum;
        return best;
    }

    /** A non-zero trace_node_id: the column is allocated at the first one (most files have none). */
    private void trace(int node, long traceId, int value) {
        if (traceId > Integer.MAX_VALUE) {
            throw new Invalid(value, "node " + node + " has trace_node_id " + traceId + ", larger than 2^31-1");
        }
        if (out.nodeTrace.length == 0) {
            out.nodeTrace = new int[nodeCount];
        }
        out.nodeTrace[node] = (int) traceId;
    }

    /** After the last node: the nodes' edge counts must add up to the header's. */
    void checkEdgeSum() {
        if (edgeSum != edgeCount) {
            throw new Invalid(-1, "the nodes' edge_count values add up to " + edgeSum + ", but the header's edge_count is "
                    + edgeCount);
        }
    }

    /**
     * Decodes edges {@code first .. first+count-1} from {@code v} ({@code edgeStride} values each) into the edge
     * columns. Returns the index in {@code v} of the largest name that is a string index (-1 for none).
     */
    int edges(long[] v, int first, int count) {
        final int es = f.edgeStride;
        final int typeAt = f.edgeTypeAt;
        final int nameAt = f.edgeNameAt;
        final int toAt = f.edgeToAt;
        final byte[] codes = edgeTypeCodes;
        final boolean[] stringNamed = edgeNameIsString;
        final byte[] type = out.edgeType;
        final int[] name = out.edgeName;
        final int[] to = out.edgeTo;
        final long ns = f.stride;
        final long limit = nodeValues;
        final long m = magic;
        long bestName = -1;
        int best = -1;
        for (int r = 0, o = 0; r < count; r++, o += es) {
            final int i = first + r;
            final long t = v[o + typeAt];
            if (t >= codes.length) {
                throw new Invalid(o + typeAt, "edge " + i + " has type " + t + ", not one of the " + codes.length + " edge types");
            }
            final long nm = v[o + nameAt];
            if (nm > 0xFFFFFFFFL) {
                throw new Invalid(o + nameAt, "edge " + i + " has name_or_index " + nm + ", larger than 32 bits");
            }
            final long target = v[o + toAt];
            final long q = m != 0 ? Math.multiplyHigh(target, m) : target / ns;
            if (target >= limit || target - q * ns != 0) {
                throw badTarget(o + toAt, "edge " + i + " has to_node ", target);
            }
            type[i] = codes[(int) t];
            name[i] = (int) nm;
            to[i] = (int) q;
            if (nm > bestName && stringNamed[(int) t]) {
                bestName = nm;
                best = o + nameAt;
            }
        }
        return best;
    }

    private Invalid badTarget(int value, String what, long target) {
        if (target % f.stride != 0) {
            return new Invalid(value, what + target + ", not a multiple of the " + f.stride + " node fields");
        }
        return new Invalid(value, what + target + ", past the last node");
    }

    /** The locations section's columns, growing as entries come (their number is not in the header). */
    static final class Locations {
        private int[] node = new int[1024];
        private int[] script = new int[1024];
        private int[] line = new int[1024];
        private int[] column = new int[1024];
        private int count;

        SnapshotLocations build() {
            return new SnapshotLocations(node, script, line, column, count);
        }

        private void grow(int value) {
            if (count == StringTable.MAX_ARRAY) {
                throw new Invalid(value, "'locations' holds more than " + StringTable.MAX_ARRAY + " entries");
            }
            int c = (int) Math.min(StringTable.MAX_ARRAY, 2L * count);
            node = Arrays.copyOf(node, c);
            script = Arrays.copyOf(script, c);
            line = Arrays.copyOf(line, c);
            column = Arrays.copyOf(column, c);
        }
    }

    /** Decodes {@code count} location entries from {@code v} ({@code locationStride} values each) into {@code into}. */
    void locations(long[] v, int count, Locations into) {
        final int ls = f.locationStride;
        for (int r = 0, o = 0; r < count; r++, o += ls) {
            final int k = into.count;
            if (k == into.node.length) {
                into.grow(o);
            }
            final long target = v[o + f.locationNodeAt];
            if (target >= nodeValues || target % f.stride != 0) {
                throw new Invalid(o + f.locationNodeAt, "location " + k + " has object_index " + target + ", not a node");
            }
            into.node[k] = (int) (target / f.stride);
            into.script[k] = locationInt(v, o, f.locationScriptAt, k, "script_id");
            into.line[k] = locationInt(v, o, f.locationLineAt, k, "line");
            into.column[k] = locationInt(v, o, f.locationColumnAt, k, "column");
            into.count = k + 1;
        }
    }

    /** Script ids, lines and columns are ints in V8: a larger value is not clamped but refused. */
    private static int locationInt(long[] v, int o, int at, int entry, String field) {
        if (at < 0) {
            return 0;
        }
        long x = v[o + at];
        if (x > Integer.MAX_VALUE) {
            throw new Invalid(o + at, "location " + entry + " has " + field + " " + x + ", larger than 2^31-1");
        }
        return (int) x;
    }
}
