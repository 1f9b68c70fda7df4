package dev.leakhound.mcp;

import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.analysis.SnapshotFacts;
import dev.leakhound.analysis.diagnosis.Diagnosis;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.source.SourceMaps;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One snapshot the server has read, and what it computed on it so far: the graph (distances, classes,
 * dominator tree, retained sizes), the analysis the summary and largest tools slice, and diagnoses by
 * their options. Each is computed on first use, once (concurrent callers wait for it), and kept while
 * the snapshot stays in the {@link SnapshotCache}.
 */
public final class OpenSnapshot {
    /** Rows the cached analysis keeps: the most any tool may ask for. */
    static final int ANALYSIS_ROWS = Args.MAX_ROWS;

    private final Path file;
    private final long fileBytes;
    private final HeapSnapshot snapshot;
    private final long readMillis;
    private SnapshotFacts facts;
    private final HeapGraph prepared;
    private volatile HeapGraph graph;   // volatile: read by estimatedBytes without the lock
    private SnapshotAnalysis analysis;
    private final Map<DiagnosisOptions, Diagnosis> diagnoses = new HashMap<>();

    /** A snapshot opened with its graph ready but for the dominator tree (loaded or built on first use). */
    OpenSnapshot(Path file, long fileBytes, HeapGraph prepared, long readMillis) {
        this.file = file;
        this.fileBytes = fileBytes;
        this.snapshot = prepared.snapshot();
        this.prepared = prepared;
        this.readMillis = readMillis;
    }

    public Path file() {
        return file;
    }

    public HeapSnapshot snapshot() {
        return snapshot;
    }

    public long readMillis() {
        return readMillis;
    }

    public synchronized SnapshotFacts facts() {
        if (facts == null) {
            facts = SnapshotFacts.of(snapshot, fileBytes);
        }
        return facts;
    }

    /** The graph with its dominator tree, built on first use. */
    public synchronized HeapGraph graph() {
        if (graph == null) {
            prepared.withDominators(dev.leakhound.core.snapshot.ProgressListener.NONE, null);
            graph = prepared;
        }
        return graph;
    }

    /** What {@code analyze} computes, without its diagnosis, with {@link #ANALYSIS_ROWS} largest objects. */
    public synchronized SnapshotAnalysis analysis() {
        return analysis(SourceMaps.NONE);
    }

    /**
     * What {@code analyze} computes, without its diagnosis, with {@link #ANALYSIS_ROWS} largest objects, their
     * locations mapped through {@code maps} (the server's one set of maps: the first call's is kept).
     */
    public synchronized SnapshotAnalysis analysis(SourceMaps maps) {
        if (analysis == null) {
            analysis = SnapshotAnalysis.of(graph(), new SnapshotAnalysis.Options(ANALYSIS_ROWS, null, false).withSourceMaps(maps));
        }
        return analysis;
    }

    /** {@code analyze}'s diagnosis with these options (the class rows come from {@link #analysis()}). */
    public synchronized Diagnosis diagnosis(DiagnosisOptions o) {
        return diagnosis(o, SourceMaps.NONE);
    }

    /** {@code analyze}'s diagnosis with these options, its sources mapped through {@code maps} (kept as the first call's). */
    public synchronized Diagnosis diagnosis(DiagnosisOptions o, SourceMaps maps) {
        Diagnosis d = diagnoses.get(o);
        if (d == null) {
            d = Diagnosis.run(graph(), o, analysis(maps).classes(), null, maps);
            diagnoses.put(o, d);
        }
        return d;
    }

    /** The ordinal of the object with that id, or a one-line error naming the file. */
    public int ordinal(long id) {
        int v = snapshot.ordinalOfId(id);
        if (v < 0) {
            throw new LeakhoundException("no object @" + id + " in " + file);
        }
        return v;
    }

    /**
     * Heap this snapshot holds, roughly: its columns and strings, and once built the graph's per-node arrays
     * (distances, classes, dominators, retained sizes, child lists) and retainer index (an int per edge).
     */
    public long estimatedBytes() {
        long b = snapshot.memoryBytes();
        if (graph != null) {
            b += 40L * snapshot.nodeCount() + 8L * snapshot.edgeCount();
        }
        return b;
    }

    /** Heap a snapshot file will take once read and analyzed, before it is read: launcher's rule, 2.2 times its bytes. */
    static long expectedBytes(long fileBytes, boolean gzip) {
        return (gzip ? 8 : 1) * fileBytes * 22 / 10;
    }
}
