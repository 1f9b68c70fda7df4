package dev.leakhound.core.snapshot;

import java.nio.file.Path;
import java.util.List;

/**
 * A snapshot's {@code snapshot} header, read and checked as the parser reads it but without reading anything
 * after it ({@link SnapshotParser#readHeader}): the counts, the {@code meta} lists, and facts about the file.
 *
 * <p>What the header does not say: how many strings the file holds (the {@code strings} section at the end is
 * the only place), and which Node or V8 version wrote it.
 *
 * @param file                the file
 * @param fileBytes           its size on disk
 * @param gzip                whether it is gzip (by content, not by name)
 * @param nodeCount           {@code node_count}
 * @param edgeCount           {@code edge_count}
 * @param traceFunctionCount  {@code trace_function_count}: above 0 when the snapshot carries allocation traces;
 *                            -1 when the header has none (or not a usable one)
 * @param nodeFields          {@code meta.node_fields}, in file order
 * @param nodeTypes           the names of the node {@code type} enum, in file order
 * @param edgeFields          {@code meta.edge_fields}
 * @param edgeTypes           the names of the edge {@code type} enum, in file order
 * @param locations           whether {@code meta.location_fields} describes usable source locations
 * @param extraNativeBytes    {@code extra_native_bytes}, 0 when absent
 * @param hasExtraNativeBytes whether the header has {@code extra_native_bytes} at all
 * @param rootOrdinal         the root node's ordinal ({@code root_index} / the node field count; 0 when absent)
 * @param headerEnd           offset in the JSON just past the header's value
 * @param bytesRead           bytes read from the file to get the header (compressed bytes for gzip)
 * @param jsonBytes           bytes of JSON: the file size for a plain file; for gzip, inferred from the gzip
 *                            trailer (modulo 4 GiB, so an estimate), -1 when it has none
 */
public record SnapshotHeader(Path file, long fileBytes, boolean gzip, int nodeCount, int edgeCount,
                             long traceFunctionCount, List<String> nodeFields, List<String> nodeTypes,
                             List<String> edgeFields, List<String> edgeTypes, boolean locations,
                             long extraNativeBytes, boolean hasExtraNativeBytes, int rootOrdinal,
                             long headerEnd, long bytesRead, long jsonBytes) {

    public SnapshotHeader {
        nodeFields = List.copyOf(nodeFields);
        nodeTypes = List.copyOf(nodeTypes);
        edgeFields = List.copyOf(edgeFields);
        edgeTypes = List.copyOf(edgeTypes);
    }

    /** The header of {@code input} as {@code meta} checked it, {@code headerEnd} and {@code bytesRead} as read. */
    static SnapshotHeader of(SnapshotInput input, SnapshotMeta meta, long headerEnd, long bytesRead) {
        SnapshotFormat f = meta.format;
        long json = input.size;
        if (input.gzip) {
            json = inflatedSize(input.gzipTrailerSize(),
                    headerEnd + 2L * ((long) meta.nodeCount * f.stride + (long) meta.edgeCount * f.edgeStride));
        }
        return new SnapshotHeader(input.path, input.size, input.gzip, meta.nodeCount, meta.edgeCount,
                meta.traceFunctionCount, f.nodeFields, f.nodeTypes, f.edgeFields, f.edgeTypes, f.hasLocations(),
                meta.extraNativeBytes, meta.hasExtraNativeBytes, meta.rootOrdinal, headerEnd, bytesRead, json);
    }

    /**
     * The inflated size given the trailer's size modulo 2^32 ({@code trailer}, -1 when unknown) and the least the
     * JSON can take ({@code atLeast}: the header and one digit and a separator per value): the smallest size
     * congruent to the trailer that is not below that. Wrong only for a file whose real size is 4 GiB or more
     * above that least size, which takes a strings section of several GB.
     */
    static long inflatedSize(long trailer, long atLeast) {
        if (trailer < 0) {
            return -1;
        }
        long size = trailer;
        if (size < atLeast) {
            size += ((atLeast - size + (1L << 32) - 1) >>> 32) << 32;
        }
        return size;
    }

    /** Values per node ({@code node_fields.length}). */
    public int nodeFieldCount() {
        return nodeFields.size();
    }

    /** Values per edge ({@code edge_fields.length}). */
    public int edgeFieldCount() {
        return edgeFields.size();
    }

    /** Whether nodes have a {@code trace_node_id} (Node 24 writes it only with allocation tracking on). */
    public boolean hasTraceNodeIds() {
        return nodeFields.contains("trace_node_id");
    }

    /** Whether nodes have a {@code detachedness} (added to V8 in 2021). */
    public boolean hasDetachedness() {
        return nodeFields.contains("detachedness");
    }

    /** Whether the snapshot carries allocation traces ({@code trace_function_count} above 0). */
    public boolean hasAllocationTraces() {
        return traceFunctionCount > 0;
    }
}
