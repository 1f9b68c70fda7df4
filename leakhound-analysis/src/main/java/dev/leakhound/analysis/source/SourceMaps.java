package dev.leakhound.analysis.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps positions in generated scripts (compiled TypeScript, bundles) to their original sources through the
 * scripts' source maps, found on disk the way debuggers find them: the script's last
 * {@code //# sourceMappingURL=} comment (a path relative to the script, an absolute path or {@code file://} URL,
 * or an inline {@code data:application/json;base64,} URL), else {@code <script>.map} beside it. Paths recorded
 * in the snapshot are found on this machine through a {@link SourceRoot}. Each script's map is read and parsed
 * once (thread-safe). A script whose map is missing or malformed is reported once to the {@link Listener} and
 * its positions are kept as they are: mapping never fails.
 *
 * <p>Positions in and out are leakhound's: 1-based lines and columns ({@link SourceLocator.Location}). Mapped
 * sources are named in the snapshot's own terms: resolved against the map's location as the script's recorded
 * path places it, so a snapshot from {@code /app/dist/server.js} maps to {@code /app/src/server.ts}.
 */
public final class SourceMaps {
    /** Told once per script whose map could not be used. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param script the script as recorded in the snapshot
         * @param map    where its map was looked for (a path, or {@code "inline data: URL"}); null when the script
         *               itself was not found
         * @param reason what is wrong, in a few words
         */
        void unusable(String script, String map, String reason);
    }

    /** No mapping: positions stay as recorded, nothing is read. */
    public static final SourceMaps NONE = new SourceMaps(SourceRoot.NONE, (s, m, r) -> { }, false);

    private static final Pattern COMMENT = Pattern.compile("//[#@][ \\t]*sourceMappingURL=([^\\s'\"]*)");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");
    /** Scripts larger than this are not read (a bundle is a few MB; its inline map a few more). */
    private static final long MAX_SCRIPT_BYTES = 512L << 20;

    /** A script's map and the directory its sources are relative to, in the snapshot's terms; map null = none. */
    private record Loaded(SourceMap map, String base) {}

    private static final Loaded NO_MAP = new Loaded(null, null);

    private final SourceRoot root;
    private final Listener listener;
    private final boolean enabled;
    private final Map<String, Loaded> cache = new ConcurrentHashMap<>();

    private SourceMaps(SourceRoot root, Listener listener, boolean enabled) {
        this.root = root;
        this.listener = listener;
        this.enabled = enabled;
    }

    /** Maps read from disk, with recorded paths found through {@code root}, problems told to {@code listener}. */
    public static SourceMaps reading(SourceRoot root, Listener listener) {
        return new SourceMaps(root == null ? SourceRoot.NONE : root, listener, true);
    }

    public SourceRoot root() {
        return root;
    }

    /**
     * The original position of a generated one: a location with the original file, line and column and the
     * given one as its {@code generated}; the given location itself when the script has no usable map, the map
     * says nothing about that position, or it is already mapped.
     */
    public SourceLocator.Location map(SourceLocator.Location generated) {
        if (!enabled || generated == null || generated.generated() != null) {
            return generated;
        }
        SourceLocator.Location mapped = map(generated.file(), generated.line(), generated.column());
        return mapped == null ? generated : mapped;
    }

    /**
     * The original position of a 1-based generated position in {@code script} (as recorded in a snapshot, for
     * instance an allocation frame's), or null when there is none. A column of 0 or less (unknown, as allocation
     * traces record it) stands for the line's first mapped segment.
     */
    public SourceLocator.Location map(String script, int line, int column) {
        if (!enabled || line < 1) {
            return null;
        }
        Loaded l = loaded(script);
        if (l.map() == null) {
            return null;
        }
        SourceMap.Original o = column < 1 ? l.map().firstOnLine(line - 1) : l.map().lookup(line - 1, column - 1);
        if (o == null) {
            return null;
        }
        String file;
        try {
            file = resolve(l.base(), o.source());
        } catch (RuntimeException e) {
            file = o.source();   // not a path this system can hold: as the map names it
        }
        return new SourceLocator.Location(file, o.line() + 1, o.column() + 1,
                new SourceLocator.Location(script, line, column));
    }

    /** The map of a script as recorded in a snapshot, or null when it has none that could be read. */
    public SourceMap mapOf(String script) {
        return enabled ? loaded(script).map() : null;
    }

    private Loaded loaded(String script) {
        if (script == null || !SourceLocator.isUserFile(script)) {
            return NO_MAP;
        }
        return cache.computeIfAbsent(script, s -> {
            try {
                return load(s);
            } catch (RuntimeException e) {
                // a path this system cannot hold (a NUL in a recorded URL, say): no map, never a failed run
                listener.unusable(s, null, "could not look for its source map: " + e.getMessage());
                return NO_MAP;
            }
        });
    }

    private Loaded load(String script) {
        String recorded = SourceRoot.filePath(script);
        if (recorded == null) {
            return NO_MAP;
        }
        Path local = root.local(recorded);
        if (local == null || !Files.isRegularFile(local)) {
            if (root.dir() != null) {
                listener.unusable(script, null, "the script is not under --source-root " + root.dir());
            }
            return NO_MAP;
        }
        String text;
        try {
            if (Files.size(local) > MAX_SCRIPT_BYTES) {
                return NO_MAP;
            }
            // the comment and a data: URL are ASCII: any encoding of the rest reads as Latin-1 without failing
            text = new String(Files.readAllBytes(local), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            listener.unusable(script, null, "could not read " + local + ": " + e.getMessage());
            return NO_MAP;
        }
        String url = lastMappingUrl(text);
        String recordedDir = parent(recorded);
        if (url == null) {
            Path beside = local.resolveSibling(local.getFileName() + ".map");
            if (!Files.isRegularFile(beside)) {
                return NO_MAP;
            }
            return parse(script, beside.toString(), () -> Files.readString(beside, StandardCharsets.UTF_8), recordedDir);
        }
        if (url.startsWith("data:")) {
            return parse(script, "inline data: URL", () -> dataUrl(url), recordedDir);
        }
        if (SCHEME.matcher(url).matches() && !url.startsWith("file:")) {
            listener.unusable(script, url, "only file paths and data: URLs are read");
            return NO_MAP;
        }
        String mapRecorded;
        Path mapLocal;
        String path = url.startsWith("file://") ? percentDecode(url.substring("file://".length())) : percentDecode(url);
        if (path.startsWith("/")) {
            mapRecorded = Path.of(path).normalize().toString();
            Path found = root.local(mapRecorded);
            mapLocal = found != null ? found : Path.of(mapRecorded);
        } else {
            mapRecorded = Path.of(recordedDir).resolve(path).normalize().toString();
            mapLocal = local.resolveSibling(path).normalize();
        }
        if (!Files.isRegularFile(mapLocal)) {
            listener.unusable(script, mapLocal.toString(), "the source map file is missing");
            return NO_MAP;
        }
        return parse(script, mapLocal.toString(), () -> Files.readString(mapLocal, StandardCharsets.UTF_8), parent(mapRecorded));
    }

    private interface Text {
        String read() throws IOException, SourceMap.MalformedException;
    }

    private Loaded parse(String script, String where, Text text, String base) {
        try {
            return new Loaded(SourceMap.parse(text.read()), base);
        } catch (SourceMap.MalformedException e) {
            listener.unusable(script, where, "malformed source map: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            listener.unusable(script, where, "could not read the source map: " + e.getMessage());
        }
        return NO_MAP;
    }

    /** The URL of the script's last {@code //# sourceMappingURL=} comment (older {@code //@} too), or null. */
    static String lastMappingUrl(String script) {
        Matcher m = COMMENT.matcher(script);
        String last = null;
        while (m.find()) {
            if (!m.group(1).isEmpty()) {
                last = m.group(1);
            }
        }
        return last;
    }

    /** A map's JSON from a {@code data:} URL ({@code ;base64} or percent-encoded). */
    static String dataUrl(String url) throws SourceMap.MalformedException {
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw new SourceMap.MalformedException("a data: URL without a ','");
        }
        String meta = url.substring("data:".length(), comma);
        String payload = url.substring(comma + 1);
        if (meta.endsWith(";base64")) {
            try {
                return new String(Base64.getDecoder().decode(percentDecode(payload).replaceAll("\\s", "")),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new SourceMap.MalformedException("bad base64 in the data: URL: " + e.getMessage());
            }
        }
        return percentDecode(payload);
    }

    /** A source named by a map, in the snapshot's terms: URLs with a scheme and absolute paths as they are, else
     * relative to the map's directory. */
    private static String resolve(String base, String source) {
        if (source.startsWith("file://")) {
            return percentDecode(source.substring("file://".length()));
        }
        if (source.startsWith("/") || SCHEME.matcher(source).matches() || base == null) {
            return source;
        }
        return Path.of(base).resolve(source).normalize().toString();
    }

    private static String parent(String path) {
        Path p = Path.of(path).getParent();
        return p == null ? "/" : p.toString();
    }

    /** {@code %XX} escapes decoded as UTF-8 ('+' stays '+'); malformed escapes are kept as they are. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16));
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
