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
 * biggest first). Each frame is a function with its start position (V8 records no allocating line); the first
 * application frame is marked, and the line that made the objects is looked for in the source of the frames up to
 * its caller ({@link FunctionSource}): the {@code new Class} of the stack's classes; else, for what a constructor
 * allocates for its instance, the caller's {@code new Constructor}; else the expression that makes objects of the
 * stack's kind without {@code new} ({@link AllocationShapes}: object and array literals, Buffers, timers, function
 * expressions for closures).
 * Objects with no trace id (allocated before tracking started) are not counted.
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
        long[] closures = new long[size];
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
                if (s.type(v) == NodeType.CLOSURE) {
                    closures[i]++;
                } else if (s.type(v) == NodeType.OBJECT && !s.strings().startsWithAscii(s.nameIndex(v), V8Names.SYSTEM_PREFIX)) {
                    classes.merge((long) i << 32 | s.nameIndex(v), 1, Integer::sum);
                }
            }
        }
        // per stack, its classes, most objects first (ties by name index, as the snapshot lists them)
        Map<Integer, List<long[]>> byStack = new HashMap<>();
        for (Map.Entry<Long, Integer> e : classes.entrySet()) {
            byStack.computeIfAbsent((int) (e.getKey() >>> 32), k -> new ArrayList<>())
                    .add(new long[] {e.getValue(), (int) (long) e.getKey()});
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
            List<String> made = new ArrayList<>();
            List<long[]> cs = byStack.getOrDefault(i, new ArrayList<>());
            cs.sort((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
            for (long[] c : cs) {
                made.add(s.strings().get((int) c[1]));
            }
            if (made.isEmpty() && closures[i] == 0 && className != null) {
                made.add(className);
            }
            out.add(stack(i, count[i], bytes[i], cs.isEmpty() ? null : made.get(0), AllocationShapes.forStack(made, closures[i])));
        }
        return out;
    }

    /** The stack of trace node {@code i}, innermost first, without V8's (root). */
    private AllocationStack stack(int i, long count, long bytes, String made, List<AllocationShapes.Shape> shapes) {
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
        // the 'new' of the stack's classes
        for (int n = 0; n < shapes.size() && site == null; n++) {
            site = shapes.get(n).isNew() ? search(fs, last, shapes.get(n)) : null;
        }
        // what a constructor allocates for its instance (its fields' objects, strings, Buffers...) is made where the
        // instance is: the caller's 'new Constructor'
        for (int k = 0; site == null && k < Math.min(fs.size() - 1, last); k++) {
            String name = fs.get(k).function();
            AllocationShapes.Shape ctor = name.isEmpty() || !Character.isUpperCase(name.charAt(0)) ? null : AllocationShapes.newOf(name);
            Frame caller = fs.get(k + 1);
            FunctionSource.Match m = ctor == null ? null : sources.find(caller.file(), caller.line(), caller.column(), ctor.pattern());
            if (m != null) {
                site = new AllocationStack.Site(k + 1, m.file(), m.line(), m.column(), m.text());
            }
        }
        // the expression that makes objects of the stack's kind without 'new'
        for (int n = 0; n < shapes.size() && site == null; n++) {
            site = shapes.get(n).isNew() ? null : search(fs, last, shapes.get(n));
        }
        return new AllocationStack(count, bytes, made, fs, app, site);
    }

    /** The first frame of {@code fs} up to {@code last} whose function holds {@code shape}, as a site; or null. */
    private AllocationStack.Site search(List<Frame> fs, int last, AllocationShapes.Shape shape) {
        for (int k = 0; k < fs.size() && k <= last; k++) {
            Frame f = fs.get(k);
            FunctionSource.Match m = sources.find(f.file(), f.line(), f.column(), shape.pattern());
            if (m != null) {
                return new AllocationStack.Site(k, m.file(), m.line(), m.column(), m.text());
            }
        }
        return null;
    }
}
