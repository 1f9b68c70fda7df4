package dev.leakhound.analysis.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded Source Map v3 (<a href="https://tc39.es/ecma426/">ECMA-426</a>): a regular map ({@code mappings},
 * {@code sources}, {@code sourceRoot}, {@code names}, {@code sourcesContent}) or an index map ({@code sections},
 * each an offset and an embedded map). Positions here are 0-based lines and columns (UTF-16 code units), as in
 * the format; {@link SourceMaps} converts from and to leakhound's 1-based positions. Immutable once parsed.
 */
public final class SourceMap {
    /**
     * An original position, 0-based.
     *
     * @param source the source as the map names it, joined with the map's {@code sourceRoot} (not yet resolved
     *               against the map's own location)
     * @param name    the original name, or null
     * @param content the source's text from {@code sourcesContent}, or null when the map does not carry it
     */
    public record Original(String source, int line, int column, String name, String content) {}

    /** A map that could not be read: what is wrong, in a few words. */
    public static final class MalformedException extends Exception {
        public MalformedException(String message) {
            super(message);
        }
    }

    private static final int STRIDE = 5;
    private static final int[] NO_SEGMENTS = new int[0];
    private static final JsonFactory JSON = new JsonFactory();
    private static final int[] BASE64 = new int[128];

    static {
        Arrays.fill(BASE64, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64[alphabet.charAt(i)] = i;
        }
    }

    // a regular map: per generated line, segments of STRIDE ints (column, source, line, column, name; -1 = absent)
    private final String[] sources;
    private final String[] names;
    private final String[] contents;
    private final int[][] lines;
    // an index map
    private final int[] sectionLine;
    private final int[] sectionColumn;
    private final SourceMap[] sections;

    private SourceMap(String[] sources, String[] names, String[] contents, int[][] lines) {
        this.sources = sources;
        this.names = names;
        this.contents = contents;
        this.lines = lines;
        this.sectionLine = null;
        this.sectionColumn = null;
        this.sections = null;
    }

    private SourceMap(int[] sectionLine, int[] sectionColumn, SourceMap[] sections) {
        this.sources = null;
        this.names = null;
        this.contents = null;
        this.lines = null;
        this.sectionLine = sectionLine;
        this.sectionColumn = sectionColumn;
        this.sections = sections;
    }

    /** Parses a map's JSON text (an optional {@code )]}'} first line is skipped, as the format allows). */
    public static SourceMap parse(String json) throws MalformedException {
        String text = json.startsWith(")]}'") ? json.substring(Math.max(json.indexOf('\n') + 1, 4)) : json;
        Object root;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() == null) {
                throw new MalformedException("empty file");
            }
            root = value(p);
        } catch (JsonProcessingException e) {
            throw new MalformedException("not JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new MalformedException("not JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw new MalformedException("not a JSON object");
        }
        return of(m);
    }

    private static SourceMap of(Map<?, ?> m) throws MalformedException {
        Object version = m.get("version");
        if (!(version instanceof Number n) || n.intValue() != 3) {
            throw new MalformedException("version " + version + ", expected 3");
        }
        if (m.containsKey("sections")) {
            return index(m);
        }
        Object mappings = m.get("mappings");
        if (!(mappings instanceof String mapping)) {
            throw new MalformedException("no \"mappings\" string");
        }
        String root = m.get("sourceRoot") instanceof String r ? r : "";
        List<?> rawSources = list(m, "sources");
        String[] sources = new String[rawSources.size()];
        for (int i = 0; i < sources.length; i++) {
            Object s = rawSources.get(i);
            sources[i] = s instanceof String str ? join(root, str) : null;
        }
        String[] names = strings(list(m, "names"));
        String[] contents = m.containsKey("sourcesContent") ? strings(list(m, "sourcesContent")) : new String[0];
        return new SourceMap(sources, names, contents, decode(mapping, sources.length, names.length));
    }

    private static SourceMap index(Map<?, ?> m) throws MalformedException {
        List<?> raw = list(m, "sections");
        int[] line = new int[raw.size()];
        int[] column = new int[raw.size()];
        SourceMap[] maps = new SourceMap[raw.size()];
        for (int i = 0; i < raw.size(); i++) {
            if (!(raw.get(i) instanceof Map<?, ?> section)) {
                throw new MalformedException("section " + i + " is not an object");
            }
            if (!(section.get("offset") instanceof Map<?, ?> offset)
                    || !(offset.get("line") instanceof Number l) || !(offset.get("column") instanceof Number c)) {
                throw new MalformedException("section " + i + " has no offset {line, column}");
            }
            line[i] = l.intValue();
            column[i] = c.intValue();
            if (line[i] < 0 || column[i] < 0) {
                throw new MalformedException("section " + i + " has a negative offset");
            }
            if (i > 0 && (line[i] < line[i - 1] || line[i] == line[i - 1] && column[i] < column[i - 1])) {
                throw new MalformedException("section " + i + " starts before section " + (i - 1));
            }
            if (!(section.get("map") instanceof Map<?, ?> map)) {
                throw new MalformedException("section " + i + " has no embedded \"map\""
                        + (section.containsKey("url") ? " (sections by \"url\" are not supported)" : ""));
            }
            try {
                maps[i] = of(map);
            } catch (MalformedException e) {
                throw new MalformedException("section " + i + ": " + e.getMessage());
            }
        }
        return new SourceMap(line, column, maps);
    }

    /** {@code sourceRoot} joined with a source, as browsers and the {@code source-map} package do. */
    private static String join(String root, String source) {
        if (root.isEmpty() || source.startsWith("/") || source.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return source;
        }
        return root.endsWith("/") ? root + source : root + "/" + source;
    }

    /**
     * The original position of a generated one (0-based), by the greatest-lower-bound rule: the segment on the
     * same generated line with the greatest column not after {@code column}; of several at that column, the last
     * one written, as Chrome DevTools and {@code source-map} 0.7 choose. Null when there is none, or it names no
     * source.
     */
    public Original lookup(int line, int column) {
        if (sections != null) {
            int i = -1;
            for (int lo = 0, hi = sections.length - 1; lo <= hi; ) {
                int mid = (lo + hi) >>> 1;
                if (sectionLine[mid] < line || sectionLine[mid] == line && sectionColumn[mid] <= column) {
                    i = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            if (i < 0) {
                return null;
            }
            return sections[i].lookup(line - sectionLine[i], line == sectionLine[i] ? column - sectionColumn[i] : column);
        }
        if (line < 0 || line >= lines.length) {
            return null;
        }
        int[] seg = lines[line];
        int found = -1;
        for (int lo = 0, hi = seg.length / STRIDE - 1; lo <= hi; ) {
            int mid = (lo + hi) >>> 1;
            if (seg[mid * STRIDE] <= column) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        int o = found * STRIDE;
        int src = seg[o + 1];
        if (src < 0 || sources[src] == null) {
            return null;
        }
        return new Original(sources[src], seg[o + 2], seg[o + 3], seg[o + 4] < 0 ? null : names[seg[o + 4]],
                src < contents.length ? contents[src] : null);
    }

    /**
     * The original position of the first segment naming a source on a generated line (0-based), for positions
     * whose column is unknown; null when the line has none.
     */
    public Original firstOnLine(int line) {
        if (sections != null) {
            for (int i = 0; i < sections.length; i++) {
                boolean startsBefore = sectionLine[i] <= line;
                boolean endsAfter = i + 1 == sections.length || sectionLine[i + 1] > line
                        || sectionLine[i + 1] == line && sectionColumn[i + 1] > 0;
                if (startsBefore && endsAfter) {
                    Original o = sections[i].firstOnLine(line - sectionLine[i]);
                    if (o != null) {
                        return o;
                    }
                }
            }
            return null;
        }
        if (line < 0 || line >= lines.length) {
            return null;
        }
        int[] seg = lines[line];
        for (int o = 0; o < seg.length; o += STRIDE) {
            if (seg[o + 1] >= 0) {
                return lookup(line, seg[o]);
            }
        }
        return null;
    }

    /** Whether this is an index map (with {@code sections}). */
    public boolean isIndexMap() {
        return sections != null;
    }

    /** Segments that name a source, over all lines and sections (for tests and diagnostics). */
    public int mappedSegments() {
        int n = 0;
        if (sections != null) {
            for (SourceMap s : sections) {
                n += s.mappedSegments();
            }
            return n;
        }
        for (int[] seg : lines) {
            for (int o = 0; o < seg.length; o += STRIDE) {
                n += seg[o + 1] >= 0 ? 1 : 0;
            }
        }
        return n;
    }

    /** Decodes {@code mappings}: lines split at ';', segments at ',', each field a base64 VLQ, relative to the last. */
    private static int[][] decode(String mappings, int sourceCount, int nameCount) throws MalformedException {
        List<int[]> out = new ArrayList<>();
        int[] buf = new int[STRIDE * 16];
        int n = 0;
        int source = 0;
        int line = 0;
        int column = 0;
        int name = 0;
        int originalColumn = 0;
        int[] field = new int[STRIDE];
        int pos = 0;
        int len = mappings.length();
        boolean sorted = true;
        while (pos <= len) {
            if (pos == len || mappings.charAt(pos) == ';') {
                out.add(finishLine(buf, n, sorted));
                n = 0;
                sorted = true;
                pos++;
                continue;
            }
            if (mappings.charAt(pos) == ',') {
                pos++;
                continue;
            }
            int fields = 0;
            while (pos < len && mappings.charAt(pos) != ',' && mappings.charAt(pos) != ';') {
                if (fields == STRIDE) {
                    throw new MalformedException("a segment of more than 5 fields in \"mappings\" at character " + pos);
                }
                long value = 0;
                int shift = 0;
                while (true) {
                    if (pos >= len) {
                        throw new MalformedException("a VLQ value cut short at the end of \"mappings\"");
                    }
                    char ch = mappings.charAt(pos);
                    int digit = ch < 128 ? BASE64[ch] : -1;
                    if (digit < 0) {
                        throw new MalformedException("'" + ch + "' is not base64 in \"mappings\" at character " + pos);
                    }
                    pos++;
                    value |= (long) (digit & 31) << shift;
                    shift += 5;
                    if ((digit & 32) == 0) {
                        break;
                    }
                    if (shift > 31) {
                        throw new MalformedException("a VLQ value over 32 bits in \"mappings\" at character " + pos);
                    }
                }
                long v = (value & 1) == 0 ? value >> 1 : -(value >> 1);
                field[fields++] = (int) v;
            }
            if (fields != 1 && fields != 4 && fields != 5) {
                throw new MalformedException("a segment of " + fields + " fields in \"mappings\" at character " + pos
                        + " (1, 4 or 5 expected)");
            }
            if (n + STRIDE > buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            // the generated column starts again at 0 on each line; the other fields carry on across lines
            int col = (n == 0 ? 0 : column) + field[0];
            column = col;
            if (col < 0) {
                throw new MalformedException("a negative generated column in \"mappings\" at character " + pos);
            }
            if (n > 0 && col < buf[n - STRIDE]) {
                sorted = false;
            }
            buf[n] = col;
            buf[n + 1] = -1;
            buf[n + 2] = -1;
            buf[n + 3] = -1;
            buf[n + 4] = -1;
            if (fields >= 4) {
                source += field[1];
                line += field[2];
                originalColumn += field[3];
                if (source < 0 || source >= sourceCount) {
                    throw new MalformedException("source index " + source + " out of range (" + sourceCount
                            + " sources) in \"mappings\" at character " + pos);
                }
                if (line < 0 || originalColumn < 0) {
                    throw new MalformedException("a negative original line or column in \"mappings\" at character " + pos);
                }
                buf[n + 1] = source;
                buf[n + 2] = line;
                buf[n + 3] = originalColumn;
                if (fields == 5) {
                    name += field[4];
                    if (name < 0 || name >= nameCount) {
                        throw new MalformedException("name index " + name + " out of range (" + nameCount
                                + " names) in \"mappings\" at character " + pos);
                    }
                    buf[n + 4] = name;
                }
            }
            n += STRIDE;
        }
        return out.toArray(new int[0][]);
    }

    private static int[] finishLine(int[] buf, int n, boolean sorted) {
        if (n == 0) {
            return NO_SEGMENTS;
        }
        int[] line = Arrays.copyOf(buf, n);
        if (!sorted) {
            Integer[] order = new Integer[n / STRIDE];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            // stable: segments at one column keep the order they were written in
            Arrays.sort(order, (a, b) -> Integer.compare(line[a * STRIDE], line[b * STRIDE]));
            int[] s = new int[n];
            for (int i = 0; i < order.length; i++) {
                System.arraycopy(line, order[i] * STRIDE, s, i * STRIDE, STRIDE);
            }
            return s;
        }
        return line;
    }

    private static List<?> list(Map<?, ?> m, String key) throws MalformedException {
        Object v = m.get(key);
        if (v == null) {
            if (key.equals("names")) {
                return List.of();
            }
            throw new MalformedException("no \"" + key + "\" array");
        }
        if (!(v instanceof List<?> l)) {
            throw new MalformedException("\"" + key + "\" is not an array");
        }
        return l;
    }

    private static String[] strings(List<?> l) {
        String[] out = new String[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = l.get(i) instanceof String s ? s : null;
        }
        return out;
    }

    /** A JSON value as Map, List, String, Number, Boolean or null; the parser is on its first token. */
    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    m.put(k, value(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getNumberValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return t == JsonToken.VALUE_TRUE;
            }
            default -> {
                return null;
            }
        }
    }
}
