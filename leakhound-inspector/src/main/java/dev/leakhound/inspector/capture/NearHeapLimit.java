package dev.leakhound.inspector.capture;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.InspectorSession;
import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.core.system.CgroupMemory;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code leakhound arm}: makes a running process write a heap snapshot when its heap nears its limit,
 * without a restart, by calling {@code v8.setHeapSnapshotNearHeapLimit(count)} in it over the inspector.
 *
 * <p>Facts checked on node v20.20.2 (and in Node's lib/v8.js):
 * <ul>
 *   <li>the function exists from Node 18.10.0 and 16.18.0; older processes are refused, with the start-up
 *       flag to use instead;</li>
 *   <li>it does nothing when the process was started with {@code --heapsnapshot-near-heap-limit}, nor on a
 *       second call: the first call's count stays for the life of the process;</li>
 *   <li>the snapshot goes to {@code --diagnostic-dir} (a start-up flag, so it cannot be changed in a running
 *       process) or else to the working directory <em>at the time it is written</em>, named
 *       {@code Heap.YYYYMMDD.HHMMSS.PID.TID.SEQ.heapsnapshot}, mode 0600; Node prints
 *       {@code Wrote snapshot to ...} on its stderr;</li>
 *   <li>when that folder does not exist Node still prints "Wrote snapshot to" and writes nothing: the folder
 *       is checked (exists, writable by the process) before arming.</li>
 * </ul>
 * The process stays armed after leakhound disconnects, until it exits.
 */
public final class NearHeapLimit {
    /** Marks a process leakhound armed (a global symbol: seen by a later {@code arm}). */
    static final String MARK = "process[Symbol.for('leakhound.arm')]";

    /**
     * A snapshot file is up to this many times the heapUsed it describes (bench/capture/RESULTS.md: 1.4 to
     * 1.6 for small objects, 2.0 to 2.1 for concatenated strings, 0.3 for large flat strings).
     */
    public static final double FILE_FACTOR = 2.1;

    /** What {@link #arm} found and did. */
    public enum Outcome {
        /** leakhound armed the process now */
        ARMED,
        /** leakhound had armed it before, with the same count */
        ALREADY_ARMED,
        /** the process was started with --heapsnapshot-near-heap-limit: Node's own setting applies */
        SET_AT_START
    }

    /**
     * @param outcome      what happened
     * @param count        snapshots the process will write (the count in force)
     * @param folder       absolute folder they will be written to, as the process resolves it now
     * @param fromFlag     true when {@code folder} comes from --diagnostic-dir, false for the working directory
     * @param pid          the process's pid
     * @param heapUsed     bytes now
     * @param rss          the process's resident memory now
     * @param heapLimit    V8's heap_size_limit: where the snapshot is triggered
     * @param diskFree     free bytes on the folder's file system, or -1 when unknown (Node before 18.15)
     * @param memory       the process's cgroup limit and the machine's available memory, as it sees them
     */
    public record Armed(Outcome outcome, int count, String folder, boolean fromFlag, long pid, String nodeVersion,
                        long heapUsed, long rss, long heapLimit, long diskFree, CgroupMemory.Figures memory) {
        /** The file name pattern: Heap.&lt;date&gt;.&lt;time&gt;.PID.0.&lt;seq&gt;.heapsnapshot (main thread). */
        public String filePattern() {
            return "Heap.<date>.<time>." + pid + ".0.<seq>.heapsnapshot";
        }

        /** Expected size of one snapshot file, taken near the heap limit. */
        public long fileEstimate() {
            return (long) (heapLimit * FILE_FACTOR);
        }

        /** Extra memory the process is expected to need while writing it ({@link Headroom#estimate}). */
        public long memoryEstimate() {
            return Headroom.estimate(heapLimit);
        }

        /**
         * Room left when the snapshot fires, if known: what is free now minus what the heap may still grow
         * by until its limit; -1 when unknown.
         */
        public long roomAtLimit() {
            long free = memory.free();
            return free < 0 ? -1 : free - Math.max(0, heapLimit - heapUsed);
        }

        /**
         * True when the cgroup limit is below what the process may reach before V8 nears its heap limit (the
         * heap limit plus what it holds outside the heap now): the kernel kills it first, and no snapshot is written.
         */
        public boolean cgroupBelowHeapLimit() {
            return memory.cgroup().map(l -> l.limit() < heapLimit + Math.max(0, rss - heapUsed)).orElse(false);
        }

        /**
         * The --max-old-space-size (MiB) under which the heap, what the process holds outside it and the
         * snapshot's extra memory ({@link Headroom#estimate}) all fit in the cgroup limit; -1 without a limit
         * or when even a tiny heap would not fit.
         */
        public long suggestedMaxOldSpaceMb() {
            return memory.cgroup().map(l -> {
                long room = l.limit() - Math.max(0, rss - heapUsed) - Headroom.FIXED_MB * 1024 * 1024;
                long mb = (long) (room / (1 + Headroom.FACTOR)) / (1024 * 1024);
                return mb >= 16 ? mb : -1L;
            }).orElse(-1L);
        }
    }

    /** The target's state as read before arming. */
    record Facts(String version, long pid, String cwd, List<String> execArgv, String nodeOptions, boolean supported,
                 long heapUsed, long rss, long heapLimit, int armedCount) {}

    private NearHeapLimit() {}

    /**
     * Arms the target.
     *
     * @param count snapshots to write (1 or more)
     * @param dir   the folder the user asks for, or null: checked against the one Node will use
     * @param root  prefix for the target's /proc and /sys/fs/cgroup reads ("" in production)
     */
    public static Armed arm(InspectorSession session, int count, String dir, String root) {
        if (count < 1) {
            throw new LeakhoundException("--count must be 1 or more (got " + count + ")");
        }
        Facts f = facts(session);
        if (!f.supported()) {
            throw new LeakhoundException(unsupported(f.version(), f.pid()));
        }
        int flagCount = flagCount(f.execArgv(), f.nodeOptions());
        String diagnosticDir = option(f.execArgv(), f.nodeOptions(), "--diagnostic-dir");
        JsonObj where = folder(session, diagnosticDir, dir);
        String folder = where.str("folder");
        if (dir != null && !where.bool("same")) {
            throw new LeakhoundException("cannot write the snapshots to " + dir + ": Node writes them to "
                    + (diagnosticDir != null ? "its --diagnostic-dir" : "the working directory of the process")
                    + ", and --diagnostic-dir is a start-up flag that a running process cannot change; pid " + f.pid()
                    + " will write them to " + folder + " (run `leakhound arm` without --dir to arm it there, or restart"
                    + " it with --diagnostic-dir=" + dir + ")");
        }
        String problem = where.str("problem");
        if (problem != null) {
            throw new LeakhoundException("not arming pid " + f.pid() + ": its snapshots would go to " + folder + ", which "
                    + problem + " (Node would report \"Wrote snapshot\" and write nothing there)");
        }
        CgroupMemory.Figures memory = CgroupMemory.read(Headroom.inTarget(session, root), "/proc/self");
        Outcome outcome;
        int inForce;
        if (flagCount > 0) {
            outcome = Outcome.SET_AT_START;
            inForce = flagCount;
        } else if (f.armedCount() > 0) {
            if (f.armedCount() != count) {
                throw new LeakhoundException("pid " + f.pid() + " is already armed by leakhound for " + f.armedCount()
                        + " snapshot(s); Node accepts the setting once per process, so it cannot be changed to " + count);
            }
            outcome = Outcome.ALREADY_ARMED;
            inForce = count;
        } else {
            session.evaluate("(() => { const v8 = process.getBuiltinModule ? process.getBuiltinModule('v8') : require('v8');"
                    + " v8.setHeapSnapshotNearHeapLimit(" + count + "); " + MARK + " = {count: " + count
                    + ", at: Date.now()}; return true; })()");
            outcome = Outcome.ARMED;
            inForce = count;
        }
        return new Armed(outcome, inForce, folder, diagnosticDir != null, f.pid(), f.version(), f.heapUsed(), f.rss(), f.heapLimit(),
                where.lng("diskFree", -1), memory);
    }

    /** "node v16.10.0 (pid 42) cannot be armed at run time: ..." */
    static String unsupported(String version, long pid) {
        return "node " + version + " (pid " + pid + ") cannot be armed at run time: v8.setHeapSnapshotNearHeapLimit came in"
                + " Node 18.10.0 and 16.18.0; start the process with --heapsnapshot-near-heap-limit=N instead (a flag of Node 14.18 and 15.1 on)";
    }

    private static Facts facts(InspectorSession session) {
        Object v = session.evaluate("(() => { const v8 = process.getBuiltinModule ? process.getBuiltinModule('v8') : require('v8');"
                + " const h = v8.getHeapStatistics(); const mark = " + MARK + ";"
                + " return {version: process.version, pid: process.pid, cwd: process.cwd(), execArgv: process.execArgv,"
                + " nodeOptions: process.env.NODE_OPTIONS || '', supported: typeof v8.setHeapSnapshotNearHeapLimit === 'function',"
                + " heapUsed: h.used_heap_size, rss: process.memoryUsage.rss ? process.memoryUsage.rss() : process.memoryUsage().rss,"
                + " heapLimit: h.heap_size_limit, armed: mark ? mark.count : 0}; })()");
        if (!(v instanceof JsonObj o)) {
            throw new LeakhoundException(session.label() + ": the target did not describe itself (is it Node.js?)");
        }
        List<String> argv = new ArrayList<>();
        List<Object> a = o.arr("execArgv");
        if (a != null) {
            for (Object x : a) {
                argv.add(String.valueOf(x));
            }
        }
        return new Facts(o.str("version"), o.lng("pid", -1), o.str("cwd"), argv, o.str("nodeOptions"), o.bool("supported"),
                o.lng("heapUsed", 0), o.lng("rss", 0), o.lng("heapLimit", 0), (int) o.lng("armed", 0));
    }

    /**
     * The folder the process will write to, resolved by the process itself (path.resolve, against its working
     * directory now), whether it is usable, its free space, and whether {@code wanted} names the same folder.
     */
    private static JsonObj folder(InspectorSession session, String diagnosticDir, String wanted) {
        Object v = session.evaluate("((dir, wanted) => { const fs = process.getBuiltinModule ? process.getBuiltinModule('fs')"
                + " : require('fs'); const path = process.getBuiltinModule ? process.getBuiltinModule('path') : require('path');"
                + " const folder = path.resolve(dir || '.'); const o = {folder, same: wanted !== null && (path.resolve(wanted) === folder"
                + " || (() => { try { return fs.realpathSync(wanted) === fs.realpathSync(folder); } catch (e) { return false; } })())};"
                + " try { if (!fs.statSync(folder).isDirectory()) { o.problem = 'is not a directory'; }"
                + " else { fs.accessSync(folder, fs.constants.W_OK); } }"
                + " catch (e) { o.problem = e.code === 'ENOENT' ? 'does not exist' : 'is not writable by the process (' + e.code + ')'; }"
                + " try { if (!o.problem && fs.statfsSync) { const s = fs.statfsSync(folder); o.diskFree = s.bavail * s.bsize; } }"
                + " catch (e) { } return o; })(" + Json.write(diagnosticDir) + ", " + Json.write(wanted) + ")");
        if (!(v instanceof JsonObj o) || o.str("folder") == null) {
            throw new LeakhoundException(session.label() + ": the target did not say where it would write snapshots");
        }
        return o;
    }

    /** The value of --heapsnapshot-near-heap-limit given at start-up (execArgv or NODE_OPTIONS), 0 when absent. */
    static int flagCount(List<String> execArgv, String nodeOptions) {
        String v = option(execArgv, nodeOptions, "--heapsnapshot-near-heap-limit");
        if (v == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * A start-up option's value, as {@code --name=value} or {@code --name value}, from execArgv (which wins: the
     * command line is read after NODE_OPTIONS) or NODE_OPTIONS (space-separated, quotes allowed); null when absent.
     */
    static String option(List<String> execArgv, String nodeOptions, String name) {
        String v = lastValue(execArgv, name);
        return v != null ? v : lastValue(splitNodeOptions(nodeOptions), name);
    }

    /** Whether a start-up flag without a value ({@code --name}) is given in execArgv or NODE_OPTIONS. */
    static boolean hasFlag(List<String> execArgv, String nodeOptions, String name) {
        for (List<String> args : List.of(execArgv, splitNodeOptions(nodeOptions))) {
            for (String a : args) {
                if (a.replace('_', '-').equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String lastValue(List<String> args, String name) {
        String found = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            // Node accepts underscores for dashes in option names
            String n = a.replace('_', '-');
            if (n.startsWith(name + "=")) {
                found = a.substring(name.length() + 1);
            } else if (n.equals(name) && i + 1 < args.size()) {
                found = args.get(++i);
            }
        }
        return found;
    }

    /** NODE_OPTIONS split as Node does: on spaces, double quotes group, backslash escapes inside quotes. */
    static List<String> splitNodeOptions(String s) {
        List<String> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                }
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
            }
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
