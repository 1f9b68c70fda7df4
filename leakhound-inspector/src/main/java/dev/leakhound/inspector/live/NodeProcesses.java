package dev.leakhound.inspector.live;

import dev.leakhound.core.system.CgroupMemory;
import dev.leakhound.inspector.cdp.InspectorEndpoint;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Node.js processes of this machine, from {@code /proc} alone (Linux): which processes are Node.js, their
 * command line, start time, memory ({@code /proc/PID/status}) and whether their inspector is open. Nothing is
 * sent to a process, except, for one started with a random inspector port ({@code --inspect=0}), an HTTP
 * {@code GET /json/list} to its own loopback listening sockets to tell which one is the inspector.
 */
public final class NodeProcesses {
    private NodeProcesses() {}

    /**
     * One process.
     *
     * @param pid       its id
     * @param argv      its command line
     * @param started   when it started, or null when unknown
     * @param status    the sizes of /proc/PID/status in bytes (VmRSS, RssAnon, RssFile, ...)
     * @param rollup    the sizes of /proc/PID/smaps_rollup in bytes (Pss, Private_Dirty, Swap...; empty before
     *                  Linux 4.14 or when unreadable)
     */
    public record Proc(long pid, List<String> argv, Instant started, Map<String, Long> status, Map<String, Long> rollup) {
        /** The resident size in bytes, -1 when unknown. */
        public long rss() {
            return status.getOrDefault("VmRSS", -1L);
        }

        /** The command line as one string (arguments joined by spaces). */
        public String command() {
            return String.join(" ", argv);
        }
    }

    /** Whether a process with this executable and argv is Node.js: the executable's or argv[0]'s name starts with "node". */
    public static boolean looksLikeNode(String exe, List<String> argv) {
        String exeName = exe == null ? "" : Path.of(exe).getFileName().toString();
        String arg0 = argv.isEmpty() || argv.get(0).isEmpty() ? "" : Path.of(argv.get(0)).getFileName().toString();
        return exeName.startsWith("node") || arg0.startsWith("node");
    }

    /** The pids of the Node.js processes leakhound can read, in pid order (this JVM left out). */
    public static List<Long> pids() {
        List<Long> out = new ArrayList<>();
        long me = ProcessHandle.current().pid();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : ds) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid != me && isNode(pid)) {
                    out.add(pid);
                }
            }
        } catch (IOException ignored) {
            // no /proc: no processes to list
        }
        out.sort(Long::compare);
        return out;
    }

    /** Whether {@code pid} is a Node.js process (false when it is gone or unreadable). */
    public static boolean isNode(long pid) {
        List<String> argv = ProcFs.commandLine(pid);
        if (argv.isEmpty()) {
            return false;   // a kernel thread, a zombie, or another user's process
        }
        return looksLikeNode(ProcFs.executable(pid), argv);
    }

    /** Reads one process; null when it is gone. */
    public static Proc read(long pid) {
        List<String> argv = ProcFs.commandLine(pid);
        if (argv.isEmpty()) {
            return null;
        }
        Instant started = ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).orElse(null);
        return new Proc(pid, argv, started, ProcFs.status(pid), ProcFs.smapsRollup(pid));
    }

    /**
     * Where the process's inspector listens, or null when it is not open: a loopback (or any-address) listening
     * socket of the process on the port its {@code --inspect}/{@code --inspect-port} (argv or NODE_OPTIONS) names,
     * 9229 by default; for port 0 (a random port), the loopback listening socket that answers {@code /json/list}.
     */
    public static InspectorAddress inspector(long pid) {
        InspectorEndpoint.HostPort expected = PidAttach.expectedInspectPort(pid);
        List<ProcFs.Listener> listening = ProcFs.listeningSocketsOf(pid);
        for (ProcFs.Listener l : listening) {
            if (expected.port() != 0 && l.port() == expected.port()) {
                return new InspectorAddress(reachable(l.address()), l.port());
            }
        }
        if (expected.port() == 0) {
            for (ProcFs.Listener l : listening) {
                InetAddress a = reachable(l.address());
                if (!a.isLoopbackAddress()) {
                    continue;
                }
                InspectorEndpoint ep = new InspectorEndpoint(InspectorEndpoint.sharedHttpClient(Duration.ofSeconds(1)), a,
                        l.port(), Duration.ofSeconds(1));
                List<InspectorEndpoint.TargetInfo> list = ep.probe();
                if (list != null && !list.isEmpty()) {
                    return new InspectorAddress(a, l.port());
                }
            }
        }
        return null;
    }

    /**
     * One line of {@code leakhound ps}.
     *
     * @param proc       the process at the second reading
     * @param rssBefore  its resident size at the first reading (-1 when unknown)
     * @param millis     time between the two readings (0: one reading, no trend)
     * @param inspector  where its inspector listens, or null
     * @param cgroup     its control group's memory
     */
    public record Surveyed(Proc proc, long rssBefore, long millis, InspectorAddress inspector,
                           java.util.Optional<CgroupMemory.Limit> cgroup) {
        /** Resident growth between the two readings (0 with one reading). */
        public long rssDelta() {
            return millis <= 0 || rssBefore < 0 || proc.rss() < 0 ? 0 : proc.rss() - rssBefore;
        }
    }

    /**
     * Reads every Node.js process twice, {@code interval} apart (once when it is zero), and tells where each one's
     * inspector listens and its container's memory limit. Processes that start or end in between are left out.
     */
    public static List<Surveyed> survey(Duration interval) throws InterruptedException {
        Map<Long, Long> before = new java.util.HashMap<>();
        List<Long> pids = pids();
        for (long pid : pids) {
            before.put(pid, ProcFs.status(pid).getOrDefault("VmRSS", -1L));
        }
        long t0 = System.nanoTime();
        if (!interval.isZero() && !pids.isEmpty()) {
            Thread.sleep(interval.toMillis());
        }
        long millis = interval.isZero() ? 0 : Math.max(1, (System.nanoTime() - t0) / 1_000_000);
        List<Surveyed> out = new ArrayList<>();
        for (long pid : pids) {
            Proc p = read(pid);
            if (p == null || p.status().isEmpty()) {
                continue;
            }
            out.add(new Surveyed(p, before.get(pid), millis, inspector(pid), CgroupMemory.of(CgroupMemory.local(java.nio.file.Path.of("/")), pid).cgroup()));
        }
        return out;
    }

    /** An inspector's address: {@code 127.0.0.1:9229}. */
    public record InspectorAddress(InetAddress address, int port) {
        @Override
        public String toString() {
            String h = address.getHostAddress();
            return (address instanceof Inet6Address ? "[" + h + "]" : h) + ":" + port;
        }

        /** Whether leakhound may connect without --allow-remote. */
        public boolean loopback() {
            return address.isLoopbackAddress();
        }
    }

    /** A wildcard listening address is reached through loopback. */
    private static InetAddress reachable(InetAddress a) {
        if (!a.isAnyLocalAddress()) {
            return a;
        }
        try {
            return a instanceof Inet6Address ? InetAddress.getByName("::1") : InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            return InetAddress.getLoopbackAddress();
        }
    }
}
