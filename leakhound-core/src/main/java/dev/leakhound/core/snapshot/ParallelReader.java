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
import java.util.Arrays;
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
    /** The same per value when a record's values are read in one call. */
    static final int VALUE_MARGIN = 32;

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
        int[] seen = new int[4];
        for (int r : p.edgeRole) {
            seen[r]++;
        }
        if (seen[1] != 1 || seen[2] != 1 || seen[3] != 1) {
            throw new Bail("an edge field appears twice");
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
        p.nodeTrace = hasTrace ? HeapSnapshot.NO_TRACE_IDS : null;   // allocated at the first non-zero id
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
        // n x stride values of at least one digit each, with commas between: no ']' before this point in a
        // valid file. (In an invalid one the search may find a later ']'; the nodes parse then ends elsewhere
        // and this path gives up.)
        long skip = Math.max(0, 2L * p.nodeCount * p.stride - 1);
        r.open(Math.min(nodesStart + skip, p.fileSize - 1), p.fileSize);
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

    /**
     * Everything after edges: the key loop as the sequential parser runs it, with locations and strings
     * read by the fast loops below and every other key by the sequential parser's own code.
     */
    private void tail() {
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
                throw new Bail("duplicate key or no ':'");
            }
            switch (key) {
                case "locations":
                    p.locationsSeen = true;
                    if (p.locationRole != null) {
                        sc = scannerAt(locations(sc.offset()));
                    } else {
                        sc.skipValue("in 'locations'");
                    }
                    break;
                case "strings":
                    sc = scannerAt(strings(sc.offset()));
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

    private ByteScanner scannerAt(long offset) {
        return new ByteScanner(new ChannelStream(ch, offset), p.file, 1 << 16, offset);
    }

    /** The locations array from {@code from} (just after its ':'); returns the offset after its ']'. */
    private long locations(long from) {
        RangeReader r = new RangeReader(ch, window);
        r.open(from, p.fileSize);
        expectBytes(r, "[");
        int[] role = p.locationRole;
        int ls = role.length;
        int cap = 1024;
        int[] node = new int[cap];
        int[] script = new int[cap];
        int[] line = new int[cap];
        int[] col = new int[cap];
        int count = 0;
        long ns = p.stride;
        long nodeValues = (long) p.nodeCount * ns;
        if (peekNonSpace(r) != ']') {
            long[] rec = new long[ls];
            while (!r.closed) {
                r.values(rec, ls);
                if (count == node.length) {
                    int c = count * 2;
                    node = Arrays.copyOf(node, c);
                    script = Arrays.copyOf(script, c);
                    line = Arrays.copyOf(line, c);
                    col = Arrays.copyOf(col, c);
                }
                for (int f = 0; f < ls; f++) {
                    long v = rec[f];
                    switch (role[f]) {
                        case 1:
                            if (v % ns != 0 || v >= nodeValues) {
                                throw new Bail("location object_index");
                            }
                            node[count] = (int) (v / ns);
                            break;
                        case 2:
                        case 3:
                        case 4:
                            if (v > Integer.MAX_VALUE) {
                                throw new Bail("location value");
                            }
                            int[] column = role[f] == 2 ? script : role[f] == 3 ? line : col;
                            column[count] = (int) v;
                            break;
                        default: break;
                    }
                }
                count++;
            }
        }
        expectBytes(r, "]");
        p.locations = new SnapshotLocations(node, script, line, col, count);
        p.locationsDone = true;
        return r.offset();
    }

    /** The next byte that is not whitespace, left unread. */
    private static int peekNonSpace(RangeReader r) {
        while (true) {
            if (r.pos >= r.limit) {
                if (r.exhausted()) {
                    throw new Bail("end of file");
                }
                r.refill();
            }
            int c = r.buf[r.pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c;
            }
            r.pos++;
        }
    }

    /**
     * The strings array from {@code from} (just after its ':'), straight from the window into the table:
     * a string without escapes is one copy. Escapes are decoded as {@link ByteScanner#readStringBytes}
     * decodes them. Returns the offset after the ']'.
     */
    private long strings(long from) {
        RangeReader r = new RangeReader(ch, window);
        r.open(from, p.fileSize);
        expectBytes(r, "[");
        StringTable table = new StringTable();
        if (peekNonSpace(r) == ']') {
            r.pos++;
        } else {
            Utf8Buffer scratch = new Utf8Buffer();
            while (true) {
                if (table.isFull()) {
                    throw new Bail("too many strings");
                }
                expectBytes(r, "\"");
                string(r, table, scratch);
                int c = peekNonSpace(r);
                r.pos++;
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw new Bail("no separator in strings");
                }
                if (failed) {
                    throw new Bail("stopped");
                }
            }
        }
        p.strings = table;
        return r.offset();
    }

    /** One string, the opening quote read; adds it to {@code table}. */
    private static void string(RangeReader r, StringTable table, Utf8Buffer scratch) {
        scratch.n = 0;
        while (true) {
            final byte[] b = r.buf;
            final int lim = r.limit;
            final int start = r.pos;
            int q = start;
            while (q < lim) {
                byte x = b[q];
                if (x == '"' || x == '\\') {
                    break;
                }
                q++;
            }
            if (q < lim && b[q] == '"' && scratch.n == 0) {
                table.add(b, start, q - start);   // the usual case: no escape, all in the window
                r.pos = q + 1;
                return;
            }
            scratch.append(b, start, q - start);
            r.pos = q;
            if (q == lim) {
                if (r.exhausted()) {
                    throw new Bail("end of file in a string");
                }
                r.refill();
                continue;
            }
            if (b[q] == '"') {
                table.add(scratch.a, 0, scratch.n);
                r.pos = q + 1;
                return;
            }
            if (lim - q < 12 && !r.exhausted()) {
                r.refill();   // an escape takes up to 12 bytes: have them in the window
                continue;
            }
            r.pos = escape(b, q, lim, scratch);
        }
    }

    /** Decodes the escape at {@code b[q]} (a backslash) into {@code out}; returns the index after it. */
    private static int escape(byte[] b, int q, int lim, Utf8Buffer out) {
        if (q + 1 >= lim) {
            throw new Bail("end of file in an escape");
        }
        int ch;
        switch (b[q + 1]) {
            case '"': ch = '"'; break;
            case '\\': ch = '\\'; break;
            case '/': ch = '/'; break;
            case 'b': ch = '\b'; break;
            case 'f': ch = '\f'; break;
            case 'n': ch = '\n'; break;
            case 'r': ch = '\r'; break;
            case 't': ch = '\t'; break;
            case 'u': {
                ch = hex4(b, q + 2, lim);
                int next = q + 6;
                if (Character.isHighSurrogate((char) ch)) {
                    // a pair is written as two escapes; anything else leaves a lone surrogate ('?', as V8 writes)
                    if (next + 1 < lim) {
                        if (b[next] == '\\' && b[next + 1] == 'u') {
                            int lo = hex4(b, next + 2, lim);
                            if (Character.isLowSurrogate((char) lo)) {
                                out.put(Character.toCodePoint((char) ch, (char) lo));
                            } else {
                                out.put('?');
                                out.put(Character.isHighSurrogate((char) lo) || Character.isLowSurrogate((char) lo) ? '?' : lo);
                            }
                            return next + 6;
                        }
                    } else {
                        throw new Bail("end of file after a surrogate");
                    }
                    ch = '?';
                } else if (Character.isLowSurrogate((char) ch)) {
                    ch = '?';
                }
                out.put(ch);
                return next;
            }
            default:
                throw new Bail("invalid escape");
        }
        out.put(ch);
        return q + 2;
    }

    private static int hex4(byte[] b, int at, int lim) {
        if (at + 4 > lim) {
            throw new Bail("end of file in a \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(b[at + i] & 0xFF, 16);
            if (d < 0) {
                throw new Bail("invalid \\u escape");
            }
            v = v * 16 + d;
        }
        return v;
    }

    /** A growable UTF-8 byte buffer. */
    static final class Utf8Buffer {
        byte[] a = new byte[256];
        int n;

        void append(byte[] src, int off, int len) {
            ensure(n + len);
            System.arraycopy(src, off, a, n, len);
            n += len;
        }

        void put(int cp) {
            ensure(n + 4);
            n = Utf8.encode(a, n, cp);
        }

        private void ensure(int need) {
            if (need > a.length) {
                a = Arrays.copyOf(a, Math.max(need, a.length * 2));
            }
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
        long edgeCount = p.edgeCount;
        // V8 always starts with type, name, id, self_size, edge_count: those go straight to their columns
        boolean standard = st >= 5 && role[0] == SnapshotParser.R_TYPE && role[1] == SnapshotParser.R_NAME
                && role[2] == SnapshotParser.R_ID && role[3] == SnapshotParser.R_SIZE && role[4] == SnapshotParser.R_EDGES;
        int from = standard ? 5 : 0;
        long[] rec = new long[st];
        long edgeSum = 0;
        long maxName = -1;
        for (int i = 0; i < n; i++) {
            if ((i & 0xFFFF) == 0) {
                if (failed) {
                    throw new Bail("stopped");
                }
                reportProgress(r.offset() - nodesStart);
            }
            r.values(rec, st);
            if (standard) {
                long t = rec[0];
                long name = rec[1];
                long id = rec[2];
                if (t >= typeCount || id > 0xFFFFFFFFL) {
                    throw new Bail("node type or id");
                }
                nodeType[i] = typeMap[(int) t];
                if (name > maxName) {
                    maxName = name;
                }
                nodeName[i] = (int) Math.min(name, Integer.MAX_VALUE);
                nodeId[i] = (int) id;
                nodeSize[i] = rec[3];
                edgeSum += rec[4];
                if (edgeSum > edgeCount) {
                    throw new Bail("edge counts");
                }
                firstEdge[i + 1] = (int) edgeSum;
            }
            for (int f = from; f < st; f++) {
                long v = rec[f];
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
                        if (v > Integer.MAX_VALUE) {
                            throw new Bail("trace_node_id");
                        }
                        if (v != 0) {
                            if (p.nodeTrace.length == 0) {
                                p.nodeTrace = new int[n];
                            }
                            p.nodeTrace[i] = (int) v;
                        }
                        break;
                    case SnapshotParser.R_DETACHED:
                        if (v > Byte.MAX_VALUE) {
                            throw new Bail("detachedness");
                        }
                        p.nodeDetached[i] = (byte) v;
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
        // where each field goes: V8 writes type, name_or_index, to_node; other orders work through the map
        int typeAt = -1;
        int nameAt = -1;
        int toAt = -1;
        for (int f = 0; f < es; f++) {
            if (role[f] == 1) {
                typeAt = f;
            } else if (role[f] == 2) {
                nameAt = f;
            } else if (role[f] == 3) {
                toAt = f;
            }
        }
        long[] rec = new long[es];
        long maxName = -1;
        for (int i = from; i < to; i++) {
            r.values(rec, es);
            long type = rec[typeAt];
            long name = rec[nameAt];
            long target = rec[toAt];
            if (type >= typeCount || name > 0xFFFFFFFFL || target >= nodeValues) {
                throw new Bail("edge type, name or target out of range");
            }
            long q = Math.multiplyHigh(target, magic);
            if (target - q * ns != 0) {
                throw new Bail("to_node misaligned");
            }
            int t = typeMap[(int) type];
            edgeType[i] = (byte) t;
            edgeName[i] = (int) name;
            edgeTo[i] = (int) q;
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
        /**
         * The next {@code k} values of an array of integers into {@code out[0..k)} in one call (the hot
         * loops pay one call per record, which matters where the JIT does not inline).
         */
        void values(long[] out, int k) {
            int q = pos;
            if (limit - q < k * VALUE_MARGIN && base + limit < end) {
                refill();
                q = 0;
            }
            final byte[] b = buf;
            for (int f = 0; f < k; f++) {
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
                    closed = true;   // a value after this one finds the ']' and gives up
                } else {
                    throw bail("no separator", q);
                }
                out[f] = v;
            }
            pos = q;
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
