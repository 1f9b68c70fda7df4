package dev.leakhound.core.snapshot;

import dev.leakhound.core.LeakhoundException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a V8 {@code .heapsnapshot} (plain or gzip) in one streaming pass.
 *
 * <p>Everything is driven by {@code snapshot.meta}: node fields are looked up by name (6 or 7 of
 * them: Node 24 drops {@code trace_node_id}, pre-2021 V8 has no {@code detachedness}), type names
 * are mapped to canonical codes, unknown types are kept. Arrays are sized from the header counts
 * after checking that the input is big enough to hold that many values, so a lying header cannot
 * make us allocate. Validation happens while reading: value counts, the sum of {@code edge_count},
 * {@code to_node} alignment and range, string indexes, and nothing after the document. Key order is
 * not assumed: if {@code nodes}, {@code edges} or {@code locations} come before the header, a
 * second pass reads them.
 */
public final class SnapshotParser {
    /** Decompressed bytes may be at most this many times the compressed size (gzip-bomb guard). */
    public static final long MAX_GZIP_RATIO = Long.getLong("leakhound.maxGzipRatio", 100);
    static final int BUFFER = 1 << 20;
    static final long HEADER_LIMIT = 16L << 20;
    /** Inflate gzip input on a second thread (tests compare with inflating inline). */
    static volatile boolean readAhead = true;

    final Path path;
    final String file;
    final ProgressListener progress;
    final boolean gzip;
    final long fileSize;
    CountingStream counter;

    // header
    boolean haveHeader;
    int nodeCount;
    int edgeCount;
    int stride;
    int[] nodeRole;
    byte[] nodeTypeMap;     // file type index -> canonical code
    String[] nodeTypeNames;
    byte[] edgeTypeMap;
    String[] edgeTypeNames;
    int edgeStride;
    int[] edgeRole;
    int[] locationRole;
    long rootIndex;
    long extraNativeBytes;

    // columns
    byte[] nodeType;
    int[] nodeName;
    int[] nodeId;
    long[] nodeSize;
    int[] firstEdge;
    int[] nodeTrace;
    byte[] nodeDetached;
    byte[] edgeType;
    int[] edgeName;
    int[] edgeTo;
    StringTable strings;
    SnapshotLocations locations;
    boolean nodesDone;
    boolean edgesDone;
    boolean locationsDone;
    boolean locationsSeen;

    // validation deferred until strings are known
    long maxNodeName = -1;
    long maxNodeNameAt;
    long maxEdgeName = -1;
    long maxEdgeNameAt;

    static final int R_IGNORE = 0;
    static final int R_TYPE = 1;
    static final int R_NAME = 2;
    static final int R_ID = 3;
    static final int R_SIZE = 4;
    static final int R_EDGES = 5;
    static final int R_TRACE = 6;
    static final int R_DETACHED = 7;

    private SnapshotParser(Path path, ProgressListener progress) {
        this.path = path;
        this.file = path.toString();
        this.progress = progress == null ? ProgressListener.NONE : progress;
        try {
            this.fileSize = Files.size(path);
            try (InputStream in = Files.newInputStream(path)) {
                int b0 = in.read();
                int b1 = in.read();
                this.gzip = b0 == 0x1f && b1 == 0x8b;
            }
        } catch (NoSuchFileException e) {
            throw new LeakhoundException(file + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new LeakhoundException(file + ": permission denied");
        } catch (IOException e) {
            throw new LeakhoundException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (Files.isDirectory(path)) {
            throw new LeakhoundException(file + ": is a directory, not a heap snapshot file");
        }
    }

    public static HeapSnapshot read(Path path) {
        return read(path, ProgressListener.NONE);
    }

    public static HeapSnapshot read(Path path, ProgressListener progress) {
        return read(path, progress, ParallelReader.MIN_BYTES, ParallelReader.WINDOW, ParallelReader.BLOCK);
    }

    /** {@link #read(Path, ProgressListener)} with the parallel path's size parameters (tests make them tiny). */
    static HeapSnapshot read(Path path, ProgressListener progress, long parallelMinBytes, int window, int block) {
        SnapshotParser p = new SnapshotParser(path, progress);
        if (!p.gzip && ParallelReader.ENABLED && p.fileSize >= parallelMinBytes) {
            HeapSnapshot s = new ParallelReader(new SnapshotParser(path, progress), window, block).read();
            if (s != null) {
                return s;
            }
            // anything unusual (other key order, odd formatting, any error): the sequential pass decides
        }
        return p.run();
    }

    /** The parallel path alone: null where {@link #read} would fall back to the sequential pass. */
    static HeapSnapshot readParallelOnly(Path path, int window, int block, String[] bailReason) {
        ParallelReader r = new ParallelReader(new SnapshotParser(path, ProgressListener.NONE), window, block);
        HeapSnapshot s = r.read();
        if (bailReason != null) {
            bailReason[0] = r.bailReason;
        }
        return s;
    }

    /** Reads with the sequential streaming pass only (tests compare it with the parallel path). */
    static HeapSnapshot readSequential(Path path) {
        return new SnapshotParser(path, ProgressListener.NONE).run();
    }


    /** The most bytes of JSON the input can deliver (decompressed size bound for gzip). */
    private long maxInputBytes() {
        return gzip ? fileSize * MAX_GZIP_RATIO + (64L << 20) : fileSize;
    }

    private InputStream open() throws IOException {
        InputStream raw = Files.newInputStream(path);
        counter = new CountingStream(raw);
        if (!gzip) {
            return counter;
        }
        long limit = maxInputBytes();
        GZIPInputStream gz;
        try {
            gz = new GZIPInputStream(counter, 1 << 16);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            raw.close();
            throw new SnapshotFormatException(file, 0, "corrupt gzip header: " + e.getMessage());
        }
        InputStream bounded = new FilterInputStream(gz) {
            long total;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    total += n;
                    if (total > limit) {
                        throw new SnapshotFormatException(file, total,
                                "gzip data expands more than " + MAX_GZIP_RATIO + "x its compressed size; refusing it (gzip bomb?)");
                    }
                }
                return n;
            }
        };
        // inflate on the second core, a few reads ahead of the parser (the same reads, so the same bytes,
        // errors and offsets as inflating here)
        return readAhead && dev.leakhound.core.Parallel.THREADS > 1 ? new ReadAhead(bounded, BUFFER, 4) : bounded;
    }

    private HeapSnapshot run() {
        if (fileSize == 0) {
            throw new SnapshotFormatException(file, 0, "empty file, not a heap snapshot");
        }
        boolean secondPass;
        try (InputStream in = open()) {
            secondPass = pass(new ByteScanner(in, file, BUFFER), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!haveHeader) {
            throw new SnapshotFormatException(file, -1, "not a V8 heap snapshot: no 'snapshot' header object");
        }
        if (secondPass) {
            try (InputStream in = open()) {
                pass(new ByteScanner(in, file, BUFFER), true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return finish();
    }

    /** Checks what needs every section and builds the snapshot. */
    HeapSnapshot finish() {
        for (String[] req : new String[][] {{"nodes", nodesDone ? "" : null}, {"edges", edgesDone ? "" : null},
                {"strings", strings != null ? "" : null}}) {
            if (req[1] == null) {
                throw new SnapshotFormatException(file, -1, "no '" + req[0] + "' section");
            }
        }
        if (maxNodeName >= strings.size()) {
            throw new SnapshotFormatException(file, maxNodeNameAt, "node name " + maxNodeName
                    + " is outside the strings table (" + strings.size() + " strings)");
        }
        if (maxEdgeName >= strings.size()) {
            throw new SnapshotFormatException(file, maxEdgeNameAt, "edge name " + maxEdgeName
                    + " is outside the strings table (" + strings.size() + " strings)");
        }
        if (nodeCount == 0) {
            throw new SnapshotFormatException(file, -1, "the snapshot has no nodes");
        }
        progress.progress("reading", 1.0);
        return new HeapSnapshot(path, nodeCount, edgeCount, nodeType, nodeName, nodeId, nodeSize, firstEdge,
                nodeTrace, nodeDetached, edgeType, edgeName, edgeTo, strings, nodeTypeNames, edgeTypeNames,
                (int) (rootIndex / stride), extraNativeBytes,
                locations == null ? SnapshotLocations.empty() : locations, stride);
    }

    /** One pass over the document; returns whether a second pass is needed (arrays before the header). */
    private boolean pass(ByteScanner sc, boolean second) {
        int c = sc.peek();
        if (c != '{') {
            if (c == ByteScanner.EOF) {
                throw sc.error("empty file, not a heap snapshot");
            }
            throw sc.error("not a V8 heap snapshot: expected '{' but found " + ByteScanner.describe(c));
        }
        sc.next();
        boolean needSecond = false;
        List<String> seen = new ArrayList<>();
        if (sc.peek() != '}') {
            while (true) {
                long keyAt = sc.offset();
                String key = sc.readString("as a top-level key");
                if (!second) {
                    if (seen.contains(key)) {
                        throw sc.error(keyAt, "duplicate top-level key '" + key + "'");
                    }
                    seen.add(key);
                }
                sc.expect(':', "after top-level key '" + key + "'");
                switch (key) {
                    case "snapshot":
                        if (second) {
                            sc.skipValue("in 'snapshot'");
                        } else {
                            sc.smallValueLimit = sc.offset() + HEADER_LIMIT;
                            Object h = sc.readSmallValue("in the 'snapshot' header", 0);
                            sc.smallValueLimit = Long.MAX_VALUE;
                            readHeader(h, keyAt);
                        }
                        break;
                    case "nodes":
                        if (haveHeader && !nodesDone) {
                            readNodes(sc);
                        } else {
                            needSecond |= !haveHeader;
                            sc.skipValue("in 'nodes'");
                        }
                        break;
                    case "edges":
                        if (haveHeader && !edgesDone) {
                            readEdges(sc);
                        } else {
                            needSecond |= !haveHeader;
                            sc.skipValue("in 'edges'");
                        }
                        break;
                    case "locations":
                        locationsSeen = true;
                        if (haveHeader && !locationsDone && locationRole != null) {
                            readLocations(sc);
                        } else {
                            needSecond |= !haveHeader;
                            sc.skipValue("in 'locations'");
                        }
                        break;
                    case "strings":
                        if (second) {
                            sc.skipValue("in 'strings'");
                        } else {
                            readStrings(sc);
                        }
                        break;
                    default:
                        sc.skipValue("in '" + key + "'");
                }
                int s = sc.next();
                if (s == '}') {
                    break;
                }
                if (s != ',') {
                    if (s == ByteScanner.EOF) {
                        throw sc.error("unexpected end of file after '" + key + "' (file truncated?)");
                    }
                    throw sc.error("expected ',' or '}' after '" + key + "' but found " + ByteScanner.describe(s));
                }
            }
        } else {
            sc.next();
        }
        int trailing = sc.peek();
        if (trailing != ByteScanner.EOF) {
            throw sc.error("unexpected data after the end of the snapshot document"
                    + (trailing == '{' ? " (two snapshots concatenated?)" : ""));
        }
        return needSecond;
    }

    // ---- header ----

    @SuppressWarnings("unchecked")
    void readHeader(Object h, long at) {
        if (!(h instanceof Map)) {
            throw new SnapshotFormatException(file, at, "'snapshot' is not an object");
        }
        Map<String, Object> header = (Map<String, Object>) h;
        Object m = header.get("meta");
        if (!(m instanceof Map)) {
            throw new SnapshotFormatException(file, at, "'snapshot.meta' is missing or not an object");
        }
        Map<String, Object> meta = (Map<String, Object>) m;
        List<String> nodeFields = stringList(meta, "node_fields", at);
        List<String> edgeFields = stringList(meta, "edge_fields", at);
        List<String> nodeTypes = enumList(meta, "node_types", nodeFields.indexOf("type"), at);
        List<String> edgeTypes = enumList(meta, "edge_types", edgeFields.indexOf("type"), at);

        stride = nodeFields.size();
        nodeRole = new int[stride];
        for (int i = 0; i < stride; i++) {
            switch (nodeFields.get(i)) {
                case "type": nodeRole[i] = R_TYPE; break;
                case "name": nodeRole[i] = R_NAME; break;
                case "id": nodeRole[i] = R_ID; break;
                case "self_size": nodeRole[i] = R_SIZE; break;
                case "edge_count": nodeRole[i] = R_EDGES; break;
                case "trace_node_id": nodeRole[i] = R_TRACE; break;
                case "detachedness": nodeRole[i] = R_DETACHED; break;
                default: nodeRole[i] = R_IGNORE;
            }
        }
        for (String req : new String[] {"type", "name", "id", "self_size", "edge_count"}) {
            if (!nodeFields.contains(req)) {
                throw new SnapshotFormatException(file, at, "snapshot.meta.node_fields has no '" + req + "'");
            }
        }
        edgeStride = edgeFields.size();
        edgeRole = new int[edgeStride];
        for (int i = 0; i < edgeStride; i++) {
            switch (edgeFields.get(i)) {
                case "type": edgeRole[i] = 1; break;
                case "name_or_index": edgeRole[i] = 2; break;
                case "to_node": edgeRole[i] = 3; break;
                default: edgeRole[i] = 0;
            }
        }
        for (String req : new String[] {"type", "name_or_index", "to_node"}) {
            if (!edgeFields.contains(req)) {
                throw new SnapshotFormatException(file, at, "snapshot.meta.edge_fields has no '" + req + "'");
            }
        }

        // map the file's type names onto canonical codes; unknown names get codes after the known ones
        List<String> typeNames = new ArrayList<>(Arrays.asList(NodeType.NAMES));
        nodeTypeMap = new byte[nodeTypes.size()];
        for (int i = 0; i < nodeTypes.size(); i++) {
            int code = NodeType.codeOf(nodeTypes.get(i));
            if (code < 0) {
                code = typeNames.indexOf(nodeTypes.get(i));
                if (code < 0) {
                    typeNames.add(nodeTypes.get(i));
                    code = typeNames.size() - 1;
                }
            }
            if (code > 127) {
                throw new SnapshotFormatException(file, at, "too many node types");
            }
            nodeTypeMap[i] = (byte) code;
        }
        nodeTypeNames = typeNames.toArray(new String[0]);
        List<String> eNames = new ArrayList<>(Arrays.asList(EdgeType.NAMES));
        edgeTypeMap = new byte[edgeTypes.size()];
        for (int i = 0; i < edgeTypes.size(); i++) {
            int code = EdgeType.codeOf(edgeTypes.get(i));
            if (code < 0) {
                code = eNames.indexOf(edgeTypes.get(i));
                if (code < 0) {
                    eNames.add(edgeTypes.get(i));
                    code = eNames.size() - 1;
                }
            }
            if (code > 127) {
                throw new SnapshotFormatException(file, at, "too many edge types");
            }
            edgeTypeMap[i] = (byte) code;
        }
        edgeTypeNames = eNames.toArray(new String[0]);

        Object lf = meta.get("location_fields");
        if (lf != null) {
            List<String> locFields = stringList(meta, "location_fields", at);
            locationRole = new int[locFields.size()];
            for (int i = 0; i < locFields.size(); i++) {
                switch (locFields.get(i)) {
                    case "object_index": locationRole[i] = 1; break;
                    case "script_id": locationRole[i] = 2; break;
                    case "line": locationRole[i] = 3; break;
                    case "column": locationRole[i] = 4; break;
                    default: locationRole[i] = 0;
                }
            }
            if (!locFields.contains("object_index")) {
                locationRole = null;
            }
        }

        long nc = count(header, "node_count", at);
        long ec = count(header, "edge_count", at);
        long minBytes = nc * stride * 2 + ec * edgeStride * 2;
        if (minBytes > maxInputBytes()) {
            throw new SnapshotFormatException(file, at, "the header declares " + nc + " nodes and " + ec
                    + " edges, more than a " + (gzip ? "gzip file" : "file") + " of " + fileSize
                    + " bytes can hold (truncated or corrupt?)");
        }
        nodeCount = (int) nc;
        edgeCount = (int) ec;
        rootIndex = optionalInteger(header, "root_index", at);
        if (nc > 0) {
            // a node index: a multiple of the field count, below the end of 'nodes'
            if (rootIndex < 0) {
                throw new SnapshotFormatException(file, at, "snapshot.root_index " + rootIndex + " is negative, not a node index");
            }
            if (rootIndex % stride != 0) {
                throw new SnapshotFormatException(file, at, "snapshot.root_index " + rootIndex
                        + " is not a node index: not a multiple of the " + stride + " node fields");
            }
            if (rootIndex / stride >= nc) {
                throw new SnapshotFormatException(file, at, "snapshot.root_index " + rootIndex
                        + " is past the last node (" + nc + " nodes x " + stride + " fields)");
            }
        }
        extraNativeBytes = optionalInteger(header, "extra_native_bytes", at);
        if (extraNativeBytes < 0) {
            throw new SnapshotFormatException(file, at, "snapshot.extra_native_bytes " + extraNativeBytes + " is negative");
        }
        haveHeader = true;
    }

    private long count(Map<String, Object> header, String key, long at) {
        Object v = header.get(key);
        if (!(v instanceof Long) || (Long) v < 0) {
            throw new SnapshotFormatException(file, at, "snapshot." + key + " is missing or not a non-negative integer");
        }
        long n = (Long) v;
        if (n > Integer.MAX_VALUE - 8) {
            throw new SnapshotFormatException(file, at, "snapshot." + key + " = " + n + " exceeds what leakhound supports (2^31)");
        }
        return n;
    }

    /** An optional integer member of the header: 0 when absent, an error when present but not an integer. */
    private long optionalInteger(Map<String, Object> header, String key, long at) {
        if (!header.containsKey(key)) {
            return 0;
        }
        Object v = header.get(key);
        if (!(v instanceof Long)) {
            throw new SnapshotFormatException(file, at, "snapshot." + key + " is not an integer: " + v);
        }
        return (Long) v;
    }

    private List<String> stringList(Map<String, Object> meta, String key, long at) {
        Object v = meta.get(key);
        if (!(v instanceof List) || ((List<?>) v).isEmpty()) {
            throw new SnapshotFormatException(file, at, "snapshot.meta." + key + " is missing or empty");
        }
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            if (!(o instanceof String)) {
                throw new SnapshotFormatException(file, at, "snapshot.meta." + key + " holds a non-string");
            }
            out.add((String) o);
        }
        return out;
    }

    /** The enum list describing the {@code type} field, found by field position (not by length). */
    private List<String> enumList(Map<String, Object> meta, String key, int typeField, long at) {
        Object v = meta.get(key);
        if (!(v instanceof List) || typeField < 0 || typeField >= ((List<?>) v).size()
                || !(((List<?>) v).get(typeField) instanceof List)) {
            // Node 24 drops a node field but keeps every type descriptor: the enum is still the first entry
            if (v instanceof List && !((List<?>) v).isEmpty() && ((List<?>) v).get(0) instanceof List) {
                typeField = 0;
            } else {
                throw new SnapshotFormatException(file, at, "snapshot.meta." + key + " has no list of type names");
            }
        }
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) ((List<?>) v).get(typeField)) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    // ---- sections ----

    void reportProgress() {
        if (counter == null) {
            return;   // parallel reader: its main thread reports
        }
        progress.progress("reading", Math.min(1.0, (double) counter.count / Math.max(1, fileSize)));
    }

    private void readNodes(ByteScanner sc) {
        sc.expect('[', "at the start of 'nodes'");
        int n = nodeCount;
        int st = stride;
        int[] role = nodeRole;
        byte[] typeMap = nodeTypeMap;
        int typeCount = typeMap.length;
        nodeType = new byte[n];
        nodeName = new int[n];
        nodeId = new int[n];
        nodeSize = new long[n];
        firstEdge = new int[n + 1];
        boolean hasTrace = false;
        boolean hasDetached = false;
        for (int r : role) {
            hasTrace |= r == R_TRACE;
            hasDetached |= r == R_DETACHED;
        }
        nodeTrace = hasTrace ? HeapSnapshot.NO_TRACE_IDS : null;   // allocated at the first non-zero id
        nodeDetached = hasDetached ? new byte[n] : null;
        long edgeSum = 0;
        long maxName = -1;
        long maxNameAt = 0;
        boolean first = true;
        for (int i = 0; i < n; i++) {
            if ((i & 0xFFFF) == 0) {
                reportProgress();
            }
            for (int f = 0; f < st; f++) {
                long v = sc.nextArrayNumber(first, "nodes");
                first = false;
                if (v < 0) {
                    throw sc.error("'nodes' ends after " + ((long) i * st + f) + " values, but node_count "
                            + n + " x " + st + " fields needs " + ((long) n * st));
                }
                switch (role[f]) {
                    case R_TYPE:
                        if (v >= typeCount) {
                            throw sc.error("node " + i + " has type " + v + ", not one of the " + typeCount + " node types");
                        }
                        nodeType[i] = typeMap[(int) v];
                        break;
                    case R_NAME:
                        if (v > maxName) {
                            maxName = v;
                            maxNameAt = sc.offset();
                        }
                        nodeName[i] = (int) Math.min(v, Integer.MAX_VALUE);
                        break;
                    case R_ID:
                        if (v > 0xFFFFFFFFL) {
                            throw sc.error("node " + i + " has id " + v + ", larger than 32 bits");
                        }
                        nodeId[i] = (int) v;
                        break;
                    case R_SIZE:
                        nodeSize[i] = v;
                        break;
                    case R_EDGES:
                        edgeSum += v;
                        if (edgeSum > edgeCount) {
                            throw sc.error("node " + i + "'s edge_count takes the total past the header's edge_count "
                                    + edgeCount);
                        }
                        firstEdge[i + 1] = (int) edgeSum;
                        break;
                    case R_TRACE:
                        if (v > Integer.MAX_VALUE) {
                            throw sc.error("node " + i + " has trace_node_id " + v + ", larger than 2^31-1");
                        }
                        if (v != 0) {
                            if (nodeTrace.length == 0) {
                                nodeTrace = new int[n];
                            }
                            nodeTrace[i] = (int) v;
                        }
                        break;
                    case R_DETACHED:
                        if (v > Byte.MAX_VALUE) {
                            throw sc.error("node " + i + " has detachedness " + v + ", not a state code (0 to 127)");
                        }
                        nodeDetached[i] = (byte) v;
                        break;
                    default:
                        break;
                }
            }
        }
        if (sc.nextArrayNumber(first, "nodes") >= 0) {
            throw sc.error("'nodes' holds more values than node_count " + n + " x " + st + " fields");
        }
        if (edgeSum != edgeCount) {
            throw sc.error("the nodes' edge_count values add up to " + edgeSum + ", but the header's edge_count is "
                    + edgeCount);
        }
        maxNodeName = maxName;
        maxNodeNameAt = maxNameAt;
        nodesDone = true;
    }

    private void readEdges(ByteScanner sc) {
        sc.expect('[', "at the start of 'edges'");
        int m = edgeCount;
        int es = edgeStride;
        int[] role = edgeRole;
        byte[] typeMap = edgeTypeMap;
        int typeCount = typeMap.length;
        long ns = stride;
        long nodeValues = (long) nodeCount * ns;
        edgeType = new byte[m];
        edgeName = new int[m];
        edgeTo = new int[m];
        long maxName = -1;
        long maxNameAt = 0;
        boolean first = true;
        for (int i = 0; i < m; i++) {
            if ((i & 0x3FFFF) == 0) {
                reportProgress();
            }
            long name = 0;
            long nameAt = 0;
            int t = 0;
            for (int f = 0; f < es; f++) {
                long v = sc.nextArrayNumber(first, "edges");
                first = false;
                if (v < 0) {
                    throw sc.error("'edges' ends after " + ((long) i * es + f) + " values, but edge_count "
                            + m + " x " + es + " fields needs " + ((long) m * es));
                }
                switch (role[f]) {
                    case 1:
                        if (v >= typeCount) {
                            throw sc.error("edge " + i + " has type " + v + ", not one of the " + typeCount + " edge types");
                        }
                        t = typeMap[(int) v];
                        edgeType[i] = (byte) t;
                        break;
                    case 2:
                        if (v > 0xFFFFFFFFL) {
                            throw sc.error("edge " + i + " has name_or_index " + v + ", larger than 32 bits");
                        }
                        name = v;
                        nameAt = sc.offset();
                        edgeName[i] = (int) v;
                        break;
                    case 3:
                        if (v % ns != 0) {
                            throw sc.error("edge " + i + " has to_node " + v + ", not a multiple of the " + ns
                                    + " node fields");
                        }
                        if (v >= nodeValues) {
                            throw sc.error("edge " + i + " has to_node " + v + ", past the last node");
                        }
                        edgeTo[i] = (int) (v / ns);
                        break;
                    default:
                        break;
                }
            }
            if (EdgeType.nameIsString(t) && name > maxName) {
                maxName = name;
                maxNameAt = nameAt;
            }
        }
        if (sc.nextArrayNumber(first, "edges") >= 0) {
            throw sc.error("'edges' holds more values than edge_count " + m + " x " + es + " fields");
        }
        maxEdgeName = maxName;
        maxEdgeNameAt = maxNameAt;
        edgesDone = true;
    }

    void readLocations(ByteScanner sc) {
        sc.expect('[', "at the start of 'locations'");
        int ls = locationRole.length;
        int cap = 1024;
        int[] node = new int[cap];
        int[] script = new int[cap];
        int[] line = new int[cap];
        int[] col = new int[cap];
        int count = 0;
        long ns = stride;
        long nodeValues = (long) nodeCount * ns;
        boolean first = true;
        outer:
        while (true) {
            for (int f = 0; f < ls; f++) {
                long v = sc.nextArrayNumber(first, "locations");
                first = false;
                if (v < 0) {
                    if (f != 0) {
                        throw sc.error("'locations' ends in the middle of an entry");
                    }
                    break outer;
                }
                if (f == 0 && count == node.length) {
                    int c = count * 2;
                    node = Arrays.copyOf(node, c);
                    script = Arrays.copyOf(script, c);
                    line = Arrays.copyOf(line, c);
                    col = Arrays.copyOf(col, c);
                }
                switch (locationRole[f]) {
                    case 1:
                        if (v % ns != 0 || v >= nodeValues) {
                            throw sc.error("location " + count + " has object_index " + v + ", not a node");
                        }
                        node[count] = (int) (v / ns);
                        break;
                    case 2: script[count] = locationInt(sc, count, "script_id", v); break;
                    case 3: line[count] = locationInt(sc, count, "line", v); break;
                    case 4: col[count] = locationInt(sc, count, "column", v); break;
                    default: break;
                }
            }
            count++;
        }
        locations = new SnapshotLocations(node, script, line, col, count);
        locationsDone = true;
    }

    private static int locationInt(ByteScanner sc, int entry, String field, long v) {
        if (v > Integer.MAX_VALUE) {
            throw sc.error("location " + entry + " has " + field + " " + v + ", larger than 2^31-1");
        }
        return (int) v;
    }

    void readStrings(ByteScanner sc) {
        sc.expect('[', "at the start of 'strings'");
        StringTable table = new StringTable();
        if (sc.peek() == ']') {
            sc.next();
            strings = table;
            return;
        }
        int i = 0;
        while (true) {
            if ((i++ & 0x3FFF) == 0) {
                reportProgress();
            }
            if (table.isFull()) {
                throw sc.error("'strings' holds more than " + StringTable.MAX_STRINGS + " strings, more than leakhound supports");
            }
            int len = sc.readStringBytes("in 'strings'");
            table.add(sc.scratch(), 0, len);
            int s = sc.next();
            if (s == ']') {
                break;
            }
            if (s != ',') {
                if (s == ByteScanner.EOF) {
                    throw sc.error("unexpected end of file inside 'strings' (file truncated?)");
                }
                throw sc.error("expected ',' or ']' in 'strings' but found " + ByteScanner.describe(s));
            }
        }
        strings = table;
    }

    /** Counts the raw (compressed) bytes read, for progress and the gzip ratio. */
    private static final class CountingStream extends FilterInputStream {
        volatile long count;   // written by the read-ahead thread for gzip, read for progress

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
