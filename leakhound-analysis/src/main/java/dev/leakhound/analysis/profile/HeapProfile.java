package dev.leakhound.analysis.profile;

import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.analysis.source.SourceMaps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A V8 sampling heap profile ({@code HeapProfiler.getSamplingProfile}, {@code node --heap-prof}, DevTools'
 * "Allocation sampling"): a call tree whose nodes carry the bytes sampled as allocated by that stack
 * ({@code selfSize}), and the samples themselves ({@code size, nodeId, ordinal}).
 *
 * <p>Nodes are dense ints in pre-order (a parent before its children; node 0 is the head, V8's
 * {@code (root)}), held in columns; frames are interned. Totals (a node's bytes with its callees) are
 * computed once, by one backward pass over the pre-order.
 */
public final class HeapProfile {
    private final int[] id;
    private final int[] parent;
    private final int[] frame;
    private final long[] self;
    private final long[] total;
    private final int[] firstChild;
    private final int[] nextSibling;
    private final int[] depth;
    private final List<CallFrame> frames;
    private final long[] sampleSize;
    private final int[] sampleNode;
    private final long[] sampleOrdinal;
    private final long samplingInterval;

    HeapProfile(int[] id, int[] parent, int[] frame, long[] self, List<CallFrame> frames,
                long[] sampleSize, int[] sampleNode, long[] sampleOrdinal, long samplingInterval) {
        int n = id.length;
        this.id = id;
        this.parent = parent;
        this.frame = frame;
        this.self = self;
        this.frames = List.copyOf(frames);
        this.sampleSize = sampleSize;
        this.sampleNode = sampleNode;
        this.sampleOrdinal = sampleOrdinal;
        this.samplingInterval = samplingInterval;
        this.total = self.clone();
        this.firstChild = new int[n];
        this.nextSibling = new int[n];
        this.depth = new int[n];
        Arrays.fill(firstChild, -1);
        Arrays.fill(nextSibling, -1);
        for (int i = n - 1; i > 0; i--) {
            int p = parent[i];
            if (p < 0 || p >= i) {
                throw new IllegalArgumentException("nodes must be in pre-order: node " + i + " has parent " + p);
            }
            total[p] += total[i];
            nextSibling[i] = firstChild[p];   // children keep their order: built backwards
            firstChild[p] = i;
        }
        for (int i = 1; i < n; i++) {
            depth[i] = depth[parent[i]] + 1;
        }
    }

    /** Number of call-tree nodes, the head included. */
    public int nodeCount() {
        return id.length;
    }

    /** The profile's own id of node {@code n} (what samples name). */
    public int id(int n) {
        return id[n];
    }

    /** Parent of node {@code n}, -1 for the head. */
    public int parent(int n) {
        return parent[n];
    }

    public int firstChild(int n) {
        return firstChild[n];
    }

    public int nextSibling(int n) {
        return nextSibling[n];
    }

    public int depth(int n) {
        return depth[n];
    }

    public CallFrame frame(int n) {
        return frames.get(frame[n]);
    }

    /** Index of node {@code n}'s frame in {@link #frames()}. */
    public int frameIndex(int n) {
        return frame[n];
    }

    /** The distinct frames; {@link #frameIndex} points in here. */
    public List<CallFrame> frames() {
        return frames;
    }

    /** Bytes sampled as allocated by node {@code n}'s stack itself. */
    public long selfBytes(int n) {
        return self[n];
    }

    /** Bytes sampled as allocated by node {@code n} and its callees. */
    public long totalBytes(int n) {
        return total[n];
    }

    /** All bytes the profile holds (the head's total). */
    public long totalBytes() {
        return total.length == 0 ? 0 : total[0];
    }

    public int sampleCount() {
        return sampleSize.length;
    }

    public long sampleSize(int i) {
        return sampleSize[i];
    }

    /** The node id (not the node index) sample {@code i} belongs to. */
    public int sampleNodeId(int i) {
        return sampleNode[i];
    }

    public long sampleOrdinal(int i) {
        return sampleOrdinal[i];
    }

    /** The sampling interval in bytes, when known (leakhound's own live profiles), else 0. */
    public long samplingInterval() {
        return samplingInterval;
    }

    /** The same profile with the sampling interval it was taken with. */
    public HeapProfile withSamplingInterval(long interval) {
        return new HeapProfile(id, parent, frame, self, frames, sampleSize, sampleNode, sampleOrdinal, interval);
    }

    /**
     * The same profile with each frame's {@link CallFrame#original} position from its script's source map (one
     * lookup per distinct frame; frames without a map stay as they are). Sites keep their identity
     * ({@link CallFrame#siteKey} is the generated position), and a profile saved from it is the one V8 gave.
     */
    public HeapProfile withSources(SourceMaps maps) {
        List<CallFrame> mapped = new ArrayList<>(frames.size());
        for (CallFrame f : frames) {
            SourceLocator.Location o = f.line() > 0 && !f.script().isEmpty() && !f.script().startsWith("node:")
                    ? maps.map(f.script(), f.line(), f.column()) : null;
            mapped.add(o == null ? f : new CallFrame(f.functionName(), f.scriptId(), f.url(), f.lineNumber(),
                    f.columnNumber(), o));
        }
        return new HeapProfile(id, parent, frame, self, mapped, sampleSize, sampleNode, sampleOrdinal, samplingInterval);
    }

    /** Builds a profile node by node, in pre-order. */
    public static final class Builder {
        private int[] id = new int[64];
        private int[] parent = new int[64];
        private int[] frame = new int[64];
        private long[] self = new long[64];
        private int n;
        private final List<CallFrame> frames = new ArrayList<>();
        private final Map<CallFrame, Integer> frameIndex = new HashMap<>();
        private long[] sSize = new long[64];
        private int[] sNode = new int[64];
        private long[] sOrd = new long[64];
        private int samples;

        /** Adds a node under {@code parentIndex} (-1 for the head, which must come first) and returns its index. */
        public int node(int parentIndex, int nodeId, CallFrame f, long selfBytes) {
            int i = begin(parentIndex);
            set(i, nodeId, f, selfBytes);
            return i;
        }

        /** Adds a node whose fields {@link #set} gives later; returns its index. */
        public int begin(int parentIndex) {
            if ((n == 0) != (parentIndex < 0) || parentIndex >= n) {
                throw new IllegalArgumentException("bad parent " + parentIndex + " for node " + n);
            }
            if (n == id.length) {
                id = Arrays.copyOf(id, n * 2);
                parent = Arrays.copyOf(parent, n * 2);
                frame = Arrays.copyOf(frame, n * 2);
                self = Arrays.copyOf(self, n * 2);
            }
            parent[n] = parentIndex;
            frame[n] = -1;
            return n++;
        }

        /** Sets node {@code index}'s fields once they are known (a reader meets them after the node began). */
        public void set(int index, int nodeId, CallFrame f, long selfBytes) {
            id[index] = nodeId;
            frame[index] = frameIndex.computeIfAbsent(f, k -> {
                frames.add(k);
                return frames.size() - 1;
            });
            self[index] = selfBytes;
        }

        public void sample(long size, int nodeId, long ordinal) {
            if (samples == sSize.length) {
                sSize = Arrays.copyOf(sSize, samples * 2);
                sNode = Arrays.copyOf(sNode, samples * 2);
                sOrd = Arrays.copyOf(sOrd, samples * 2);
            }
            sSize[samples] = size;
            sNode[samples] = nodeId;
            sOrd[samples] = ordinal;
            samples++;
        }

        public int size() {
            return n;
        }

        public HeapProfile build() {
            for (int i = 0; i < n; i++) {
                if (frame[i] < 0) {
                    throw new IllegalStateException("node " + i + " was never set");
                }
            }
            return new HeapProfile(Arrays.copyOf(id, n), Arrays.copyOf(parent, n), Arrays.copyOf(frame, n),
                    Arrays.copyOf(self, n), frames, Arrays.copyOf(sSize, samples), Arrays.copyOf(sNode, samples),
                    Arrays.copyOf(sOrd, samples), 0);
        }
    }
}
