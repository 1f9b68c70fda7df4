package dev.leakhound.core.snapshot;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.v8.V8Names;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a copy of a snapshot that can be shared: the same document byte for byte up to its {@code strings}
 * section, whose entries that may hold data are replaced by {@code "redacted:<16 hex digits>"}.
 *
 * <p>Two streaming passes, so memory does not grow with the file beyond three bits per string. The first reads
 * the header and walks {@code nodes}, {@code edges} and {@code trace_function_infos} (two numbers of each record
 * are looked at) to learn how each string index is used: as the name of a value node (string, concatenated
 * string, sliced string, number, regexp, or a type this version does not know), as a structural name (a class,
 * function, code, native or synthetic node's name, an internal, shortcut or weak edge's name, a traced
 * function's name or script), or as a property or closure-variable name (property and context edges). The
 * second copies the file up to {@code strings}, writes the strings array with the replacements, and copies the
 * rest. Which strings are replaced at each {@link RedactLevel}:
 * <ul>
 *   <li>basic: every string that is not a structural, property or variable name (values, and strings nothing
 *   names). A string that is both a value and a name is kept: V8 interns every property name and function
 *   name as a string node too, so a "value only" rule would remove every name analysis reads. A Map key is a
 *   value (the Map's table reaches it by an index edge), so it goes; a secret used as an object's property key
 *   is a property name, so it stays at this level.</li>
 *   <li>names: also property and variable names, except those that are also structural names (the globals
 *   named after classes: {@code Map}, {@code Array}) and the V8/Node.js names leakhound's analyses look for.</li>
 *   <li>full: every string but the empty one and the {@code <dummy>} at index 0.</li>
 * </ul>
 *
 * <p>A replacement is a keyed hash ({@link SipHash}, 64 bits) of the string: equal strings get equal
 * replacements and different strings different ones, so anything that compares strings (duplicate strings,
 * names along retainer paths) sees the same groups as in the original. It is keyed so that guessing a short
 * secret and hashing the guess does not confirm it: the key is random per run unless the caller gives one. The
 * snapshots of one series must be redacted with one key: find-leaks checks that two snapshots come from one
 * process by comparing the names of the objects they share, string values included. Same-length placeholders
 * were not chosen: they would make every two strings of one length equal, and keep each secret's exact length.
 * Names of 1024 bytes or more (V8 cuts names at 1024 characters) are replaced by 1024 bytes, so that analyses
 * that leave possibly cut names out still do.
 *
 * <p>Nothing else in the file holds text: {@code nodes}, {@code edges}, {@code locations}, {@code samples},
 * {@code trace_tree} and {@code trace_function_infos} are numbers (string indexes, ids, sizes, positions), and the
 * header holds field names. A top-level member this class does not know is refused rather than copied.
 * What stays: every number, so the sizes of strings (and so roughly their lengths) too.
 */
public final class SnapshotRedactor {
    /** The text a replacement starts with. */
    public static final String PREFIX = "redacted:";

    /** V8 cuts a string node's name at 1024 characters; replacements of names this long are padded to it. */
    static final int CUT = 1024;

    /** Names V8 writes for value nodes regardless of their value: no data, and kept at basic and names. */
    private static final Set<String> FIXED_LABELS = Set.of("(concatenated string)", "(sliced string)", "heap number",
            "symbol", "bigint");

    /** Property names leakhound's analyses recognize, kept at level names (they are Node.js's, not the app's). */
    private static final Set<String> KNOWN_PROPERTIES = Set.of(V8Names.PROTO, V8Names.EVENTS, V8Names.LISTENER,
            V8Names.WARNED, V8Names.ON_TIMEOUT, V8Names.REPEAT, V8Names.IDLE_NEXT, V8Names.IDLE_PREV, "constructor",
            "prototype");

    /**
     * What was written.
     *
     * @param strings    entries in the strings section
     * @param replaced   entries replaced by a hash
     * @param inputBytes bytes of JSON read (inflated for gzip)
     */
    public record Result(Path out, RedactLevel level, long strings, long replaced, long inputBytes) {}

    private SnapshotRedactor() {}

    /** A fresh random key for {@link #redact}. */
    public static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    /**
     * Writes the redacted copy of {@code in} to {@code out} (owner-only, through a temporary file renamed when
     * complete; gzip when {@code out}'s name ends with {@code .gz}), hashing with {@code key}.
     *
     * @throws SnapshotFormatException when {@code in} is not a heap snapshot (what and where, one line)
     * @throws LeakhoundException when a file cannot be read or written, or {@code out} is {@code in}
     */
    public static Result redact(Path in, Path out, RedactLevel level, byte[] key, ProgressListener progress,
                                ReadOptions options) {
        ProgressListener p = progress == null ? ProgressListener.NONE : progress;
        SnapshotInput input = SnapshotInput.of(in, options.maxGzipRatio());
        Path target = checkOutput(in, out);
        Scan scan = new Scan(input, options, p);
        scan.run();
        Path tmp = createTemp(target);
        boolean done = false;
        try {
            Result r = new Writer(input, options, scan, level, key, p).write(tmp, target);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            p.progress("writing", 1.0);
            return r;
        } catch (IOException e) {
            throw new LeakhoundException(target + ": cannot write: " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is left; its name says what it is
                }
            }
        }
    }

    /** {@code out}, checked: not the input, not a directory, in a folder that exists. */
    private static Path checkOutput(Path in, Path out) {
        Path target = out.toAbsolutePath().normalize();
        if (target.equals(in.toAbsolutePath().normalize())) {
            throw new LeakhoundException(out + ": is the input file; refusing to overwrite it (give another OUT)");
        }
        try {
            if (Files.exists(target) && Files.isSameFile(in, target)) {
                throw new LeakhoundException(out + ": is the input file; refusing to overwrite it (give another OUT)");
            }
        } catch (IOException e) {
            throw new LeakhoundException(out + ": cannot check: " + e.getMessage(), e);
        }
        if (Files.isDirectory(target)) {
            throw new LeakhoundException(out + ": is a directory; give the file to write");
        }
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new LeakhoundException(out + ": cannot write: no such directory " + dir);
        }
        return target;
    }

    private static Path createTemp(Path target) {
        try {
            return Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (AccessDeniedException e) {
            throw new LeakhoundException(target + ": cannot write: permission denied in " + target.getParent());
        } catch (NoSuchFileException e) {
            throw new LeakhoundException(target + ": cannot write: " + (Files.isDirectory(target.getParent())
                    ? "cannot create a file in " : "no such directory ") + target.getParent());
        } catch (IOException e) {
            throw new LeakhoundException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    // ---- pass 1: how each string index is used ----

    /** The first pass: the header, how strings are used, and where the strings section is. */
    static final class Scan {
        private final SnapshotInput input;
        private final ReadOptions options;
        private final ProgressListener progress;
        SnapshotMeta meta;
        /** trace_function_info_fields: values per entry, positions of name and script_name (-1 when absent). */
        int traceStride;
        int traceNameAt = -1;
        int traceScriptAt = -1;
        final BitSet values = new BitSet();
        final BitSet structural = new BitSet();
        final BitSet properties = new BitSet();
        /** Offset in the JSON of the strings section's '[' and just after its ']'. */
        long stringsAt = -1;
        long stringsEnd = -1;
        private boolean nodesDone;
        private boolean edgesDone;
        private boolean tracesDone;

        Scan(SnapshotInput input, ReadOptions options, ProgressListener progress) {
            this.input = input;
            this.options = options;
            this.progress = progress;
        }

        void run() {
            if (input.size == 0) {
                throw new SnapshotFormatException(input.file, 0, "empty file, not a heap snapshot");
            }
            if (pass(false)) {
                pass(true);   // sections that came before the header
            }
        }

        /** One pass over the document; returns whether sections were skipped for want of the header. */
        private boolean pass(boolean second) {
            try (InputStream in = input.open(options.readAhead())) {
                ByteScanner sc = new ByteScanner(in, input.file, SnapshotInput.BUFFER);
                sc.expectSnapshotStart();
                boolean again = false;
                List<String> seen = new ArrayList<>();
                if (sc.peek() == '}') {
                    sc.next();
                } else {
                    while (true) {
                        long keyAt = sc.offset();
                        String key = sc.readString("as a top-level key");
                        if (seen.contains(key)) {
                            throw sc.error(keyAt, "duplicate top-level key '" + key + "'");
                        }
                        seen.add(key);
                        sc.expect(':', "after top-level key '" + key + "'");
                        again |= member(sc, key, keyAt, second);
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
                }
                int trailing = sc.peek();
                if (trailing != ByteScanner.EOF) {
                    throw sc.error("unexpected data after the end of the snapshot document"
                            + (trailing == '{' ? " (two snapshots concatenated?)" : ""));
                }
                if (meta == null) {
                    throw new SnapshotFormatException(input.file, -1, "not a V8 heap snapshot: no 'snapshot' header object");
                }
                if (stringsAt < 0) {
                    throw new SnapshotFormatException(input.file, -1, "not a complete heap snapshot: no 'strings' section");
                }
                if (!nodesDone || !edgesDone) {
                    if (!again) {
                        throw new SnapshotFormatException(input.file, -1, "not a complete heap snapshot: no '"
                                + (nodesDone ? "edges" : "nodes") + "' section");
                    }
                }
                return again;
            } catch (IOException e) {
                throw SnapshotInput.readError(input.file, e);
            }
        }

        /** One member; returns whether it must be read again once the header is known. */
        private boolean member(ByteScanner sc, String key, long keyAt, boolean second) {
            switch (key) {
                case "snapshot":
                    if (meta == null) {
                        sc.smallValueLimit = sc.offset() + SnapshotParser.HEADER_LIMIT;
                        Object h = sc.readSmallValue("in the 'snapshot' header", 0);
                        sc.smallValueLimit = Long.MAX_VALUE;
                        meta = SnapshotMeta.parse(h, keyAt, input);
                        traceFields(h);
                    } else {
                        sc.skipValue("in 'snapshot'");
                    }
                    return false;
                case "nodes":
                case "edges":
                case "trace_function_infos":
                    if (meta == null) {
                        sc.skipValue("in '" + key + "'");
                        return true;
                    }
                    if (key.equals("nodes") && !nodesDone) {
                        nodes(sc);
                    } else if (key.equals("edges") && !edgesDone) {
                        edges(sc);
                    } else if (key.equals("trace_function_infos") && !tracesDone) {
                        traces(sc);
                    } else {
                        sc.skipValue("in '" + key + "'");
                    }
                    return false;
                case "strings":
                    if (second) {
                        sc.skipValue("in 'strings'");
                    } else {
                        stringsAt = startOf(sc, "strings");
                        sc.skipValue("in 'strings'");
                        stringsEnd = sc.offset();
                    }
                    return false;
                case "trace_tree":
                case "samples":
                case "locations":
                    if (second) {
                        sc.skipValue("in '" + key + "'");
                    } else {
                        numbersOnly(sc, key);
                    }
                    return false;
                default:
                    throw sc.error(keyAt, "unknown top-level member '" + key + "': redact does not know what it holds, "
                            + "so it will not copy it into a file meant to be shared");
            }
        }

        private static long startOf(ByteScanner sc, String section) {
            if (sc.peek() != '[') {
                throw sc.error("expected '[' at the start of '" + section + "' but found " + ByteScanner.describe(sc.peek()));
            }
            return sc.offset();
        }

        @SuppressWarnings("unchecked")
        private void traceFields(Object header) {
            Object m = ((Map<String, Object>) header).get("meta");
            Object f = m instanceof Map ? ((Map<String, Object>) m).get("trace_function_info_fields") : null;
            if (f instanceof List && !((List<?>) f).isEmpty()) {
                List<?> fields = (List<?>) f;
                traceStride = fields.size();
                traceNameAt = fields.indexOf("name");
                traceScriptAt = fields.indexOf("script_name");
            }
        }

        private void nodes(ByteScanner sc) {
            sc.expect('[', "at the start of 'nodes'");
            SnapshotFormat f = meta.format;
            int n = meta.nodeCount;
            int stride = f.stride;
            for (int i = 0; i < n; i++) {
                if ((i & 0xFFFF) == 0) {
                    progress.progress("reading", input.fractionRead());
                }
                long type = -1;
                long name = -1;
                for (int k = 0; k < stride; k++) {
                    long x = sc.nextArrayNumber(i == 0 && k == 0, "nodes");
                    if (x < 0) {
                        throw sc.error("'nodes' ends after " + ((long) i * stride + k) + " values, but node_count " + n
                                + " x " + stride + " fields needs " + (long) n * stride);
                    }
                    if (k == f.typeAt) {
                        type = x;
                    } else if (k == f.nameAt) {
                        name = x;
                    }
                }
                if (type >= f.nodeTypeCount()) {
                    throw sc.error("node " + i + " has type " + type + ", but meta.node_types names only "
                            + f.nodeTypeCount());
                }
                int idx = stringIndex(sc, name, "node ", i);
                int code = f.nodeTypeCode((int) type);
                if (isValueType(code)) {
                    values.set(idx);
                } else {
                    structural.set(idx);
                }
            }
            if (sc.nextArrayNumber(n == 0, "nodes") >= 0) {
                throw sc.error("'nodes' holds more values than node_count " + n + " x " + stride + " fields");
            }
            nodesDone = true;
        }

        private void edges(ByteScanner sc) {
            sc.expect('[', "at the start of 'edges'");
            SnapshotFormat f = meta.format;
            int m = meta.edgeCount;
            int stride = f.edgeStride;
            for (int i = 0; i < m; i++) {
                if ((i & 0x3FFFF) == 0) {
                    progress.progress("reading", input.fractionRead());
                }
                long type = -1;
                long name = -1;
                for (int k = 0; k < stride; k++) {
                    long x = sc.nextArrayNumber(i == 0 && k == 0, "edges");
                    if (x < 0) {
                        throw sc.error("'edges' ends after " + ((long) i * stride + k) + " values, but edge_count " + m
                                + " x " + stride + " fields needs " + (long) m * stride);
                    }
                    if (k == f.edgeTypeAt) {
                        type = x;
                    } else if (k == f.edgeNameAt) {
                        name = x;
                    }
                }
                if (type >= f.edgeTypeCount()) {
                    throw sc.error("edge " + i + " has type " + type + ", but meta.edge_types names only "
                            + f.edgeTypeCount());
                }
                int code = f.edgeTypeCode((int) type);
                if (!EdgeType.nameIsString(code)) {
                    continue;
                }
                int idx = stringIndex(sc, name, "edge ", i);
                if (code == EdgeType.PROPERTY || code == EdgeType.CONTEXT) {
                    properties.set(idx);
                } else {
                    structural.set(idx);
                }
            }
            if (sc.nextArrayNumber(m == 0, "edges") >= 0) {
                throw sc.error("'edges' holds more values than edge_count " + m + " x " + stride + " fields");
            }
            edgesDone = true;
        }

        /** trace_function_infos: the function and script names are structural; the rest are numbers. */
        private void traces(ByteScanner sc) {
            if (traceStride == 0) {
                numbersOnly(sc, "trace_function_infos");
                tracesDone = true;
                return;
            }
            sc.expect('[', "at the start of 'trace_function_infos'");
            for (long i = 0; ; i++) {
                long x = sc.nextArrayNumber(i == 0, "trace_function_infos");
                if (x < 0) {
                    if (i % traceStride != 0) {
                        throw sc.error("'trace_function_infos' ends in the middle of an entry");
                    }
                    break;
                }
                int k = (int) (i % traceStride);
                if (k == traceNameAt || k == traceScriptAt) {
                    structural.set(stringIndex(sc, x, "trace function ", i / traceStride));
                }
            }
            tracesDone = true;
        }

        private static int stringIndex(ByteScanner sc, long name, String what, long index) {
            if (name < 0 || name > StringTable.MAX_STRINGS) {
                throw sc.error(what + index + " names string " + name + ", past any strings table leakhound reads");
            }
            return (int) name;
        }

        /** Reads a value made of numbers and arrays of them only (a string there would be copied unredacted). */
        private static void numbersOnly(ByteScanner sc, String section) {
            String context = "in '" + section + "'";
            int depth = 0;
            do {
                int c = sc.peek();
                if (c == '[') {
                    sc.next();
                    depth++;
                    if (sc.peek() == ']') {
                        sc.next();
                        depth--;
                    } else {
                        continue;
                    }
                } else if (c == '-' || (c >= '0' && c <= '9')) {
                    long at = sc.offset();
                    String t = sc.readScalarToken();
                    if (!isNumber(t)) {
                        throw sc.error(at, "malformed number '" + t + "' " + context);
                    }
                } else if (c == ByteScanner.EOF) {
                    throw sc.error("unexpected end of file " + context + " (file truncated?)");
                } else {
                    throw sc.error("expected only numbers " + context + " but found " + ByteScanner.describe(c));
                }
                while (depth > 0) {
                    int s = sc.next();
                    if (s == ',') {
                        break;
                    } else if (s == ']') {
                        depth--;
                    } else if (s == ByteScanner.EOF) {
                        throw sc.error("unexpected end of file " + context + " (file truncated?)");
                    } else {
                        throw sc.error("expected ',' or ']' " + context + " but found " + ByteScanner.describe(s));
                    }
                }
            } while (depth > 0);
        }
    }

    /** Whether {@code t} is a JSON number (the token's characters only: digits, sign, point, exponent). */
    static boolean isNumber(String t) {
        if (t.isEmpty()) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    /** Node types whose name is (or may be) the value: strings, numbers, regexp sources, types V8 may add. */
    static boolean isValueType(int code) {
        return NodeType.isString(code) || code == NodeType.NUMBER || code == NodeType.REGEXP
                || code >= NodeType.FIRST_UNKNOWN;
    }

    // ---- pass 2: the copy ----

    private static final class Writer {
        private final SnapshotInput input;
        private final ReadOptions options;
        private final Scan scan;
        private final RedactLevel level;
        private final SipHash hash;
        private final ProgressListener progress;
        private final JsonStringDecoder decoder = new JsonStringDecoder();

        Writer(SnapshotInput input, ReadOptions options, Scan scan, RedactLevel level, byte[] key,
               ProgressListener progress) {
            this.input = input;
            this.options = options;
            this.scan = scan;
            this.level = level;
            this.progress = progress;
            this.hash = new SipHash(key);
        }

        Result write(Path tmp, Path target) throws IOException {
            long strings = 0;
            long replaced = 0;
            long total;
            try (InputStream in = input.open(options.readAhead());
                 OutputStream file = Files.newOutputStream(tmp);
                 OutputStream out = new BufferedOutputStream(target.getFileName().toString().endsWith(".gz")
                         ? new GZIPOutputStream(file, 1 << 16) : file, 1 << 20)) {
                copy(in, out, scan.stringsAt);
                ByteScanner sc = new ByteScanner(in, input.file, SnapshotInput.BUFFER, scan.stringsAt);
                sc.expect('[', "at the start of 'strings'");
                out.write('[');
                byte[] raw = new byte[256];
                if (sc.peek() == ']') {
                    sc.next();
                } else {
                    for (int i = 0; ; i++) {
                        if ((i & 0x3FFF) == 0) {
                            progress.progress("writing", input.fractionRead());
                        }
                        raw = sc.readRawString(raw, "in 'strings'");
                        int len = sc.rawLength();
                        if (i > 0) {
                            out.write(',');
                            out.write('\n');
                        }
                        if (replace(i, raw, len, sc)) {
                            out.write('"');
                            out.write(placeholder());
                            out.write('"');
                            replaced++;
                        } else {
                            out.write(raw, 0, len);
                        }
                        strings++;
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
                }
                out.write(']');
                total = sc.offset() + sc.transferRest(out);
            }
            return new Result(target, level, strings, replaced, total);
        }

        /** Copies the first {@code n} bytes of {@code in}; a failed read is reported as the readers report it. */
        private void copy(InputStream in, OutputStream out, long n) throws IOException {
            byte[] b = new byte[1 << 16];
            long left = n;
            long step = 0;
            while (left > 0) {
                int r;
                try {
                    r = in.read(b, 0, (int) Math.min(b.length, left));
                } catch (java.util.zip.ZipException e) {
                    throw new SnapshotFormatException(input.file, n - left, "corrupt gzip data: " + e.getMessage());
                } catch (IOException e) {
                    throw SnapshotInput.readError(input.file, e);
                }
                if (r < 0) {
                    throw new SnapshotFormatException(input.file, n - left, "the file changed since it was read: it ends early");
                }
                out.write(b, 0, r);
                left -= r;
                if ((++step & 0xFF) == 0) {
                    progress.progress("writing", input.fractionRead());
                }
            }
        }

        private long digest;
        private int decodedLength;

        /** Whether string {@code i} (its raw JSON in {@code raw[0..len)}) is replaced; computes its hash if so. */
        private boolean replace(int i, byte[] raw, int len, ByteScanner sc) {
            if (len == 2) {
                return false;   // the empty string
            }
            boolean structural = scan.structural.get(i);
            boolean property = scan.properties.get(i);
            if (level == RedactLevel.BASIC && (structural || property)) {
                return false;
            }
            decoder.start();
            try {
                decoder.decode(raw, 1, len, true);
            } catch (JsonStringDecoder.Invalid e) {
                throw sc.error(e.message("in 'strings'"));
            }
            byte[] a = decoder.array();
            int off = decoder.offset();
            int n = decoder.length();
            if (level == RedactLevel.FULL) {
                if (i == 0 && equalsAscii(a, off, n, "<dummy>")) {
                    return false;
                }
            } else {
                String small = n <= 64 ? new String(a, off, n, StandardCharsets.UTF_8) : null;
                if (small != null && FIXED_LABELS.contains(small)) {
                    return false;
                }
                if (structural || property && small != null && isKnownProperty(small)) {
                    return false;
                }
                if (i == 0 && "<dummy>".equals(small)) {
                    return false;
                }
            }
            digest = hash.hash(a, off, n);
            decodedLength = n;
            return true;
        }

        /**
         * The replacement of the string {@link #replace} last hashed: the prefix and 16 hex digits; padded with dots
         * to {@value #CUT} bytes when the original has that many or more, because V8 cuts names there and analyses
         * leave such names out of comparisons of whole texts (duplicate strings), which must not change.
         */
        private byte[] placeholder() {
            byte[] p = new byte[decodedLength >= CUT ? CUT : PREFIX.length() + 16];
            int k = 0;
            for (; k < PREFIX.length(); k++) {
                p[k] = (byte) PREFIX.charAt(k);
            }
            for (int shift = 60; shift >= 0; shift -= 4) {
                p[k++] = (byte) Character.forDigit((int) (digest >>> shift) & 0xF, 16);
            }
            while (k < p.length) {
                p[k++] = '.';
            }
            return p;
        }
    }

    static boolean isKnownProperty(String name) {
        return KNOWN_PROPERTIES.contains(name) || name.startsWith(V8Names.NODE_PRIVATE_SYMBOL_PREFIX)
                || name.startsWith("<symbol Symbol.");
    }

    private static boolean equalsAscii(byte[] a, int off, int n, String s) {
        if (n != s.length()) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (a[off + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
