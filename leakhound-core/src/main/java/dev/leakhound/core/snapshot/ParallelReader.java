package dev.leakhound.core.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fast path for plain (uncompressed) snapshots in V8's own layout: {@code {"snapshot":{…},"nodes":[…],
 * "edges":[…],…}}. The small header is read as the sequential parser reads it; then two threads share the
 * big sections, reading the file with positioned reads into their own buffers:
 * <ul>
 * <li>the calling thread parses {@code nodes};</li>
 * <li>a helper thread finds where {@code nodes} and {@code edges} end (they hold only digits, commas and
 *     whitespace, so the first {@code ]} ends each; a word-at-a-time byte search) while counting the
 *     commas in {@code edges}, which gives the value index at any point, so {@code edges} can be cut into
 *     blocks that start on an edge boundary; then it parses what follows {@code edges} ({@code locations},
 *     {@code strings}, …) with the sequential parser's own code;</li>
 * <li>then both threads take edge blocks from a shared counter until none are left.</li>
 * </ul>
 * Every check the sequential parser makes is made here too, but this path does not report errors: on
 * anything unexpected (another key order, unusual formatting, any invalid value, an I/O error) it gives up
 * and {@link SnapshotParser} reads the file again sequentially, which finds the same problem and reports it
 * with its usual message and byte offset. So results and errors are the sequential parser's, by construction.
 */
final class ParallelReader {
    static final boolean ENABLED = !Boolean.getBoolean("leakhound.sequentialParse");
    /** Smaller files are read sequentially: two threads do not pay off. */
    static final long MIN_BYTES = Long.getLong("leakhound.parallelParseMinBytes", 4L << 20);
    static final int WINDOW = 1 << 20;
    static final int BLOCK = 4 << 20;
    /** Bytes a value (whitespace, digits, separator) may take for the fast number loop; longer runs give up. */
    static final int MARGIN = 64;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES_7F = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long COMMAS = 0x2C2C2C2C2C2C2C2CL;
    private static final long CLOSES = 0x5D5D5D5D5D5D5D5DL;

    /** Thrown to leave the fast path; never escapes {@link #read()}. */
    static final class Bail extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bail(String why) {
            super(why, null, false, false);
        }
    }

    private final SnapshotParser p;
    private final int window;
    private final int blockBytes;
    private FileChannel ch;
    private volatile boolean failed;
    private volatile Throwable helperError;
    /** Why the last attempt gave up (tests check that valid files do not). */
    String bailReason;

    // found by the scan
    private long nodesStart;
    private volatile long nodesClose = -1;
    private long edgesStart;
    private long edgesClose = -1;
    private long[] blockStart;        // file offset where each edge block starts
    private int[] blockFirstEdge;     // first edge of each block
    private int blockCount;
    private final CountDownLatch scanned = new CountDownLatch(1);
    private final AtomicInteger nextBlock = new AtomicInteger();
    private final AtomicLong bytesDone = new AtomicLong();
    private long[] blockMaxName;

    /** Buffer and block sizes are parameters so tests can make small files take every boundary case. */
    ParallelReader(SnapshotParser p, int window, int blockBytes) {
        this.p = p;
        this.window = Math.max(window, 4 * MARGIN);
        this.blockBytes = Math.max(blockBytes, 1);
    }

    /** The snapshot, or null when this path gave up (the caller then reads sequentially). */
    HeapSnapshot read() {
        try (FileChannel c = FileChannel.open(p.path, StandardOpenOption.READ)) {
            ch = c;
            return readOpen();
        } catch (Bail b) {
            bailReason = b.getMessage();
        } catch (RuntimeException | IOException e) {
            bailReason = e.toString();
        }
        return null;
    }

    private HeapSnapshot readOpen() throws IOException {
        readHeader();
        allocate();
        Thread helper = new Thread(this::helper, "leakhound-read");
        helper.setDaemon(true);
        helper.start();
        try {
            RangeReader r = new RangeReader(ch, window);
            r.open(nodesStart, p.fileSize);
            parseNodes(r);
            long close = r.offset();
            awaitScan();
            if (close != nodesClose) {
                throw new Bail("nodes end at " + close + ", the scan found " + nodesClose);
            }
            edgeBlocks(r, true);
        } catch (Throwable e) {
            failed = true;
            joinQuietly(helper);
            throw e;
        }
        joinQuietly(helper);
        Throwable e = helperError;
        if (e instanceof Error) {
            throw (Error) e;   // out of memory: not a reason to read the file twice
        }
        if (e != null || failed) {
            throw new Bail("helper: " + e);
        }
        long maxName = -1;
        for (int b = 0; b < blockCount; b++) {
            maxName = Math.max(maxName, blockMaxName[b]);
        }
        p.maxEdgeName = maxName;
        p.edgesDone = true;
        if (p.strings == null) {
            throw new Bail("no strings section");
        }
        if (p.maxNodeName >= p.strings.size() || p.maxEdgeName >= p.strings.size()) {
            throw new Bail("a name is outside the strings table");
        }
        HeapSnapshot s = p.finish();
        return s;
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitScan() {
        try {
            scanned.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Bail("interrupted");
        }
        if (failed) {
            throw new Bail("scan gave up");
        }
    }

    /** {"snapshot":{…},"nodes":[ — exactly this order, or give up. */
    private void readHeader() {
        ByteScanner sc = new ByteScanner(new ChannelStream(ch, 0), p.file, 1 << 16);
        if (sc.next() != '{') {
            throw new Bail("no '{'");
        }
        if (sc.peek() != '"' || !sc.readString("").equals("snapshot") || sc.next() != ':') {
            throw new Bail("'snapshot' is not first");
        }
        long at = sc.offset();
        sc.smallValueLimit = at + SnapshotParser.HEADER_LIMIT;
        Object h = sc.readSmallValue("in the 'snapshot' header", 0);
        p.readHeader(h, at);
        if (sc.next() != ',' || sc.peek() != '"' || !sc.readString("").equals("nodes") || sc.next() != ':'
                || sc.next() != '[') {
            throw new Bail("'nodes' does not follow the header");
        }
        nodesStart = sc.offset();
        if (p.nodeCount == 0 || p.edgeCount == 0) {
            throw new Bail("empty sections");
        }
        if (p.stride < 3 || p.stride > 127 || p.edgeStride < 1 || (long) p.nodeCount * p.stride >= 1L << 40) {
            throw new Bail("unusual field counts");
        }
    }

    private void allocate() {
        int n = p.nodeCount;
        int m = p.edgeCount;
        boolean hasTrace = false;
        boolean hasDetached = false;
        for (int r : p.nodeRole) {
            hasTrace |= r == SnapshotParser.R_TRACE;
            hasDetached |= r == SnapshotParser.R_DETACHED;
        }
        p.nodeType = new byte[n];
        p.nodeName = new int[n];
        p.nodeId = new int[n];
        p.nodeSize = new long[n];
        p.firstEdge = new int[n + 1];
        p.nodeTrace = hasTrace ? new int[n] : null;
        p.nodeDetached = hasDetached ? new byte[n] : null;
        p.edgeType = new byte[m];
        p.edgeName = new int[m];
        p.edgeTo = new int[m];
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
        r.open(nodesStart, p.fileSize);
        nodesClose = findClose(r);
        // ,"edges":[
        r.pos = (int) (nodesClose + 1 - r.base);
        expectBytes(r, ",\"edges\":[");
        edgesStart = r.offset();
        int es = p.edgeStride;
        long values = (long) p.edgeCount * es;
        List<long[]> blocks = new ArrayList<>();
        blocks.add(new long[] {edgesStart, 0});
        long commas = 0;
        long target = edgesStart + blockBytes;
        boolean seeking = false;
        byte[] b = r.buf;
        int pos = r.pos;
        long close = -1;
        outer:
        while (true) {
            if (pos >= r.limit) {
                if (r.exhausted()) {
                    throw new Bail("edges never end");
                }
                if (failed) {
                    throw new Bail("stopped");
                }
                r.pos = pos;
                r.refill();
                pos = r.pos;
            }
            int limit = r.limit;
            if (seeking) {
                int c = b[pos++];
                if (c == ',') {
                    commas++;
                    if (commas % es == 0) {
                        long at = r.base + pos;
                        if (commas < values) {
                            blocks.add(new long[] {at, commas});
                        }
                        seeking = false;
                        target = at + blockBytes;
                    }
                } else if (c == ']') {
                    close = r.base + pos - 1;
                    break;
                }
                continue;
            }
            int segEnd = (int) Math.min(limit, target - r.base);
            while (pos + 8 <= segEnd) {
                long w = (long) LONGS.get(b, pos);
                if (zeroBytes(w ^ CLOSES) != 0) {
                    break;
                }
                commas += Long.bitCount(zeroBytes(w ^ COMMAS));
                pos += 8;
            }
            while (pos < segEnd) {
                int c = b[pos++];
                if (c == ',') {
                    commas++;
                } else if (c == ']') {
                    close = r.base + pos - 1;
                    break outer;
                }
            }
            if (r.base + pos >= target) {
                seeking = true;
            }
        }
        if (commas != values - 1) {
            throw new Bail("edges hold " + (commas + 1) + " values, not " + values);
        }
        edgesClose = close;
        blockCount = blocks.size();
        blockStart = new long[blockCount + 1];
        blockFirstEdge = new int[blockCount + 1];
        for (int i = 0; i < blockCount; i++) {
            blockStart[i] = blocks.get(i)[0];
            blockFirstEdge[i] = (int) (blocks.get(i)[1] / es);
        }
        blockStart[blockCount] = close;          // the last block runs up to and including the ']'
        blockFirstEdge[blockCount] = p.edgeCount;
        blockMaxName = new long[blockCount];
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
                throw new Bail("nodes never end");
            }
            if (failed) {
                throw new Bail("stopped");
            }
            r.pos = pos;
            r.refill();
        }
    }

    /** Skips whitespace before each byte of {@code text} and expects it. */
    private static void expectBytes(RangeReader r, String text) {
        for (int i = 0; i < text.length(); i++) {
            int c;
            do {
                if (r.pos >= r.limit) {
                    if (r.exhausted()) {
                        throw new Bail("end of file");
                    }
                    r.refill();
                }
                c = r.buf[r.pos++];
            } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
            if (c != text.charAt(i)) {
                throw new Bail("unexpected layout after nodes");
            }
        }
    }

    /** Everything after edges, by the sequential parser's code: locations, strings, other keys, the end. */
    private void tail() {
        ByteScanner sc = new ByteScanner(new ChannelStream(ch, edgesClose + 1), p.file, SnapshotParser.BUFFER,
                edgesClose + 1);
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
                throw new Bail("duplicate key or no ':'");
            }
            switch (key) {
                case "locations":
                    p.locationsSeen = true;
                    if (p.locationRole != null) {
                        p.readLocations(sc);
                    } else {
                        sc.skipValue("in 'locations'");
                    }
                    break;
                case "strings":
                    p.readStrings(sc);
                    break;
                default:
                    sc.skipValue("in '" + key + "'");
            }
            if (failed) {
                throw new Bail("stopped");
            }
        }
        if (sc.peek() != ByteScanner.EOF) {
            throw new Bail("data after the document");
        }
    }

    // ---- parsing (both threads) ----

    private void parseNodes(RangeReader r) {
        int n = p.nodeCount;
        int st = p.stride;
        int[] role = p.nodeRole;
        byte[] typeMap = p.nodeTypeMap;
        int typeCount = typeMap.length;
        byte[] nodeType = p.nodeType;
        int[] nodeName = p.nodeName;
        int[] nodeId = p.nodeId;
        long[] nodeSize = p.nodeSize;
        int[] firstEdge = p.firstEdge;
        int[] nodeTrace = p.nodeTrace;
        byte[] nodeDetached = p.nodeDetached;
        long edgeCount = p.edgeCount;
        long edgeSum = 0;
        long maxName = -1;
        for (int i = 0; i < n; i++) {
            if ((i & 0xFFFF) == 0) {
                if (failed) {
                    throw new Bail("stopped");
                }
                reportProgress(r.offset() - nodesStart);
            }
            for (int f = 0; f < st; f++) {
                long v = r.value();
                switch (role[f]) {
                    case SnapshotParser.R_TYPE:
                        if (v >= typeCount) {
                            throw new Bail("node type");
                        }
                        nodeType[i] = typeMap[(int) v];
                        break;
                    case SnapshotParser.R_NAME:
                        if (v > maxName) {
                            maxName = v;
                        }
                        nodeName[i] = (int) Math.min(v, Integer.MAX_VALUE);
                        break;
                    case SnapshotParser.R_ID:
                        if (v > 0xFFFFFFFFL) {
                            throw new Bail("node id");
                        }
                        nodeId[i] = (int) v;
                        break;
                    case SnapshotParser.R_SIZE:
                        nodeSize[i] = v;
                        break;
                    case SnapshotParser.R_EDGES:
                        edgeSum += v;
                        if (edgeSum > edgeCount) {
                            throw new Bail("edge counts");
                        }
                        firstEdge[i + 1] = (int) edgeSum;
                        break;
                    case SnapshotParser.R_TRACE:
                        nodeTrace[i] = (int) v;
                        break;
                    case SnapshotParser.R_DETACHED:
                        nodeDetached[i] = (byte) Math.min(v, 127);
                        break;
                    default:
                        break;
                }
            }
        }
        if (!r.closed) {
            throw new Bail("nodes hold more values than node_count says");
        }
        if (edgeSum != edgeCount) {
            throw new Bail("edge counts do not add up");
        }
        p.maxNodeName = maxName;
        p.nodesDone = true;
    }

    /** Takes edge blocks until none are left. */
    private void edgeBlocks(RangeReader r, boolean reports) {
        while (true) {
            int b = nextBlock.getAndIncrement();
            if (b >= blockCount) {
                return;
            }
            if (failed) {
                throw new Bail("stopped");
            }
            long end = blockStart[b + 1];
            boolean last = b == blockCount - 1;
            r.open(blockStart[b], last ? end + 1 : end);
            blockMaxName[b] = parseEdges(r, blockFirstEdge[b], blockFirstEdge[b + 1]);
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
    private long parseEdges(RangeReader r, int from, int to) {
        int es = p.edgeStride;
        int[] role = p.edgeRole;
        byte[] typeMap = p.edgeTypeMap;
        int typeCount = typeMap.length;
        long ns = p.stride;
        long nodeValues = (long) p.nodeCount * ns;
        long magic = Long.divideUnsigned(-1L, ns) + 1;   // v / ns = multiplyHigh(v, magic) for v < 2^40
        byte[] edgeType = p.edgeType;
        int[] edgeName = p.edgeName;
        int[] edgeTo = p.edgeTo;
        long maxName = -1;
        for (int i = from; i < to; i++) {
            long name = 0;
            int t = 0;
            for (int f = 0; f < es; f++) {
                long v = r.value();
                switch (role[f]) {
                    case 1:
                        if (v >= typeCount) {
                            throw new Bail("edge type");
                        }
                        t = typeMap[(int) v];
                        edgeType[i] = (byte) t;
                        break;
                    case 2:
                        if (v > 0xFFFFFFFFL) {
                            throw new Bail("edge name");
                        }
                        name = v;
                        edgeName[i] = (int) v;
                        break;
                    case 3: {
                        if (v >= nodeValues) {
                            throw new Bail("to_node past the end");
                        }
                        long q = Math.multiplyHigh(v, magic);
                        if (v - q * ns != 0) {
                            throw new Bail("to_node misaligned");
                        }
                        edgeTo[i] = (int) q;
                        break;
                    }
                    default:
                        break;
                }
            }
            if (name > maxName && EdgeType.nameIsString(t)) {
                maxName = name;
            }
        }
        return maxName;
    }

    private void reportProgress(long done) {
        p.progress.progress("reading", Math.min(1.0, (double) (done + bytesDone.get()) / Math.max(1, p.fileSize)));
    }

    /** High bit set in each byte of {@code x} that is zero, nothing else (exact, no carries between bytes). */
    private static long zeroBytes(long x) {
        return ~(((x & ONES_7F) + ONES_7F) | x) & HIGHS;
    }

    /**
     * A window over a byte range of the file, with a zero byte after the data so that digit and whitespace
     * loops stop at the end of the window without a bounds test per byte.
     */
    static final class RangeReader {
        private final FileChannel ch;
        final byte[] buf;
        private final int cap;
        long base;          // file offset of buf[0]
        int pos;
        int limit;
        long end;           // one past the range's last byte
        boolean closed;     // the last value was followed by ']' (left unread)

        RangeReader(FileChannel ch, int size) {
            this.ch = ch;
            this.buf = new byte[size + 1];
            this.cap = size;
        }

        void open(long from, long to) {
            base = from;
            pos = 0;
            limit = 0;
            end = to;
            closed = false;
            refill();
        }

        long offset() {
            return base + pos;
        }

        boolean exhausted() {
            return base + limit >= end;
        }

        /** Keeps the unread bytes, moved to the front, and reads as many more as fit. */
        void refill() {
            int rem = limit - pos;
            if (rem > 0 && pos > 0) {
                System.arraycopy(buf, pos, buf, 0, rem);
            }
            base += pos;
            pos = 0;
            limit = rem;
            long want = Math.min(cap - rem, end - (base + rem));
            while (want > 0) {
                int got;
                try {
                    got = ch.read(ByteBuffer.wrap(buf, limit, (int) want), base + limit);
                } catch (IOException e) {
                    throw new Bail(e.toString());
                }
                if (got <= 0) {
                    throw new Bail("file shorter than expected");
                }
                limit += got;
                want -= got;
            }
            buf[limit] = 0;
        }

        /**
         * The next unsigned integer of an array of numbers, with the whitespace around it and the ','
         * after it; a ']' after it is left unread and sets {@link #closed}. Anything else gives up.
         */
        long value() {
            int q = pos;
            if (limit - q < MARGIN && base + limit < end) {
                refill();
                q = 0;
            }
            final byte[] b = buf;
            int c = b[q];
            while (c == '\n' || c == ' ' || c == '\r' || c == '\t') {
                c = b[++q];
            }
            int d = c - '0';
            if (d < 0 || d > 9) {
                throw bail("not a number", q);
            }
            final int start = q;
            long v = d;
            while (true) {
                d = b[++q] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                v = v * 10 + d;
            }
            if (q - start > 18) {
                throw bail("number too long", q);
            }
            c = b[q];
            while (c == '\n' || c == ' ' || c == '\r' || c == '\t') {
                c = b[++q];
            }
            if (c == ',') {
                q++;
            } else if (c == ']') {
                closed = true;
            } else {
                throw bail("no separator", q);
            }
            pos = q;
            return v;
        }

        private Bail bail(String what, int at) {
            return new Bail(what + " at byte " + (base + at));
        }
    }

    /** An input stream of positioned reads from {@code start} on (does not move the channel's position). */
    static final class ChannelStream extends InputStream {
        private final FileChannel ch;
        private long at;

        ChannelStream(FileChannel ch, long start) {
            this.ch = ch;
            this.at = start;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = ch.read(ByteBuffer.wrap(b, off, len), at);
            if (n > 0) {
                at += n;
            }
            return n;
        }
    }
}
