package dev.leakhound.analysis.allocation;

import dev.leakhound.analysis.source.FunctionSource;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.analysis.source.SourceMaps;
import dev.leakhound.core.snapshot.AllocationTraces;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.v8.V8Names;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stacks that allocated a set of objects of a snapshot carrying allocation traces: each object's
 * {@code trace_node_id} names its stack in the trace tree; objects are counted per stack (count, then bytes,
 * biggest first). Each frame is a function with its start position; the first application frame is marked and,
 * given the class of the objects, the {@code new Class} expression is looked for in the source of the frames up
 * to it ({@link FunctionSource}). Objects with no trace id (allocated before tracking started) are not counted.
 * Not thread-safe (it keeps the frames, packages and sources it resolved).
 */
public final class AllocationSites {
    /** Stacks kept per set, at most. */
    public static final int MAX_STACKS = 5;
    /** Frames searched for the allocation expression when a stack has no application frame. */
    private static final int SITE_FRAMES_WITHOUT_APP = 3;

    private final HeapSnapshot s;
    private final AllocationTraces t;
    private final Frame[] frames;
    private final Packages packages;
    private final FunctionSource sources;
    private final SourceMaps maps;

    /** Null when the snapshot carries no allocation traces. */
    public static AllocationSites of(HeapSnapshot s, SourceMaps maps) {
        return s.allocationTraces() == null ? null : new AllocationSites(s, maps == null ? SourceMaps.NONE : maps);
    }

    private AllocationSites(HeapSnapshot s, SourceMaps maps) {
        this.s = s;
        this.t = s.allocationTraces();
        this.frames = new Frame[t.functionCount()];
        this.maps = maps;
        this.packages = new Packages(maps.root());
        this.sources = new FunctionSource(maps.root());
    }

    public HeapSnapshot snapshot() {
        return s;
    }

    public Packages packages() {
        return packages;
    }

    /**
     * Function info {@code fn} as a frame: at its original source when the script has a source map (the position
     * in the script that ran kept as {@link Frame#generated}); its package from the script that ran.
     */
    public Frame frame(int fn) {
        Frame f = frames[fn];
        if (f == null) {
            String file = t.scriptName(fn);
            if (file.startsWith("file://")) {
                file = file.substring("file://".length());
            }
            PackageRef pkg = packages.of(file);
            SourceLocator.Location o = t.line(fn) > 0 ? maps.map(file, t.line(fn), t.column(fn)) : null;
            f = o == null ? new Frame(t.functionName(fn), file, t.line(fn), t.column(fn), pkg)
                    : new Frame(t.functionName(fn), o.file(), o.line(), o.column(), pkg, o.generated());
            frames[fn] = f;
        }
        return f;
    }

    /**
     * The stacks that allocated {@code nodes} (node ordinals), at most {@code limit}, biggest count first. The
     * {@code new} expression looked for in the source is of the class most of a stack's objects have, else of
     * {@code className} (may be null).
     */
    public List<AllocationStack> stacks(int[] nodes, String className, int limit) {
        int size = t.size();
        long[] count = new long[size];
        long[] bytes = new long[size];
        Map<Long, Integer> classes = new HashMap<>();   // (trace node, class name) -> objects
        for (int v : nodes) {
            int id = s.traceNodeId(v);
            if (id == 0) {
                continue;
            }
            int i = t.indexOfId(Integer.toUnsignedLong(id));
            if (i >= 0) {
                count[i]++;
                bytes[i] += s.selfSize(v);
                if (s.type(v) == NodeType.OBJECT && !s.strings().startsWithAscii(s.nameIndex(v), V8Names.SYSTEM_PREFIX)) {
                    classes.merge((long) i << 32 | s.nameIndex(v), 1, Integer::sum);
                }
            }
        }
        int[] classOf = new int[size];
        int[] classCount = new int[size];
        Arrays.fill(classOf, -1);
        for (Map.Entry<Long, Integer> e : classes.entrySet()) {
            int i = (int) (e.getKey() >>> 32);
            int name = (int) (long) e.getKey();
            if (e.getValue() > classCount[i] || (e.getValue() == classCount[i] && name < classOf[i])) {
                classOf[i] = name;
                classCount[i] = e.getValue();
            }
        }
        Integer[] order = new Integer[size];
        int used = 0;
        for (int i = 0; i < size; i++) {
            if (count[i] > 0) {
                order[used++] = i;
            }
        }
        Integer[] ranked = Arrays.copyOf(order, used);
        Arrays.sort(ranked, (a, b) -> count[a] != count[b] ? Long.compare(count[b], count[a])
                : bytes[a] != bytes[b] ? Long.compare(bytes[b], bytes[a]) : Integer.compare(a, b));
        List<AllocationStack> out = new ArrayList<>();
        for (int k = 0; k < Math.min(limit, ranked.length); k++) {
            int i = ranked[k];
            String made = classOf[i] >= 0 ? s.strings().get(classOf[i]) : null;
            out.add(stack(i, count[i], bytes[i], made, made != null ? made : className));
        }
        return out;
    }

    /** The stack of trace node {@code i}, innermost first, without V8's (root). */
    private AllocationStack stack(int i, long count, long bytes, String made, String className) {
        List<Frame> fs = new ArrayList<>();
        for (int j = i; j >= 0; j = t.parent(j)) {
            if (t.parent(j) < 0 && t.functionName(t.function(j)).equals("(root)")) {
                break;
            }
            fs.add(frame(t.function(j)));
        }
        int app = -1;
        for (int k = 0; k < fs.size(); k++) {
            if (fs.get(k).isApplication()) {
                app = k;
                break;
            }
        }
        // the allocating frames up to the first application one and its caller: a constructor's own frame
        // allocates its instance, the caller's holds the 'new'
        AllocationStack.Site site = null;
        int last = app < 0 ? SITE_FRAMES_WITHOUT_APP - 1 : app + 1;
        for (int k = 0; k < fs.size() && k <= last && site == null; k++) {
            Frame f = fs.get(k);
            FunctionSource.Match m = sources.findNew(f.file(), f.line(), f.column(), className);
            if (m != null) {
                site = new AllocationStack.Site(k, m.file(), m.line(), m.column(), m.text());
            }
        }
        return new AllocationStack(count, bytes, made, fs, app, site);
    }
}
