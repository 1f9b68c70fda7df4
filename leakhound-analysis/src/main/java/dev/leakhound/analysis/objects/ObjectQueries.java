package dev.leakhound.analysis.objects;

import dev.leakhound.analysis.paths.ShortestPaths;
import dev.leakhound.analysis.source.SourceMaps;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.index.PhaseTimer;
import dev.leakhound.core.index.SnapshotStore;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.ReadOptions;

import java.nio.file.Path;

/**
 * The follow-up questions about one object of a snapshot file, each one entry point: its retainer
 * paths ({@code path}), what it is and holds ({@code inspect}), and its dominator subtree
 * ({@code dominators}). The object is found by id with one scan of the id column (no index is sorted
 * for a single look-up); an unknown id is a one-line error naming the file.
 */
public final class ObjectQueries {
    private ObjectQueries() {}

    /** The dominator subtree below an object (the root when {@code id} is negative) and the heap's total. */
    public record Dominators(DominatorView.Node tree, long totalBytes) {}

    public static ShortestPaths.Result paths(Path file, long id, int k, ReadOptions read, ProgressListener progress) {
        HeapGraph g = SnapshotStore.open(file, read, progress, false).graph();
        int v = ordinal(g.snapshot(), id, file);
        PhaseTimer.mark("find id");
        ShortestPaths.Result r = ShortestPaths.find(g, v, k);
        PhaseTimer.mark("shortest paths");
        return r;
    }

    public static ObjectInfo inspect(Path file, long id, int maxEdges, int maxRetainers, ReadOptions read,
                                     ProgressListener progress) {
        return inspect(file, id, maxEdges, maxRetainers, read, SourceMaps.NONE, progress);
    }

    /** {@link #inspect(Path, long, int, int, ReadOptions, ProgressListener)} with the source mapped through {@code maps}. */
    public static ObjectInfo inspect(Path file, long id, int maxEdges, int maxRetainers, ReadOptions read,
                                     SourceMaps maps, ProgressListener progress) {
        HeapGraph g = SnapshotStore.open(file, read, progress, true).graph();
        int v = ordinal(g.snapshot(), id, file);
        PhaseTimer.mark("find id");
        g.withDominators(progress, null);
        PhaseTimer.mark("dominators");
        ObjectInfo info = ObjectInfo.of(g, v, maxEdges, maxRetainers, maps);
        PhaseTimer.mark("object info");
        return info;
    }

    public static Dominators dominators(Path file, long id, int depth, int top, ReadOptions read,
                                        ProgressListener progress) {
        HeapGraph g = SnapshotStore.open(file, read, progress, true).graph();
        HeapSnapshot s = g.snapshot();
        int v = id < 0 ? s.rootOrdinal() : ordinal(s, id, file);
        g.withDominators(progress, null);
        return new Dominators(DominatorView.of(g, v, depth, top), g.retainedSize(s.rootOrdinal()));
    }

    /** The ordinal of the node with that id, or a one-line error naming the file. */
    static int ordinal(HeapSnapshot s, long id, Path file) {
        int v = s.ordinalOfId(id);
        if (v < 0) {
            throw new LeakhoundException("no object @" + id + " in " + file);
        }
        return v;
    }
}
