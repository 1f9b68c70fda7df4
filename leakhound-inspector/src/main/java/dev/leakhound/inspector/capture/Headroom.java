package dev.leakhound.inspector.capture;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.InspectorSession;
import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.core.system.CgroupMemory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a target has the memory to write a heap snapshot, checked before one is taken.
 *
 * <p>While V8 writes a snapshot it builds the whole object graph outside the JS heap (an entry per object,
 * per reference, and the string table) and serialises it; the target's RSS grows by several times its
 * heap for the duration. In a container that growth is charged to its cgroup, and a snapshot that does
 * not fit gets the process OOM-killed mid-write: the evidence and the service are lost together.
 *
 * <p><b>The estimate</b> comes from {@code bench/capture/run.sh} (results in {@code bench/capture/RESULTS.md}):
 * the peak RSS (VmHWM, reset just before) of targets holding 25 to 500 MB of heap, during
 * {@code HeapProfiler.takeHeapSnapshot} over the inspector and during {@code v8.writeHeapSnapshot}, node
 * v20.20.2. The growth depends on how many objects the heap holds, not on its bytes: {@value #MEASURED_LOW}
 * to {@value #MEASURED_HIGH} times {@code heapUsed} for heaps of small objects or of concatenated strings
 * (200 MB of heap: +1.5 to +2.0 GB), but about 1.2 times for a heap of large flat strings. The estimate is
 * {@value #FACTOR} x heapUsed plus {@value #FIXED_MB} MB, at or above every measurement; {@code --force} is
 * there for heaps made of few large objects.
 *
 * <p>The target reads its own figures (process.memoryUsage() and its cgroup files through
 * {@link CgroupMemory}), so that the answer is the target's view also in a container reached through a
 * port-forward. Reading them costs a few milliseconds and no pause.
 */
public final class Headroom {
    /** Extra bytes per byte of heapUsed while a snapshot is written (rounded up from the measurements). */
    public static final double FACTOR = 11;
    /** Fixed part of the estimate, MB. */
    public static final long FIXED_MB = 64;
    /** Range of the measured extra / heapUsed (bench/capture/RESULTS.md). */
    static final String MEASURED_LOW = "7.3";
    static final String MEASURED_HIGH = "10.4";

    /**
     * What a capture does about the check.
     *
     * @param force take the snapshot even when it does not fit (the check is not run)
     * @param root  folder the target reads /proc and /sys/fs/cgroup under ("" for the real ones; tests give a
     *              fake tree)
     */
    public record Policy(boolean force, String root) {
        public static final Policy DEFAULT = new Policy(false, "");
    }

    /** The target's memory as it reports it. */
    public record TargetMemory(long heapUsed, long heapTotal, long rss) {}

    /**
     * The outcome of a check.
     *
     * @param memory   the target's figures
     * @param estimate extra bytes a snapshot is expected to need
     * @param figures  the cgroup limit and the machine's available memory, as the target sees them
     */
    public record Check(TargetMemory memory, long estimate, CgroupMemory.Figures figures) {
        /** True when the estimate fits in the room left, or when that room is unknown. */
        public boolean fits() {
            long free = figures.free();
            return free < 0 || estimate <= free;
        }

        /** The one-line refusal: the numbers and the options. */
        public String refusal() {
            StringBuilder b = new StringBuilder("not taking the snapshot: writing it needs about ")
                    .append(SnapshotCapture.mb(estimate)).append(" more memory in the target (")
                    .append(factorText()).append(" x its ")
                    .append(SnapshotCapture.mb(memory.heapUsed())).append(" heap, as measured), but ");
            Optional<CgroupMemory.Limit> c = figures.cgroup();
            long avail = figures.memAvailable();
            boolean cgroupBinds = c.isPresent() && (avail < 0 || c.get().free() <= avail);
            if (cgroupBinds) {
                CgroupMemory.Limit l = c.get();
                b.append("its cgroup ").append(l.dir()).append(" (v").append(l.version()).append(") leaves ")
                        .append(SnapshotCapture.mb(l.free())).append(" (limit ").append(SnapshotCapture.mb(l.limit()))
                        .append(", in use ").append(SnapshotCapture.mb(l.workingSet())).append(")");
            } else {
                b.append("the machine has ").append(SnapshotCapture.mb(avail)).append(" available");
            }
            b.append(" and the target's RSS is ").append(SnapshotCapture.mb(memory.rss()))
                    .append("; it would likely be killed for lack of memory mid-write. Options: --force to take it anyway;"
                            + " a sampling heap profile instead (`leakhound profile`, no snapshot); or more memory for the"
                            + " process (a higher limit), then try again");
            return b.toString();
        }
    }

    private Headroom() {}

    /** {@link #FACTOR} as text: "11", or "8.5". */
    public static String factorText() {
        return FACTOR == Math.rint(FACTOR) ? String.valueOf((long) FACTOR) : String.format(Locale.ROOT, "%.1f", FACTOR);
    }

    /** Extra bytes a snapshot of a heap of {@code heapUsed} bytes is expected to need while it is written. */
    public static long estimate(long heapUsed) {
        return (long) Math.ceil(heapUsed * FACTOR) + FIXED_MB * 1024 * 1024;
    }

    /** The check from figures already read. */
    public static Check assess(TargetMemory m, CgroupMemory.Figures f) {
        return new Check(m, estimate(m.heapUsed()), f);
    }

    /** Reads the target's figures (its memory, its cgroup, its machine) and checks them. */
    public static Check check(InspectorSession session, String root) {
        // process.memoryUsage() can throw (it reads the RSS from the system); V8's own figures then do
        Object v = session.evaluate("(() => { try { const m = process.memoryUsage();"
                + " return {heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss}; } catch (e) {"
                + " const h = (process.getBuiltinModule ? process.getBuiltinModule('v8') : require('v8')).getHeapStatistics();"
                + " return {heapUsed: h.used_heap_size, heapTotal: h.total_heap_size, rss: 0}; } })()");
        if (!(v instanceof JsonObj o)) {
            throw new LeakhoundException(session.label() + ": the target did not report its memory (process.memoryUsage())");
        }
        TargetMemory m = new TargetMemory(o.lng("heapUsed", 0), o.lng("heapTotal", 0), o.lng("rss", 0));
        return assess(m, CgroupMemory.read(inTarget(session, root), "/proc/self"));
    }

    /** Throws the one-line refusal (exit 2) unless the policy forces, or the snapshot fits. */
    public static void ensure(InspectorSession session, Policy policy) {
        if (policy.force()) {
            return;
        }
        Check c = check(session, policy.root());
        if (!c.fits()) {
            throw new LeakhoundException(c.refusal());
        }
    }

    /**
     * Files as the target reads them, all in one evaluation: its own /proc/self, its mount namespace's
     * /sys/fs/cgroup. {@code root} is prefixed to every path (empty in production).
     */
    public static CgroupMemory.FileSource inTarget(InspectorSession session, String root) {
        return paths -> {
            Object v = session.evaluate("((paths, root) => { const fs = process.getBuiltinModule ?"
                    + " process.getBuiltinModule('fs') : require('fs'); const o = {};"
                    + " for (const p of paths) { try { o[p] = fs.readFileSync(root + p, 'utf8'); } catch (e) { } }"
                    + " return o; })(" + Json.write(paths) + ", " + Json.write(root == null ? "" : root) + ")");
            Map<String, String> out = new LinkedHashMap<>();
            if (v instanceof JsonObj o) {
                for (Map.Entry<String, Object> e : o.map().entrySet()) {
                    if (e.getValue() instanceof String s) {
                        out.put(e.getKey(), s);
                    }
                }
            }
            return out;
        };
    }
}
