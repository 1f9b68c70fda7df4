package dev.leakhound.core.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The cache folder of snapshot indexes. Each snapshot has an entry named by a hash of its identity (absolute
 * path, size, modification time): a base file (columns, strings, distances, classes) and, once something
 * needed them, a dominators file (dominator tree, retained sizes) and a retainers file (the retainer CSR of
 * the one-object questions). Each records the snapshot's identity and a
 * fingerprint of its content (size, first and last 64 KiB), compared on every open: a rewritten snapshot is
 * never answered from an old index.
 *
 * <p>The folder is created owner-only (0700), files are written owner-only (0600) under a temporary name and
 * renamed into place, so a reader never sees a half-written file. After each write the folder is trimmed to
 * its budget ({@link #budget}), least recently used entries first (an entry's use is its base file's
 * modification time, touched on every open).
 */
public final class IndexStore {
    static final String BASE = ".base.lhidx";
    static final String DOMINATORS = ".dominators.lhidx";
    static final String RETAINERS = ".retainers.lhidx";
    private static final String TMP = ".tmp";
    private static final int FINGERPRINT_BYTES = 64 << 10;
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");

    private final IndexSettings settings;

    public IndexStore(IndexSettings settings) {
        this.settings = settings;
    }

    public Path dir() {
        return settings.dir();
    }

    void notice(String text) {
        settings.notices().accept(text);
    }

    /** A snapshot file's identity and content fingerprint. */
    public record Source(Path path, long size, long modified, String fingerprint) {
        String key() {
            return hex(sha256((path + "\0" + size + "\0" + modified).getBytes(StandardCharsets.UTF_8))).substring(0, 40);
        }

        void writeTo(IndexWriter w) {
            w.metaText("source.path", path.toString());
            w.meta("source.size", size);
            w.meta("source.modified", modified);
            w.metaText("source.fingerprint", fingerprint);
        }

        /** Null when the index was made from this file as it is now, else what differs. */
        String mismatch(IndexReader r) {
            if (!r.metaText("source.path").equals(path.toString())) {
                return "it belongs to another file";
            }
            if (r.meta("source.size") != size || r.meta("source.modified") != modified) {
                return "the snapshot changed since";
            }
            if (!r.metaText("source.fingerprint").equals(fingerprint)) {
                return "the snapshot's content changed since";
            }
            return null;
        }
    }

    /** The identity of {@code file}: reads at most 128 KiB of it. */
    public static Source identify(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.READ)) {
            long size = ch.size();
            MessageDigest md = digest();
            md.update(ByteBuffer.allocate(8).putLong(size).flip());
            int head = (int) Math.min(size, FINGERPRINT_BYTES);
            md.update(IndexReader.readFully(ch, 0, head));
            long tailFrom = Math.max(head, size - FINGERPRINT_BYTES);
            md.update(IndexReader.readFully(ch, tailFrom, (int) (size - tailFrom)));
            long modified = Files.getLastModifiedTime(abs).toMillis();
            return new Source(abs, size, modified, hex(md.digest()));
        }
    }


    Path baseFile(Source s) {
        return settings.dir().resolve(s.key() + BASE);
    }

    Path dominatorsFile(Source s) {
        return settings.dir().resolve(s.key() + DOMINATORS);
    }

    Path retainersFile(Source s) {
        return settings.dir().resolve(s.key() + RETAINERS);
    }

    /**
     * An open reader of the entry's file if there is one made from {@code s} as it is now; otherwise null,
     * after deleting (with a notice) a file that cannot be trusted.
     */
    IndexReader open(Path file, Source s, String what) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        IndexReader r = null;
        try {
            r = new IndexReader(FileChannel.open(file, StandardOpenOption.READ));
            String mismatch = s.mismatch(r);
            if (mismatch == null) {
                return r;
            }
            discard(file, r, "index of " + s.path() + " is out of date (" + mismatch + "); rebuilding it");
        } catch (IndexFormatException | IOException e) {
            discard(file, r, "index of " + s.path() + " was unusable (" + what + ": " + message(e) + "); rebuilding it");
        }
        return null;
    }

    /** Deletes an entry file found unusable, with a notice. */
    void discard(Path file, IndexReader r, String notice) {
        try {
            if (r != null) {
                r.close();
            }
        } catch (IOException e) {
            // closing a reader of a file about to be deleted
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // it will be overwritten
        }
        if (notice != null) {
            notice(notice);
        }
    }

    static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Marks the entry as just used (for least-recently-used eviction). */
    void touch(Source s) {
        try {
            Files.setLastModifiedTime(baseFile(s), FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // an entry that cannot be touched is evicted earlier: harmless
        }
    }

    /** Writes one of the entry's files. */
    public interface Content {
        void write(IndexWriter w) throws IOException;
    }

    /**
     * Writes {@code file} (a temporary file renamed into place), then trims the folder to its budget. Never
     * throws: an index that cannot be written is only a notice.
     */
    boolean write(Path file, Source s, Content content) {
        Path tmp = null;
        try {
            ensureDir();
            tmp = file.resolveSibling(file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TMP);
            try (FileChannel ch = createOwnerOnly(tmp)) {
                IndexWriter w = new IndexWriter(ch);
                s.writeTo(w);
                content.write(w);
                w.close();
                ch.force(false);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            trim(s.key());
            return Files.exists(file);
        } catch (IOException | RuntimeException e) {
            notice("index of " + s.path() + " not written (" + message(e) + "); going on without it");
            return false;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // left for the next trim
                }
            }
        }
    }

    private void ensureDir() throws IOException {
        Path dir = settings.dir();
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, dirAttrs());
        } catch (FileAlreadyExistsException e) {
            // made by another process meanwhile
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        }
    }

    private static FileAttribute<?>[] dirAttrs() {
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIR_PERMS)};
    }

    private static FileChannel createOwnerOnly(Path p) throws IOException {
        Set<StandardOpenOption> opts = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return FileChannel.open(p, opts, PosixFilePermissions.asFileAttribute(FILE_PERMS));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(p, opts);
        }
    }

    /** One snapshot's index files. */
    public record Entry(String key, Path snapshot, long snapshotBytes, long indexBytes, long lastUsedMillis,
                        boolean hasDominators) {}

    /** The entries in the folder, most recently used first (an unreadable file shows with no snapshot). */
    public List<Entry> list() throws IOException {
        Map<String, long[]> sizes = new LinkedHashMap<>();   // key -> {bytes, lastUsed, hasBase, hasDominators}
        if (!Files.isDirectory(settings.dir())) {
            return List.of();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(settings.dir())) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                String key;
                boolean base = name.endsWith(BASE);
                if (base) {
                    key = name.substring(0, name.length() - BASE.length());
                } else if (name.endsWith(DOMINATORS)) {
                    key = name.substring(0, name.length() - DOMINATORS.length());
                } else if (name.endsWith(RETAINERS)) {
                    key = name.substring(0, name.length() - RETAINERS.length());
                } else {
                    continue;
                }
                long[] v = sizes.computeIfAbsent(key, k -> new long[4]);
                try {
                    v[0] += Files.size(p);
                    if (base) {
                        v[1] = Files.getLastModifiedTime(p).toMillis();
                        v[2] = 1;
                    } else if (name.endsWith(DOMINATORS)) {
                        v[3] = 1;
                    }
                } catch (NoSuchFileException e) {
                    // deleted meanwhile
                }
            }
        }
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : sizes.entrySet()) {
            Path snapshot = null;
            long snapshotBytes = 0;
            long[] v = e.getValue();
            if (v[2] == 1) {
                try (IndexReader r = new IndexReader(FileChannel.open(settings.dir().resolve(e.getKey() + BASE)))) {
                    snapshot = Path.of(r.metaText("source.path"));
                    snapshotBytes = r.meta("source.size");
                } catch (IOException | RuntimeException ex) {
                    // listed without its snapshot
                }
            }
            out.add(new Entry(e.getKey(), snapshot, snapshotBytes, v[0], v[1], v[3] == 1));
        }
        out.sort(Comparator.comparingLong(Entry::lastUsedMillis).reversed());
        return out;
    }

    /** Deletes every entry (and leftover temporary files); returns the bytes freed. */
    public long clear() throws IOException {
        long freed = 0;
        if (!Files.isDirectory(settings.dir())) {
            return 0;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(settings.dir())) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(BASE) || name.endsWith(DOMINATORS) || name.endsWith(RETAINERS) || name.endsWith(TMP)) {
                    try {
                        freed += Files.size(p);
                        Files.deleteIfExists(p);
                    } catch (NoSuchFileException e) {
                        // deleted meanwhile
                    }
                }
            }
        }
        return freed;
    }

    /**
     * The bytes the folder may hold: the configured budget, else four times its largest entry (so the
     * snapshots of a find-leaks series stay indexed together), in both cases at most a quarter of the
     * free space on the folder's disk.
     */
    long budget(List<Entry> entries) throws IOException {
        long quarterFree = Files.getFileStore(settings.dir()).getUsableSpace() / 4;
        long used = 0;
        long largest = 0;
        for (Entry e : entries) {
            used += e.indexBytes();
            largest = Math.max(largest, e.indexBytes());
        }
        long wanted = settings.budget() > 0 ? settings.budget() : 4 * largest;
        // free space counts what the folder holds already: the cap is on the folder, not on what is left
        return Math.min(wanted, quarterFree + used / 4);
    }

    /** Deletes least recently used entries (never {@code keep}) until the folder fits its budget. */
    void trim(String keep) throws IOException {
        removeStaleTemporaries();
        List<Entry> entries = list();
        long budget = budget(entries);
        long total = entries.stream().mapToLong(Entry::indexBytes).sum();
        for (int i = entries.size() - 1; i >= 0 && total > budget; i--) {
            Entry e = entries.get(i);
            if (e.key().equals(keep)) {
                continue;
            }
            delete(e.key());
            total -= e.indexBytes();
        }
        if (total > budget) {
            delete(keep);
            notice("index not kept: it needs " + (total >> 20) + " MB and the index folder " + settings.dir()
                    + " may hold " + (budget >> 20) + " MB (at most a quarter of the free disk; --index-budget)");
        }
    }

    private void delete(String key) throws IOException {
        Files.deleteIfExists(settings.dir().resolve(key + BASE));
        Files.deleteIfExists(settings.dir().resolve(key + DOMINATORS));
        Files.deleteIfExists(settings.dir().resolve(key + RETAINERS));
    }

    private void removeStaleTemporaries() throws IOException {
        long hourAgo = System.currentTimeMillis() - 3_600_000L;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(settings.dir(), "*" + TMP)) {
            for (Path p : ds) {
                try {
                    if (Files.getLastModifiedTime(p).toMillis() < hourAgo) {
                        Files.deleteIfExists(p);
                    }
                } catch (NoSuchFileException e) {
                    // gone already
                }
            }
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] b) {
        return digest().digest(b);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
