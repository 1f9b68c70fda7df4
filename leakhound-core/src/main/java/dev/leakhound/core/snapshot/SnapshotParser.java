package dev.leakhound.core.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a V8 {@code .heapsnapshot} (plain or gzip).
 *
 * <p>Large plain files in V8's own layout are read by the two-thread fast path ({@link ParallelReader});
 * everything else, and any file that path does not handle, by the sequential streaming pass of this class.
 * Both check the header with {@link SnapshotMeta} and decode records with {@link RecordDecoder} and strings
 * with {@link JsonStringDecoder}, so they accept the same files and report the same errors.
 *
 * <p>Everything is driven by {@code snapshot.meta}: node fields are looked up by name (6 or 7 of them: Node 24
 * drops {@code trace_node_id}, pre-2021 V8 has no {@code detachedness}), type names are mapped to canonical
 * codes, unknown types are kept. Arrays are sized from the header counts after checking that the input is big
 * enough to hold that many values, so a lying header cannot make us allocate. Validation happens while
 * reading: value counts, the sum of {@code edge_count}, {@code to_node} alignment and range, string indexes,
 * and nothing after the document. Key order is not assumed: if {@code nodes}, {@code edges} or
 * {@code locations} come before the header, a second pass reads them.
 *
 * <p>{@link #readHeader} is the same first pass stopped right after the header: what the header says, checked
 * the same way, for the cost of a few KB at any file size.
 */
public final class SnapshotParser {
    /** The most bytes the {@code snapshot} header may take (bounds what a bogus header can make us hold). */
    static final long HEADER_LIMIT = 16L << 20;

    /** Bytes the scanner buffers when only the header is read: V8's header takes about 1 KB. */
    private static final int HEADER_BUFFER = 16 << 10;

    private final SnapshotInput input;
    private final ProgressListener progress;
    private final ReadOptions options;
    /** Stop right after the 'snapshot' header ({@link #readHeader}). */
    private final boolean headerOnly;
    private SnapshotMeta meta;
    /** Offset in the JSON just past the header's value. */
    private long headerEnd;
    private ColumnsBuilder columns;
    private RecordDecoder decoder;
    /** Kept here because the strings may come before the header. */
    private StringTable strings;

    private SnapshotParser(SnapshotInput input, ProgressListener progress, ReadOptions options) {
        this(input, progress, options, false);
    }

    private SnapshotParser(SnapshotInput input, ProgressListener progress, ReadOptions options, boolean headerOnly) {
        this.input = input;
        this.progress = progress;
        this.options = options;
        this.headerOnly = headerOnly;
    }

    /** Reads the snapshot at {@code path} with the default options. */
    public static HeapSnapshot read(Path path) {
        return read(path, ProgressListener.NONE, ReadOptions.defaults());
    }

    /** Reads the snapshot at {@code path} with the default options, reporting progress. */
    public static HeapSnapshot read(Path path, ProgressListener progress) {
        return read(path, progress, ReadOptions.defaults());
    }

    /**
     * Reads the snapshot at {@code path}. When the fast path gives up on a file (a layout it does not read, or
     * content the sequential pass must report on), {@code progress} gets a {@link ProgressListener#note} saying
     * why, and the sequential pass reads the file.
     *
     * @throws SnapshotFormatException when the file is not a readable heap snapshot (the message says what and where)
     * @throws dev.leakhound.core.LeakhoundException when it cannot be read, or the reading thread is interrupted
     */
    public static HeapSnapshot read(Path path, ProgressListener progress, ReadOptions options) {
        ProgressListener p = progress == null ? ProgressListener.NONE : progress;
        SnapshotInput in = SnapshotInput.of(path, options.maxGzipRatio());
        if (!in.gzip && options.fastPath() && in.size >= options.fastPathMinBytes()) {
            try {
                return new ParallelReader(in, p, options).read();
            } catch (ParallelReader.Bail b) {
                p.note("the fast reader gave up on " + in.file + " (" + b.getMessage() + "); reading it sequentially");
            }
        }
        return new SnapshotParser(in, p, options).run();
    }

    /** {@link #readHeader(Path, ReadOptions)} with the default options. */
    public static SnapshotHeader readHeader(Path path) {
        return readHeader(path, ReadOptions.defaults());
    }

    /**
     * Reads only the {@code snapshot} header of the file at {@code path}, checked as {@link #read} checks it, and
     * nothing after it: in V8's layout the header comes first, so this reads a few KB of any file, plain or gzip
     * (only the first compressed blocks are inflated). A file whose header comes after other members is read up
     * to its header. Whether the rest of the file is complete and valid is not checked.
     *
     * @throws SnapshotFormatException when the file does not start like a heap snapshot or its header is bad or cut
     * @throws dev.leakhound.core.LeakhoundException when it cannot be read
     */
    public static SnapshotHeader readHeader(Path path, ReadOptions options) {
        SnapshotInput in = SnapshotInput.of(path, options.maxGzipRatio());
        SnapshotParser p = new SnapshotParser(in, ProgressListener.NONE, options, true);
        p.firstPass();
        return SnapshotHeader.of(in, p.meta, p.headerEnd, in.bytesRead());
    }

    /** The sequential pass alone (tests compare the fast path with it). */
    static HeapSnapshot readSequential(Path path, ReadOptions options) {
        return new SnapshotParser(SnapshotInput.of(path, options.maxGzipRatio()), ProgressListener.NONE, options).run();
    }

    /** The fast path alone: throws {@link ParallelReader.Bail} where {@link #read} would fall back. */
    static HeapSnapshot readFastPath(Path path, ReadOptions options) {
        return new ParallelReader(SnapshotInput.of(path, options.maxGzipRatio()), ProgressListener.NONE, options).read();
    }

    private HeapSnapshot run() {
        if (firstPass()) {
            pass(true);
        }
        if (strings != null) {
            columns.strings(strings);
        }
        HeapSnapshot s = columns.build(input);
        progress.progress("reading", 1.0);
        return s;
    }

    /**
     * The first pass (up to the header only, when {@link #headerOnly}), which must find the header; returns
     * whether a second pass is needed.
     */
    private boolean firstPass() {
        if (input.size == 0) {
            throw new SnapshotFormatException(input.file, 0, "empty file, not a heap snapshot");
        }
        boolean secondPass = pass(false);
        if (meta == null) {
            throw new SnapshotFormatException(input.file, -1, "not a V8 heap snapshot: no 'snapshot' header object");
        }
        return secondPass;
    }

    /** One pass over the document; returns whether a second pass is needed (arrays before the header). */
    private boolean pass(boolean second) {
        try (InputStream in = input.open(options.readAhead() && !headerOnly)) {
            ByteScanner sc = new ByteScanner(in, input.file, headerOnly ? HEADER_BUFFER : SnapshotInput.BUFFER);
            sc.expectSnapshotStart();
            boolean needSecond = false;
            if (sc.peek() == '}') {
                sc.next();
            } else {
                needSecond = members(sc, second);
            }
            if (headerOnly) {
                return false;
            }
            int trailing = sc.peek();
            if (trailing != ByteScanner.EOF) {
                throw sc.error("unexpected data after the end of the snapshot document"
                        + (trailing == '{' ? " (two snapshots concatenated?)" : ""));
            }
            return needSecond;
        } catch (IOException e) {
            throw SnapshotInput.readError(input.file, e);
        }
    }

    /** The top-level members, up to and including the closing '}'; returns whether a second pass is needed. */
    private boolean members(ByteScanner sc, boolean second) {
        boolean needSecond = false;
        List<String> seen = new ArrayList<>();
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
            needSecond |= member(sc, key, keyAt, second);
            if (headerOnly && meta != null) {
                return false;   // nothing after the header is read
            }
            int s = sc.next();
            if (s == '}') {
                return needSecond;
            }
            if (s != ',') {
                if (s == ByteScanner.EOF) {
                    throw sc.error("unexpected end of file after '" + key + "' (file truncated?)");
                }
                throw sc.error("expected ',' or '}' after '" + key + "' but found " + ByteScanner.describe(s));
            }
        }
    }

    /** One member's value; returns whether it must be read in a second pass (it came before the header). */
    private boolean member(ByteScanner sc, String key, long keyAt, boolean second) {
        boolean haveHeader = meta != null;
        switch (key) {
            case "snapshot":
                if (second) {
                    sc.skipValue("in 'snapshot'");
                } else {
                    sc.smallValueLimit = sc.offset() + HEADER_LIMIT;
                    Object h = sc.readSmallValue("in the 'snapshot' header", 0);
                    sc.smallValueLimit = Long.MAX_VALUE;
                    headerEnd = sc.offset();
                    meta = SnapshotMeta.parse(h, keyAt, input);
                    columns = new ColumnsBuilder(meta);
                    decoder = new RecordDecoder(columns);
                }
                return false;
            case "nodes":
                if (haveHeader && !columns.nodesDone()) {
                    readNodes(sc);
                    return false;
                }
                break;
            case "edges":
                if (haveHeader && !columns.edgesDone()) {
                    readEdges(sc);
                    return false;
                }
                break;
            case "locations":
                if (haveHeader && !columns.hasLocations() && meta.format.hasLocations()) {
                    readLocations(sc);
                    return false;
                }
                break;
            case "trace_function_infos":
                if (haveHeader && columns.traces != null && !columns.traces.haveFunctions()) {
                    columns.traces.readFunctions(sc);
                    return false;
                }
                break;
            case "trace_tree":
                if (haveHeader && columns.traces != null && !columns.traces.haveTree()) {
                    columns.traces.readTree(sc);
                    return false;
                }
                break;
            case "strings":
                if (!second && !headerOnly) {
                    readStrings(sc);
                    return false;
                }
                break;
            default:
                sc.skipValue("in '" + key + "'");
                return false;
        }
        sc.skipValue("in '" + key + "'");
        return !haveHeader;
    }

    // ---- sections: each record's values are read with their offsets, then decoded ----

    private void reportProgress() {
        progress.progress("reading", input.fractionRead());
    }

    /** Records read before each call of the decoder. */
    private static final int BATCH = 64;

    /** A decoder of a batch of records: {@link RecordDecoder#nodes} or {@link RecordDecoder#edges}. */
    @FunctionalInterface
    private interface Decode {
        int batch(long[] v, int first, int count);
    }

    /**
     * Reads the {@code count} records of {@code stride} values of a section with a known count (the opening
     * '[' read) in batches, with the offset after each value, and decodes them. If reading fails inside a
     * batch, the records read before are decoded first: the first problem in file order is the one reported.
     * Returns the largest name the decoder pointed at and its offset.
     */
    private long[] readRecords(ByteScanner sc, String section, int count, int stride, int progressMask, Decode decode) {
        String declared = (section.equals("nodes") ? "node_count " : "edge_count ") + count + " x " + stride
                + " fields needs " + (long) count * stride;
        int batch = Math.min(BATCH, Math.max(1, count));
        long[] v = new long[batch * stride];
        long[] at = new long[batch * stride];
        long maxName = -1;
        long maxNameAt = 0;
        try {
            for (int i = 0; i < count; ) {
                int c = Math.min(batch, count - i);
                int got = 0;
                try {
                    for (; got < c; got++) {
                        if (((i + got) & progressMask) == 0) {
                            reportProgress();
                        }
                        record(sc, section, i + got, v, at, got * stride, stride, declared);
                    }
                } catch (SnapshotFormatException e) {
                    decode.batch(v, i, got);
                    throw e;
                }
                int best = decode.batch(v, i, c);
                if (best >= 0 && v[best] > maxName) {
                    maxName = v[best];
                    maxNameAt = at[best];
                }
                i += c;
            }
        } catch (RecordDecoder.Invalid e) {
            throw invalid(sc, at, e);
        }
        return new long[] {maxName, maxNameAt};
    }

    /**
     * Reads the {@code stride} values of record {@code index} into {@code v[o..]}, and the offset after each into
     * {@code at[o..]}; {@code declared} describes the count for the message when the array ends early.
     */
    private static void record(ByteScanner sc, String section, long index, long[] v, long[] at, int o, int stride,
                               String declared) {
        for (int f = 0; f < stride; f++) {
            long x = sc.nextArrayNumber(index == 0 && f == 0, section);
            if (x < 0) {
                throw sc.error("'" + section + "' ends after " + (index * stride + f) + " values, but " + declared);
            }
            v[o + f] = x;
            at[o + f] = sc.offset();
        }
    }

    private SnapshotFormatException invalid(ByteScanner sc, long[] at, RecordDecoder.Invalid e) {
        return sc.error(e.value >= 0 ? at[e.value] : sc.offset(), e.getMessage());
    }

    private void readNodes(ByteScanner sc) {
        sc.expect('[', "at the start of 'nodes'");
        columns.allocateNodes();
        int n = meta.nodeCount;
        int st = meta.format.stride;
        long[] max = readRecords(sc, "nodes", n, st, 0xFFFF, decoder::nodes);
        if (sc.nextArrayNumber(n == 0, "nodes") >= 0) {
            throw sc.error("'nodes' holds more values than node_count " + n + " x " + st + " fields");
        }
        try {
            decoder.checkEdgeSum();
        } catch (RecordDecoder.Invalid e) {
            throw sc.error(e.getMessage());
        }
        columns.nodesDone(max[0], max[1]);
    }

    private void readEdges(ByteScanner sc) {
        sc.expect('[', "at the start of 'edges'");
        columns.allocateEdges();
        int m = meta.edgeCount;
        int es = meta.format.edgeStride;
        long[] max = readRecords(sc, "edges", m, es, 0x3FFFF, decoder::edges);
        if (sc.nextArrayNumber(m == 0, "edges") >= 0) {
            throw sc.error("'edges' holds more values than edge_count " + m + " x " + es + " fields");
        }
        columns.edgesDone(max[0], max[1]);
    }

    private void readLocations(ByteScanner sc) {
        sc.expect('[', "at the start of 'locations'");
        int ls = meta.format.locationStride;
        long[] v = new long[ls];
        long[] at = new long[ls];
        RecordDecoder.Locations locations = new RecordDecoder.Locations();
        boolean first = true;
        try {
            while (true) {
                for (int f = 0; f < ls; f++) {
                    long x = sc.nextArrayNumber(first, "locations");
                    first = false;
                    if (x < 0) {
                        if (f != 0) {
                            throw sc.error("'locations' ends in the middle of an entry");
                        }
                        columns.locations(locations.build());
                        return;
                    }
                    v[f] = x;
                    at[f] = sc.offset();
                }
                decoder.locations(v, 1, locations);
            }
        } catch (RecordDecoder.Invalid e) {
            throw invalid(sc, at, e);
        }
    }

    private void readStrings(ByteScanner sc) {
        sc.expect('[', "at the start of 'strings'");
        StringTable table = new StringTable();
        if (sc.peek() == ']') {
            sc.next();
            strings = table;
            return;
        }
        for (int i = 0; ; i++) {
            if ((i & 0x3FFF) == 0) {
                reportProgress();
            }
            if (table.isFull()) {
                throw sc.error("'strings' holds more than " + StringTable.MAX_STRINGS + " strings, more than leakhound supports");
            }
            sc.readString(table, "in 'strings'");
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
}
