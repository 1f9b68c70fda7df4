package dev.leakhound.inspector.watch;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.live.NodeProcesses;
import dev.leakhound.inspector.live.ProcFs;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.metrics.Exposition;
import dev.leakhound.inspector.metrics.PromMetrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

/**
 * {@code watch --all} and {@code watch --pid A --pid B}: follows several Node.js processes at once, as a host agent
 * does. Every interval it scans {@code /proc} (with {@code all}: every Node.js process, including ones started
 * since; else the pids named) and reads each one's {@code /proc/PID/status}. A process named with {@code --pid} is
 * attached as {@code watch --pid} attaches (SIGUSR1 if its inspector is closed); with {@code all}, a process whose
 * inspector is already open on a loopback address is attached, and no other process is signalled. Each attached
 * process has its own {@link Watcher} on its own thread, with its own {@link PromMetrics}. A process that exits (or
 * whose pid is reused) is dropped with its thread, connection and series.
 */
public final class Fleet implements AutoCloseable {
    /**
     * @param interval time between scans (and the watchers' polls)
     * @param all      follow every Node.js process of the machine
     * @param match    with {@code all}: only the processes whose command line this finds (null: every one)
     * @param pids     processes named with --pid (attached even when their inspector is closed)
     * @param duration stop after this long (null: until {@link #stop()})
     * @param watch    the attached processes' watch settings
     * @param target   how to reach a process (timeouts, allow-remote); its notices are replaced per process
     */
    public record Config(Duration interval, boolean all, Pattern match, List<Long> pids, Duration duration,
                         Watcher.Config watch, Target.Options target) {
        public Config {
            pids = List.copyOf(pids);
        }
    }

    /** What the fleet reports; called on the scanning thread, or on a member's watching thread. */
    public interface Listener {
        void appeared(Member m);

        /** A member's /proc/PID/status, read at each scan. */
        void proc(Member m, Map<String, Long> status);

        void attached(Member m, Target t);

        void sample(Member m, Sample s);

        void leak(Member m, Memwatch.Leak l);

        /** Something about member {@code m} (null: about the fleet) the user should know. */
        void notice(Member m, String message);

        /** The process exited (or its pid now belongs to another process): it is dropped with its series. */
        void exited(Member m);
    }

    /** One process followed. */
    public static final class Member {
        private final long pid;
        private final String command;
        private final Instant started;
        private final boolean named;
        private final PromMetrics metrics = new PromMetrics();
        private volatile Map<String, Long> status = Map.of();
        private volatile Thread thread;
        private volatile Watcher watcher;
        private volatile Target target;
        private volatile boolean removed;
        private volatile boolean sampled;

        Member(long pid, String command, Instant started, boolean named) {
            this.pid = pid;
            this.command = command;
            this.started = started;
            this.named = named;
        }

        public long pid() {
            return pid;
        }

        /** The command line, cut to {@value #MAX_COMMAND} characters (a Prometheus label value). */
        public String command() {
            return command;
        }

        public Instant started() {
            return started;
        }

        /** Named with --pid. */
        public boolean named() {
            return named;
        }

        /** Whether leakhound is attached to its inspector. */
        public boolean attached() {
            return target != null && !removed;
        }

        public Map<String, Long> status() {
            return status;
        }

        /** The watcher's thread, while there is one. */
        public Thread thread() {
            return thread;
        }
    }

    static final int MAX_COMMAND = 200;

    private final Config config;
    private final Listener listener;
    private final ConcurrentSkipListMap<Long, Member> members = new ConcurrentSkipListMap<>();
    private final Set<Long> tried = new LinkedHashSet<>();   // --all: processes whose inspector was tried once
    private final Object signalLock = new Object();
    private volatile boolean stopRequested;

    public Fleet(Config config, Listener listener) {
        this.config = config;
        this.listener = listener;
    }

    public void stop() {
        stopRequested = true;
    }

    /** The members now, by pid. */
    public List<Member> members() {
        return List.copyOf(members.values());
    }

    /** Scans every interval until stopped or the duration has passed; then drops every member. Returns why it ended. */
    public String run() {
        long start = System.nanoTime();
        try {
            while (true) {
                if (stopRequested) {
                    return "stopped";
                }
                if (config.duration() != null && System.nanoTime() - start >= config.duration().toNanos()) {
                    return "watched for " + config.duration().toSeconds() + " s";
                }
                if (!config.all() && !config.pids().isEmpty() && members.isEmpty() && scannedOnce
                        && config.pids().stream().noneMatch(ProcFs::exists)) {
                    return "every process named with --pid exited";
                }
                scan();
                long next = System.nanoTime() + config.interval().toNanos();
                while (!stopRequested && System.nanoTime() < next) {
                    try {
                        Thread.sleep(Math.max(1, Math.min(100, (next - System.nanoTime()) / 1_000_000)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return "interrupted";
                    }
                }
            }
        } finally {
            close();
        }
    }

    private volatile boolean scannedOnce;

    /** One scan: new processes in, gone ones out, /proc figures of the others. */
    void scan() {
        Set<Long> want = new LinkedHashSet<>();
        if (config.all()) {
            for (long p : NodeProcesses.pids()) {
                if (config.match() == null || config.match().matcher(String.join(" ", ProcFs.commandLine(p))).find()) {
                    want.add(p);
                }
            }
        }
        for (long p : config.pids()) {
            if (ProcFs.exists(p)) {
                want.add(p);
            }
        }
        for (Member m : members.values()) {
            Instant now = m.started == null ? null
                    : ProcessHandle.of(m.pid).flatMap(h -> h.info().startInstant()).orElse(null);
            if (!want.contains(m.pid) || !ProcFs.exists(m.pid) || !Objects.equals(now, m.started)) {
                remove(m, true);
            }
        }
        for (long pid : want) {
            if (members.containsKey(pid)) {
                continue;
            }
            NodeProcesses.Proc p = NodeProcesses.read(pid);
            if (p == null) {
                continue;
            }
            String cmd = p.command();
            Member m = new Member(pid, cmd.length() > MAX_COMMAND ? cmd.substring(0, MAX_COMMAND - 1) + "…" : cmd, p.started(),
                    config.pids().contains(pid));
            m.status = p.status();
            members.put(pid, m);
            listener.appeared(m);
        }
        for (Member m : members.values()) {
            Map<String, Long> st = ProcFs.status(m.pid);
            if (st.isEmpty()) {
                continue;   // exited just now: dropped at the next scan
            }
            m.status = st;
            listener.proc(m, st);
            if (m.thread == null) {
                if (m.named) {
                    startWatcher(m, null);
                } else if (!tried.contains(m.pid)) {
                    NodeProcesses.InspectorAddress a = NodeProcesses.inspector(m.pid);
                    if (a != null && (a.loopback() || config.target().allowRemote())) {
                        tried.add(m.pid);
                        startWatcher(m, a);
                    }
                }
            }
        }
        tried.retainAll(members.keySet());
        scannedOnce = true;
    }

    /** Attaches to the member's inspector (through SIGUSR1 for a named one, {@code at} otherwise) and watches it. */
    private void startWatcher(Member m, NodeProcesses.InspectorAddress at) {
        Thread t = new Thread(() -> watch(m, at), "leakhound-fleet-" + m.pid);
        t.setDaemon(true);
        m.thread = t;
        t.start();
    }

    private void watch(Member m, NodeProcesses.InspectorAddress at) {
        Target.Options o = config.target().withNotices(s -> listener.notice(m, s));
        Target t;
        try {
            if (at == null) {
                // one SIGUSR1 at a time: two processes opening their inspector at once race for the same port
                synchronized (signalLock) {
                    t = m.removed ? null : Target.attachPid(m.pid, o);
                }
                if (t == null) {
                    return;
                }
            } else {
                t = Target.attach(at.toString(), o);
            }
        } catch (LeakhoundException e) {
            if (!m.removed) {
                listener.notice(m, "not attached: " + e.getMessage() + "; /proc figures only");
            }
            return;
        }
        try {
            if (m.removed) {
                return;
            }
            m.target = t;
            m.metrics.setNodeVersion(t.nodeVersion());
            listener.attached(m, t);
            Watcher w = new Watcher(t, config.watch(), new Watcher.Listener() {
                @Override
                public void onSample(Sample s) {
                    m.sampled = true;
                    listener.sample(m, s);
                }

                @Override
                public void onStats(Memwatch.Stats stats) {
                    // in the metrics
                }

                @Override
                public void onLeak(Memwatch.Leak leak) {
                    listener.leak(m, leak);
                }

                @Override
                public void onSnapshot(SnapshotResult result) {
                    // fleet watches take no snapshots
                }

                @Override
                public void onNotice(String message) {
                    listener.notice(m, message);
                }
            }, m.metrics);
            m.watcher = w;
            if (m.removed) {
                return;
            }
            w.run();
        } catch (LeakhoundException e) {
            if (!m.removed) {
                listener.notice(m, "watch ended: " + e.getMessage());
            }
        } finally {
            m.target = null;
            t.close();
        }
    }

    private void remove(Member m, boolean gone) {
        if (members.remove(m.pid, m)) {
            m.removed = true;
            Watcher w = m.watcher;
            if (w != null) {
                w.stop();
            }
            join(m);
            if (gone) {
                listener.exited(m);
            }
        }
    }

    private static void join(Member m) {
        Thread t = m.thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        m.thread = null;
    }

    /** Drops every member: their watchers stop, their recorders are removed, inspectors opened here are closed. */
    @Override
    public void close() {
        stopRequested = true;
        for (Member m : members.values()) {
            remove(m, false);
        }
    }

    /**
     * The Prometheus exposition of every member: /proc figures for all, heap and GC figures for attached ones,
     * each series labelled with {@code pid} and {@code command}; {@code leakhound_watch_processes} counts them.
     */
    public String render() {
        Exposition e = new Exposition();
        List<Member> ms = new ArrayList<>(members.values());
        e.gauge("leakhound_watch_processes", "Node.js processes followed by leakhound watch.", "", ms.size());
        for (Member m : ms) {
            String labels = Exposition.label("pid", Long.toString(m.pid)) + "," + Exposition.label("command", m.command);
            PromMetrics.processGauges(e, labels, m.status, -1, m.started == null ? -1 : m.started.getEpochSecond());
            e.gauge("leakhound_process_inspector_attached", "1 when leakhound reads the process's heap and GCs through its inspector.",
                    labels, m.attached() && m.sampled ? 1 : 0);
        }
        for (Member m : ms) {
            if (m.attached() && m.sampled) {
                String labels = Exposition.label("pid", Long.toString(m.pid)) + "," + Exposition.label("command", m.command);
                m.metrics.renderInto(e, labels, false);
            }
        }
        return e.text();
    }
}
