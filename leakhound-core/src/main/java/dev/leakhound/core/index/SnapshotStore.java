package dev.leakhound.core.index;

import dev.leakhound.core.Parallel;
import dev.leakhound.core.graph.GraphIndexIO;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.graph.Retainers;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.core.snapshot.SnapshotIndexIO;
import dev.leakhound.core.snapshot.SnapshotParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Opens a snapshot for analysis: from its index when the cache folder has a valid one, otherwise by parsing
 * it and building its graph, writing the index for the next command. The dominator tree follows the same
 * rule on its own: loaded from the index if it was stored, otherwise computed when first asked for and
 * then stored. With indexes off this is exactly a parse and a graph build.
 */
public final class SnapshotStore {
    /**
     * Index files are written on this thread, in the order asked, while the command goes on with its analysis;
     * {@link #awaitWrites()} waits for them before the process exits.
     */
    private static final ExecutorService WRITER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "leakhound-index-writer");
        t.setDaemon(true);
        return t;
    });
    private static final Map<Path, Future<?>> PENDING = new ConcurrentHashMap<>();

    private SnapshotStore() {}

    /** Waits until every index file asked for is written (or given up with a notice). */
    public static void awaitWrites() {
        for (Future<?> f : PENDING.values()) {
            waitFor(f);
        }
    }

    private static void waitFor(Future<?> f) {
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;   // IndexStore.write reports its own failures as notices
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes {@code file} on the writer thread, if by then {@code requires} (when not null) exists. */
    static void writeLater(IndexStore store, Path file, IndexStore.Source source, IndexStore.Content content,
                           Path requires) {
        Future<?> f = WRITER.submit(() -> {
            try {
                if (requires == null || Files.exists(requires)) {
                    store.write(file, source, content);
                }
            } finally {
                PENDING.remove(file);
            }
        });
        PENDING.put(file, f);
        if (f.isDone()) {
            PENDING.remove(file, f);
        }
    }

    /** Waits for a write of {@code file} still under way. */
    static void awaitWrite(Path file) {
        Future<?> f = PENDING.get(file);
        if (f != null) {
            waitFor(f);
        }
    }

    /** A snapshot, its graph (null when only the snapshot was asked for) and whether it came from the index. */
    public record Opened(HeapSnapshot snapshot, HeapGraph graph, boolean fromIndex) {}

    /**
     * Opens {@code file}. {@code dominatorsFollow}: the caller will ask for the dominator tree at once (a
     * parse then prepares for it, as {@link HeapGraph#buildWithoutDominators(HeapSnapshot, ProgressListener,
     * boolean)} says).
     */
    public static Opened open(Path file, ReadOptions read, ProgressListener progress, boolean dominatorsFollow) {
        return open(file, read, progress, true, dominatorsFollow);
    }

    /**
     * The snapshot alone, for a caller that needs no graph (diff; find-leaks' first look at its earlier
     * snapshots): from the index without its graph sections, or parsed without building the graph (which a
     * parse still builds when it writes the index, since the index holds it).
     */
    public static HeapSnapshot snapshot(Path file, ReadOptions read, ProgressListener progress) {
        return open(file, read, progress, false, false).snapshot();
    }

    /** {@link #open} with or without the graph ({@code graph}: false for {@link #snapshot}). */
    static Opened open(Path file, ReadOptions read, ProgressListener progress, boolean graph, boolean dominatorsFollow) {
        PhaseTimer.mark("command start");
        IndexSettings settings = read.index();
        IndexStore.Source source = null;
        if (settings.enabled()) {
            try {
                source = IndexStore.identify(file);
            } catch (IOException e) {
                // a file that cannot be read: the parser says so
            }
        }
        if (source == null) {
            HeapSnapshot s = SnapshotParser.read(file, progress, read);
            return new Opened(s, graph ? HeapGraph.buildWithoutDominators(s, progress, dominatorsFollow) : null, false);
        }
        return open(file, source, read, new IndexStore(settings), progress, graph, dominatorsFollow);
    }

    private static Opened open(Path file, IndexStore.Source source, ReadOptions read, IndexStore store,
                               ProgressListener progress, boolean graph, boolean dominatorsFollow) {
        PhaseTimer.mark("identify snapshot");
        Path base = store.baseFile(source);
        awaitWrite(base);
        awaitWrite(store.dominatorsFile(source));
        awaitWrite(store.retainersFile(source));
        IndexReader r = store.open(base, source, "base");
        if (r != null) {
            try (r) {
                progress.progress("reading index", 0);
                PhaseTimer.mark("open index");
                // the graph's columns on another thread while the snapshot's are read
                Parallel.Task<GraphIndexIO.BaseColumns> graphColumns = graph
                        ? Parallel.fork("index-graph", () -> GraphIndexIO.readBaseColumns(r)) : null;
                HeapSnapshot s;
                try {
                    s = SnapshotIndexIO.read(r, file);
                } finally {
                    if (graphColumns != null) {
                        try {
                            graphColumns.join();   // never left reading a file about to be closed
                        } catch (RuntimeException e) {
                            // the failure that counts is the snapshot's; a graph failure is rethrown below
                        }
                    }
                }
                PhaseTimer.mark("read snapshot columns");
                HeapGraph g = graph ? GraphIndexIO.restoreBase(graphColumns.join(), s) : null;
                PhaseTimer.mark("read graph base");
                store.touch(source);
                if (g != null) {
                    g.useDominatorCache(new Cache(store, source));
                    g.useRetainerSource(new RetainerCache(store, source));
                }
                progress.progress("reading index", 1);
                return new Opened(s, g, true);
            } catch (IOException | RuntimeException e) {
                // whatever is wrong with it (a RuntimeException would be a check this reader lacks), it is
                // not trusted: rebuilt from the snapshot
                store.discard(base, null, "index of " + source.path() + " was unusable (" + IndexStore.message(e)
                        + "); rebuilding it");
            }
        }
        store.discard(store.dominatorsFile(source), null, null);   // never kept without their base
        store.discard(store.retainersFile(source), null, null);
        // a snapshot still being written is held by the writer: let it go before another is read, so that
        // a caller that holds one snapshot at a time (find-leaks) never has a third in memory
        awaitWrites();
        HeapSnapshot s = SnapshotParser.read(file, progress, read);
        HeapGraph g = HeapGraph.buildWithoutDominators(s, progress, dominatorsFollow);
        writeLater(store, base, source, w -> {
            SnapshotIndexIO.write(s, w);
            GraphIndexIO.writeBase(g, w);
        }, null);
        g.useDominatorCache(new Cache(store, source));
        g.useRetainerSource(new RetainerCache(store, source));
        return new Opened(s, graph ? g : null, false);
    }

    /**
     * A part of an entry written after the base, once a command has computed it, and read back when one asks
     * again: the dominators (tree and retained sizes) and the retainers (only one-object questions use them, so
     * no other command pays for them; mapped, not copied). A part that cannot be trusted is deleted with a notice
     * and computed again.
     */
    private static final class Part<T> {
        /** Reads the part from its file, checking it. */
        interface Reader<T> {
            T read(IndexReader r, HeapGraph g) throws IOException;
        }

        private final IndexStore store;
        private final IndexStore.Source source;
        private final Path file;
        private final String name;
        private final String again;
        private final Reader<T> reader;
        private final java.util.function.Function<HeapGraph, IndexStore.Content> content;

        /** {@code name}: the part in notices ("dominators"); {@code again}: what happens instead ("computing them"). */
        Part(IndexStore store, IndexStore.Source source, Path file, String name, String again, Reader<T> reader,
             java.util.function.Function<HeapGraph, IndexStore.Content> content) {
            this.store = store;
            this.source = source;
            this.file = file;
            this.name = name;
            this.again = again;
            this.reader = reader;
            this.content = content;
        }

        T load(HeapGraph g) {
            awaitWrite(file);
            IndexReader r = store.open(file, source, name);
            if (r == null) {
                return null;
            }
            try (r) {
                return reader.read(r, g);
            } catch (IOException | RuntimeException e) {
                store.discard(file, null, "index of " + source.path() + " had unusable " + name + " ("
                        + IndexStore.message(e) + "); " + again);
                return null;
            }
        }

        void store(HeapGraph g) {
            // after the base (one writer thread, in order), and only if the base was kept
            writeLater(store, file, source, content.apply(g), store.baseFile(source));
        }
    }

    /** The retainers part of an entry (see {@link Part}). */
    private static final class RetainerCache implements HeapGraph.RetainerSource {
        private final Part<Retainers> part;

        RetainerCache(IndexStore store, IndexStore.Source source) {
            // the mapping outlives the reader
            this.part = new Part<>(store, source, store.retainersFile(source), "retainers", "building them",
                    (r, g) -> GraphIndexIO.mapRetainers(r, g.snapshot()).load(), g -> w -> GraphIndexIO.writeRetainers(g, w));
        }

        @Override
        public Retainers load(HeapGraph g) {
            return part.load(g);
        }

        @Override
        public void store(HeapGraph g) {
            part.store(g);
        }
    }

    /** The dominators part of an entry (see {@link Part}). */
    private static final class Cache implements HeapGraph.DominatorCache {
        private final Part<HeapGraph.Dominators> part;

        Cache(IndexStore store, IndexStore.Source source) {
            this.part = new Part<>(store, source, store.dominatorsFile(source), "dominators", "computing them",
                    (r, g) -> GraphIndexIO.readDominators(r, g.snapshot()), g -> w -> GraphIndexIO.writeDominators(g, w));
        }

        @Override
        public HeapGraph.Dominators load(HeapGraph g) {
            return part.load(g);
        }

        @Override
        public void store(HeapGraph g) {
            part.store(g);
        }
    }
}
