import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes large, valid, Node.js-like V8 heap snapshots without node, with a planted leak of known size.
 *
 * <pre>
 *   java -XX:TieredStopAtLevel=1 bench/gen/SnapshotGenerator.java --size-gb 4 --out bench/work/gen-4g.heapsnapshot
 *   java -XX:TieredStopAtLevel=1 bench/gen/SnapshotGenerator.java --nodes 2000000 --series 3 --out bench/work/gen.heapsnapshot
 *     -> gen-1.heapsnapshot, gen-2.heapsnapshot, gen-3.heapsnapshot (one process, the leak growing)
 * </pre>
 *
 * <p>{@code -XX:TieredStopAtLevel=1} (C1 only) is optional and halves the CPU time: the builders are
 * long straight-line methods, and C2 spends more time compiling them (seconds each) than its code saves.
 *
 * <p>The heap is the one bench/gen/heap-lib.js builds in a real node process, in the layout node 20 writes
 * (meta with {@code detachedness}, synthetic root, {@code (GC roots)} and its 28 subroots, the
 * {@code global} object as the user root, embedder nodes last): a multi-tenant server whose state is
 * "units" (a {@code User}; a {@code Session} with closures and their Contexts, a Map of attributes and
 * a WeakMap entry now and then; {@code Order}s with {@code OrderItem}s; {@code CacheEntry}s holding a
 * {@code WeakRef}; log lines, Buffers, cons, sliced and two-byte strings, heap numbers), held in
 * per-tenant Maps and Arrays whose OrderedHashMap tables and element stores are written as V8 writes
 * them. The leak: the global Map {@code pendingRequests} holding {@code PendingRequest} objects (headers,
 * socket, a completion closure whose Context keeps the request, sometimes a body) that are never removed.
 *
 * <p>How it stays fast and small: nothing is held per node. Every group of nodes (a unit, a tenant's
 * containers, a request) is rebuilt from a seeded PRNG whenever a pass needs it. The planning pass counts
 * nodes, edges and strings and records where each segment (the prelude, a tenant with its units, a chunk
 * of requests...) starts; the nodes pass writes the nodes and, into two owner-only temporary files
 * beside the output, the locations and the strings of the groups; the edges pass writes the edges; the
 * temporary files are then appended. Segments are rendered by {@code --threads} threads into buffers
 * and written in order, so the output does not depend on the thread count. Memory: an int per unit and
 * per leaked request, plus a few buffers of one segment each (tens of MB), whatever the size.
 *
 * <p>Series ({@code --series K}): snapshots of one process. Node ids are V8's: odd, stable for an object
 * across the series, new objects get ids above every id of the snapshots before. Between snapshots
 * the leak grows, 2% of the units are replaced by new ones (not a leak: the collections keep their
 * size) and the in-flight {@code RequestScratch} objects of the previous snapshot are released and
 * replaced (they are in exactly one snapshot each).
 *
 * <p>Prints one JSON line per snapshot: file, bytes, nodes, edges, strings, the {@code PendingRequest}
 * count in the leak and how many of them are new since the previous snapshot, seconds, MB/s.
 */
public final class SnapshotGenerator {

    // ---- V8 node and edge types (node 20 meta order) ----
    static final int T_HIDDEN = 0, T_ARRAY = 1, T_STRING = 2, T_OBJECT = 3, T_CODE = 4, T_CLOSURE = 5, T_REGEXP = 6,
            T_NUMBER = 7, T_NATIVE = 8, T_SYNTHETIC = 9, T_CONS = 10, T_SLICED = 11, T_SYMBOL = 12, T_BIGINT = 13,
            T_SHAPE = 14;
    static final int E_CONTEXT = 0, E_ELEMENT = 1, E_PROPERTY = 2, E_INTERNAL = 3, E_HIDDEN = 4, E_SHORTCUT = 5,
            E_WEAK = 6;
    static final int NODE_FIELDS = 7;
    static final int MAX_NAME = 1024;

    static final String META = "{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\",\"name\",\"id\",\"self_size\","
            + "\"edge_count\",\"trace_node_id\",\"detachedness\"],\"node_types\":[[\"hidden\",\"array\",\"string\","
            + "\"object\",\"code\",\"closure\",\"regexp\",\"number\",\"native\",\"synthetic\",\"concatenated string\","
            + "\"sliced string\",\"symbol\",\"bigint\",\"object shape\",\"wasm object\"],\"string\",\"number\",\"number\","
            + "\"number\",\"number\",\"number\"],\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"],\"edge_types\":"
            + "[[\"context\",\"element\",\"property\",\"internal\",\"hidden\",\"shortcut\",\"weak\"],\"string_or_number\","
            + "\"node\"],\"trace_function_info_fields\":[\"function_id\",\"name\",\"script_name\",\"script_id\",\"line\","
            + "\"column\"],\"trace_node_fields\":[\"id\",\"function_info_index\",\"count\",\"size\",\"children\"],"
            + "\"sample_fields\":[\"timestamp_us\",\"last_assigned_id\"],\"location_fields\":[\"object_index\","
            + "\"script_id\",\"line\",\"column\"]},";

    // =====================================================================================================
    // Options and entry point
    // =====================================================================================================

    static final class Options {
        long nodes = -1;
        double sizeGb = -1;
        long seed = 1;
        Path out;
        int series = 1;
        double leakShare = 0.20;
        double churn = 0.02;
        int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
        boolean verbose;
        boolean dryRun;
    }

    static final String USAGE = String.join("\n",
            "usage: java bench/gen/SnapshotGenerator.java --out FILE (--nodes N | --size-gb G | --size-mb M) [options]",
            "  --nodes N         about N nodes in the (last) snapshot",
            "  --size-gb G       about G GiB (--size-mb M: M MiB) for the (last) snapshot",
            "  --out FILE        the snapshot; with --series K, FILE-1 ... FILE-K (before .heapsnapshot)",
            "  --series K        K snapshots of one process, the leak growing between them (default 1)",
            "  --seed S          PRNG seed (default 1); same options and seed, same bytes",
            "  --leak-share F    share of the last snapshot's nodes in the leak (default 0.2)",
            "  --churn F         share of units replaced between snapshots (default 0.02)",
            "  --threads N       rendering threads (default: cores, at most 4)",
            "  --verbose         plan and per-pass timings on stderr",
            "  --dry-run         plan only: print the counts (bytes estimated), write nothing",
            "Run it as java -XX:TieredStopAtLevel=1 bench/gen/SnapshotGenerator.java ... (C1 only: half the CPU time).");

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("SnapshotGenerator: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        try {
            new SnapshotGenerator(o).run();
        } catch (java.nio.file.NoSuchFileException e) {
            System.err.println("SnapshotGenerator: cannot write " + o.out + ": no such directory");
            System.exit(1);
        } catch (IOException e) {
            System.err.println("SnapshotGenerator: cannot write " + o.out + ": " + e);
            System.exit(1);
        }
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (a.equals("--verbose")) {
                o.verbose = true;
                continue;
            }
            if (a.equals("--dry-run")) {
                o.dryRun = true;
                continue;
            }
            if (v == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                v = args[++i];
            }
            try {
                switch (a) {
                    case "--nodes" -> o.nodes = Long.parseLong(v.replace("_", ""));
                    case "--size-gb" -> o.sizeGb = Double.parseDouble(v);
                    case "--size-mb" -> o.sizeGb = Double.parseDouble(v) / 1024;
                    case "--seed" -> o.seed = Long.parseLong(v);
                    case "--out" -> o.out = Path.of(v);
                    case "--series" -> o.series = Integer.parseInt(v);
                    case "--leak-share" -> o.leakShare = Double.parseDouble(v);
                    case "--churn" -> o.churn = Double.parseDouble(v);
                    case "--threads" -> o.threads = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + ": not a number: " + v);
            }
        }
        if (o.out == null) {
            throw new IllegalArgumentException("--out FILE is required");
        }
        if ((o.nodes > 0) == (o.sizeGb > 0)) {
            throw new IllegalArgumentException("give exactly one of --nodes N, --size-gb G, --size-mb M (all > 0)");
        }
        if (o.threads < 1 || o.threads > 64) {
            throw new IllegalArgumentException("--threads must be 1..64");
        }
        if (o.series < 1 || o.series > 20) {
            throw new IllegalArgumentException("--series must be 1..20");
        }
        if (!(o.leakShare > 0 && o.leakShare < 0.9)) {
            throw new IllegalArgumentException("--leak-share must be in (0, 0.9)");
        }
        if (!(o.churn >= 0 && o.churn < 0.5)) {
            throw new IllegalArgumentException("--churn must be in [0, 0.5)");
        }
        return o;
    }

    // =====================================================================================================
    // PRNG
    // =====================================================================================================

    /** SplitMix64: fast, seedable, good enough for shapes. */
    static final class Rng {
        long s;

        Rng reset(long seed) {
            s = seed;
            return this;
        }

        long next() {
            long z = (s += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        int nextInt(int n) {
            return (int) (((next() >>> 32) * n) >>> 32);
        }

        double nextDouble() {
            return (next() >>> 11) * 0x1.0p-53;
        }

        boolean chance(double p) {
            return nextDouble() < p;
        }
    }

    /** A bijective 64-bit mix (SplitMix64's finalizer): distinct inputs give distinct outputs. */
    static long bij(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long mix(long a, long b, long c) {
        return bij(bij(a * 0x9E3779B97F4A7C15L + b) + c * 0xD1B54A32D192ED03L);
    }

    // =====================================================================================================
    // The string table
    // =====================================================================================================

    /**
     * Strings, in the order of the {@code strings} section: fixed strings (registered at start-up: names,
     * property names, constant values), then the decimal numbers used as names (internal slots' edges),
     * then the strings unique to a group, group by group in node order.
     */
    static final class Strings {
        final Map<String, Integer> index = new HashMap<>();
        final List<String> list = new ArrayList<>();
        boolean frozen;
        Strings() {
            f("<dummy>");
            f("");
        }

        int f(String s) {
            if (isNumber(s)) {
                throw new IllegalStateException("numeric fixed string " + s + ": use G.num()");
            }
            Integer i = index.get(s);
            if (i != null) {
                return i;
            }
            if (frozen) {
                throw new IllegalStateException("string registered late: " + s);
            }
            int k = list.size();
            list.add(s);
            index.put(s, k);
            return k;
        }

        static boolean isNumber(String s) {
            if (s.isEmpty() || s.length() > 9 || (s.length() > 1 && s.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }

        int numBase() {
            return list.size();
        }
    }

    // =====================================================================================================
    // Output
    // =====================================================================================================

    static final byte[] DIGITS2 = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            DIGITS2[2 * i] = (byte) ('0' + i / 10);
            DIGITS2[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** A buffered writer of ASCII with fast decimal numbers. */
    static final class Out implements AutoCloseable {
        final FileChannel ch;
        byte[] buf;
        ByteBuffer bb;
        int pos;
        long flushed;

        Out(FileChannel ch) {
            this.ch = ch;
            this.buf = new byte[ch == null ? 1 << 20 : 1 << 23];
            this.bb = ByteBuffer.wrap(buf);
        }

        long bytes() {
            return flushed + pos;
        }

        void room(int n) throws IOException {
            if (pos + n > buf.length) {
                if (ch == null) {
                    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
                    bb = ByteBuffer.wrap(buf);
                } else {
                    flush();
                }
            }
        }

        /** Appends a whole file (a side section written during an earlier pass). */
        void append(FileChannel src) throws IOException {
            flush();
            long size = src.size();
            long done = 0;
            while (done < size) {
                done += src.transferTo(done, size - done, ch);
            }
            flushed += size;
        }

        /** Appends what another (unflushed) buffer holds. */
        void write(Out o) throws IOException {
            flush();
            ByteBuffer w = ByteBuffer.wrap(o.buf, 0, o.pos);
            while (w.hasRemaining()) {
                ch.write(w);
            }
            flushed += o.pos;
        }

        void flush() throws IOException {
            bb.clear();
            bb.limit(pos);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            flushed += pos;
            pos = 0;
        }

        void ascii(String s) throws IOException {
            room(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[pos++] = (byte) s.charAt(i);
            }
        }

        void node(boolean first, int type, int name, long id, long size, int edges, int det) throws IOException {
            room(96);
            byte[] b = buf;
            int p = pos;
            if (!first) {
                b[p++] = '\n';
                b[p++] = ',';
            }
            p = putInt(b, p, type);
            b[p++] = ',';
            p = putInt(b, p, name);
            b[p++] = ',';
            p = putLong(b, p, id);
            b[p++] = ',';
            p = putLong(b, p, size);
            b[p++] = ',';
            p = putInt(b, p, edges);
            b[p++] = ',';
            b[p++] = '0';
            b[p++] = ',';
            b[p++] = (byte) ('0' + det);
            pos = p;
        }

        void edge(boolean first, int type, long name, long toOrdinal) throws IOException {
            room(64);
            byte[] b = buf;
            int p = pos;
            if (!first) {
                b[p++] = '\n';
                b[p++] = ',';
            }
            b[p++] = (byte) ('0' + type);
            b[p++] = ',';
            p = putLong(b, p, name);
            b[p++] = ',';
            p = putLong(b, p, toOrdinal * NODE_FIELDS);
            pos = p;
        }

        void location(boolean first, long ordinal, int script, int line, int col) throws IOException {
            room(80);
            byte[] b = buf;
            int p = pos;
            if (!first) {
                b[p++] = '\n';
                b[p++] = ',';
            }
            p = putLong(b, p, ordinal * NODE_FIELDS);
            b[p++] = ',';
            p = putInt(b, p, script);
            b[p++] = ',';
            p = putInt(b, p, line);
            b[p++] = ',';
            p = putInt(b, p, col);
            pos = p;
        }

        void string(boolean first, Txt t, int from, int to) throws IOException {
            if (to - from > MAX_NAME) {
                to = from + MAX_NAME;
            }
            room(8 + 6 * (to - from));
            byte[] b = buf;
            int p = pos;
            if (!first) {
                b[p++] = ',';
                b[p++] = '\n';
            }
            b[p++] = '"';
            char[] a = t.a;
            for (int i = from; i < to; i++) {
                char c = a[i];
                if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                } else {
                    p = escape(b, p, c);
                }
            }
            b[p++] = '"';
            pos = p;
        }

        static int escape(byte[] b, int p, char c) {
            b[p++] = '\\';
            switch (c) {
                case '"' -> b[p++] = '"';
                case '\\' -> b[p++] = '\\';
                case '\n' -> b[p++] = 'n';
                case '\r' -> b[p++] = 'r';
                case '\t' -> b[p++] = 't';
                case '\b' -> b[p++] = 'b';
                case '\f' -> b[p++] = 'f';
                default -> {
                    b[p++] = 'u';
                    b[p++] = HEX[(c >> 12) & 15];
                    b[p++] = HEX[(c >> 8) & 15];
                    b[p++] = HEX[(c >> 4) & 15];
                    b[p++] = HEX[c & 15];
                }
            }
            return p;
        }

        /** A decimal number as an entry of the strings section (never the first). */
        void decimalString(long v) throws IOException {
            room(32);
            buf[pos++] = ',';
            buf[pos++] = '\n';
            buf[pos++] = '"';
            pos = putLong(buf, pos, v);
            buf[pos++] = '"';
        }

        /** One entry of the strings section, escaped as V8 escapes it (ASCII only, \\uXXXX beyond). */
        void string(boolean first, CharSequence s, int from, int to) throws IOException {
            if (to - from > MAX_NAME) {
                to = from + MAX_NAME;
            }
            room(8 + 6 * (to - from));
            byte[] b = buf;
            int p = pos;
            if (!first) {
                b[p++] = ',';
                b[p++] = '\n';
            }
            b[p++] = '"';
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                    continue;
                }
                b[p++] = '\\';
                switch (c) {
                    case '"' -> b[p++] = '"';
                    case '\\' -> b[p++] = '\\';
                    case '\n' -> b[p++] = 'n';
                    case '\r' -> b[p++] = 'r';
                    case '\t' -> b[p++] = 't';
                    case '\b' -> b[p++] = 'b';
                    case '\f' -> b[p++] = 'f';
                    default -> {
                        b[p++] = 'u';
                        b[p++] = HEX[(c >> 12) & 15];
                        b[p++] = HEX[(c >> 8) & 15];
                        b[p++] = HEX[(c >> 4) & 15];
                        b[p++] = HEX[c & 15];
                    }
                }
            }
            b[p++] = '"';
            pos = p;
        }

        @Override
        public void close() throws IOException {
            if (ch != null) {
                flush();
                ch.close();
            }
        }
    }

    static final byte[] HEX = "0123456789ABCDEF".getBytes();

    /** Four ASCII digits per entry, packed little-endian, stored with one write. */
    static final int[] DIGITS4 = new int[10000];
    static final java.lang.invoke.VarHandle INT_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    static {
        for (int i = 0; i < 10000; i++) {
            DIGITS4[i] = ('0' + i / 1000) | ('0' + i / 100 % 10) << 8 | ('0' + i / 10 % 10) << 16 | ('0' + i % 10) << 24;
        }
    }

    static int putInt(byte[] b, int p, int v) {
        if (v < 10) {
            b[p] = (byte) ('0' + v);
            return p + 1;
        }
        if (v < 100) {
            b[p] = DIGITS2[2 * v];
            b[p + 1] = DIGITS2[2 * v + 1];
            return p + 2;
        }
        int len = v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7
                : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
        int end = p + len;
        int q = end;
        while (v >= 10000) {
            int r = v % 10000;
            v /= 10000;
            q -= 4;
            INT_LE.set(b, q, DIGITS4[r]);
        }
        if (v >= 1000) {
            INT_LE.set(b, q - 4, DIGITS4[v]);
        } else if (v >= 100) {
            int r = v % 100;
            b[q - 1] = DIGITS2[2 * r + 1];
            b[q - 2] = DIGITS2[2 * r];
            b[q - 3] = (byte) ('0' + v / 100);
        } else if (v >= 10) {
            b[q - 1] = DIGITS2[2 * v + 1];
            b[q - 2] = DIGITS2[2 * v];
        } else {
            b[q - 1] = (byte) ('0' + v);
        }
        return end;
    }

    static int putLong(byte[] b, int p, long v) {
        if (v <= Integer.MAX_VALUE) {
            if (v < 0) {
                throw new IllegalStateException("negative number " + v);
            }
            return putInt(b, p, (int) v);
        }
        long hi = v / 1_000_000_000L;
        int lo = (int) (v - hi * 1_000_000_000L);
        p = putLong(b, p, hi);
        int q = p + 9;
        for (int i = 0; i < 4; i++) {
            int r = lo % 100;
            lo /= 100;
            b[--q] = DIGITS2[2 * r + 1];
            b[--q] = DIGITS2[2 * r];
        }
        b[--q] = (byte) ('0' + lo);
        return p + 9;
    }

    /** A growable char buffer: the texts of a group's strings (StringBuilder's appends inline into too much code). */
    static final class Txt {
        char[] a = new char[4096];
        final char[] tmp = new char[16];
        int n;

        int length() {
            return n;
        }

        char charAt(int i) {
            return a[i];
        }

        void setLength(int len) {
            n = len;
        }

        private void ensure(int k) {
            if (n + k > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, n + k));
            }
        }

        Txt append(char c) {
            ensure(1);
            a[n++] = c;
            return this;
        }

        Txt append(String s) {
            int len = s.length();
            ensure(len);
            s.getChars(0, len, a, n);
            n += len;
            return this;
        }

        Txt append(long v) {
            ensure(20);
            if (v < 0) {
                a[n++] = '-';
                v = -v;
            }
            int len = 1;
            for (long t = v; t >= 10; t /= 10) {
                len++;
            }
            int q = n + len;
            n = q;
            do {
                a[--q] = (char) ('0' + v % 10);
                v /= 10;
            } while (v > 0);
            return this;
        }
    }

    // =====================================================================================================
    // A group of nodes, built in memory, written section by section
    // =====================================================================================================

    /**
     * The nodes of one group (a unit, a tenant's containers, a request, the prelude...), their edges,
     * locations and the strings that belong only to them. Node ordinals are absolute; a group's nodes
     * are consecutive and its edges all start inside it.
     */
    static final class G {
        /** What edges are kept: counted only, counted per node (the nodes section), or stored (the edges section). */
        static final int COUNT = 0, PER_NODE = 1, STORE = 2;
        final Rng rng = new Rng();
        final UnitParts parts = new UnitParts();
        /** Where the decimal numbers start in the string table (set when it is frozen). */
        static int numBase;
        /** The decimal numbers this snapshot uses, and the count of them below each 64-number word. */
        static long[] numUsed;
        static int[] numRank;
        /** Planning: the numbers this G's groups used, as a bitmap. */
        boolean collect = true;
        long[] used = new long[64];
        int mode;
        int base;
        long idPos;
        int strBase;
        boolean text;
        int n;
        int m;
        int lc;
        int sc;
        int[] nt = new int[256];
        int[] nn = new int[256];
        long[] ns = new long[256];
        long[] nid = new long[256];
        byte[] ndet = new byte[256];
        int[] es = new int[1024];
        int[] et = new int[1024];
        long[] en = new long[1024];
        int[] eto = new int[1024];
        int[] ln = new int[64];
        int[] lsc = new int[64];
        int[] lli = new int[64];
        int[] lco = new int[64];
        final Txt sb = new Txt();
        int[] soff = new int[64];
        int[] ecount = new int[256];
        int[] eorder = new int[1024];

        void reset(int base, long idPos, int strBase, boolean text, int mode) {
            this.mode = mode;
            this.base = base;
            this.idPos = idPos;
            this.strBase = strBase;
            this.text = text;
            n = m = lc = sc = 0;
            sb.setLength(0);
        }

        int node(int type, int name, long size) {
            if (n == nt.length) {
                int c = n * 2;
                nt = Arrays.copyOf(nt, c);
                nn = Arrays.copyOf(nn, c);
                ns = Arrays.copyOf(ns, c);
                nid = Arrays.copyOf(nid, c);
                ndet = Arrays.copyOf(ndet, c);
            }
            if (n >= ecount.length) {
                ecount = Arrays.copyOf(ecount, nt.length + 1);
            }
            ecount[n] = 0;
            nt[n] = type;
            nn[n] = name;
            ns[n] = size;
            nid[n] = -1;
            ndet[n] = 0;
            return base + n++;
        }

        /** The id V8 gives a node of this group: odd, 1 + 2 x its allocation position. */
        long id(int ordinal) {
            int i = ordinal - base;
            return nid[i] >= 0 ? nid[i] : 1 + 2 * (idPos + i);
        }

        void e(int from, int type, long name, int to) {
            if (mode == STORE) {
                store(from, type, name, to);
            } else if (mode == PER_NODE) {
                ecount[from - base]++;
            }
            m++;
        }

        private void store(int from, int type, long name, int to) {
            if (m == es.length) {
                int c = m * 2;
                es = Arrays.copyOf(es, c);
                et = Arrays.copyOf(et, c);
                en = Arrays.copyOf(en, c);
                eto = Arrays.copyOf(eto, c);
            }
            es[m] = from - base;
            et[m] = type;
            en[m] = name;
            eto[m] = to;
        }

        /**
         * The string index of a decimal number (an internal slot's edge name). Planning notes the numbers
         * used; the table then holds just those, in order, so a number's index is numBase + its rank.
         */
        long num(long k) {
            int word = (int) (k >>> 6);
            long bit = 1L << (k & 63);
            if (collect) {
                if (word >= used.length) {
                    used = Arrays.copyOf(used, Math.max(used.length * 2, word + 1));
                }
                used[word] |= bit;
                return numBase;
            }
            if (word >= numUsed.length || (numUsed[word] & bit) == 0) {
                throw new IllegalStateException("numeric string " + k + " was not planned");
            }
            return numBase + numRank[word] + Long.bitCount(numUsed[word] & (bit - 1));
        }

        void loc(int node, int script, int line, int col) {
            if (lc == ln.length) {
                int c = lc * 2;
                ln = Arrays.copyOf(ln, c);
                lsc = Arrays.copyOf(lsc, c);
                lli = Arrays.copyOf(lli, c);
                lco = Arrays.copyOf(lco, c);
            }
            ln[lc] = node - base;
            lsc[lc] = script;
            lli[lc] = line;
            lco[lc] = col;
            lc++;
        }

        /** Starts a string of this group: its index; when {@link #text}, append its text to {@link #sb} next. */
        int str() {
            if (sc + 1 >= soff.length) {
                soff = Arrays.copyOf(soff, soff.length * 2);
            }
            soff[sc] = sb.length();
            return strBase + sc++;
        }

        /** Length of the string started last (0 when texts are not built). */
        int lastLen() {
            return sb.length() - soff[sc - 1];
        }

        boolean lastTwoByte() {
            for (int i = soff[sc - 1]; i < sb.length(); i++) {
                if (sb.charAt(i) > 0xff) {
                    return true;
                }
            }
            return false;
        }

        /** Edge indexes ordered by source node, insertion order kept (counting sort). */
        void sortEdges() {
            if (ecount.length < n + 1) {
                ecount = new int[Math.max(n + 1, ecount.length * 2)];
            }
            Arrays.fill(ecount, 0, n + 1, 0);
            for (int i = 0; i < m; i++) {
                ecount[es[i] + 1]++;
            }
            for (int i = 0; i < n; i++) {
                ecount[i + 1] += ecount[i];
            }
            if (eorder.length < m) {
                eorder = new int[Math.max(m, eorder.length * 2)];
            }
            int[] at = Arrays.copyOf(ecount, n + 1);
            for (int i = 0; i < m; i++) {
                eorder[at[es[i]]++] = i;
            }
        }
    }

    // =====================================================================================================
    // Vocabulary (fixed strings)
    // =====================================================================================================

    final Strings S = new Strings();
    /** Self size of a sequential one-byte string holding a fixed string. */
    long[] fixedSize;
    /** Node ordinal of the internalized string node of a fixed string, or -1. */
    int[] strNode;
    final List<Integer> internalized = new ArrayList<>();

    /** The internalized string node of a fixed string (0 while strings are still being registered). */
    int sn(int k) {
        if (strNode == null || k >= strNode.length || strNode[k] < 0) {
            if (S.frozen) {
                throw new IllegalStateException("no string node for " + S.list.get(k));
            }
            return 0;
        }
        return strNode[k];
    }

    int iv(String s) {
        int k = S.f(s);
        if (!internalized.contains(k)) {
            internalized.add(k);
        }
        return k;
    }

    int[] ivs(String... s) {
        int[] r = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            r[i] = iv(s[i]);
        }
        return r;
    }

    static final String[] FIRST = {"ada", "alan", "grace", "linus", "ken", "dennis", "barbara", "edsger", "donald",
            "margaret", "john", "frances", "tim", "radia", "bjarne", "guido", "james", "anders", "brendan", "yukihiro",
            "jos\u00e9", "zo\u00eb", "s\u00f8ren", "\u674e\u5a1c"};
    static final String[] LAST = {"lovelace", "turing", "hopper", "torvalds", "thompson", "ritchie", "liskov",
            "dijkstra", "knuth", "hamilton", "mccarthy", "allen", "berners-lee", "perlman", "stroustrup", "van-rossum",
            "gosling", "hejlsberg", "eich", "matsumoto", "m\u00fcller", "\u00f8stergaard"};
    static final String[] ROLES = {"admin", "editor", "viewer", "billing", "support", "auditor"};
    static final String[] ROUTES = {"/api/users", "/api/orders", "/api/cart", "/api/search", "/api/items", "/api/login",
            "/api/logout", "/api/profile", "/api/settings", "/api/reports"};
    static final String[] HANDLER_NAMES = {"listUsers", "listOrders", "getCart", "search", "listItems", "login", "logout",
            "getProfile", "putSettings", "getReports"};
    static final String[] LANGS = {"en", "fr", "de", "ja", "pt", "es"};
    static final String[] STATUSES = {"new", "paid", "shipped", "delivered", "refunded"};
    static final String[] AGENTS = {"Mozilla/5.0 (X11; Linux x86_64)", "okhttp/4.9.3",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15"};
    static final String[] URLS = {"/api/orders/", "/api/users/", "/api/search?q=", "/api/cart/"};
    static final String[] TENANT_WORDS = {"acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka",
            "tyrell", "cyberdyne", "soylent", "aperture", "vandelay", "oscorp", "gringotts", "nakatomi"};

    static final int SCRIPT_SERVER = 101, SCRIPT_SESSIONS = 102, SCRIPT_ORDERS = 103, SCRIPT_CACHE = 104,
            SCRIPT_TENANTS = 105, SCRIPT_TIMERS = 31, SCRIPT_BUFFER = 32, SCRIPT_LOADER = 33, SCRIPT_TASKS = 34;

    // fixed string indexes used while building
    int sEmpty, sConcat, sSliced, sHeapNumber, sObjElements, sSysMap, sSysContext, sDescArray, sFeedbackCell,
            sScopeInfo, sBytecode, sHandleFn, sOnDoneFn, sConstPool, sSfiAnon, sLazy, sNativeData, sSysOddball;
    int cUser, cSession, cOrder, cOrderItem, cCacheEntry, cPendingRequest, cRequestScratch, cTenant, cApp, cRouter,
            cRoute, cLogger, cObject, cArray, cMap, cDate, cWeakRef, cWeakMap, cBuffer, cArrayBuffer, cUint8Array, cModule;
    int pName, pEmail, pRoles, pPrefs, pCreatedAt, pScore, pTags, pId, pTheme, pLang, pPageSize, pUser, pToken, pAttrs,
            pHistory, pLastSeen, pHandlers, pExpired, pItems, pStatus, pMeta, pTotal, pRaw, pSummary, pSku, pQty, pPrice,
            pSource, pCoupon, pKey, pValue, pExpiresAt, pHits, pOwner, pMethod, pUrl, pHeaders, pSocket, pStartedAt,
            pBody, pOnDone, pHost, pUserAgent, pAccept, pRequestId, pRemoteAddress, pRemotePort, pParsed, pPath, pQuery,
            pPage, pChunks, pUsers, pSessions, pOrders, pCache, pLogs, pBuffers, pStats, pSessionMeta, pMatcher,
            pLastRoute, pRequests, pIp, pAgent, pCsrf, pInFlight;
    int iMap, iProto, iPrototype, iElements, iTable, iContext, iShared, iCode, iFeedbackCell, iInitialMap, iScopeInfo,
            iPrevious, iDescriptors, iBackPointer, iTransition, iFirst, iSecond, iParent, iBuffer, iBackingStore,
            iTarget, iSource, iNameOrScopeInfo, iScriptOrDebugInfo, iFunctionData, iOuterScope, iConstantPool,
            iConstructor, iNativeContext, iDependentCode;
    // context variable names
    int vSession, vRoute, vStarted, vDeadline, vReq;
    int[] firstSp, lastIv, fullName, emailStem, roleIv, routeIv, langIv, statusIv, agentIv, urlIv, skuIv, couponFx,
            ipUnitFx, ipReqFx;
    int ivGet, ivPost, ivDark, ivLight, ivWeb, ivMobile, ivAtExample, ivProfileSuffix, ivHostVal, ivAcceptVal,
            ivApiItems, ivUserPrefix;

    void vocabulary() {
        sEmpty = 1;
        sConcat = S.f("(concatenated string)");
        sSliced = S.f("(sliced string)");
        sHeapNumber = S.f("heap number");
        sObjElements = S.f("(object elements)");
        sSysMap = S.f("system / Map");
        sSysContext = S.f("system / Context");
        sDescArray = S.f("system / DescriptorArray");
        sFeedbackCell = S.f("system / FeedbackCell");
        sScopeInfo = S.f("system / ScopeInfo");
        sBytecode = S.f("system / BytecodeArray");
        sConstPool = S.f("(constant pool)");
        sSfiAnon = S.f("(shared function info)");
        sLazy = S.f("(CompileLazy builtin handle)");
        sNativeData = S.f("system / JSArrayBufferData");
        sSysOddball = S.f("system / Oddball");
        sHandleFn = S.f("handle");
        sOnDoneFn = S.f("onResponseFinished");
        cUser = S.f("User");
        cSession = S.f("Session");
        cOrder = S.f("Order");
        cOrderItem = S.f("OrderItem");
        cCacheEntry = S.f("CacheEntry");
        cPendingRequest = S.f("PendingRequest");
        cRequestScratch = S.f("RequestScratch");
        cTenant = S.f("Tenant");
        cApp = S.f("App");
        cRouter = S.f("Router");
        cRoute = S.f("Route");
        cLogger = S.f("Logger");
        cObject = S.f("Object");
        cArray = S.f("Array");
        cMap = S.f("Map");
        cDate = S.f("Date");
        cWeakRef = S.f("WeakRef");
        cWeakMap = S.f("WeakMap");
        cBuffer = S.f("Buffer");
        cArrayBuffer = S.f("ArrayBuffer");
        cUint8Array = S.f("Uint8Array");
        cModule = S.f("Module");

        pName = iv("name");
        pEmail = iv("email");
        pRoles = iv("roles");
        pPrefs = iv("prefs");
        pCreatedAt = iv("createdAt");
        pScore = iv("score");
        pTags = iv("tags");
        pId = iv("id");
        pTheme = iv("theme");
        pLang = iv("lang");
        pPageSize = iv("pageSize");
        pUser = iv("user");
        pToken = iv("token");
        pAttrs = iv("attrs");
        pHistory = iv("history");
        pLastSeen = iv("lastSeen");
        pHandlers = iv("handlers");
        pExpired = iv("expired");
        pItems = iv("items");
        pStatus = iv("status");
        pMeta = iv("meta");
        pTotal = iv("total");
        pRaw = iv("raw");
        pSummary = iv("summary");
        pSku = iv("sku");
        pQty = iv("qty");
        pPrice = iv("price");
        pSource = iv("source");
        pCoupon = iv("coupon");
        pKey = iv("key");
        pValue = iv("value");
        pExpiresAt = iv("expiresAt");
        pHits = iv("hits");
        pOwner = iv("owner");
        pMethod = iv("method");
        pUrl = iv("url");
        pHeaders = iv("headers");
        pSocket = iv("socket");
        pStartedAt = iv("startedAt");
        pBody = iv("body");
        pOnDone = iv("onDone");
        pHost = iv("host");
        pUserAgent = iv("user-agent");
        pAccept = iv("accept");
        pRequestId = iv("x-request-id");
        pRemoteAddress = iv("remoteAddress");
        pRemotePort = iv("remotePort");
        pParsed = iv("parsed");
        pPath = iv("path");
        pQuery = iv("query");
        pPage = iv("page");
        pChunks = iv("chunks");
        pUsers = iv("users");
        pSessions = iv("sessions");
        pOrders = iv("orders");
        pCache = iv("cache");
        pLogs = iv("logs");
        pBuffers = iv("buffers");
        pStats = iv("stats");
        pSessionMeta = iv("sessionMeta");
        pMatcher = iv("matcher");
        pLastRoute = iv("lastRoute");
        pRequests = iv("requests");
        pIp = iv("ip");
        pAgent = iv("agent");
        pCsrf = iv("csrf");
        pInFlight = iv("inFlight");
        iProto = iv("__proto__");
        iPrototype = iv("prototype");
        iConstructor = iv("constructor");

        iMap = S.f("map");
        iElements = S.f("elements");
        iTable = S.f("table");
        iContext = S.f("context");
        iShared = S.f("shared");
        iCode = S.f("code");
        iFeedbackCell = S.f("feedback_cell");
        iInitialMap = S.f("initial_map");
        iScopeInfo = S.f("scope_info");
        iPrevious = S.f("previous");
        iDescriptors = S.f("descriptors");
        iBackPointer = S.f("back_pointer");
        iTransition = S.f("transition");
        iFirst = S.f("first");
        iSecond = S.f("second");
        iParent = S.f("parent");
        iBuffer = S.f("buffer");
        iBackingStore = S.f("backing_store");
        iTarget = S.f("target");
        iSource = S.f("source");
        iNameOrScopeInfo = S.f("name_or_scope_info");
        iScriptOrDebugInfo = S.f("script_or_debug_info");
        iFunctionData = S.f("function_data");
        iOuterScope = S.f("raw_outer_scope_info_or_feedback_metadata");
        iConstantPool = S.f("constant_pool");
        iNativeContext = S.f("native_context");
        iDependentCode = S.f("dependent_code");

        vSession = iv("session");
        vRoute = iv("route");
        vStarted = iv("started");
        vDeadline = iv("deadline");
        vReq = iv("req");

        firstSp = new int[FIRST.length];
        for (int i = 0; i < FIRST.length; i++) {
            firstSp[i] = S.f(FIRST[i] + " ");
        }
        lastIv = ivs(LAST);
        fullName = new int[FIRST.length * LAST.length];
        for (int i = 0; i < FIRST.length; i++) {
            for (int j = 0; j < LAST.length; j++) {
                String full = FIRST[i] + " " + LAST[j];
                fullName[i * LAST.length + j] = full.length() < 13 ? S.f(full) : -1;
            }
        }
        roleIv = ivs(ROLES);
        routeIv = ivs(ROUTES);
        langIv = ivs(LANGS);
        statusIv = ivs(STATUSES);
        agentIv = ivs(AGENTS);
        urlIv = ivs(URLS);
        skuIv = new int[500];
        for (int i = 0; i < 500; i++) {
            skuIv[i] = iv("SKU-" + (100000 + i * 37));
        }
        couponFx = new int[100];
        for (int i = 0; i < 100; i++) {
            couponFx[i] = S.f("SAVE" + i);
        }
        ipUnitFx = new int[4096];
        ipReqFx = new int[4096];
        for (int i = 0; i < 4096; i++) {
            ipUnitFx[i] = S.f("10." + (1 + (i >> 8)) + "." + (i & 255) + "." + ((i * 37 + 11) & 255));
            ipReqFx[i] = S.f("10.0." + (i >> 8) + "." + (i & 255));
        }
        ivGet = iv("GET");
        ivPost = iv("POST");
        ivDark = iv("dark");
        ivLight = iv("light");
        ivWeb = iv("web");
        ivMobile = iv("mobile");
        ivAtExample = iv("@example.com");
        ivProfileSuffix = iv(":profile");
        ivHostVal = iv("shop.example.com");
        ivAcceptVal = iv("application/json");
        ivApiItems = iv("/api/items/");
        ivUserPrefix = iv("user:");
    }

    // =====================================================================================================
    // The prelude: roots, engine, Node and the application's fixed objects
    // =====================================================================================================

    static final String[] SUBROOTS = {"(Internalized strings)", "(External strings)", "(Read-only roots)",
            "(Strong roots)", "(Smi roots)", "(Bootstrapper)", "(Stack roots)", "(Relocatable)", "(Debugger)",
            "(Compilation cache)", "(Handle scope)", "(Builtins)", "(Global handles)", "(Traced handles)",
            "(Eternal handles)", "(Thread manager)", "(Strong roots)", "(Extensions)", "(Code flusher)",
            "(Startup object cache)", "(Read-only object cache)", "(Shareable object cache)", "(Weak collections)",
            "(Wrapper tracing)", "(Write barrier)", "(Retain maps)", "(Client heap)", "(Unknown)"};
    static final String[] BUILTINS = {"CompileLazy", "InterpreterEntryTrampoline", "DeoptimizationEntry_Eager",
            "DeoptimizationEntry_Lazy", "RecordWriteSaveFP", "ArrayPrototypePush", "MapPrototypeSet", "MapPrototypeGet",
            "ObjectCreate", "StringAdd_CheckNone", "CallFunction_ReceiverIsAny", "Construct", "JSEntry",
            "WeakRefConstructor", "TypedArrayConstructor", "ArrayBufferConstructor", "DateConstructor",
            "StringPrototypeSlice", "JsonStringify", "ReturnReceiver"};

    // prelude ordinals (fixed across passes)
    int oRoot, oGcRoots, oFunctionProto, oObjectProto, oArrayProto, oMapProto, oDateProto, oWeakRefProto, oWeakMapProto,
            oUint8Proto, oArrayBufferProto, oRegExpProto;
    int mMeta, mFixedArray, mHeapNumber, mStrInternalized, mStrSeq, mStrSeq2, mCons, mSliced, mHashTable, mEphemeron,
            mScopeInfo, mSfi, mCode, mScript, mOddball, mSymbol, mBigInt, mFeedbackCell;
    int shFunction, shContext, shArray, shMap, shDate, shWeakRef, shWeakMap, shBuffer, shArrayBuffer, shRegExp,
            shObj0, shPrefs, shMeta, shMetaCoupon, shCacheVal, shHandlers, shHeaders, shSocket, shParsed, shQuery,
            shStats, shMetaVal, shUser, shSession, shOrder, shOrderRaw, shItem, shCache, shReqGet, shReqPost, shScratch,
            shTenant, shApp, shRouter, shRoute, shProto;
    int protoUser, protoSession, protoOrder, protoItem, protoCache, protoRequest, protoScratch, protoTenant, protoApp,
            protoRouter, protoRoute;
    int sfiHandle, sfiTimer, sfiOnDone, fcHandle, fcTimer, fcOnDone, scopeMakeHandler, scopeMakeTimer, scopeCompletion;
    int ctxServer, ctxSessions, ctxOrders, ctxCache, ctxTenants;
    int builtinLazy, bufferPool;

    /** Where the groups after the prelude start in this snapshot (filled by the planning pass). */
    static final class Layout {
        int[] tenantOrd;
        int leakTableOrd;
        int reqFirstOrd;
        int[] reqOrd; // by request index - 1
        int scratchOrd;
        int nativeOrd;
        long nodes;
        long edges;
        long strings;
        long numbers; // decimal numbers in the string table
        long locations;
    }

    /** A function: its SharedFunctionInfo and the nodes around it. */
    int sfi(G g, String name, int script, int scriptNode, boolean withScope) {
        int nameIdx = name.isEmpty() ? sSfiAnon : S.f(name);
        int sfi = g.node(T_CODE, nameIdx, 56);
        int scope = g.node(T_CODE, sScopeInfo, 96);
        int bc = g.node(T_CODE, sBytecode, 120 + 8 * (name.length() % 17));
        int cp = g.node(T_ARRAY, sConstPool, 48);
        g.e(sfi, E_INTERNAL, iNameOrScopeInfo, withScope ? scope : sn(iv(name.isEmpty() ? "anonymous" : name)));
        g.e(sfi, E_INTERNAL, iScriptOrDebugInfo, scriptNode);
        g.e(sfi, E_INTERNAL, iFunctionData, bc);
        g.e(sfi, E_INTERNAL, iOuterScope, scope);
        g.e(scope, E_INTERNAL, iMap, mScopeInfo);
        g.e(bc, E_INTERNAL, iConstantPool, cp);
        g.e(bc, E_INTERNAL, iMap, mCode);
        g.e(cp, E_INTERNAL, iMap, mFixedArray);
        return sfi;
    }

    int scopeOf(int sfi) {
        return sfi + 1;
    }

    /** A closure of a script function (one per function: top-level functions and classes). */
    int closure(G g, String name, int sfi, int fc, int context, int script, int line, int col) {
        int c = g.node(T_CLOSURE, name.isEmpty() ? sEmpty : S.f(name), 64);
        g.e(c, E_PROPERTY, iProto, oFunctionProto);
        g.e(c, E_INTERNAL, iFeedbackCell, fc);
        g.e(c, E_INTERNAL, iShared, sfi);
        g.e(c, E_INTERNAL, iContext, context);
        g.e(c, E_INTERNAL, iCode, builtinLazy);
        g.e(c, E_INTERNAL, iMap, shFunction);
        g.loc(c, script, line, col);
        return c;
    }

    /** An object shape ("system / Map") with its descriptor array: one per class layout. */
    int shape(G g, int proto, int backPointer, int... keys) {
        int sh = g.node(T_SHAPE, sSysMap, 80);
        int da = g.node(T_SHAPE, sDescArray, 16 + 24 * keys.length);
        g.e(sh, E_INTERNAL, iDescriptors, da);
        if (proto >= 0) {
            g.e(sh, E_INTERNAL, iPrototype, proto);
        }
        if (backPointer >= 0) {
            g.e(sh, E_INTERNAL, iBackPointer, backPointer);
        }
        g.e(sh, E_INTERNAL, iMap, mMeta);
        for (int i = 0; i < keys.length; i++) {
            g.e(da, E_INTERNAL, g.num(3 + 3 * i), sn(keys[i]));
        }
        return sh;
    }

    /** A fixed string's index; decimal numbers live in the number range of the table. */
    int fx(G g, String s) {
        return Strings.isNumber(s) ? (int) g.num(Long.parseLong(s)) : S.f(s);
    }

    void tail(G g, int node, int proto, int shape) {
        g.e(node, E_PROPERTY, iProto, proto);
        g.e(node, E_INTERNAL, iMap, shape);
    }

    int internalString(G g, int k) {
        String s = S.list.get(k);
        boolean two = false;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
                two = true;
                break;
            }
        }
        int node = g.node(T_STRING, k, align8(16 + (two ? 2L : 1L) * s.length()));
        g.e(node, E_INTERNAL, iMap, mStrInternalized);
        return node;
    }

    static long align8(long v) {
        return (v + 7) & ~7L;
    }

    void buildPrelude(G g, Layout lay, int tenants, long scratchCount) {
        oRoot = g.node(T_SYNTHETIC, sEmpty, 0);
        oGcRoots = g.node(T_SYNTHETIC, S.f("(GC roots)"), 0);
        int[] sub = new int[SUBROOTS.length];
        for (int i = 0; i < sub.length; i++) {
            sub[i] = g.node(T_SYNTHETIC, S.f(SUBROOTS[i]), 0);
        }
        // read-only maps and oddballs
        mMeta = g.node(T_HIDDEN, sSysMap, 80);
        mFixedArray = g.node(T_HIDDEN, sSysMap, 80);
        mHeapNumber = g.node(T_HIDDEN, sSysMap, 80);
        mStrInternalized = g.node(T_HIDDEN, S.f("system / Map (OneByteInternalizedString)"), 80);
        mStrSeq = g.node(T_HIDDEN, S.f("system / Map (OneByteString)"), 80);
        mStrSeq2 = g.node(T_HIDDEN, S.f("system / Map (String)"), 80);
        mCons = g.node(T_HIDDEN, S.f("system / Map (ConsOneByteString)"), 80);
        mSliced = g.node(T_HIDDEN, S.f("system / Map (SlicedOneByteString)"), 80);
        mHashTable = g.node(T_HIDDEN, sSysMap, 80);
        mEphemeron = g.node(T_HIDDEN, sSysMap, 80);
        mScopeInfo = g.node(T_HIDDEN, sSysMap, 80);
        mSfi = g.node(T_HIDDEN, sSysMap, 80);
        mCode = g.node(T_HIDDEN, sSysMap, 80);
        mScript = g.node(T_HIDDEN, sSysMap, 80);
        mOddball = g.node(T_HIDDEN, sSysMap, 80);
        mSymbol = g.node(T_HIDDEN, sSysMap, 80);
        mBigInt = g.node(T_HIDDEN, sSysMap, 80);
        mFeedbackCell = g.node(T_HIDDEN, sSysMap, 80);
        int[] roMaps = {mMeta, mFixedArray, mHeapNumber, mStrInternalized, mStrSeq, mStrSeq2, mCons, mSliced, mHashTable,
                mEphemeron, mScopeInfo, mSfi, mCode, mScript, mOddball, mSymbol, mBigInt, mFeedbackCell};
        String[] roNames = {"meta_map", "fixed_array_map", "heap_number_map", "one_byte_internalized_string_map",
                "one_byte_string_map", "string_map", "cons_one_byte_string_map", "sliced_one_byte_string_map",
                "ordered_hash_map_map", "ephemeron_hash_table_map", "scope_info_map", "shared_function_info_map",
                "bytecode_array_map", "script_map", "oddball_map", "symbol_map", "bigint_map", "many_closures_cell_map"};
        for (int m : roMaps) {
            if (m != mMeta) {
                g.e(m, E_INTERNAL, iMap, mMeta);
            }
        }
        String[] oddNames = {"undefined", "null", "true", "false", "hole"};
        int[] odd = new int[oddNames.length];
        for (int i = 0; i < odd.length; i++) {
            odd[i] = g.node(T_HIDDEN, sSysOddball, 48);
            g.e(odd[i], E_INTERNAL, iMap, mOddball);
        }
        // internalized strings
        strNode = new int[S.list.size()];
        Arrays.fill(strNode, -1);
        List<Integer> iz = new ArrayList<>(internalized);
        for (int k : iz) {
            strNode[k] = internalString(g, k);
        }
        for (int i = 0; i < odd.length; i++) {
            g.e(odd[i], E_INTERNAL, S.f("to_string"), sn(iv(oddNames[i])));
        }
        // builtins
        int[] builtin = new int[BUILTINS.length];
        for (int i = 0; i < builtin.length; i++) {
            builtin[i] = g.node(T_CODE, S.f("(" + BUILTINS[i] + " builtin handle)"), 88);
            g.e(builtin[i], E_INTERNAL, iMap, mCode);
        }
        builtinLazy = builtin[0];

        // prototypes and shapes of built-in kinds
        oObjectProto = g.node(T_OBJECT, cObject, 56);
        oFunctionProto = g.node(T_CLOSURE, sEmpty, 56);
        oArrayProto = g.node(T_OBJECT, cArray, 32);
        oMapProto = g.node(T_OBJECT, cMap, 56);
        oDateProto = g.node(T_OBJECT, cObject, 56);
        oWeakRefProto = g.node(T_OBJECT, cWeakRef, 56);
        oWeakMapProto = g.node(T_OBJECT, cWeakMap, 56);
        oUint8Proto = g.node(T_OBJECT, cUint8Array, 24);
        oArrayBufferProto = g.node(T_OBJECT, cArrayBuffer, 56);
        oRegExpProto = g.node(T_OBJECT, cObject, 56);
        shObj0 = shape(g, oObjectProto, -1);
        shFunction = shape(g, oFunctionProto, -1, iPrototype);
        shContext = shape(g, -1, -1);
        shArray = shape(g, oArrayProto, -1, iv("length"));
        shMap = shape(g, oMapProto, -1);
        shDate = shape(g, oDateProto, -1);
        shWeakRef = shape(g, oWeakRefProto, -1);
        shWeakMap = shape(g, oWeakMapProto, -1);
        shBuffer = shape(g, oUint8Proto, -1);
        shArrayBuffer = shape(g, oArrayBufferProto, -1);
        shRegExp = shape(g, oRegExpProto, -1, iv("lastIndex"));
        shProto = shape(g, oObjectProto, -1, iConstructor);
        int[] protos = {oObjectProto, oArrayProto, oMapProto, oDateProto, oWeakRefProto, oWeakMapProto, oUint8Proto,
                oArrayBufferProto, oRegExpProto};
        for (int p : protos) {
            g.e(p, E_INTERNAL, iMap, shObj0);
        }
        g.e(oFunctionProto, E_INTERNAL, iMap, shFunction);
        // object-literal shapes hang off the root literal shape by (weak) transitions
        shPrefs = shape(g, oObjectProto, shObj0, pTheme, pLang, pPageSize);
        shMeta = shape(g, oObjectProto, shObj0, pSource);
        shMetaCoupon = shape(g, oObjectProto, shMeta, pSource, pCoupon);
        shCacheVal = shape(g, oObjectProto, shObj0, pName, pEmail, pRoles);
        shHandlers = shape(g, oObjectProto, shObj0);
        shHeaders = shape(g, oObjectProto, shObj0, pHost, pUserAgent, pAccept, pRequestId);
        shSocket = shape(g, oObjectProto, shObj0, pRemoteAddress, pRemotePort);
        shParsed = shape(g, oObjectProto, shObj0, pPath, pQuery);
        shQuery = shape(g, oObjectProto, shObj0, pPage);
        shStats = shape(g, oObjectProto, shObj0, pRequests);
        shMetaVal = shape(g, oObjectProto, shObj0, pLastRoute, pHits);
        for (int s : new int[]{shPrefs, shMeta, shCacheVal, shHandlers, shHeaders, shSocket, shParsed, shQuery, shStats,
                shMetaVal}) {
            g.e(shObj0, E_WEAK, iTransition, s);
        }
        g.e(shMeta, E_WEAK, iTransition, shMetaCoupon);

        // scripts
        String[] urls = {"/srv/shop/server.js", "/srv/shop/lib/sessions.js", "/srv/shop/lib/orders.js",
                "/srv/shop/lib/cache.js", "/srv/shop/lib/tenants.js", "node:timers", "node:buffer",
                "node:internal/modules/cjs/loader", "node:internal/process/task_queues"};
        int[] scriptIds = {SCRIPT_SERVER, SCRIPT_SESSIONS, SCRIPT_ORDERS, SCRIPT_CACHE, SCRIPT_TENANTS, SCRIPT_TIMERS,
                SCRIPT_BUFFER, SCRIPT_LOADER, SCRIPT_TASKS};
        int[] script = new int[urls.length];
        int[] sourceNode = new int[urls.length];
        for (int i = 0; i < urls.length; i++) {
            script[i] = g.node(T_CODE, S.f(urls[i]), 144);
            String src = SOURCES[i];
            sourceNode[i] = g.node(T_STRING, S.f(src.length() > MAX_NAME ? src.substring(0, MAX_NAME) : src),
                    align8(16 + src.length()));
            g.e(script[i], E_INTERNAL, iSource, sourceNode[i]);
            g.e(script[i], E_INTERNAL, S.f("name"), sn(iv(urls[i])));
            g.e(script[i], E_INTERNAL, iMap, mScript);
            g.e(sourceNode[i], E_INTERNAL, iMap, mStrSeq);
        }
        int sServer = script[0], sSessions = script[1], sOrders = script[2], sCache = script[3], sTenants = script[4],
                sTimers = script[5], sBuffer = script[6], sLoader = script[7], sTasks = script[8];

        // native context, global
        int nativeContext = g.node(T_HIDDEN, S.f("system / NativeContext"), 2264);
        int global = g.node(T_OBJECT, S.f("global"), 40);
        int globalProxy = g.node(T_OBJECT, S.f("global"), 32);
        int shGlobal = shape(g, oObjectProto, -1);
        g.e(globalProxy, E_INTERNAL, iMap, shGlobal);
        g.e(globalProxy, E_HIDDEN, 0, global);

        // module scopes (function contexts of the module wrappers)
        ctxServer = g.node(T_OBJECT, sSysContext, 16 + 8 * 8);
        ctxSessions = g.node(T_OBJECT, sSysContext, 16 + 8 * 6);
        ctxOrders = g.node(T_OBJECT, sSysContext, 16 + 8 * 4);
        ctxCache = g.node(T_OBJECT, sSysContext, 16 + 8 * 4);
        ctxTenants = g.node(T_OBJECT, sSysContext, 16 + 8 * 4);
        int ctxTimers = g.node(T_OBJECT, sSysContext, 16 + 8 * 6);
        int ctxLoader = g.node(T_OBJECT, sSysContext, 16 + 8 * 6);

        // feedback cells (one per function literal)
        int fcShared = g.node(T_CODE, sFeedbackCell, 24);
        g.e(fcShared, E_INTERNAL, iMap, mFeedbackCell);
        fcHandle = g.node(T_CODE, sFeedbackCell, 24);
        fcTimer = g.node(T_CODE, sFeedbackCell, 24);
        fcOnDone = g.node(T_CODE, sFeedbackCell, 24);
        for (int fc : new int[]{fcHandle, fcTimer, fcOnDone}) {
            g.e(fc, E_INTERNAL, iMap, mFeedbackCell);
        }

        // application classes: constructor closure, prototype, instance shape
        int[] cls = new int[11];
        String[] clsNames = {"User", "Session", "Order", "OrderItem", "CacheEntry", "PendingRequest", "RequestScratch",
                "Tenant", "App", "Router", "Route"};
        int[] clsScript = {1, 1, 2, 2, 3, 0, 0, 4, 0, 0, 0};
        int[] clsCtx = {ctxSessions, ctxSessions, ctxOrders, ctxOrders, ctxCache, ctxServer, ctxServer, ctxTenants,
                ctxServer, ctxServer, ctxServer};
        int[][] clsLoc = {{11, 2}, {27, 2}, {12, 2}, {4, 2}, {3, 2}, {22, 2}, {41, 2}, {6, 2}, {58, 2}, {75, 2}, {88, 2}};
        int[] proto = new int[cls.length];
        int[] clsSfi = new int[cls.length];
        for (int i = 0; i < cls.length; i++) {
            clsSfi[i] = sfi(g, clsNames[i], scriptIds[clsScript[i]], script[clsScript[i]], true);
            cls[i] = closure(g, clsNames[i], clsSfi[i], fcShared, clsCtx[i], scriptIds[clsScript[i]], clsLoc[i][0],
                    clsLoc[i][1]);
            proto[i] = g.node(T_OBJECT, cObject, 24);
            g.e(cls[i], E_PROPERTY, iPrototype, proto[i]);
            g.e(proto[i], E_PROPERTY, iConstructor, cls[i]);
            tail(g, proto[i], oObjectProto, shProto);
        }
        protoUser = proto[0];
        protoSession = proto[1];
        protoOrder = proto[2];
        protoItem = proto[3];
        protoCache = proto[4];
        protoRequest = proto[5];
        protoScratch = proto[6];
        protoTenant = proto[7];
        protoApp = proto[8];
        protoRouter = proto[9];
        protoRoute = proto[10];
        shUser = shape(g, protoUser, cls[0], pId, pName, pEmail, pRoles, pPrefs, pCreatedAt, pScore, pTags);
        shSession = shape(g, protoSession, cls[1], pUser, pToken, pAttrs, pHistory, pLastSeen, pHandlers, pExpired);
        shOrder = shape(g, protoOrder, cls[2], pId, pUser, pItems, pTotal, pStatus, pMeta);
        shOrderRaw = shape(g, protoOrder, shOrder, pId, pUser, pItems, pTotal, pStatus, pMeta, pRaw, pSummary);
        g.e(shOrder, E_WEAK, iTransition, shOrderRaw);
        shItem = shape(g, protoItem, cls[3], pSku, pQty, pPrice);
        shCache = shape(g, protoCache, cls[4], pKey, pValue, pExpiresAt, pHits, pOwner);
        shReqGet = shape(g, protoRequest, cls[5], pId, pMethod, pUrl, pHeaders, pSocket, pStartedAt, pOnDone);
        shReqPost = shape(g, protoRequest, shReqGet, pId, pMethod, pUrl, pHeaders, pSocket, pStartedAt, pBody, pOnDone);
        shScratch = shape(g, protoScratch, cls[6], pId, pParsed, pChunks);
        shTenant = shape(g, protoTenant, cls[7], pName, pUsers, pSessions, pOrders, pCache, pLogs, pBuffers, pStats,
                pSessionMeta, pMatcher);
        shApp = shape(g, protoApp, cls[8], iv("tenants"), iv("router"), iv("config"), pInFlight, iv("startedAt"),
                iv("metrics"));
        shRouter = shape(g, protoRouter, cls[9], iv("routes"));
        shRoute = shape(g, protoRoute, cls[10], pMethod, pPath, iv("pattern"), iv("handler"));
        for (int i = 0; i < cls.length; i++) {
            int sh = new int[]{shUser, shSession, shOrder, shItem, shCache, shReqGet, shScratch, shTenant, shApp,
                    shRouter, shRoute}[i];
            g.e(cls[i], E_INTERNAL, iInitialMap, sh);
        }

        // inner functions whose closures live in units and requests
        sfiHandle = sfi(g, "handle", SCRIPT_SESSIONS, sSessions, true);
        sfiTimer = sfi(g, "", SCRIPT_SESSIONS, sSessions, true);
        sfiOnDone = sfi(g, "onResponseFinished", SCRIPT_SERVER, sServer, true);
        scopeMakeHandler = scopeOf(sfiHandle);
        scopeMakeTimer = scopeOf(sfiTimer);
        scopeCompletion = scopeOf(sfiOnDone);

        // module-level functions
        int makeHandlerSfi = sfi(g, "makeHandler", SCRIPT_SESSIONS, sSessions, true);
        int makeHandler = closure(g, "makeHandler", makeHandlerSfi, fcShared, ctxSessions, SCRIPT_SESSIONS, 38, 20);
        int makeTimerSfi = sfi(g, "makeTimer", SCRIPT_SESSIONS, sSessions, true);
        int makeTimer = closure(g, "makeTimer", makeTimerSfi, fcShared, ctxSessions, SCRIPT_SESSIONS, 47, 18);
        int buildUnitSfi = sfi(g, "buildUnit", SCRIPT_SESSIONS, sSessions, true);
        int buildUnit = closure(g, "buildUnit", buildUnitSfi, fcShared, ctxSessions, SCRIPT_SESSIONS, 53, 18);
        int totalOfSfi = sfi(g, "totalOf", SCRIPT_ORDERS, sOrders, false);
        int totalOf = closure(g, "totalOf", totalOfSfi, fcShared, ctxOrders, SCRIPT_ORDERS, 30, 16);
        int rememberSfi = sfi(g, "remember", SCRIPT_CACHE, sCache, false);
        int remember = closure(g, "remember", rememberSfi, fcShared, ctxCache, SCRIPT_CACHE, 20, 17);
        int tenantForSfi = sfi(g, "tenantFor", SCRIPT_TENANTS, sTenants, false);
        int tenantFor = closure(g, "tenantFor", tenantForSfi, fcShared, ctxTenants, SCRIPT_TENANTS, 30, 18);
        int handleRequestSfi = sfi(g, "handleRequest", SCRIPT_SERVER, sServer, true);
        int handleRequest = closure(g, "handleRequest", handleRequestSfi, fcShared, ctxServer, SCRIPT_SERVER, 100, 22);
        int[] routeHandler = new int[HANDLER_NAMES.length];
        for (int i = 0; i < routeHandler.length; i++) {
            int s = sfi(g, HANDLER_NAMES[i], SCRIPT_SERVER, sServer, false);
            routeHandler[i] = closure(g, HANDLER_NAMES[i], s, fcShared, ctxServer, SCRIPT_SERVER, 120 + 6 * i, 2);
        }
        // Node's functions
        String[] nodeFns = {"setTimeout", "setInterval", "clearTimeout", "queueMicrotask", "Buffer", "Module", "require"};
        int[] nodeFnScript = {5, 5, 5, 8, 6, 7, 7};
        int[] nodeFnCtx = {ctxTimers, ctxTimers, ctxTimers, ctxLoader, ctxLoader, ctxLoader, ctxLoader};
        int[] nodeFn = new int[nodeFns.length];
        for (int i = 0; i < nodeFns.length; i++) {
            int s = sfi(g, nodeFns[i], scriptIds[nodeFnScript[i]], script[nodeFnScript[i]], false);
            nodeFn[i] = closure(g, nodeFns[i], s, fcShared, nodeFnCtx[i], scriptIds[nodeFnScript[i]], 140 + 9 * i, 0);
        }
        int bufferCtor = nodeFn[4];
        int moduleCtor = nodeFn[5];
        g.e(bufferCtor, E_PROPERTY, iPrototype, oUint8Proto);
        g.e(oUint8Proto, E_PROPERTY, iConstructor, bufferCtor);
        g.e(shBuffer, E_INTERNAL, iBackPointer, bufferCtor);
        int protoModule = g.node(T_OBJECT, cObject, 24);
        g.e(moduleCtor, E_PROPERTY, iPrototype, protoModule);
        g.e(protoModule, E_PROPERTY, iConstructor, moduleCtor);
        tail(g, protoModule, oObjectProto, shProto);
        int shModule = shape(g, protoModule, moduleCtor, pId, iv("filename"), iv("exports"), iv("children"), iv("paths"),
                iv("loaded"));

        // built-in constructors
        String[] ctorNames = {"Object", "Function", "Array", "Map", "Date", "WeakRef", "WeakMap", "ArrayBuffer", "RegExp",
                "Error", "Promise"};
        int[] ctorProto = {oObjectProto, oFunctionProto, oArrayProto, oMapProto, oDateProto, oWeakRefProto, oWeakMapProto,
                oArrayBufferProto, oRegExpProto, -1, -1};
        int[] ctor = new int[ctorNames.length];
        for (int i = 0; i < ctor.length; i++) {
            int s = g.node(T_CODE, S.f(ctorNames[i]), 56);
            g.e(s, E_INTERNAL, iNameOrScopeInfo, sn(iv(ctorNames[i])));
            ctor[i] = g.node(T_CLOSURE, S.f(ctorNames[i]), 64);
            g.e(ctor[i], E_PROPERTY, iProto, oFunctionProto);
            if (ctorProto[i] >= 0) {
                g.e(ctor[i], E_PROPERTY, iPrototype, ctorProto[i]);
                g.e(ctorProto[i], E_PROPERTY, iConstructor, ctor[i]);
            } else {
                int p = g.node(T_OBJECT, S.f(ctorNames[i]), 56);
                g.e(ctor[i], E_PROPERTY, iPrototype, p);
                g.e(p, E_PROPERTY, iConstructor, ctor[i]);
                tail(g, p, oObjectProto, shObj0);
            }
            g.e(ctor[i], E_INTERNAL, iShared, s);
            g.e(ctor[i], E_INTERNAL, iContext, nativeContext);
            g.e(ctor[i], E_INTERNAL, iCode, builtin[(i % (builtin.length - 5)) + 5]);
            g.e(ctor[i], E_INTERNAL, iMap, shFunction);
        }
        g.e(oObjectProto, E_PROPERTY, iv("toString"), ctor[1]);
        int json = g.node(T_OBJECT, S.f("JSON"), 24);
        tail(g, json, oObjectProto, shObj0);
        int math = g.node(T_OBJECT, S.f("Math"), 24);
        tail(g, math, oObjectProto, shObj0);

        // buffer pool (small Buffers are slices of it)
        bufferPool = g.node(T_OBJECT, cArrayBuffer, 88);
        int poolStore = g.node(T_NATIVE, sNativeData, 8192);
        g.e(bufferPool, E_INTERNAL, iBackingStore, poolStore);
        tail(g, bufferPool, oArrayBufferProto, shArrayBuffer);
        g.e(ctxLoader, E_CONTEXT, iv("allocPool"), bufferPool);

        // process and modules
        int process = g.node(T_OBJECT, S.f("process"), 24);
        processNode = process;
        int shProcess = shape(g, oObjectProto, -1, iv("title"), iv("version"), iv("versions"), iv("arch"),
                iv("platform"), iv("env"), iv("argv"), iv("mainModule"));
        int env = g.node(T_OBJECT, cObject, 24 + 8 * 8);
        String[][] envVars = {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
                {"HOME", "/home/shop"}, {"NODE_ENV", "production"}, {"PORT", "8080"}, {"LANG", "C.UTF-8"},
                {"HOSTNAME", "shop-7d9f8b6c5-x2k4q"}, {"TZ", "UTC"}, {"LOG_LEVEL", "info"}};
        for (String[] kv : envVars) {
            int v = g.node(T_STRING, fx(g, kv[1]), align8(16 + kv[1].length()));
            g.e(v, E_INTERNAL, iMap, mStrSeq);
            g.e(env, E_PROPERTY, iv(kv[0]), v);
        }
        tail(g, env, oObjectProto, shObj0);
        int versions = g.node(T_OBJECT, cObject, 24 + 8 * 4);
        String[][] vers = {{"node", "20.20.2"}, {"v8", "11.3.244.8-node.33"}, {"uv", "1.46.0"}, {"modules", "115"}};
        for (String[] kv : vers) {
            int v = g.node(T_STRING, fx(g, kv[1]), align8(16 + kv[1].length()));
            g.e(v, E_INTERNAL, iMap, mStrSeq);
            g.e(versions, E_PROPERTY, iv(kv[0]), v);
        }
        tail(g, versions, oObjectProto, shObj0);
        int argv = array(g, new int[]{sn(iv("/usr/local/bin/node")), sn(iv("/srv/shop/server.js"))}, 2);
        String[] modFiles = {"/srv/shop/server.js", "/srv/shop/lib/sessions.js", "/srv/shop/lib/orders.js",
                "/srv/shop/lib/cache.js", "/srv/shop/lib/tenants.js"};
        int[][] exportsOf = {{handleRequest}, {cls[0], cls[1], makeHandler, makeTimer, buildUnit}, {cls[2], cls[3], totalOf},
                {cls[4], remember}, {cls[7], tenantFor}};
        String[][] exportNames = {{"handleRequest"}, {"User", "Session", "makeHandler", "makeTimer", "buildUnit"},
                {"Order", "OrderItem", "totalOf"}, {"CacheEntry", "remember"}, {"Tenant", "tenantFor"}};
        int[] module = new int[modFiles.length];
        for (int i = modFiles.length - 1; i >= 0; i--) {
            module[i] = g.node(T_OBJECT, cModule, 24 + 8 * 8);
            g.loc(module[i], SCRIPT_LOADER, 230, 0);
            g.e(module[i], E_PROPERTY, pId, i == 0 ? sn(iv(".")) : sn(iv(modFiles[i])));
            g.e(module[i], E_PROPERTY, iv("filename"), sn(iv(modFiles[i])));
            int exp = g.node(T_OBJECT, cObject, 24 + 8 * exportsOf[i].length);
            for (int j = 0; j < exportsOf[i].length; j++) {
                g.e(exp, E_PROPERTY, iv(exportNames[i][j]), exportsOf[i][j]);
            }
            tail(g, exp, oObjectProto, shObj0);
            g.e(module[i], E_PROPERTY, iv("exports"), exp);
            int children = i == 0 ? array(g, new int[]{module[1], module[2], module[3], module[4]}, 4) : array(g, null, 0);
            g.e(module[i], E_PROPERTY, iv("children"), children);
            int paths = array(g, new int[]{sn(iv("/srv/shop/node_modules")), sn(iv("/srv/node_modules")),
                    sn(iv("/node_modules"))}, 3);
            g.e(module[i], E_PROPERTY, iv("paths"), paths);
            tail(g, module[i], protoModule, shModule);
        }
        g.e(process, E_PROPERTY, iv("title"), sn(iv("node")));
        g.e(process, E_PROPERTY, iv("version"), sn(iv("v20.20.2")));
        g.e(process, E_PROPERTY, iv("versions"), versions);
        g.e(process, E_PROPERTY, iv("arch"), sn(iv("x64")));
        g.e(process, E_PROPERTY, iv("platform"), sn(iv("linux")));
        g.e(process, E_PROPERTY, iv("env"), env);
        g.e(process, E_PROPERTY, iv("argv"), argv);
        g.e(process, E_PROPERTY, iv("mainModule"), module[0]);
        tail(g, process, oObjectProto, shProcess);
        g.e(ctxLoader, E_CONTEXT, iv("Module"), moduleCtor);
        g.e(ctxLoader, E_CONTEXT, iv("require"), nodeFn[6]);
        g.e(ctxLoader, E_CONTEXT, iv("mainModule"), module[0]);

        // the application's state: App, router and routes, the leak's Map
        int app = g.node(T_OBJECT, cApp, 24 + 8 * 6);
        g.loc(app, SCRIPT_SERVER, 58, 2);
        int tenantsArr = g.node(T_OBJECT, cArray, 32);
        int tenantsEl = g.node(T_ARRAY, sObjElements, 16 + 8L * cap(tenants));
        for (int t = 0; t < tenants; t++) {
            g.e(tenantsArr, E_ELEMENT, t, lay.tenantOrd == null ? 0 : lay.tenantOrd[t]);
        }
        tail(g, tenantsArr, oArrayProto, shArray);
        g.e(tenantsArr, E_INTERNAL, iElements, tenantsEl);
        for (int t = 0; t < tenants; t++) {
            g.e(tenantsEl, E_INTERNAL, g.num(t), lay.tenantOrd == null ? 0 : lay.tenantOrd[t]);
        }
        int router = g.node(T_OBJECT, cRouter, 32);
        g.loc(router, SCRIPT_SERVER, 75, 2);
        int[] routes = new int[ROUTES.length];
        for (int i = 0; i < routes.length; i++) {
            routes[i] = g.node(T_OBJECT, cRoute, 24 + 8 * 4);
            g.loc(routes[i], SCRIPT_SERVER, 88, 2);
            int re = g.node(T_REGEXP, S.f("^" + ROUTES[i].replace("/", "\\/") + "(?:\\/(\\w+))?$"), 56);
            int reData = g.node(T_ARRAY, sEmpty, 112);
            g.e(reData, E_INTERNAL, iMap, mFixedArray);
            tail(g, re, oRegExpProto, shRegExp);
            g.e(re, E_HIDDEN, 2, reData);
            g.e(routes[i], E_PROPERTY, pMethod, sn(i % 3 == 1 ? ivPost : ivGet));
            g.e(routes[i], E_PROPERTY, pPath, sn(routeIv[i]));
            g.e(routes[i], E_PROPERTY, iv("pattern"), re);
            g.e(routes[i], E_PROPERTY, iv("handler"), routeHandler[i]);
            tail(g, routes[i], protoRoute, shRoute);
        }
        int routesArr = array(g, routes, routes.length);
        g.e(router, E_PROPERTY, iv("routes"), routesArr);
        tail(g, router, protoRouter, shRouter);
        int config = g.node(T_OBJECT, cObject, 24 + 8 * 3);
        g.e(config, E_PROPERTY, pHost, sn(iv("0.0.0.0")));
        g.e(config, E_PROPERTY, iv("env"), sn(iv("production")));
        tail(g, config, oObjectProto, shObj0);
        int started = g.node(T_OBJECT, cDate, 96);
        int startedNum = heapNumber(g);
        tail(g, started, oDateProto, shDate);
        g.e(started, E_HIDDEN, 2, startedNum);
        int metrics = g.node(T_OBJECT, cObject, 24 + 8 * 2);
        int bytesTotal = g.node(T_BIGINT, S.f("bigint"), 24);
        g.e(bytesTotal, E_INTERNAL, iMap, mBigInt);
        g.e(metrics, E_PROPERTY, iv("bytesTotal"), bytesTotal);
        tail(g, metrics, oObjectProto, shObj0);
        int kRequestId = g.node(T_SYMBOL, S.f("symbol"), 24);
        g.e(kRequestId, E_INTERNAL, S.f("name"), sn(iv("kRequestId")));
        g.e(kRequestId, E_INTERNAL, iMap, mSymbol);
        g.e(app, E_PROPERTY, iv("tenants"), tenantsArr);
        g.e(app, E_PROPERTY, iv("router"), router);
        g.e(app, E_PROPERTY, iv("config"), config);
        g.e(app, E_PROPERTY, pInFlight, lay.scratchOrd);
        g.e(app, E_PROPERTY, iv("startedAt"), started);
        g.e(app, E_PROPERTY, iv("metrics"), metrics);
        tail(g, app, protoApp, shApp);
        int pending = g.node(T_OBJECT, cMap, 32);
        g.e(pending, E_INTERNAL, iTable, lay.leakTableOrd);
        tail(g, pending, oMapProto, shMap);

        // module scopes' variables
        int[] ctxs = {ctxServer, ctxSessions, ctxOrders, ctxCache, ctxTenants, ctxTimers, ctxLoader};
        int[] ctxSfi = {handleRequestSfi, makeHandlerSfi, totalOfSfi, rememberSfi, tenantForSfi, -1, -1};
        g.e(ctxServer, E_CONTEXT, iv("app"), app);
        g.e(ctxServer, E_CONTEXT, iv("pendingRequests"), pending);
        g.e(ctxServer, E_CONTEXT, iv("router"), router);
        g.e(ctxServer, E_CONTEXT, iv("kRequestId"), kRequestId);
        g.e(ctxServer, E_CONTEXT, iv("PendingRequest"), cls[5]);
        g.e(ctxServer, E_CONTEXT, iv("RequestScratch"), cls[6]);
        g.e(ctxSessions, E_CONTEXT, iv("ROUTES"), array(g, pick(routeIv), routeIv.length));
        g.e(ctxSessions, E_CONTEXT, iv("makeHandler"), makeHandler);
        g.e(ctxSessions, E_CONTEXT, iv("makeTimer"), makeTimer);
        g.e(ctxOrders, E_CONTEXT, iv("SKUS"), array(g, pick(skuIv), skuIv.length));
        g.e(ctxCache, E_CONTEXT, iv("TTL_MS"), heapNumber(g));
        g.e(ctxTenants, E_CONTEXT, iv("WORDS"), array(g, pick(ivs(TENANT_WORDS)), TENANT_WORDS.length));
        g.e(ctxTimers, E_CONTEXT, iv("timerListQueue"), array(g, null, 0));
        for (int i = 0; i < ctxs.length; i++) {
            g.e(ctxs[i], E_INTERNAL, iScopeInfo, ctxSfi[i] >= 0 ? scopeOf(ctxSfi[i]) : scopeOf(sfiTimer));
            g.e(ctxs[i], E_INTERNAL, iPrevious, nativeContext);
            g.e(ctxs[i], E_INTERNAL, iMap, shContext);
        }

        // global object
        int[] globalFns = {nodeFn[0], nodeFn[1], nodeFn[2], nodeFn[3], bufferCtor};
        g.e(global, E_PROPERTY, iv("global"), globalProxy);
        g.e(global, E_PROPERTY, iv("process"), process);
        for (int i = 0; i < globalFns.length; i++) {
            g.e(global, E_PROPERTY, iv(nodeFns[i]), globalFns[i]);
        }
        for (int i = 0; i < ctor.length; i++) {
            g.e(global, E_PROPERTY, iv(ctorNames[i]), ctor[i]);
        }
        g.e(global, E_PROPERTY, iv("JSON"), json);
        g.e(global, E_PROPERTY, iv("Math"), math);
        g.e(global, E_PROPERTY, iv("pendingRequests"), pending);
        g.e(global, E_PROPERTY, iv("__app"), app);
        g.e(global, E_PROPERTY, S.f("<symbol Symbol.toStringTag>"), sn(iv("global")));
        tail(g, global, oObjectProto, shGlobal);
        g.e(global, E_INTERNAL, iNativeContext, nativeContext);
        String[] ncNames = {"global_proxy_object", "extension", "object_function", "function_function", "array_function",
                "js_map_fun", "date_function", "weak_ref_function", "js_weak_map_fun", "array_buffer_fun", "regexp_function",
                "error_function", "promise_function", "initial_object_prototype", "initial_array_prototype",
                "js_map_map", "js_array_packed_elements_map", "math", "json_object"};
        int[] ncTargets = {globalProxy, global, ctor[0], ctor[1], ctor[2], ctor[3], ctor[4], ctor[5], ctor[6], ctor[7], ctor[8],
                ctor[9], ctor[10], oObjectProto, oArrayProto, shMap, shArray, math, json};
        for (int i = 0; i < ncNames.length; i++) {
            g.e(nativeContext, E_INTERNAL, S.f(ncNames[i]), ncTargets[i]);
        }
        g.e(nativeContext, E_INTERNAL, iMap, mMeta);

        // engine-internal arrays and private symbols
        int numberStringCache = g.node(T_ARRAY, sEmpty, 16 + 8 * 2 * 4096);
        g.e(numberStringCache, E_INTERNAL, iMap, mFixedArray);
        int[] privateSym = new int[8];
        for (int i = 0; i < privateSym.length; i++) {
            privateSym[i] = g.node(T_HIDDEN, S.f("private symbol"), 24);
            g.e(privateSym[i], E_INTERNAL, S.f("name"), sn(iv(PRIVATE_SYMBOLS[i])));
            g.e(privateSym[i], E_INTERNAL, iMap, mSymbol);
        }
        int primordials = g.node(T_OBJECT, cObject, 24 + 8 * 6);
        String[] prim = {"ArrayPrototypePush", "MapPrototypeSet", "MapPrototypeGet", "ObjectCreate", "StringPrototypeSlice",
                "JSONStringify"};
        for (int i = 0; i < prim.length; i++) {
            int p = g.node(T_CLOSURE, S.f(prim[i]), 56);
            int s = g.node(T_CODE, S.f(prim[i]), 56);
            g.e(s, E_INTERNAL, iNameOrScopeInfo, sn(iv(prim[i])));
            g.e(p, E_PROPERTY, iProto, oFunctionProto);
            g.e(p, E_INTERNAL, iShared, s);
            g.e(p, E_INTERNAL, iContext, nativeContext);
            g.e(p, E_INTERNAL, iCode, builtin[5 + i]);
            g.e(p, E_INTERNAL, iMap, shFunction);
            g.e(primordials, E_PROPERTY, iv(prim[i]), p);
        }
        tail(g, primordials, oObjectProto, shObj0);

        // root and GC roots
        g.e(oRoot, E_ELEMENT, 1, oGcRoots);
        g.e(oRoot, E_SHORTCUT, g.num(2), global);
        g.e(oRoot, E_ELEMENT, 3, lay.nativeOrd);
        g.e(oRoot, E_ELEMENT, 4, lay.nativeOrd + 1);
        g.e(oRoot, E_ELEMENT, 5, lay.nativeOrd + 2);
        for (int i = 0; i < sub.length; i++) {
            g.e(oGcRoots, E_ELEMENT, i + 1, sub[i]);
        }
        int k = 1;
        for (int si : iz) {
            g.e(sub[0], E_INTERNAL, g.num(k++), sn(si));
        }
        for (int i = 0; i < sourceNode.length; i++) {
            g.e(sub[1], E_INTERNAL, g.num(i + 1), sourceNode[i]);
        }
        for (int i = 0; i < roMaps.length; i++) {
            g.e(sub[2], E_INTERNAL, S.f(roNames[i]), roMaps[i]);
        }
        String[] oddRoots = {"undefined_value", "null_value", "true_value", "false_value", "the_hole_value"};
        for (int i = 0; i < odd.length; i++) {
            g.e(sub[2], E_INTERNAL, S.f(oddRoots[i]), odd[i]);
        }
        g.e(sub[3], E_INTERNAL, S.f("number_string_cache"), numberStringCache);
        g.e(sub[6], E_INTERNAL, S.f("the_hole_value"), odd[4]);
        g.e(sub[6], E_INTERNAL, S.f("undefined_value"), odd[0]);
        g.e(sub[10], E_INTERNAL, g.num(1), ctor[0]);
        g.e(sub[10], E_INTERNAL, g.num(2), shObj0);
        g.e(sub[10], E_INTERNAL, g.num(3), oObjectProto);
        for (int i = 0; i < builtin.length; i++) {
            g.e(sub[11], E_INTERNAL, S.f((i + 1) + " / " + BUILTINS[i]), builtin[i]);
        }
        int[] handles = {nativeContext, process, primordials, ctxLoader, ctxTimers, nodeFn[0], nodeFn[3]};
        for (int i = 0; i < handles.length; i++) {
            g.e(sub[12], E_INTERNAL, g.num(i + 1), handles[i]);
        }
        for (int i = 0; i < privateSym.length; i++) {
            g.e(sub[14], E_INTERNAL, g.num(i + 1), privateSym[i]);
        }
        g.e(sub[16], E_INTERNAL, S.f("1 / IdentityMapBase"), shObj0);
        for (int i = 0; i < cls.length; i++) {
            g.e(sub[19], E_INTERNAL, g.num(i + 1), clsSfi[i]);
        }
        for (int i = 0; i < 4; i++) {
            g.e(sub[21], E_INTERNAL, g.num(i + 1), sn(iv(PRIVATE_SYMBOLS[i + 8])));
        }
    }

    static final String[] PRIVATE_SYMBOLS = {"node:arrow_message_private_symbol", "node:contextify_context_private_symbol",
            "node:decorated_private_symbol", "node:host_defined_option_symbol", "node:napi_type_tag",
            "node:napi_wrapper", "node:untransferable_object_private_symbol", "node:exit_info_private_symbol",
            "nodejs.asyncDispose", "nodejs.stream.disturbed", "nodejs.internal.kHybridDispatch", "nodejs.rejection"};

    int[] pick(int[] fixedIdx) {
        int[] r = new int[fixedIdx.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = sn(fixedIdx[i]);
        }
        return r;
    }

    /** Capacity of a JS Array's elements after n pushes (V8: new = old + old/2 + 16). */
    static long cap(long n) {
        long c = 0;
        while (c < n) {
            c = c + (c >> 1) + 16;
        }
        return c;
    }

    /** An OrderedHashMap's capacity for n live entries. */
    static long mapCapacity(long n) {
        long c = 4;
        while (c < n) {
            c <<= 1;
        }
        return c;
    }

    static long tableLength(long capacity) {
        return 3 + capacity / 2 + 3 * capacity;
    }

    static long entrySlot(long capacity, long i) {
        return 3 + capacity / 2 + 3 * i;
    }

    int heapNumber(G g) {
        int h = g.node(T_NUMBER, sHeapNumber, 16);
        g.e(h, E_INTERNAL, iMap, mHeapNumber);
        return h;
    }

    /** A JS Array of the given nodes (its elements store holds them again, as V8 writes it). */
    int array(G g, int[] items, int count) {
        int a = g.node(T_OBJECT, cArray, 32);
        int el = count > 0 ? g.node(T_ARRAY, sObjElements, 16 + 8 * Math.max(count, 1)) : -1;
        for (int i = 0; i < count; i++) {
            g.e(a, E_ELEMENT, i, items[i]);
        }
        tail(g, a, oArrayProto, shArray);
        if (el >= 0) {
            g.e(a, E_INTERNAL, iElements, el);
            for (int i = 0; i < count; i++) {
                g.e(el, E_INTERNAL, g.num(i), items[i]);
            }
        }
        return a;
    }

    /** A sequential one-byte string node for the group string started last. */
    int seqString(G g, int name) {
        return seqString(g, name, false);
    }

    /** The same; when {@code maybeTwoByte}, a two-byte string if the text needs one. */
    int seqString(G g, int name, boolean maybeTwoByte) {
        long len = g.lastLen();
        boolean two = maybeTwoByte && g.text && g.lastTwoByte();
        int s = g.node(T_STRING, name, align8(16 + (two ? 2 : 1) * len));
        g.e(s, E_INTERNAL, iMap, two ? mStrSeq2 : mStrSeq);
        return s;
    }

    /** A new (not internalized) string node whose text is a fixed string. */
    int copyString(G g, int fixed) {
        int s = g.node(T_STRING, fixed, fixedSize != null ? fixedSize[fixed] : 0);
        g.e(s, E_INTERNAL, iMap, mStrSeq);
        return s;
    }

    int cons(G g, int first, int second) {
        int c = g.node(T_CONS, sConcat, 32);
        g.e(c, E_INTERNAL, iFirst, first);
        g.e(c, E_INTERNAL, iSecond, second);
        g.e(c, E_INTERNAL, iMap, mCons);
        return c;
    }

    /** An ISO-8601 UTC timestamp as Date.prototype.toISOString writes it (days to civil date: H. Hinnant). */
    static void isoTime(Txt b, long ms) {
        long days = Math.floorDiv(ms, 86_400_000L);
        long msOfDay = ms - days * 86_400_000L;
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        b.append(y).append('-');
        two(b, m);
        b.append('-');
        two(b, d);
        b.append('T');
        two(b, msOfDay / 3_600_000);
        b.append(':');
        two(b, msOfDay / 60_000 % 60);
        b.append(':');
        two(b, msOfDay / 1000 % 60);
        b.append('.');
        long frac = msOfDay % 1000;
        b.append((char) ('0' + frac / 100)).append((char) ('0' + frac / 10 % 10)).append((char) ('0' + frac % 10));
        b.append('Z');
    }

    static void two(Txt b, long v) {
        b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    static final char[] B36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    static final long[] POW36 = new long[13];

    static {
        POW36[0] = 1;
        for (int i = 1; i < POW36.length; i++) {
            POW36[i] = POW36[i - 1] * 36;
        }
    }

    static void base36(Txt b, long v, int width) {
        if (v < Integer.MAX_VALUE) {
            base36(b, (int) v, width);
            return;
        }
        int n = 1;
        while (n < POW36.length && v >= POW36[n]) {
            n++;
        }
        for (int i = n; i < width; i++) {
            b.append('0');
        }
        for (int i = n - 1; i >= 0; i--) {
            long d = v / POW36[i];
            b.append(B36[(int) d]);
            v -= d * POW36[i];
        }
    }

    static void base36(Txt b, int v, int width) {
        char[] tmp = b.tmp;
        int n = 0;
        do {
            tmp[n++] = B36[v % 36];
            v /= 36;
        } while (v > 0);
        for (int i = n; i < width; i++) {
            b.append('0');
        }
        while (n > 0) {
            b.append(tmp[--n]);
        }
    }

    static void hex(Txt b, long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            b.append(B36[(int) ((v >>> (4 * i)) & 15)]);
        }
    }

    // =====================================================================================================
    // Units of application state
    // =====================================================================================================

    /** What a tenant's containers hold of its units, collected while the units are built. */
    static final class Exports {
        final IntList users = new IntList();
        final IntList sessionKeys = new IntList();
        final IntList sessions = new IntList();
        final IntList orders = new IntList();
        final IntList cacheKeys = new IntList();
        final IntList cacheValues = new IntList();
        final IntList logs = new IntList();
        final IntList buffers = new IntList();
        final IntList metaKeys = new IntList();
        final IntList metaValues = new IntList();
        final IntList metaNames = new IntList();

        void clear() {
            users.n = sessionKeys.n = sessions.n = orders.n = cacheKeys.n = cacheValues.n = logs.n = buffers.n = 0;
            metaKeys.n = metaValues.n = metaNames.n = 0;
        }
    }

    static final class IntList {
        int[] a = new int[64];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }
    }

    /** One unit of server state (a user, their session, orders, cache entry...): heap-lib.js's buildUnit. */
    void buildUnit(G g, long seed, int u, int gen, long tenantTableId, Exports x) {
        // what the unit holds in the tenant's collections depends on its slot only, so a replaced unit
        // (a new session taking the place of an evicted one) leaves every collection's size as it was
        UnitParts p = g.parts;
        Rng shape = g.rng.reset(mix(seed ^ 0x736c6f74L, u, 0));
        p.hasMeta = shape.chance(0.1);
        p.orders = shape.nextInt(3);
        p.hasCache = shape.chance(0.6);
        p.hasLog = shape.chance(0.3);
        p.hasBuffer = shape.chance(0.05);
        Rng r = g.rng.reset(mix(seed, u, gen));
        long appId = u + 1 + (long) gen * units;
        // in pieces: smaller methods compile faster and better than one big one
        unitUser(g, r, appId, x, p);
        unitSession(g, r, appId, x, p);
        unitWeakMapEntry(g, r, tenantTableId, x, p);
        unitOrders(g, r, appId, x, p);
        unitCacheLogBuffer(g, r, appId, x, p);
    }

    /** What later pieces of a unit refer to. */
    static final class UnitParts {
        boolean hasMeta;
        int orders;
        boolean hasCache;
        boolean hasLog;
        boolean hasBuffer;
        int user;
        int name;
        int email;
        int session;
        int route0;
        int nroles;
        final int[] roles = new int[2];
    }

    void unitUser(G g, Rng r, long appId, Exports x, UnitParts p) {
        boolean text = g.text;
        Txt b = g.sb;
        // User
        int user = g.node(T_OBJECT, cUser, 88);
        g.loc(user, SCRIPT_SESSIONS, 11, 2);
        int fi = r.nextInt(FIRST.length);
        int li = r.nextInt(LAST.length);
        int name;
        int full = fullName[fi * LAST.length + li];
        if (full >= 0) {
            name = copyString(g, full);
        } else {
            name = cons(g, copyString(g, firstSp[fi]), sn(lastIv[li]));
        }
        int es = g.str();
        if (text) {
            b.append(FIRST[fi]).append('.').append(LAST[li]).append('.').append(appId);
        }
        int email = cons(g, seqString(g, es, true), sn(ivAtExample));
        int nroles = r.chance(0.3) ? 2 : 1;
        int[] roles = new int[]{sn(roleIv[r.nextInt(ROLES.length)]), sn(roleIv[r.nextInt(ROLES.length)])};
        int rolesArr = array(g, roles, nroles);
        int prefs = g.node(T_OBJECT, cObject, 48);
        g.e(prefs, E_PROPERTY, pTheme, sn(r.chance(0.5) ? ivDark : ivLight));
        g.e(prefs, E_PROPERTY, pLang, sn(langIv[r.nextInt(LANGS.length)]));
        tail(g, prefs, oObjectProto, shPrefs);
        int created = g.node(T_OBJECT, cDate, 96);
        int createdNum = heapNumber(g);
        tail(g, created, oDateProto, shDate);
        g.e(created, E_HIDDEN, 2, createdNum);
        int score = heapNumber(g);
        int ntags = 3 + r.nextInt(8);
        int[] tags = new int[ntags];
        for (int i = 0; i < ntags; i++) {
            int ts = g.str();
            long v = r.next();
            if (text) {
                b.append('t');
                base36(b, appId, 1);
                b.append('_');
                base36(b, i, 1);
                base36(b, v >>> 40, 1);
            }
            tags[i] = seqString(g, ts);
        }
        int tagsArr = array(g, tags, ntags);
        g.e(user, E_PROPERTY, pName, name);
        g.e(user, E_PROPERTY, pEmail, email);
        g.e(user, E_PROPERTY, pRoles, rolesArr);
        g.e(user, E_PROPERTY, pPrefs, prefs);
        g.e(user, E_PROPERTY, pCreatedAt, created);
        g.e(user, E_PROPERTY, pTags, tagsArr);
        tail(g, user, protoUser, shUser);
        g.e(user, E_HIDDEN, 2, score);
        x.users.add(user);

        p.user = user;
        p.name = name;
        p.email = email;
        p.roles[0] = roles[0];
        p.roles[1] = roles[1];
        p.nroles = nroles;
    }

    void unitSession(G g, Rng r, long appId, Exports x, UnitParts p) {
        boolean text = g.text;
        Txt b = g.sb;
        int user = p.user;
        // Session with its closures
        int session = g.node(T_OBJECT, cSession, 80);
        g.loc(session, SCRIPT_SESSIONS, 27, 2);
        long tokenHi = bij(appId ^ (seed << 40));
        long tokenLo = r.next();
        int t1 = g.str();
        if (text) {
            hex(b, tokenHi, 16);
        }
        int tok1 = seqString(g, t1);
        int t2 = g.str();
        if (text) {
            hex(b, tokenLo, 16);
        }
        int tok2 = seqString(g, t2);
        int token = cons(g, tok1, tok2);
        // attrs Map: ip, agent, sometimes csrf
        boolean csrf = r.chance(0.5);
        int ip = copyString(g, ipUnitFx[r.nextInt(4096)]);
        int agent = sn(agentIv[r.nextInt(AGENTS.length)]);
        int csrfNode = -1;
        if (csrf) {
            int cs = g.str();
            long v = r.next();
            if (text) {
                hex(b, tokenHi ^ 0x5DEECE66DL, 16);
                hex(b, v, 8);
            }
            csrfNode = seqString(g, cs);
        }
        int attrs = g.node(T_OBJECT, cMap, 32);
        int attrsTable = g.node(T_ARRAY, sEmpty, 16 + 8 * tableLength(4));
        g.e(attrs, E_INTERNAL, iTable, attrsTable);
        tail(g, attrs, oMapProto, shMap);
        g.e(attrsTable, E_INTERNAL, g.num(entrySlot(4, 0)), sn(pIp));
        g.e(attrsTable, E_INTERNAL, g.num(entrySlot(4, 0) + 1), ip);
        g.e(attrsTable, E_INTERNAL, g.num(entrySlot(4, 1)), sn(pAgent));
        g.e(attrsTable, E_INTERNAL, g.num(entrySlot(4, 1) + 1), agent);
        if (csrf) {
            g.e(attrsTable, E_INTERNAL, g.num(entrySlot(4, 2)), sn(pCsrf));
            g.e(attrsTable, E_INTERNAL, g.num(entrySlot(4, 2) + 1), csrfNode);
        }
        g.e(attrsTable, E_INTERNAL, iMap, mHashTable);
        int nhist = r.nextInt(5);
        int[] hist = new int[nhist];
        for (int i = 0; i < nhist; i++) {
            int hs = g.str();
            long v = r.next();
            if (text) {
                base36(b, appId, 1);
                b.append('.');
                base36(b, i, 1);
                base36(b, (v >>> 1) % 1_000_000_000L, 1);
            }
            hist[i] = seqString(g, hs);
        }
        int history = array(g, hist, nhist);
        int lastSeen = heapNumber(g);
        int handlers = g.node(T_OBJECT, cObject, 56);
        int nroutes = 1 + r.nextInt(3);
        int[] routeUsed = new int[3];
        for (int i = 0; i < nroutes; i++) {
            int ri = r.nextInt(ROUTES.length);
            boolean dup = false;
            for (int j = 0; j < i; j++) {
                dup |= routeUsed[j] == ri;
            }
            if (dup) {
                ri = (ri + 1 + i) % ROUTES.length;
                for (int j = 0; j < i; j++) {
                    if (routeUsed[j] == ri) {
                        ri = (ri + 3) % ROUTES.length;
                    }
                }
            }
            routeUsed[i] = ri;
            int ctx = g.node(T_OBJECT, sSysContext, 16 + 8 * 5);
            int startedNum = heapNumber(g);
            g.e(ctx, E_CONTEXT, vSession, session);
            g.e(ctx, E_CONTEXT, vRoute, sn(routeIv[ri]));
            g.e(ctx, E_CONTEXT, vStarted, startedNum);
            g.e(ctx, E_INTERNAL, iScopeInfo, scopeMakeHandler);
            g.e(ctx, E_INTERNAL, iPrevious, ctxSessions);
            g.e(ctx, E_INTERNAL, iMap, shContext);
            int fn = g.node(T_CLOSURE, sHandleFn, 64);
            g.loc(fn, SCRIPT_SESSIONS, 40, 9);
            g.e(fn, E_PROPERTY, iProto, oFunctionProto);
            g.e(fn, E_INTERNAL, iFeedbackCell, fcHandle);
            g.e(fn, E_INTERNAL, iShared, sfiHandle);
            g.e(fn, E_INTERNAL, iContext, ctx);
            g.e(fn, E_INTERNAL, iCode, builtinLazy);
            g.e(fn, E_INTERNAL, iMap, shFunction);
            g.e(handlers, E_PROPERTY, routeIv[ri], fn);
        }
        tail(g, handlers, oObjectProto, shHandlers);
        int tctx = g.node(T_OBJECT, sSysContext, 16 + 8 * 3);
        int deadline = heapNumber(g);
        g.e(tctx, E_CONTEXT, vDeadline, deadline);
        g.e(tctx, E_INTERNAL, iScopeInfo, scopeMakeTimer);
        g.e(tctx, E_INTERNAL, iPrevious, ctxSessions);
        g.e(tctx, E_INTERNAL, iMap, shContext);
        int expired = g.node(T_CLOSURE, sEmpty, 56);
        g.loc(expired, SCRIPT_SESSIONS, 49, 9);
        g.e(expired, E_PROPERTY, iProto, oFunctionProto);
        g.e(expired, E_INTERNAL, iFeedbackCell, fcTimer);
        g.e(expired, E_INTERNAL, iShared, sfiTimer);
        g.e(expired, E_INTERNAL, iContext, tctx);
        g.e(expired, E_INTERNAL, iCode, builtinLazy);
        g.e(expired, E_INTERNAL, iMap, shFunction);
        g.e(session, E_PROPERTY, pUser, user);
        g.e(session, E_PROPERTY, pToken, token);
        g.e(session, E_PROPERTY, pAttrs, attrs);
        g.e(session, E_PROPERTY, pHistory, history);
        g.e(session, E_PROPERTY, pHandlers, handlers);
        g.e(session, E_PROPERTY, pExpired, expired);
        tail(g, session, protoSession, shSession);
        g.e(session, E_HIDDEN, 4, lastSeen);
        x.sessionKeys.add(token);
        x.sessions.add(session);

        p.session = session;
        p.route0 = routeUsed[0];
    }

    void unitWeakMapEntry(G g, Rng r, long tenantTableId, Exports x, UnitParts p) {
        boolean text = g.text;
        Txt b = g.sb;
        int session = p.session;
        // sometimes a WeakMap entry: tenant.sessionMeta.set(session, {lastRoute, hits})
        if (p.hasMeta) {
            int mv = g.node(T_OBJECT, cObject, 40);
            g.e(mv, E_PROPERTY, pLastRoute, sn(routeIv[p.route0]));
            tail(g, mv, oObjectProto, shMetaVal);
            long slot = 3 + 2L * x.metaKeys.n;
            int keySide = g.str();
            if (text) {
                b.append("1 / part of key (Session @").append(g.id(session)).append(") -> value (Object @")
                        .append(g.id(mv)).append(") pair in WeakMap (table @").append(tenantTableId).append(')');
            }
            int tableSide = g.str();
            if (text) {
                b.append(slot).append(" / part of key (Session @").append(g.id(session)).append(") -> value (Object @")
                        .append(g.id(mv)).append(") pair in WeakMap (table @").append(tenantTableId).append(')');
            }
            g.e(session, E_INTERNAL, keySide, mv);
            x.metaKeys.add(session);
            x.metaValues.add(mv);
            x.metaNames.add(tableSide);
        }

    }

    void unitOrders(G g, Rng r, long appId, Exports x, UnitParts p) {
        boolean text = g.text;
        Txt b = g.sb;
        // orders
        int norders = p.orders;
        for (int o = 0; o < norders; o++) {
            int order = g.node(T_OBJECT, cOrder, 80);
            g.loc(order, SCRIPT_ORDERS, 12, 2);
            int nitems = 1 + r.nextInt(4);
            int[] items = new int[nitems];
            for (int i = 0; i < nitems; i++) {
                int item = g.node(T_OBJECT, cOrderItem, 48);
                g.loc(item, SCRIPT_ORDERS, 4, 2);
                int price = heapNumber(g);
                g.e(item, E_PROPERTY, pSku, sn(skuIv[r.nextInt(500)]));
                tail(g, item, protoItem, shItem);
                g.e(item, E_HIDDEN, 3, price);
                items[i] = item;
            }
            int itemsArr = array(g, items, nitems);
            int total = heapNumber(g);
            int meta = g.node(T_OBJECT, cObject, 40);
            boolean coupon = r.chance(0.1);
            g.e(meta, E_PROPERTY, pSource, sn(r.chance(0.5) ? ivWeb : ivMobile));
            if (coupon) {
                g.e(meta, E_PROPERTY, pCoupon, copyString(g, couponFx[r.nextInt(100)]));
            }
            tail(g, meta, oObjectProto, coupon ? shMetaCoupon : shMeta);
            int status = sn(statusIv[r.nextInt(STATUSES.length)]);
            boolean raw = r.chance(0.08);
            int rawNode = -1;
            int summary = -1;
            if (raw) {
                int rs = g.str();
                long v = r.next();
                int pad = (int) ((v >>> 3) % 1600);
                if (text) {
                    b.append("{\"id\":").append(appId * 4 + o).append(",\"userId\":").append(appId)
                            .append(",\"items\":[");
                    for (int i = 0; i < nitems; i++) {
                        if (i > 0) {
                            b.append(',');
                        }
                        b.append("{\"sku\":\"SKU-").append(100000 + ((v >>> (8 * i)) & 255) * 37).append("\",\"qty\":")
                                .append(1 + ((v >>> (8 * i + 4)) & 3)).append('}');
                    }
                    b.append("],\"status\":\"").append(STATUSES[(int) ((v >>> 40) % STATUSES.length)])
                            .append("\",\"note\":\"");
                    for (int i = 0; i < pad; i++) {
                        b.append((char) ('a' + (i * 7 + (int) (v & 15)) % 26));
                    }
                    b.append("\"}");
                }
                rawNode = seqString(g, rs);
                summary = g.node(T_SLICED, sSliced, 32);
                g.e(summary, E_INTERNAL, iParent, rawNode);
                g.e(summary, E_INTERNAL, iMap, mSliced);
            }
            g.e(order, E_PROPERTY, pItems, itemsArr);
            g.e(order, E_PROPERTY, pStatus, status);
            g.e(order, E_PROPERTY, pMeta, meta);
            if (raw) {
                g.e(order, E_PROPERTY, pRaw, rawNode);
                g.e(order, E_PROPERTY, pSummary, summary);
            }
            tail(g, order, protoOrder, raw ? shOrderRaw : shOrder);
            g.e(order, E_HIDDEN, 3, total);
            x.orders.add(order);
        }

    }

    void unitCacheLogBuffer(G g, Rng r, long appId, Exports x, UnitParts p) {
        boolean text = g.text;
        Txt b = g.sb;
        int user = p.user;
        int name = p.name;
        int email = p.email;
        int[] roles = p.roles;
        int nroles = p.nroles;
        // cache entry with a WeakRef to the user
        if (p.hasCache) {
            int entry = g.node(T_OBJECT, cCacheEntry, 64);
            g.loc(entry, SCRIPT_CACHE, 3, 2);
            int ks = g.str();
            if (text) {
                b.append("user:").append(appId);
            }
            int key = cons(g, seqString(g, ks), sn(ivProfileSuffix));
            int value = g.node(T_OBJECT, cObject, 48);
            g.e(value, E_PROPERTY, pName, name);
            g.e(value, E_PROPERTY, pEmail, email);
            g.e(value, E_PROPERTY, pRoles, array(g, roles, nroles));
            tail(g, value, oObjectProto, shCacheVal);
            int expires = heapNumber(g);
            int ref = g.node(T_OBJECT, cWeakRef, 32);
            g.e(ref, E_WEAK, iTarget, user);
            tail(g, ref, oWeakRefProto, shWeakRef);
            g.e(entry, E_PROPERTY, pKey, key);
            g.e(entry, E_PROPERTY, pValue, value);
            g.e(entry, E_PROPERTY, pOwner, ref);
            tail(g, entry, protoCache, shCache);
            g.e(entry, E_HIDDEN, 4, expires);
            x.cacheKeys.add(key);
            x.cacheValues.add(entry);
        }

        // a log line
        if (p.hasLog) {
            int ls = g.str();
            long v = r.next();
            if (text) {
                long ms = 1_600_000_000_000L + (v >>> 28) % 100_000_000_000L;
                isoTime(b, ms);
                b.append(" INFO ").append(ROUTES[(int) ((v >>> 3) % ROUTES.length)])
                        .append(" user=").append(appId).append(" took=").append((v >>> 13) % 500).append("ms");
            }
            x.logs.add(seqString(g, ls));
        }

        // now and then a Buffer
        if (p.hasBuffer) {
            int buf = g.node(T_OBJECT, cBuffer, 96);
            g.loc(buf, SCRIPT_BUFFER, 140, 0);
            int ab;
            if (r.chance(0.5)) {
                ab = g.node(T_OBJECT, cArrayBuffer, 88);
                int store = g.node(T_NATIVE, sNativeData, 512 + r.nextInt(4096));
                g.e(ab, E_INTERNAL, iBackingStore, store);
                tail(g, ab, oArrayBufferProto, shArrayBuffer);
            } else {
                ab = bufferPool;
            }
            g.e(buf, E_PROPERTY, iProto, oUint8Proto);
            g.e(buf, E_INTERNAL, iBuffer, ab);
            g.e(buf, E_INTERNAL, iMap, shBuffer);
            x.buffers.add(buf);
        }
    }

    static final int TENANT_NODES = 20;
    /** Units per tenant at most: a tenant is one segment, rendered into one buffer. */
    static final int MAX_TENANT_UNITS = 4000;

    /** A tenant's containers (after its units: they point back at what the units exported). */
    void buildTenant(G g, int t, Exports x) {
        int tenant = g.node(T_OBJECT, cTenant, 24 + 8 * 10);
        g.loc(tenant, SCRIPT_TENANTS, 6, 2);
        int ns = g.str();
        if (g.text) {
            g.sb.append(TENANT_WORDS[t % TENANT_WORDS.length]).append('-').append(t);
        }
        int nameNode = seqString(g, ns);
        int users = g.node(T_OBJECT, cMap, 32);
        int usersTable = g.node(T_ARRAY, sEmpty, 16 + 8 * tableLength(mapCapacity(x.users.n)));
        int sessions = g.node(T_OBJECT, cMap, 32);
        int sessionsTable = g.node(T_ARRAY, sEmpty, 16 + 8 * tableLength(mapCapacity(x.sessions.n)));
        int orders = g.node(T_OBJECT, cArray, 32);
        int ordersEl = g.node(T_ARRAY, sObjElements, 16 + 8 * cap(x.orders.n));
        int cache = g.node(T_OBJECT, cMap, 32);
        int cacheTable = g.node(T_ARRAY, sEmpty, 16 + 8 * tableLength(mapCapacity(x.cacheValues.n)));
        int logs = g.node(T_OBJECT, cArray, 32);
        int logsEl = g.node(T_ARRAY, sObjElements, 16 + 8 * cap(x.logs.n));
        int buffers = g.node(T_OBJECT, cArray, 32);
        int buffersEl = g.node(T_ARRAY, sObjElements, 16 + 8 * cap(x.buffers.n));
        int stats = g.node(T_OBJECT, cObject, 32);
        int meta = g.node(T_OBJECT, cWeakMap, 32);
        int metaTable = g.node(T_ARRAY, sEmpty, 16 + 8 * (3 + 2 * mapCapacity(x.metaKeys.n)));
        int rs = g.str();
        if (g.text) {
            g.sb.append("^\\/t\\/").append(TENANT_WORDS[t % TENANT_WORDS.length]).append('-').append(t)
                    .append("\\/(\\w+)$");
        }
        int matcher = g.node(T_REGEXP, rs, 56);
        int matcherData = g.node(T_ARRAY, sEmpty, 112);
        int matcherSource = g.node(T_STRING, rs, align8(16 + g.lastLen()));
        g.e(tenant, E_PROPERTY, pName, nameNode);
        g.e(tenant, E_PROPERTY, pUsers, users);
        g.e(tenant, E_PROPERTY, pSessions, sessions);
        g.e(tenant, E_PROPERTY, pOrders, orders);
        g.e(tenant, E_PROPERTY, pCache, cache);
        g.e(tenant, E_PROPERTY, pLogs, logs);
        g.e(tenant, E_PROPERTY, pBuffers, buffers);
        g.e(tenant, E_PROPERTY, pStats, stats);
        g.e(tenant, E_PROPERTY, pSessionMeta, meta);
        g.e(tenant, E_PROPERTY, pMatcher, matcher);
        tail(g, tenant, protoTenant, shTenant);
        mapObject(g, users, usersTable, null, x.users);
        mapObject(g, sessions, sessionsTable, x.sessionKeys, x.sessions);
        mapObject(g, cache, cacheTable, x.cacheKeys, x.cacheValues);
        arrayObject(g, orders, ordersEl, x.orders);
        arrayObject(g, logs, logsEl, x.logs);
        arrayObject(g, buffers, buffersEl, x.buffers);
        tail(g, stats, oObjectProto, shStats);
        g.e(meta, E_INTERNAL, iTable, metaTable);
        tail(g, meta, oWeakMapProto, shWeakMap);
        for (int i = 0; i < x.metaKeys.n; i++) {
            g.e(metaTable, E_WEAK, g.num(3 + 2L * i), x.metaKeys.a[i]);
            g.e(metaTable, E_WEAK, g.num(4 + 2L * i), x.metaValues.a[i]);
            g.e(metaTable, E_INTERNAL, x.metaNames.a[i], x.metaValues.a[i]);
        }
        g.e(metaTable, E_INTERNAL, iMap, mEphemeron);
        tail(g, matcher, oRegExpProto, shRegExp);
        g.e(matcher, E_HIDDEN, 2, matcherData);
        g.e(matcher, E_HIDDEN, 3, matcherSource);
        g.e(matcherData, E_INTERNAL, iMap, mFixedArray);
        g.e(matcherSource, E_INTERNAL, iMap, mStrSeq);
        if (g.n != TENANT_NODES) {
            throw new IllegalStateException("tenant block has " + g.n + " nodes");
        }
    }

    void mapObject(G g, int map, int table, IntList keys, IntList values) {
        g.e(map, E_INTERNAL, iTable, table);
        tail(g, map, oMapProto, shMap);
        long c = mapCapacity(values.n);
        for (int i = 0; i < values.n; i++) {
            long slot = entrySlot(c, i);
            if (keys != null) {
                g.e(table, E_INTERNAL, g.num(slot), keys.a[i]);
            }
            g.e(table, E_INTERNAL, g.num(slot + 1), values.a[i]);
        }
        g.e(table, E_INTERNAL, iMap, mHashTable);
    }

    void arrayObject(G g, int arr, int el, IntList items) {
        for (int i = 0; i < items.n; i++) {
            g.e(arr, E_ELEMENT, i, items.a[i]);
        }
        tail(g, arr, oArrayProto, shArray);
        g.e(arr, E_INTERNAL, iElements, el);
        for (int i = 0; i < items.n; i++) {
            g.e(el, E_INTERNAL, g.num(i), items.a[i]);
        }
        if (items.n == 0) {
            g.e(el, E_INTERNAL, iMap, mFixedArray);
        }
    }

    // =====================================================================================================
    // The leak and the churn
    // =====================================================================================================

    /** PendingRequest number i (1-based), as make-growing-series.js allocates them. */
    void buildRequest(G g, long seed, long i) {
        Rng r = g.rng.reset(mix(seed ^ 0x7265717565737473L, i, 0));
        boolean text = g.text;
        Txt b = g.sb;
        boolean post = r.chance(0.3);
        int req = g.node(T_OBJECT, cPendingRequest, 80);
        g.loc(req, SCRIPT_SERVER, 22, 2);
        int us = g.str();
        long tailRand = r.next();
        if (text) {
            base36(b, i, 6);
            base36(b, (tailRand >>> 44) % (36L * 36 * 36 * 36), 4);
        }
        int url = cons(g, sn(urlIv[r.nextInt(URLS.length)]), seqString(g, us));
        int headers = g.node(T_OBJECT, cObject, 56);
        int rs = g.str();
        long rid = r.next();
        if (text) {
            hex(b, bij(i ^ (seed << 42)), 16);
            hex(b, rid, 4);
        }
        int ridNode = seqString(g, rs);
        g.e(headers, E_PROPERTY, pHost, sn(ivHostVal));
        g.e(headers, E_PROPERTY, pUserAgent, sn(agentIv[r.nextInt(2)]));
        g.e(headers, E_PROPERTY, pAccept, sn(ivAcceptVal));
        g.e(headers, E_PROPERTY, pRequestId, ridNode);
        tail(g, headers, oObjectProto, shHeaders);
        int socket = g.node(T_OBJECT, cObject, 40);
        g.e(socket, E_PROPERTY, pRemoteAddress, copyString(g, ipReqFx[r.nextInt(4096)]));
        tail(g, socket, oObjectProto, shSocket);
        int startedAt = heapNumber(g);
        int body = -1;
        if (post) {
            int bs = g.str();
            long v = r.next();
            if (text) {
                b.append("{\"cart\":\"");
                hex(b, bij(i + (seed << 44)), 16);
                b.append("\",\"qty\":").append(1 + (v >>> 60)).append('}');
            }
            body = seqString(g, bs);
        }
        int ctx = g.node(T_OBJECT, sSysContext, 16 + 8 * 4);
        g.e(ctx, E_CONTEXT, vReq, req);
        g.e(ctx, E_INTERNAL, iScopeInfo, scopeCompletion);
        g.e(ctx, E_INTERNAL, iPrevious, ctxServer);
        g.e(ctx, E_INTERNAL, iMap, shContext);
        int done = g.node(T_CLOSURE, sOnDoneFn, 64);
        g.loc(done, SCRIPT_SERVER, 33, 9);
        g.e(done, E_PROPERTY, iProto, oFunctionProto);
        g.e(done, E_INTERNAL, iFeedbackCell, fcOnDone);
        g.e(done, E_INTERNAL, iShared, sfiOnDone);
        g.e(done, E_INTERNAL, iContext, ctx);
        g.e(done, E_INTERNAL, iCode, builtinLazy);
        g.e(done, E_INTERNAL, iMap, shFunction);
        g.e(req, E_PROPERTY, pMethod, sn(post ? ivPost : ivGet));
        g.e(req, E_PROPERTY, pUrl, url);
        g.e(req, E_PROPERTY, pHeaders, headers);
        g.e(req, E_PROPERTY, pSocket, socket);
        if (post) {
            g.e(req, E_PROPERTY, pBody, body);
        }
        g.e(req, E_PROPERTY, pOnDone, done);
        tail(g, req, protoRequest, post ? shReqPost : shReqGet);
        g.e(req, E_HIDDEN, 6, startedAt);
    }

    /** The in-flight requests of snapshot k: a Map of RequestScratch objects, all new in epoch k. */
    void buildScratch(G g, long seed, int k, long count) {
        Rng r = g.rng.reset(mix(seed ^ 0x736372617463L, k, 1));
        boolean text = g.text;
        Txt b = g.sb;
        int map = g.node(T_OBJECT, cMap, 32);
        long c = mapCapacity(count);
        int table = g.node(T_ARRAY, sEmpty, 16 + 8 * tableLength(c));
        g.e(map, E_INTERNAL, iTable, table);
        tail(g, map, oMapProto, shMap);
        for (long j = 0; j < count; j++) {
            int s = g.node(T_OBJECT, cRequestScratch, 48);
            g.loc(s, SCRIPT_SERVER, 41, 2);
            int parsed = g.node(T_OBJECT, cObject, 40);
            int ps = g.str();
            if (text) {
                b.append("/api/items/").append(k).append('-').append(j);
            }
            int path = seqString(g, ps);
            int query = g.node(T_OBJECT, cObject, 32);
            tail(g, query, oObjectProto, shQuery);
            g.e(parsed, E_PROPERTY, pPath, path);
            g.e(parsed, E_PROPERTY, pQuery, query);
            tail(g, parsed, oObjectProto, shParsed);
            int[] chunks = new int[2];
            for (int q = 0; q < 2; q++) {
                int cs = g.str();
                long v = r.next();
                if (text) {
                    hex(b, bij(((long) k << 40) ^ (j << 1) ^ q ^ (seed << 56)), 16);
                    for (int z = 0; z < 3; z++) {
                        hex(b, v * (z + 1), 8);
                    }
                }
                chunks[q] = seqString(g, cs);
            }
            g.e(s, E_PROPERTY, pParsed, parsed);
            g.e(s, E_PROPERTY, pChunks, array(g, chunks, 2));
            tail(g, s, protoScratch, shScratch);
            g.e(table, E_INTERNAL, g.num(entrySlot(c, j) + 1), s);
        }
        g.e(table, E_INTERNAL, iMap, mHashTable);
    }

    /** Node's embedder graph (last in the file, as node writes it). */
    void buildNatives(G g, int processOrd) {
        int cppRoots = g.node(T_SYNTHETIC, S.f("C++ roots"), 0);
        int cppCross = g.node(T_SYNTHETIC, S.f("C++ cross-thread roots"), 0);
        int env = g.node(T_SYNTHETIC, S.f("Node / Environment"), 2592);
        String[][] kids = {{"isolate_data", "Node / IsolateData", "3832"}, {"exit_info", "Node / AliasedInt32Array", "56"},
                {"should_abort_on_uncaught_toggle", "Node / AliasedUint32Array", "56"},
                {"cleanup_queue", "Node / CleanupQueue", "96"}, {"async_hooks", "Node / AsyncHooks", "216"},
                {"immediate_info", "Node / ImmediateInfo", "64"}, {"timeout_info", "Node / AliasedInt32Array", "56"},
                {"tick_info", "Node / TickInfo", "64"}, {"principal_realm", "Node / PrincipalRealm", "840"}};
        int[] kid = new int[kids.length];
        for (int i = 0; i < kids.length; i++) {
            kid[i] = g.node(T_NATIVE, S.f(kids[i][1]), Long.parseLong(kids[i][2]));
            g.e(env, E_INTERNAL, S.f(kids[i][0]), kid[i]);
        }
        int bindingFs = g.node(T_NATIVE, S.f("Node / BindingData"), 104);
        int bindingBlob = g.node(T_NATIVE, S.f("Node / BlobBindingData"), 72);
        g.ndet[bindingFs - g.base] = 2;
        g.ndet[bindingBlob - g.base] = 2;
        int realm = kid[8];
        g.e(realm, E_INTERNAL, S.f("process_object"), processOrd);
        g.e(realm, E_INTERNAL, S.f("fs_binding_data"), bindingFs);
        g.e(realm, E_INTERNAL, S.f("blob_binding_data"), bindingBlob);
        for (int i = 0; i < g.n; i++) {
            g.nid[i] = 2L * (491_000_000L + 128L * i);
        }
    }

    // =====================================================================================================
    // Planning, ids across a series, and the passes
    // =====================================================================================================

    final Options opt;
    final long seed;
    int units;
    int tenants;
    long scratchCount;
    long[] leak; // PendingRequests in snapshot k (1-based)
    int preludeNodes;
    int nativeNodes;

    // allocation positions (ids are 1 + 2 x position); epoch k = what was allocated before snapshot k
    int[] unitPos1;
    int[] tenantPos1;
    long[] epochStart;
    long[] tablePos; // of the leak Map's table in use at epoch k
    long[] reqPosBase;
    long[] scratchPos;
    int[][] replacedUnits;
    long[][] replacedPos;

    SnapshotGenerator(Options o) {
        this.opt = o;
        this.seed = o.seed;
    }

    boolean replaced(int u, int epoch) {
        return epoch >= 2 && (mix(seed ^ 0x636875726eL, u, epoch) & 0xFFFFF) < (long) (opt.churn * 0x100000);
    }

    int firstUnit(int t) {
        return (int) (((long) t * units + tenants - 1) / tenants);
    }

    static final int PLAN = 0, NODES = 1, EDGES = 2;


    void run() throws IOException {
        vocabulary();
        S.frozen = false;
        // the prelude registers its own names; build it once to freeze the fixed strings
        G g = new G();
        Layout dummy = new Layout();
        scratchCount = 1;
        // every string a builder names must be registered before the string table is frozen: build the
        // prelude and samples of every group until nothing new turns up
        for (int before = -1; before != S.list.size(); ) {
            before = S.list.size();
            g.reset(0, 0, 0, false, G.COUNT);
            buildPrelude(g, dummy, 1, 1);
            preludeNodes = g.n;
            g.reset(0, 0, 0, false, G.COUNT);
            buildNatives(g, 0);
            nativeNodes = g.n;
            sampleGroups(g);
        }
        S.frozen = true;
        G.numBase = S.numBase();
        fixedSize = new long[S.list.size()];
        for (int i = 0; i < fixedSize.length; i++) {
            fixedSize[i] = align8(16 + S.list.get(i).length());
        }

        size();
        if (opt.verbose && !java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                .contains("-XX:TieredStopAtLevel=1")) {
            System.err.println("note: without -XX:TieredStopAtLevel=1 the JIT's C2 compiler takes about as much CPU as the work");
        }
        warmUp();
        int k = opt.series;
        epochStart = new long[k + 2];
        tablePos = new long[k + 2];
        reqPosBase = new long[k + 2];
        scratchPos = new long[k + 2];
        replacedUnits = new int[k + 2][];
        replacedPos = new long[k + 2][];
        unitPos1 = new int[units];
        tenantPos1 = new int[tenants];
        long t0 = System.nanoTime();
        long totalBytes = 0;
        for (int s = 1; s <= k; s++) {
            Path file = k == 1 ? opt.out : seriesFile(opt.out, s);
            long t1 = System.nanoTime();
            long bytes = writeSnapshot(s, file);
            if (opt.dryRun) {
                System.out.println(String.format(Locale.ROOT,
                        "{\"file\":\"%s\",\"snapshot\":%d,\"dryRun\":true,\"estimatedBytes\":%d,\"nodes\":%d,\"edges\":%d,"
                                + "\"strings\":%d,\"leaked\":%d,\"newLeaked\":%d,\"units\":%d,\"tenants\":%d,\"maxId\":%d}",
                        json(file.toString()), s, bytes, lastLayout.nodes, lastLayout.edges, lastLayout.strings, leak[s],
                        leak[s] - leak[s - 1], units, tenants, 1 + 2 * (epochStart[s + 1] - 10_001L)));
                continue;
            }
            double secs = (System.nanoTime() - t1) / 1e9;
            totalBytes += bytes;
            System.out.println(String.format(Locale.ROOT,
                    "{\"file\":\"%s\",\"snapshot\":%d,\"bytes\":%d,\"nodes\":%d,\"edges\":%d,\"strings\":%d,"
                            + "\"leakClass\":\"PendingRequest\",\"leakHolder\":\"pendingRequests\",\"leaked\":%d,"
                            + "\"newLeaked\":%d,\"units\":%d,\"tenants\":%d,\"seconds\":%.2f,\"mbPerSec\":%.1f}",
                    json(file.toString()), s, bytes, lastLayout.nodes, lastLayout.edges, lastLayout.strings, leak[s],
                    leak[s] - leak[s - 1], units, tenants, secs, bytes / 1e6 / secs));
            System.out.flush();
        }
        if (opt.verbose) {
            double secs = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "total %.2f s, %.1f MB/s; process CPU %.2f s%n", secs, totalBytes / 1e6 / secs,
                    cpuSeconds());
        }
    }

    static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static Path seriesFile(Path out, int k) {
        String name = out.getFileName().toString();
        int dot = name.endsWith(".heapsnapshot") ? name.length() - ".heapsnapshot".length() : name.length();
        String f = name.substring(0, dot) + "-" + k + name.substring(dot);
        return out.resolveSibling(f);
    }

    /**
     * Runs the builders and writers in all three modes, interleaved, before the real passes: the JIT then
     * compiles them once with every branch seen, instead of recompiling them as each pass takes new ones.
     */
    void warmUp() throws IOException {
        Worker w = new Worker();
        w.out = new Out(null);
        w.locOut = new Out(null);
        w.strOut = new Out(null);
        int saved = units;
        units = 1 << 30;
        G g = w.g;
        for (int i = 0; i < 15_000; i++) {
            int mode = i % 3 == 0 ? PLAN : i % 3 == 1 ? NODES : EDGES;
            g.reset(1000, 1000, 1000, mode == NODES, mode == EDGES ? G.STORE : mode == NODES ? G.PER_NODE : G.COUNT);
            w.x.clear();
            if (i % 8 == 7) {
                buildRequest(g, seed, i);
            } else {
                buildUnit(g, seed, i, 0, 0, w.x);
            }
            emit(g, mode, w);
            w.out.pos = 0;
            w.locOut.pos = 0;
            w.strOut.pos = 0;
        }
        units = saved;
    }

    /** Builds one of each group in plan mode so that every fixed string is registered before freezing. */
    void sampleGroups(G g) {
        Exports x = new Exports();
        units = 1000;
        tenants = 1;
        for (int u = 0; u < 1000; u++) {
            g.reset(0, 0, 0, true, G.COUNT);
            buildUnit(g, seed, u, 0, 0, x);
        }
        g.reset(0, 0, 0, true, G.COUNT);
        buildTenant(g, 0, x);
        for (int i = 1; i <= 50; i++) {
            g.reset(0, 0, 0, true, G.COUNT);
            buildRequest(g, seed, i);
        }
        g.reset(0, 0, 0, true, G.COUNT);
        buildScratch(g, seed, 1, 10);
    }

    /** Decides units, tenants, scratch and leak sizes from the requested size. */
    void size() {
        G g = new G();
        Exports x = new Exports();
        // average nodes per unit and per request, from a sample
        units = 1 << 30;
        long unitNodes = 0;
        int sample = 2000;
        for (int u = 0; u < sample; u++) {
            g.reset(0, 0, 0, false, G.COUNT);
            x.clear();
            buildUnit(g, seed, u, 0, 0, x);
            unitNodes += g.n;
        }
        double perUnit = unitNodes / (double) sample;
        long reqNodes = 0;
        for (int i = 1; i <= sample; i++) {
            g.reset(0, 0, 0, false, G.COUNT);
            buildRequest(g, seed, i);
            reqNodes += g.n;
        }
        double perReq = reqNodes / (double) sample;
        long target = opt.nodes > 0 ? opt.nodes : nodesForBytes(opt.sizeGb * (1L << 30));
        long leakNodes = (long) (target * opt.leakShare);
        long last = Math.max(opt.series, Math.round(leakNodes / perReq));
        leak = new long[opt.series + 1];
        for (int k = 1; k <= opt.series; k++) {
            leak[k] = Math.round(last * (double) k / opt.series);
        }
        long base = target - leakNodes - preludeNodes - nativeNodes;
        int u = (int) Math.max(16, base / (perUnit + 0.4));
        for (int iter = 0; iter < 3; iter++) {
            tenants = Math.max(16, (int) Math.ceil(u / (double) MAX_TENANT_UNITS));
            scratchCount = Math.max(10, Math.min(5000, u / 50));
            long fixed = (long) tenants * TENANT_NODES + scratchCount * 9 + 2;
            u = (int) Math.max(16, (base - fixed) / perUnit);
        }
        units = u;
        if (opt.verbose) {
            System.err.printf(Locale.ROOT, "plan: target %,d nodes: %,d units (%.1f nodes each) in %d tenants, leak %s"
                            + " PendingRequest (%.1f nodes each), %d in-flight%n", target, units, perUnit, tenants,
                    Arrays.toString(Arrays.copyOfRange(leak, 1, leak.length)), perReq, scratchCount);
        }
    }

    /** Nodes for a file of the given size: bytes per node measured on generated files (it grows with digits). */
    static long nodesForBytes(double bytes) {
        double n = bytes / 75;
        for (int i = 0; i < 4; i++) {
            n = bytes / bytesPerNode(n);
        }
        return (long) n;
    }

    static double bytesPerNode(double nodes) {
        // measured: see bench/RESULTS.md (generator section); grows with the digits of ordinals and ids
        return 58 + 2.6 * Math.log10(Math.max(nodes, 1e4));
    }

    Layout lastLayout;

    // ---- segments: the independent pieces of a snapshot, rendered in parallel and written in order ----

    static final int SEG_PRELUDE = 0, SEG_TENANT = 1, SEG_TABLE = 2, SEG_REQUESTS = 3, SEG_SCRATCH = 4, SEG_NATIVES = 5;
    static final int REQUEST_CHUNK = 20_000;
    static final int TABLE_CHUNK = 500_000;

    static final class Segment {
        final int kind;
        final int index;
        long from;
        long to;
        int ord;
        long str;
        int[] cursor; // tenants: where each epoch's list of replaced units stands at the first unit
        int reqEpoch; // request chunks: epoch of the first request and its allocation position
        long reqPos;
        // what planning counted
        long nodes;
        long edges;
        long locs;
        long strings;
        final IntList replacedUnits = new IntList(); // tenants: units replaced in this snapshot's epoch, and sizes
        final IntList replacedSizes = new IntList();

        Segment(int kind, int index) {
            this.kind = kind;
            this.index = index;
        }
    }

    /** What one thread needs to build and render segments. */
    final class Worker {
        final G g = new G();
        final Exports x = new Exports();
        Out out;
        Out locOut; // the nodes pass also renders the locations and the group strings
        Out strOut;
        boolean first;
        boolean firstLoc;
        long nodes;
        long edges;
        long locs;
        long strings;
    }

    // plan-pass results for the epoch of snapshot k
    long planReqNodesNew;
    final IntList planReplaced = new IntList();
    final IntList planReplacedSize = new IntList();
    long planScratchNodes;

    long writeSnapshot(int k, Path file) throws IOException {
        Layout lay = new Layout();
        lay.tenantOrd = new int[tenants];
        lay.reqOrd = new int[(int) leak[k]];
        boolean tableChanged = k == 1 || mapCapacity(leak[k]) != mapCapacity(leak[k - 1]);
        long t0 = System.nanoTime();
        int threads = Math.max(1, opt.threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "render");
            t.setDaemon(true);
            return t;
        });
        try {
            return writeSnapshot(k, file, lay, tableChanged, pool, threads, t0);
        } finally {
            pool.shutdownNow();
        }
    }

    long writeSnapshot(int k, Path file, Layout lay, boolean tableChanged, ExecutorService pool, int threads, long t0)
            throws IOException {
        double cpu0 = opt.verbose ? cpuSeconds() : 0;
        List<Segment> segs = plan(k, lay, pool);
        lastLayout = lay;
        if (opt.verbose) {
            System.err.printf(Locale.ROOT, "  plan: %.2f s (CPU %.2f s), %d segments%n", (System.nanoTime() - t0) / 1e9,
                    cpuSeconds() - cpu0, segs.size());
        }
        // allocation positions of what is new in this snapshot (its epoch)
        if (k == 1) {
            epochStart[1] = 0;
            tablePos[1] = lay.leakTableOrd;
            reqPosBase[1] = lay.reqFirstOrd;
            scratchPos[1] = lay.scratchOrd;
            epochStart[2] = lay.nativeOrd + 10_000L;
        } else {
            long p = epochStart[k];
            tablePos[k] = tableChanged ? p : tablePos[k - 1];
            if (tableChanged) {
                p++;
            }
            reqPosBase[k] = p;
            p += planReqNodesNew;
            replacedPos[k] = new long[planReplaced.n];
            replacedUnits[k] = Arrays.copyOf(planReplaced.a, planReplaced.n);
            for (int i = 0; i < planReplaced.n; i++) {
                replacedPos[k][i] = p;
                p += planReplacedSize.a[i];
            }
            scratchPos[k] = p;
            p += planScratchNodes;
            epochStart[k + 1] = p + 10_000L;
        }
        if (1 + 2 * epochStart[k + 1] >= (1L << 32)) {
            throw new IllegalStateException("node ids would pass 2^32: too many nodes for one series");
        }
        if (opt.dryRun) {
            return (long) (lay.nodes * bytesPerNode(lay.nodes));
        }
        for (Segment sg : segs) {
            if (sg.kind == SEG_REQUESTS) {
                sg.reqPos = sg.reqEpoch == 1 ? reqPosBase[1] + (sg.reqPos - lay.reqFirstOrd) : reqPosBase[sg.reqEpoch] + sg.reqPos;
            }
        }

        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Path locTmp = file.resolveSibling(file.getFileName() + ".tmp-locations");
        Path strTmp = file.resolveSibling(file.getFileName() + ".tmp-strings");
        for (Path p : new Path[]{tmp, locTmp, strTmp}) {
            Files.deleteIfExists(p);
        }
        try (FileChannel ch = create(tmp); FileChannel locCh = create(locTmp); FileChannel strCh = create(strTmp);
             Out out = new Out(ch); Out loc = new Out(locCh); Out str = new Out(strCh)) {
            out.ascii(META);
            out.ascii("\"node_count\":" + lay.nodes + ",\"edge_count\":" + lay.edges + ",\"trace_function_count\":0},\n");
            out.ascii("\"nodes\":[");
            long[] c = section(NODES, k, lay, segs, out, loc, str, pool, threads);
            check("nodes", c[0], lay.nodes);
            check("locations", c[2], lay.locations);
            check("strings", S.numBase() + lay.numbers + c[3], lay.strings);
            out.ascii("\n],\n\"edges\":[");
            c = section(EDGES, k, lay, segs, out, null, null, pool, threads);
            check("edges", c[1], lay.edges);
            long tail = System.nanoTime();
            out.ascii("\n],\n\"trace_function_infos\":[],\n\"trace_tree\":[],\n\"samples\":[],\n\"locations\":[");
            loc.flush();
            out.append(locCh);
            out.ascii("\n],\n\"strings\":[");
            boolean first = true;
            for (String text : S.list) {
                out.string(first, text, 0, text.length());
                first = false;
            }
            long[] used = G.numUsed;
            for (int word = 0; word < used.length; word++) {
                for (long bits = used[word]; bits != 0; bits &= bits - 1) {
                    out.decimalString((long) word << 6 | Long.numberOfTrailingZeros(bits));
                }
            }
            str.flush();
            out.append(strCh);
            out.ascii("]}");
            out.flush();
            if (opt.verbose) {
                System.err.printf(Locale.ROOT, "  locations and strings: %.2f s%n", (System.nanoTime() - tail) / 1e9);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        } finally {
            Files.deleteIfExists(locTmp);
            Files.deleteIfExists(strTmp);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return Files.size(file);
    }

    /** A new file only its owner can read: snapshots hold the heap's strings. */
    static FileChannel create(Path p) throws IOException {
        return FileChannel.open(p, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /** CPU time of this process so far (all threads, JIT and GC included), in seconds. */
    static double cpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    static void check(String what, long got, long planned) {
        if (got != planned) {
            throw new IllegalStateException(what + ": wrote " + got + ", planned " + planned);
        }
    }

    /**
     * Writes one section: the prelude on this thread (it sets the fields other segments refer to), the
     * other segments rendered by the pool into buffers and written in order. Returns nodes, edges,
     * locations and group strings written.
     */
    long[] section(int mode, int k, Layout lay, List<Segment> segs, Out out, Out loc, Out str, ExecutorService pool,
                   int threads) throws IOException {
        long t0 = System.nanoTime();
        double cpu0 = opt.verbose ? cpuSeconds() : 0;
        long b0 = out.bytes();
        boolean side = mode == NODES;
        long[] total = new long[4];
        Worker main = new Worker();
        main.g.collect = false;
        main.out = out;
        main.locOut = loc;
        main.strOut = str;
        main.first = true;
        main.firstLoc = true;
        walk(segs.get(0), mode, k, lay, main);
        add(total, main);
        out.flush();
        java.util.concurrent.ArrayBlockingQueue<Out[]> buffers = new java.util.concurrent.ArrayBlockingQueue<>(threads + 3);
        ThreadLocal<Worker> workers = ThreadLocal.withInitial(Worker::new);
        java.util.ArrayDeque<Future<Worker>> inflight = new java.util.ArrayDeque<>();
        int next = 1;
        try {
            while (next < segs.size() || !inflight.isEmpty()) {
                while (next < segs.size() && inflight.size() < threads + 2) {
                    Segment sg = segs.get(next++);
                    Out[] recycled = buffers.poll();
                    Out[] b = recycled != null ? recycled : new Out[]{new Out(null), side ? new Out(null) : null,
                            side ? new Out(null) : null};
                    inflight.add(pool.submit(() -> {
                        Worker w = workers.get();
                        w.g.collect = false;
                        w.out = b[0];
                        w.locOut = b[1];
                        w.strOut = b[2];
                        for (Out o : b) {
                            if (o != null) {
                                o.pos = 0;
                            }
                        }
                        w.first = false;
                        w.firstLoc = false;
                        w.nodes = w.edges = w.locs = w.strings = 0;
                        walk(sg, mode, k, lay, w);
                        Worker r = new Worker();
                        r.out = b[0];
                        r.locOut = b[1];
                        r.strOut = b[2];
                        r.nodes = w.nodes;
                        r.edges = w.edges;
                        r.locs = w.locs;
                        r.strings = w.strings;
                        return r;
                    }));
                }
                Worker r = inflight.poll().get();
                add(total, r);
                out.write(r.out);
                if (side) {
                    loc.write(r.locOut);
                    str.write(r.strOut);
                }
                buffers.offer(new Out[]{r.out, r.locOut, r.strOut});
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(c);
        }
        if (opt.verbose) {
            double secs = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "  %s: %.2f s (CPU %.2f s), %,d bytes, %.0f MB/s%n", mode == NODES
                    ? "nodes (+ locations, strings)" : "edges", secs, cpuSeconds() - cpu0, out.bytes() - b0,
                    (out.bytes() - b0) / 1e6 / secs);
        }
        return total;
    }

    static void add(long[] total, Worker w) {
        total[0] += w.nodes;
        total[1] += w.edges;
        total[2] += w.locs;
        total[3] += w.strings;
    }

    /**
     * The planning pass: counts every segment (in parallel, each from ordinal 0), then places them one
     * after the other and moves what they recorded (unit, tenant and request ordinals) by where they start.
     */
    List<Segment> plan(int k, Layout lay, ExecutorService pool) throws IOException {
        List<Segment> segs = new ArrayList<>();
        segs.add(new Segment(SEG_PRELUDE, 0));
        for (int t = 0; t < tenants; t++) {
            segs.add(new Segment(SEG_TENANT, t));
        }
        long n = leak[k];
        // the table is one node; its edges (one per request) are rendered in chunks
        for (long i = 0; i == 0 || i < n; i += TABLE_CHUNK) {
            Segment sg = new Segment(SEG_TABLE, segs.size());
            sg.from = i;
            sg.to = Math.min(n, i + TABLE_CHUNK);
            segs.add(sg);
        }
        for (long i = 1; i <= n; ) {
            // chunks do not straddle epochs, so each has one allocation base
            int e = 1;
            while (i > leak[e]) {
                e++;
            }
            long to = Math.min(leak[e], i + REQUEST_CHUNK - 1);
            Segment sg = new Segment(SEG_REQUESTS, segs.size());
            sg.from = i;
            sg.to = to;
            sg.reqEpoch = e;
            segs.add(sg);
            i = to + 1;
        }
        segs.add(new Segment(SEG_SCRATCH, 0));
        segs.add(new Segment(SEG_NATIVES, 0));
        // where each tenant's units stand in the lists of replaced units of every epoch
        int[] cursor = new int[k + 2];
        for (Segment sg : segs) {
            if (sg.kind == SEG_TENANT) {
                sg.cursor = cursor.clone();
                for (int u = firstUnit(sg.index); u < firstUnit(sg.index + 1); u++) {
                    for (int e = 2; e <= k; e++) {
                        if (replaced(u, e)) {
                            cursor[e]++;
                        }
                    }
                }
            }
        }
        // count: the prelude here (it sets the fields the others read), the rest on the pool
        List<Worker> planners = java.util.Collections.synchronizedList(new ArrayList<>());
        Worker first = new Worker();
        planners.add(first);
        planSegment(segs.get(0), k, lay, first);
        ThreadLocal<Worker> workers = ThreadLocal.withInitial(() -> {
            Worker w = new Worker();
            planners.add(w);
            return w;
        });
        List<Future<?>> done = new ArrayList<>();
        for (Segment sg : segs.subList(1, segs.size())) {
            done.add(pool.submit(() -> {
                planSegment(sg, k, lay, workers.get());
                return null;
            }));
        }
        await(done);
        // the decimal numbers used, and their ranks
        int words = 0;
        for (Worker w : planners) {
            words = Math.max(words, w.g.used.length);
        }
        long[] used = new long[words];
        for (Worker w : planners) {
            for (int i = 0; i < w.g.used.length; i++) {
                used[i] |= w.g.used[i];
            }
        }
        int[] rank = new int[words];
        long numbers = 0;
        for (int i = 0; i < words; i++) {
            rank[i] = Math.toIntExact(numbers);
            numbers += Long.bitCount(used[i]);
        }
        G.numUsed = used;
        G.numRank = rank;
        lay.numbers = numbers;
        // place them
        planReplaced.n = 0;
        planReplacedSize.n = 0;
        planReqNodesNew = 0;
        int ord = 0;
        long str = 0;
        long reqPosInEpoch = 0;
        int lastEpoch = 0;
        for (Segment sg : segs) {
            sg.ord = ord;
            sg.str = str;
            switch (sg.kind) {
                case SEG_TENANT -> {
                    int t = sg.index;
                    lay.tenantOrd[t] += ord;
                    if (k == 1) {
                        tenantPos1[t] += ord;
                        for (int u = firstUnit(t); u < firstUnit(t + 1); u++) {
                            unitPos1[u] += ord;
                        }
                    }
                    for (int i = 0; i < sg.replacedUnits.n; i++) {
                        planReplaced.add(sg.replacedUnits.a[i]);
                        planReplacedSize.add(sg.replacedSizes.a[i]);
                    }
                }
                case SEG_TABLE -> {
                    if (sg.from == 0) {
                        lay.leakTableOrd = ord;
                    }
                }
                case SEG_REQUESTS -> {
                    if (sg.from == 1) {
                        lay.reqFirstOrd = ord;
                    }
                    for (long i = sg.from; i <= sg.to; i++) {
                        lay.reqOrd[(int) (i - 1)] += ord;
                    }
                    if (sg.reqEpoch != lastEpoch) {
                        reqPosInEpoch = 0;
                        lastEpoch = sg.reqEpoch;
                    }
                    // epoch 1: the ordinal; later epochs: the offset from the epoch's first request
                    sg.reqPos = sg.reqEpoch == 1 ? ord : reqPosInEpoch;
                    reqPosInEpoch += sg.nodes;
                    if (sg.reqEpoch == k && k > 1) {
                        planReqNodesNew += sg.nodes;
                    }
                }
                case SEG_SCRATCH -> {
                    lay.scratchOrd = ord;
                    planScratchNodes = sg.nodes;
                }
                case SEG_NATIVES -> lay.nativeOrd = ord;
                default -> {
                }
            }
            ord = Math.toIntExact(ord + sg.nodes);
            str += sg.strings;
            lay.nodes += sg.nodes;
            lay.edges += sg.edges;
            lay.locations += sg.locs;
        }
        long base = S.numBase() + lay.numbers;
        for (Segment sg : segs) {
            sg.str += base;
        }
        lay.strings = base + str;
        return segs;
    }

    void planSegment(Segment sg, int k, Layout lay, Worker w) throws IOException {
        w.nodes = w.edges = w.locs = w.strings = 0;
        w.g.collect = true;
        sg.ord = 0;
        sg.str = 0;
        walk(sg, PLAN, k, lay, w);
        sg.nodes = w.nodes;
        sg.edges = w.edges;
        sg.locs = w.locs;
        sg.strings = w.strings;
    }

    static void await(List<Future<?>> futures) throws IOException {
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(c);
        }
    }

    /** Builds a segment's groups and writes (or, when planning, counts) what this pass needs of them. */
    void walk(Segment sg, int mode, int k, Layout lay, Worker w) throws IOException {
        G g = w.g;
        Exports x = w.x;
        boolean text = mode == NODES;
        int gmode = mode == EDGES ? G.STORE : mode == NODES ? G.PER_NODE : G.COUNT;
        int ord = sg.ord;
        long str = sg.str;
        switch (sg.kind) {
            case SEG_PRELUDE -> {
                g.reset(ord, 0, (int) str, false, gmode);
                buildPrelude(g, lay, tenants, scratchCount);
                emit(g, mode, w);
            }
            case SEG_TENANT -> {
                int t = sg.index;
                x.clear();
                int from = firstUnit(t);
                int to = firstUnit(t + 1);
                long tableId = 1 + 2L * (tenantPos1[t] + 16);
                int[] cursor = sg.cursor.clone();
                for (int u = from; u < to; u++) {
                    int gen = 0;
                    int last = 1;
                    long idPos = unitPos1[u];
                    for (int e = 2; e <= k; e++) {
                        if (replaced(u, e)) {
                            gen++;
                            last = e;
                            if (e < k || mode != PLAN) {
                                idPos = replacedPos[e][cursor[e]++];
                            }
                        }
                    }
                    g.reset(ord, idPos, (int) str, text, gmode);
                    buildUnit(g, seed, u, gen, tableId, x);
                    if (mode == PLAN) {
                        if (k == 1) {
                            unitPos1[u] = ord;
                        } else if (last == k) {
                            sg.replacedUnits.add(u);
                            sg.replacedSizes.add(g.n);
                        }
                    }
                    emit(g, mode, w);
                    ord += g.n;
                    str += g.sc;
                }
                if (mode == PLAN) {
                    lay.tenantOrd[t] = ord;
                    if (k == 1) {
                        tenantPos1[t] = ord;
                    }
                }
                g.reset(ord, tenantPos1[t], (int) str, text, gmode);
                buildTenant(g, t, x);
                emit(g, mode, w);
            }
            case SEG_TABLE -> {
                long n = leak[k];
                long c = mapCapacity(n);
                boolean head = sg.from == 0;
                boolean last = sg.to == n;
                if (mode == PLAN) {
                    for (long i = sg.from; i < sg.to; i++) {
                        g.num(entrySlot(c, i) + 1);
                    }
                } else if (mode == NODES && head) {
                    w.out.node(false, T_ARRAY, sEmpty, 1 + 2 * tablePos[k], 16 + 8 * tableLength(c), (int) n + 1, 0);
                } else if (mode == EDGES) {
                    for (long i = sg.from; i < sg.to; i++) {
                        w.out.edge(false, E_INTERNAL, g.num(entrySlot(c, i) + 1), lay.reqOrd[(int) i]);
                    }
                    if (last) {
                        w.out.edge(false, E_INTERNAL, iMap, mHashTable);
                    }
                }
                w.nodes += head ? 1 : 0;
                w.edges += sg.to - sg.from + (last ? 1 : 0);
            }
            case SEG_REQUESTS -> {
                long pos = sg.reqPos;
                for (long i = sg.from; i <= sg.to; i++) {
                    g.reset(ord, pos, (int) str, text, gmode);
                    buildRequest(g, seed, i);
                    if (mode == PLAN) {
                        lay.reqOrd[(int) (i - 1)] = ord;
                    }
                    emit(g, mode, w);
                    pos += g.n;
                    ord += g.n;
                    str += g.sc;
                }
            }
            case SEG_SCRATCH -> {
                if (mode == PLAN) {
                    lay.scratchOrd = ord;
                }
                g.reset(ord, mode == PLAN ? 0 : scratchPos[k], (int) str, text, gmode);
                buildScratch(g, seed, k, scratchCount);
                emit(g, mode, w);
            }
            case SEG_NATIVES -> {
                if (mode == PLAN) {
                    lay.nativeOrd = ord;
                }
                g.reset(ord, 0, (int) str, false, gmode);
                buildNatives(g, processNode);
                emit(g, mode, w);
            }
            default -> throw new IllegalStateException();
        }
    }

    int processNode;

    /** Writes what this pass writes of a group, or counts it. */
    void emit(G g, int mode, Worker w) throws IOException {
        Out out = w.out;
        switch (mode) {
            case PLAN -> {
            }
            case NODES -> {
                int[] cnt = g.ecount;
                for (int i = 0; i < g.n; i++) {
                    out.node(w.first, g.nt[i], g.nn[i], g.id(g.base + i), g.ns[i], cnt[i], g.ndet[i]);
                    w.first = false;
                }
                Out lo = w.locOut;
                for (int j = 0; j < g.lc; j++) {
                    lo.location(w.firstLoc, g.base + g.ln[j], g.lsc[j], g.lli[j], g.lco[j]);
                    w.firstLoc = false;
                }
                Txt b = g.sb;
                Out so = w.strOut;
                for (int j = 0; j < g.sc; j++) {
                    int from = g.soff[j];
                    int to = j + 1 < g.sc ? g.soff[j + 1] : b.length();
                    so.string(false, b, from, to);
                }
            }
            case EDGES -> {
                g.sortEdges();
                for (int j = 0; j < g.m; j++) {
                    int e = g.eorder[j];
                    out.edge(w.first, g.et[e], g.en[e], g.eto[e]);
                    w.first = false;
                }
            }
            default -> throw new IllegalStateException();
        }
        w.nodes += g.n;
        w.edges += g.m;
        w.locs += g.lc;
        w.strings += g.sc;
    }

    static final String[] SOURCES = {
            "'use strict';\nconst { Tenant, tenantFor } = require('./lib/tenants');\nconst { buildUnit } = require('./lib/sessions');\n"
                    + "const pendingRequests = new Map();\nglobalThis.pendingRequests = pendingRequests;\n\n"
                    + "class PendingRequest {\n  constructor(id, req) {\n    this.id = id;\n    this.method = req.method;\n"
                    + "    this.url = req.url;\n    this.headers = req.headers;\n    this.socket = { remoteAddress: req.socket.remoteAddress,"
                    + " remotePort: req.socket.remotePort };\n    this.startedAt = Date.now();\n    this.onDone = makeCompletion(this);\n"
                    + "  }\n}\n\nfunction makeCompletion(req) {\n  let finished = false;\n  return function onResponseFinished(status) {\n"
                    + "    finished = true;\n    req.status = status; // the entry is never deleted from pendingRequests\n"
                    + "    return finished;\n  };\n}\n",
            "'use strict';\nconst ROUTES = ['/api/users', '/api/orders', '/api/cart', '/api/search'];\n\nclass User {\n"
                    + "  constructor(id, r) {\n    this.id = id;\n    this.name = first + ' ' + last;\n  }\n}\n\nclass Session {\n"
                    + "  constructor(user, r) {\n    this.user = user;\n    this.attrs = new Map();\n    this.history = [];\n  }\n}\n\n"
                    + "function makeHandler(session, route) {\n  let calls = 0;\n  const started = Date.now();\n"
                    + "  return function handle(req) {\n    calls++;\n    return route + session.token + calls + started + req;\n  };\n}\n",
            "'use strict';\nclass OrderItem {\n  constructor(r) {\n    this.sku = pick(r, SKUS);\n  }\n}\nclass Order {\n"
                    + "  constructor(id, user, r) {\n    this.id = id;\n    this.items = [];\n  }\n}\nfunction totalOf(order) {\n"
                    + "  return order.items.reduce((s, i) => s + i.qty * i.price, 0);\n}\nmodule.exports = { Order, OrderItem, totalOf };\n",
            "'use strict';\nclass CacheEntry {\n  constructor(key, value, owner) {\n    this.key = key;\n    this.value = value;\n"
                    + "    this.owner = new WeakRef(owner);\n  }\n}\nfunction remember(cache, key, value, owner) {\n"
                    + "  cache.set(key, new CacheEntry(key, value, owner));\n}\nmodule.exports = { CacheEntry, remember };\n",
            "'use strict';\nclass Tenant {\n  constructor(name) {\n    this.name = name;\n    this.users = new Map();\n"
                    + "    this.sessions = new Map();\n    this.sessionMeta = new WeakMap();\n  }\n}\nmodule.exports = { Tenant };\n",
            "'use strict';\n\nconst {\n  MathTrunc,\n  ObjectCreate,\n} = primordials;\n\nfunction setTimeout(callback, after, arg1, arg2, arg3) {\n"
                    + "  validateFunction(callback, 'callback');\n  const timeout = new Timeout(callback, after, args, false, true);\n"
                    + "  insert(timeout, timeout._idleTimeout);\n  return timeout;\n}\n",
            "'use strict';\n\nconst {\n  Array,\n  ArrayBufferIsView,\n} = primordials;\n\nclass FastBuffer extends Uint8Array {\n"
                    + "  constructor(bufferOrLength, byteOffset, length) {\n    super(bufferOrLength, byteOffset, length);\n  }\n}\n",
            "'use strict';\n\nfunction Module(id = '', parent) {\n  this.id = id;\n  this.path = path.dirname(id);\n"
                    + "  setOwnProperty(this, 'exports', {});\n  this[kModuleParent] = parent;\n  this.filename = null;\n"
                    + "  this.loaded = false;\n  this.children = [];\n}\n",
            "'use strict';\n\nfunction queueMicrotask(callback) {\n  validateFunction(callback, 'callback');\n"
                    + "  const asyncResource = new AsyncResource('Microtask');\n  enqueueMicrotask(FunctionPrototypeBind(runMicrotask, asyncResource));\n}\n"};
}
