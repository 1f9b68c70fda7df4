package dev.leakhound.core.snapshot;

import dev.leakhound.core.LeakhoundException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fast path for plain (uncompressed) snapshots in V8's own layout: {@code {"snapshot":{…},"nodes":[…],
 * "edges":[…],…}}. The header is read and checked as the sequential parser does it; then two threads share
 * the big sections, reading the file with positioned reads into their own buffers:
 * <ul>
 * <li>the calling thread parses {@code nodes};</li>
 * <li>a helper thread finds where {@code nodes} and {@code edges} end (they hold only digits, commas and
 *     whitespace, so the first {@code ]} ends each; a word-at-a-time byte search) while counting the
 *     commas in {@code edges}, which gives the value index at any point, so {@code edges} can be cut into
 *     blocks that start on an edge boundary; then it parses what follows {@code edges} ({@code locations},
 *     {@code strings}, …);</li>
 * <li>then both threads take edge blocks from a shared counter until none are left.</li>
 * </ul>
 * Records and strings go through the decoders the sequential parser uses, into a {@link ColumnsBuilder}.
 *
 * <p>An error in the header is reported as the sequential parser reports it (the header comes first in this
 * layout, so it is the first error in the file). Past the header this path reports no format errors: on a
 * layout it does not read (another key order, unusual formatting) or on content the format does not allow,
 * it gives up with a {@link Bail} saying why, and the sequential parser reads the file, finding the first
 * problem in file order and reporting it with its byte offset. A failed read is an error, and an interrupt
 * stops the read: neither makes the file be read again.
 */
final class ParallelReader {
    /** The smallest window: the loops below need a few values' worth of bytes. */
    private static final int MIN_WINDOW = 256;
    /** Records per call of the record decoder, at most. */
    private static final int BATCH = 1024;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES_7F = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long COMMAS = 0x2C2C2C2C2C2C2C2CL;
    private static final long CLOSES = 0x5D5D5D5D5D5D5D5DL;

    /** This path gives up on the file: the message says why. */
    static final class Bail extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bail(String why) {
            super(why, null, false, false);
        }
    }

    private final SnapshotInput input;
    private final ProgressListener progress;
    private final int window;
    private final int blockBytes;
    private FileChannel ch;
    private SnapshotMeta meta;
    private SnapshotFormat format;
    private ColumnsBuilder columns;
    private RecordDecoder decoder;
    /** Set by a thread that stops early, so that the other stops too. */
    private volatile boolean failed;
    private volatile Throwable helperError;

    // found by the scan
    private long nodesStart;
    private volatile long nodesClose = -1;
    private long edgesClose = -1;
    private long[] blockStart;        // file offset where each edge block starts
    private int[] blockFirstEdge;     // first edge of each block
    private int blockCount;
    private long[] blockMaxName;      // per block, the largest string index used as an edge name
    private final CountDownLatch scanned = new CountDownLatch(1);
    private final AtomicInteger nextBlock = new AtomicInteger();
    private final AtomicLong bytesDone = new AtomicLong();

    ParallelReader(SnapshotInput input, ProgressListener progress, ReadOptions options) {
        this.input = input;
        this.progress = progress;
        this.window = Math.max(options.fastPathWindow(), MIN_WINDOW);
        this.blockBytes = options.fastPathBlock();
    }

    /**
     * The snapshot.
     *
     * @throws Bail when this path does not read the file (the sequential parser then does)
     * @throws LeakhoundException for an error in the header, a failed read, or an interrupt
     */
    HeapSnapshot read() {
        try (FileChannel c = FileChannel.open(input.path, StandardOpenOption.READ)) {
            ch = c;
            return readOpen();
        } catch (IOException e) {
            throw SnapshotInput.readError(input.file, e);
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    /** What a failure of either thread means for the caller: give up, an error, or (a bug) itself. */
    private RuntimeException failure(Throwable e) {
        if (e instanceof Error) {
            throw (Error) e;   // out of memory, say: not a reason to read the file again
        }
        if (e instanceof RecordDecoder.Invalid) {
            return new Bail("a value the format does not allow: " + e.getMessage());
        }
        if (e instanceof JsonStringDecoder.Invalid) {
            return new Bail("a string the format does not allow: " + e.getMessage());
        }
        if (e instanceof UncheckedIOException) {
            return SnapshotInput.readError(input.file, ((UncheckedIOException) e).getCause());
        }
        return (RuntimeException) e;   // Bail, LeakhoundException (a failed read, an interrupt), or a bug
    }

    private HeapSnapshot readOpen() {
        readHeader();
        columns = new ColumnsBuilder(meta);
        columns.allocateNodes();
        columns.allocateEdges();
        decoder = new RecordDecoder(columns);
        Thread helper = new Thread(this::helper, "leakhound-read");
        helper.setDaemon(true);
        helper.start();
        try {
            RangeReader r = new RangeReader(ch, window);
            r.open(nodesStart, input.size);
            parseNodes(r);
            long close = r.offset();
            awaitScan();
            if (close != nodesClose) {
                throw new Bail("'nodes' ends at byte " + close + ", the scan found its end at " + nodesClose);
            }
            edgeBlocks(r, true);
        } catch (Throwable e) {
            failed = true;
            if (joinHelper(helper)) {
                throw interrupted();
            }
            throw e;
        }
        if (joinHelper(helper)) {
            throw interrupted();
        }
        if (helperError != null) {
            throw failure(helperError);
        }
        long maxName = -1;
        for (int b = 0; b < blockCount; b++) {
            maxName = Math.max(maxName, blockMaxName[b]);
        }
        columns.edgesDone(maxName, -1);
        if (!columns.hasStrings()) {
            throw new Bail("no 'strings' section after 'edges'");
        }
        if (!columns.namesInRange()) {
            throw new Bail("a name is outside the strings table");
        }
        HeapSnapshot s = columns.build(input);
        progress.progress("reading", 1.0);
        return s;
    }

    /** Waits for the helper to end; returns whether this thread was interrupted meanwhile (the helper is then stopped). */
    private boolean joinHelper(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                failed = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return interrupted;
    }

    private LeakhoundException interrupted() {
        Thread.currentThread().interrupt();
        return new LeakhoundException(input.file + ": reading interrupted");
    }

    private void awaitScan() {
        try {
            scanned.await();
        } catch (InterruptedException e) {
            throw interrupted();
        }
        if (failed) {
            throw new Bail("the other thread stopped");
        }
    }

    /**
     * {"snapshot":{…},"nodes":[ — exactly this order, or give up. The header itself is read and checked as the
     * sequential parser does it, and its errors are reported: nothing comes before it in the file.
     */
    private void readHeader() {
        ByteScanner sc = new ByteScanner(new ChannelStream(ch, 0), input.file, 1 << 16);
        long keyAt;
        try {
            if (sc.next() != '{' || sc.peek() != '"') {
                throw new Bail("the file does not start with '{\"'");
            }
            keyAt = sc.offset();
            if (!sc.readString("as a top-level key").equals("snapshot") || sc.next() != ':') {
                throw new Bail("'snapshot' is not the first key");
            }
        } catch (SnapshotFormatException e) {
            throw new Bail("an unusual first key: " + e.getMessage());
        }
        sc.smallValueLimit = sc.offset() + SnapshotParser.HEADER_LIMIT;
        Object h = sc.readSmallValue("in the 'snapshot' header", 0);
        meta = SnapshotMeta.parse(h, keyAt, input);
        format = meta.format;
        try {
            if (sc.next() != ',' || sc.peek() != '"' || !sc.readString("as a top-level key").equals("nodes")
                    || sc.next() != ':' || sc.next() != '[') {
                throw new Bail("'nodes' does not follow the header");
            }
        } catch (SnapshotFormatException e) {
            throw new Bail("an unusual key after the header: " + e.getMessage());
        }
        nodesStart = sc.offset();
        if (meta.nodeCount == 0 || meta.edgeCount == 0) {
            throw new Bail("no nodes or no edges");
        }
        int longest = Math.max(format.stride, Math.max(format.edgeStride, format.locationStride));
        if ((long) longest * RangeReader.VALUE_MARGIN > window) {
            throw new Bail("records of " + longest + " values are too long for a window of " + window + " bytes");
        }
    }

    /** Records per decoder call: as many as the window is sure to hold, at most {@link #BATCH}. */
    private int batch(int stride) {
        return Math.max(1, Math.min(BATCH, window / (RangeReader.VALUE_MARGIN * stride)));
    }

    // ---- the helper thread ----

    private void helper() {
        boolean counted = false;
        try {
            scan();
            scanned.countDown();
            counted = true;
            tail();
            edgeBlocks(new RangeReader(ch, window), false);
        } catch (Throwable e) {
            helperError = e;
            failed = true;   // before the count-down: the main thread must see it
        } finally {
            if (!counted) {
                scanned.countDown();
            }
        }
    }

    /** Finds the ends of nodes and edges, and cuts edges into blocks on edge boundaries. */
    private void scan() {
        RangeReader r = new RangeReader(ch, window);
        // n x stride values of at least one digit each, with commas between: no ']' before this point in a
        // valid file. (In an invalid one the search may find a later ']'; the nodes parse then ends elsewhere
        // and this path gives up.)
        long skip = Math.max(0, 2L * meta.nodeCount * format.stride - 1);
        r.open(Math.min(nodesStart + skip, input.size - 1), input.size);
        nodesClose = findClose(r);
        r.pos = (int) (nodesClose + 1 - r.base);
        r.expect(",\"edges\":[");
        cutEdges(r);
    }

    /** Offset of the first ']' from the reader's position on (word at a time). */
    private long findClose(RangeReader r) {
        byte[] b = r.buf;
        while (true) {
            int pos = r.pos;
            int limit = r.limit;
            while (pos + 8 <= limit) {
                if (zeroBytes((long) LONGS.get(b, pos) ^ CLOSES) != 0) {
                    break;
                }
                pos += 8;
            }
            while (pos < limit) {
                if (b[pos] == ']') {
                    return r.base + pos;
                }
                pos++;
            }
            if (r.exhausted()) {
                throw new Bail("'nodes' never ends");
            }
            stopIfFailed();
            r.pos = pos;
            r.refill();
        }
    }

    /**
     * From the start of the edges' values on: counts their commas to find where each block of about
     * {@code blockBytes} bytes can start on an edge boundary, and where edges end.
     */
    private void cutEdges(RangeReader r) {
        int es = format.edgeStride;
        long values = (long) meta.edgeCount * es;
        long[] starts = new long[16];
        long[] firstValues = new long[16];
        int blocks = 1;
        starts[0] = r.offset();
        long commas = 0;
        long target = starts[0] + blockBytes;
        boolean seeking = false;   // past the target: the next edge boundary starts a block
        byte[] b = r.buf;
        int pos = r.pos;
        while (true) {
            if (pos >= r.limit) {
                if (r.exhausted()) {
                    throw new Bail("'edges' never ends");
                }
                stopIfFailed();
                r.pos = pos;
                r.refill();
                pos = r.pos;
            }
            if (seeking) {
                int c = b[pos++];
                if (c == ',' && ++commas % es == 0) {
                    long at = r.base + pos;
                    if (commas < values) {
                        if (blocks == starts.length) {
                            starts = java.util.Arrays.copyOf(starts, 2 * blocks);
                            firstValues = java.util.Arrays.copyOf(firstValues, 2 * blocks);
                        }
                        starts[blocks] = at;
                        firstValues[blocks++] = commas;
                    }
                    seeking = false;
                    target = at + blockBytes;
                } else if (c == ']') {
                    edgesClose = r.base + pos - 1;
                    break;
                }
                continue;
            }
            int segEnd = (int) Math.min(r.limit, target - r.base);
            while (pos + 8 <= segEnd) {
                long w = (long) LONGS.get(b, pos);
                if (zeroBytes(w ^ CLOSES) != 0) {
                    break;
                }
                commas += Long.bitCount(zeroBytes(w ^ COMMAS));
                pos += 8;
            }
            while (pos < segEnd && b[pos] != ']') {
                commas += b[pos++] == ',' ? 1 : 0;
            }
            if (pos < segEnd) {
                edgesClose = r.base + pos;
                break;
            }
            seeking = r.base + pos >= target;
        }
        if (commas != values - 1) {
            throw new Bail("'edges' holds " + (commas + 1) + " values, not " + values);
        }
        setBlocks(starts, firstValues, blocks);
    }

    private void setBlocks(long[] starts, long[] firstValues, int blocks) {
        blockCount = blocks;
        blockStart = new long[blocks + 1];
        blockFirstEdge = new int[blocks + 1];
        for (int i = 0; i < blocks; i++) {
            blockStart[i] = starts[i];
            blockFirstEdge[i] = (int) (firstValues[i] / format.edgeStride);
        }
        blockStart[blocks] = edgesClose;          // the last block runs up to and including the ']'
        blockFirstEdge[blocks] = meta.edgeCount;
        blockMaxName = new long[blocks];
    }

    private void stopIfFailed() {
        if (failed) {
            throw new Bail("the other thread stopped");
        }
    }

    /**
     * Everything after edges: the key loop as the sequential parser runs it, with locations and strings read
     * by the fast loops below and every other key skipped by the sequential parser's own code.
     */
    private void tail() {
        try {
            ByteScanner sc = scannerAt(edgesClose + 1);
            Set<String> seen = new HashSet<>(List.of("snapshot", "nodes", "edges"));
            while (true) {
                int s = sc.next();
                if (s == '}') {
                    break;
                }
                if (s != ',' || sc.peek() != '"') {
                    throw new Bail("unexpected byte after a section");
                }
                String key = sc.readString("as a top-level key");
                if (!seen.add(key) || sc.next() != ':') {
                    throw new Bail("a duplicate key or no ':'");
                }
                if (key.equals("locations") && format.hasLocations()) {
                    sc = scannerAt(locations(sc.offset()));
                } else if (key.equals("trace_function_infos") && columns.traces != null) {
                    columns.traces.readFunctions(sc);
                } else if (key.equals("trace_tree") && columns.traces != null) {
                    columns.traces.readTree(sc);
                } else if (key.equals("strings")) {
                    sc = scannerAt(strings(sc.offset()));
                } else {
                    sc.skipValue("in '" + key + "'");
                }
                stopIfFailed();
            }
            if (sc.peek() != ByteScanner.EOF) {
                throw new Bail("data after the document");
            }
        } catch (SnapshotFormatException e) {
            throw new Bail("a value the format does not allow: " + e.getMessage());
        }
    }

    private ByteScanner scannerAt(long offset) {
        return new ByteScanner(new ChannelStream(ch, offset), input.file, 1 << 16, offset);
    }

    /** The locations array from {@code from} (just after its ':'); returns the offset after its ']'. */
    private long locations(long from) {
        RangeReader r = new RangeReader(ch, window);
        r.open(from, input.size);
        r.expect("[");
        RecordDecoder.Locations locations = new RecordDecoder.Locations();
        if (r.peekNonSpace() != ']') {
            long[] v = new long[format.locationStride];
            while (!r.closed) {
                r.values(v, v.length);
                decoder.locations(v, 1, locations);
            }
        }
        r.expect("]");
        columns.locations(locations.build());
        return r.offset();
    }

    /**
     * The strings array from {@code from} (just after its ':'), straight from the window into the table: a
     * string without escapes is one copy. Returns the offset after the ']'.
     */
    private long strings(long from) {
        RangeReader r = new RangeReader(ch, window);
        r.open(from, input.size);
        r.expect("[");
        StringTable table = new StringTable();
        JsonStringDecoder decode = new JsonStringDecoder();
        if (r.peekNonSpace() == ']') {
            r.pos++;
        } else {
            while (true) {
                if (table.isFull()) {
                    throw new Bail("more strings than a table holds");
                }
                r.expect("\"");
                decode.start();
                int end;
                while ((end = decode.decode(r.buf, r.pos, r.limit, r.exhausted())) < 0) {
                    r.pos = -1 - end;
                    r.refill();
                }
                table.add(decode.array(), decode.offset(), decode.length());
                r.pos = end;
                int c = r.peekNonSpace();
                r.pos++;
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw new Bail("no separator in 'strings'");
                }
                stopIfFailed();
            }
        }
        columns.strings(table);
        return r.offset();
    }

    // ---- parsing (both threads) ----

    private void parseNodes(RangeReader r) {
        int n = meta.nodeCount;
        int st = format.stride;
        int batch = batch(st);
        long[] v = new long[batch * st];
        long maxName = -1;
        int report = 0;
        for (int i = 0; i < n; ) {
            if (i >= report) {
                stopIfFailed();
                reportProgress(r.offset() - nodesStart);
                report = i + (1 << 16);
            }
            int c = Math.min(batch, n - i);
            r.values(v, c * st);
            int best = decoder.nodes(v, i, c);
            if (best >= 0 && v[best] > maxName) {
                maxName = v[best];
            }
            i += c;
        }
        if (!r.closed) {
            throw new Bail("'nodes' holds more values than node_count says");
        }
        decoder.checkEdgeSum();
        columns.nodesDone(maxName, -1);
    }

    /** Takes edge blocks until none are left. */
    private void edgeBlocks(RangeReader r, boolean reports) {
        long[] v = new long[batch(format.edgeStride) * format.edgeStride];
        while (true) {
            int b = nextBlock.getAndIncrement();
            if (b >= blockCount) {
                return;
            }
            stopIfFailed();
            long end = blockStart[b + 1];
            boolean last = b == blockCount - 1;
            r.open(blockStart[b], last ? end + 1 : end);
            blockMaxName[b] = parseEdges(r, blockFirstEdge[b], blockFirstEdge[b + 1], v);
            if (last ? !r.closed || r.offset() != end : r.closed || r.offset() != end) {
                throw new Bail("edge block " + b + " does not end where the scan says");
            }
            long done = bytesDone.addAndGet(end - blockStart[b]);
            if (reports) {
                reportProgress(done);
            }
        }
    }

    /** Parses edges {@code from..to-1}; returns the largest string index used as a name. */
    private long parseEdges(RangeReader r, int from, int to, long[] v) {
        int es = format.edgeStride;
        int batch = v.length / es;
        long maxName = -1;
        for (int i = from; i < to; ) {
            int c = Math.min(batch, to - i);
            r.values(v, c * es);
            int best = decoder.edges(v, i, c);
            if (best >= 0 && v[best] > maxName) {
                maxName = v[best];
            }
            i += c;
        }
        return maxName;
    }

    private void reportProgress(long done) {
        progress.progress("reading", Math.min(1.0, (double) (done + bytesDone.get()) / Math.max(1, input.size)));
    }

    /** High bit set in each byte of {@code x} that is zero, nothing else (exact, no carries between bytes). */
    private static long zeroBytes(long x) {
        return ~(((x & ONES_7F) + ONES_7F) | x) & HIGHS;
    }
}
