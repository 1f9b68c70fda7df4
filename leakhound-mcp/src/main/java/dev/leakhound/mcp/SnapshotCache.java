package dev.leakhound.mcp;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.index.SnapshotStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The snapshots the server has open, so that many questions about one file cost one read. The one way the
 * tools get a snapshot is {@link #open(Path)}.
 *
 * <p>A file is known by its real path, size and modification time: a file rewritten since is read again.
 * The cache holds at most {@code maxSnapshots} snapshots and, as far as their estimated size goes, at most
 * {@code budgetBytes}; beyond either, the least recently used go. Two calls for a file being read wait for
 * the same read.
 */
public final class SnapshotCache {
    /** What identifies a file's content without reading it. */
    record Key(Path path, long size, long modified) {}

    private final int maxSnapshots;
    private final long budgetBytes;
    private final ReadOptions read;
    /** Most recently used last; guarded by this. */
    private final LinkedHashMap<Key, CompletableFuture<OpenSnapshot>> open = new LinkedHashMap<>(16, 0.75f, true);

    public SnapshotCache(int maxSnapshots, long budgetBytes, ReadOptions read) {
        if (maxSnapshots < 1 || budgetBytes < 1) {
            throw new IllegalArgumentException("the cache holds at least one snapshot");
        }
        this.maxSnapshots = maxSnapshots;
        this.budgetBytes = budgetBytes;
        this.read = read;
    }

    /** At most {@code maxSnapshots}, and at most 70% of the JVM's maximum heap. */
    public static SnapshotCache withHeapBudget(int maxSnapshots, ReadOptions read) {
        return new SnapshotCache(maxSnapshots, Runtime.getRuntime().maxMemory() / 10 * 7, read);
    }

    /** The snapshot in {@code file}, read now or earlier; a file that is missing or not a snapshot is a one-line error. */
    public OpenSnapshot open(Path file) {
        Key key = key(file);
        long need = OpenSnapshot.expectedBytes(key.size(), gzip(key.path()));
        CompletableFuture<OpenSnapshot> mine = null;
        CompletableFuture<OpenSnapshot> f;
        synchronized (this) {
            f = open.get(key);
            if (f == null) {
                open.keySet().removeIf(k -> k.path().equals(key.path()));   // an older version of the file
                makeRoom(need, null);
                mine = new CompletableFuture<>();
                f = mine;
                open.put(key, f);
            }
        }
        if (mine != null) {
            load(key, mine);
        }
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** The snapshots of several files, in order. */
    public List<OpenSnapshot> open(List<Path> files) {
        List<OpenSnapshot> out = new ArrayList<>();
        for (Path f : files) {
            out.add(open(f));
        }
        return out;
    }

    /** How many snapshots are open (read, or being read). */
    public synchronized int size() {
        return open.size();
    }

    /** Forgets every snapshot (after running out of memory, say). */
    public synchronized void clear() {
        open.clear();
    }

    private void load(Key key, CompletableFuture<OpenSnapshot> f) {
        try {
            long t0 = System.nanoTime();
            // from the snapshot's index when it has one (written by any earlier command), else parsed
            HeapGraph g = SnapshotStore.open(key.path(), read, ProgressListener.NONE, false).graph();
            OpenSnapshot o = new OpenSnapshot(key.path(), key.size(), g, (System.nanoTime() - t0) / 1_000_000);
            f.complete(o);
            synchronized (this) {
                makeRoom(0, key);
            }
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                open.remove(key, f);
            }
            f.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * Drops the least recently used snapshots (never {@code keep}, never one being read) until there is room
     * for one more of {@code need} bytes, or for {@code keep} when it is given.
     */
    private void makeRoom(long need, Key keep) {
        int wantCount = keep == null ? maxSnapshots - 1 : maxSnapshots;
        Iterator<Map.Entry<Key, CompletableFuture<OpenSnapshot>>> it = open.entrySet().iterator();
        while (it.hasNext() && (open.size() > wantCount || used() + need > budgetBytes)) {
            Map.Entry<Key, CompletableFuture<OpenSnapshot>> e = it.next();
            if (!e.getKey().equals(keep) && e.getValue().isDone()) {
                it.remove();
            }
        }
    }

    /** Estimated heap of the snapshots read. */
    private long used() {
        long sum = 0;
        for (CompletableFuture<OpenSnapshot> f : open.values()) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                sum += f.join().estimatedBytes();
            }
        }
        return sum;
    }

    private static Key key(Path file) {
        Path p = file.toAbsolutePath().normalize();
        try {
            Path real = p.toRealPath();
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                throw new LeakhoundException(p + " is not a file");
            }
            return new Key(real, a.size(), a.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            throw new LeakhoundException("no such file: " + p);
        } catch (AccessDeniedException e) {
            throw new LeakhoundException("cannot read " + p + ": permission denied");
        } catch (IOException e) {
            throw new LeakhoundException("cannot read " + p + ": " + e.getMessage());
        }
    }

    /** Whether the file starts with gzip's magic bytes. */
    private static boolean gzip(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            return false;   // the read itself will say what is wrong
        }
    }
}
