package dev.leakhound.inspector.live;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.InspectorEndpoint;
import dev.leakhound.inspector.cdp.InspectorEndpoint.HostPort;
import dev.leakhound.inspector.cdp.InspectorEndpoint.TargetInfo;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reaches a running Node.js process by its pid (Linux): if its inspector is not open yet, sends it SIGUSR1
 * (which makes Node open it), then finds the port among the process's listening sockets ({@code /proc/PID/fd}
 * matched against {@code /proc/net/tcp{,6}}) and attaches. Where the inspector will listen is read from the
 * process's {@code --inspect-port}/{@code --debug-port} (in argv or NODE_OPTIONS), to recognise a port another
 * process holds. An inspector opened here is closed again when the target is closed; one that was already
 * open is left as it was. A process that does not look like Node.js is not signalled: SIGUSR1 ends most other
 * programs.
 */
final class PidAttach {
    private PidAttach() {}

    static Target attach(long pid, Target.Options o) {
        if (!ProcFs.available()) {
            throw new LeakhoundException("--pid needs Linux /proc; run `kill -USR1 " + pid + "` yourself and use --inspect 127.0.0.1:9229");
        }
        if (pid <= 0 || !ProcFs.exists(pid)) {
            throw new LeakhoundException("no process with pid " + pid);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new LeakhoundException("pid " + pid + " is leakhound itself");
        }
        checkLooksLikeNode(pid);
        Found found = findInspector(pid, o);
        boolean openedByUs = false;
        if (found != null) {
            o.notices().accept("process " + pid + " already has its inspector open on " + found.ep.label()
                    + "; leakhound will leave it open");
        } else {
            HostPort expected = expectedInspectPort(pid);
            o.notices().accept("turning on the inspector of process " + pid + " with SIGUSR1 (it listens on "
                    + (expected.port() == 0 ? expected.host() + ":<random port>" : expected)
                    + " until leakhound closes it again)");
            signalUsr1(pid);
            openedByUs = true;
            found = awaitInspector(pid, expected, o);
        }
        Target t = Target.connect(Target.Kind.PID, found.ep, found.info, o, null, null, openedByUs);
        if (t.pid() != pid) {
            long other = t.pid();
            t.close();
            throw new LeakhoundException("the inspector found for pid " + pid + " belongs to process " + other);
        }
        return t;
    }

    private record Found(InspectorEndpoint ep, TargetInfo info) {}

    /** Looks, every 50 ms, for the inspector the process opens on SIGUSR1, until found or the start timeout. */
    private static Found awaitInspector(long pid, HostPort expected, Target.Options o) {
        long deadline = System.nanoTime() + o.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!ProcFs.exists(pid)) {
                throw new LeakhoundException("process " + pid + " exited after SIGUSR1 (it does not handle it: not Node.js?)");
            }
            Found found = findInspector(pid, o);
            if (found != null) {
                return found;
            }
            if (expected.port() != 0 && portBusyElsewhere(pid, expected.port())) {
                throw new LeakhoundException("process " + pid + " could not open its inspector: port " + expected.port()
                        + " is already in use by another process (node reports 'address already in use' on its"
                        + " own stderr); free the port, or start the target with --inspect-port=0");
            }
            sleep(50);
        }
        throw new LeakhoundException("process " + pid + " opened no inspector within " + o.startTimeout().toSeconds()
                + " s of SIGUSR1 (started with --disable-sigusr1, or its inspector bound to a non-loopback address?)");
    }

    private static Found findInspector(long pid, Target.Options o) {
        for (ProcFs.Listener l : ProcFs.listeningSocketsOf(pid)) {
            InetAddress a = l.address();
            if (a.isAnyLocalAddress()) {
                a = a instanceof Inet6Address ? InetAddress.getLoopbackAddress() : loopback4();
            }
            if (!a.isLoopbackAddress() && !o.allowRemote()) {
                continue;
            }
            InspectorEndpoint ep = new InspectorEndpoint(o.http(), a, l.port(), Duration.ofSeconds(2));
            List<TargetInfo> list = ep.probe();
            if (list != null && !list.isEmpty()) {
                return new Found(ep, list.get(0));
            }
        }
        return null;
    }

    private static InetAddress loopback4() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkLooksLikeNode(long pid) {
        String exe = ProcFs.executable(pid);
        List<String> argv = ProcFs.commandLine(pid);
        String exeName = exe == null ? "" : Path.of(exe).getFileName().toString();
        String arg0 = argv.isEmpty() ? "" : Path.of(argv.get(0)).getFileName().toString();
        if (NodeProcesses.looksLikeNode(exe, argv)) {
            return;
        }
        if (exe == null && argv.isEmpty()) {
            throw new LeakhoundException("cannot read /proc/" + pid + " (a process of another user?)");
        }
        throw new LeakhoundException("process " + pid + " (" + (exeName.isEmpty() ? arg0 : exeName)
                + ") does not look like Node.js; leakhound will not send it SIGUSR1, which ends most other programs");
    }

    /** Where SIGUSR1 will make the process listen: --inspect-port / --debug-port in argv or NODE_OPTIONS, else 127.0.0.1:9229. */
    static HostPort expectedInspectPort(long pid) {
        List<String> args = new ArrayList<>(ProcFs.commandLine(pid));
        String nodeOptions = ProcFs.environment(pid).get("NODE_OPTIONS");
        if (nodeOptions != null) {
            args.addAll(0, List.of(nodeOptions.trim().split("\\s+")));
        }
        return parseInspectPort(args);
    }

    static HostPort parseInspectPort(List<String> args) {
        String value = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            for (String flag : new String[] {"--inspect-port", "--debug-port", "--inspect", "--inspect-brk", "--inspect-wait"}) {
                if (a.startsWith(flag + "=")) {
                    value = a.substring(flag.length() + 1);
                } else if (a.equals(flag) && (flag.equals("--inspect-port") || flag.equals("--debug-port")) && i + 1 < args.size()) {
                    value = args.get(i + 1);
                }
            }
        }
        if (value == null) {
            return new HostPort("127.0.0.1", HostPort.DEFAULT_PORT);
        }
        String host = "127.0.0.1";
        String port = value;
        int c = value.lastIndexOf(':');
        if (c >= 0) {
            host = value.substring(0, c).replace("[", "").replace("]", "");
            port = value.substring(c + 1);
        } else if (!value.chars().allMatch(Character::isDigit)) {
            return new HostPort(value, HostPort.DEFAULT_PORT);
        }
        try {
            return new HostPort(host.isEmpty() ? "127.0.0.1" : host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            return new HostPort("127.0.0.1", HostPort.DEFAULT_PORT);
        }
    }

    /**
     * Whether another process listens on {@code port}. The machine's listening sockets are read before the
     * process's own: a socket the process opens in between is then missing from the first list, never
     * mistaken for another process's.
     */
    private static boolean portBusyElsewhere(long pid, int port) {
        List<ProcFs.Listener> listening = ProcFs.listeningSockets();
        Set<Long> mine = ProcFs.socketInodes(pid);
        for (ProcFs.Listener l : listening) {
            if (l.port() == port && !mine.contains(l.inode())) {
                return true;
            }
        }
        return false;
    }

    private static void signalUsr1(long pid) {
        try {
            Process k = new ProcessBuilder("kill", "-USR1", Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!k.waitFor(5, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new LeakhoundException("could not send SIGUSR1 to process " + pid + (out.isEmpty() ? "" : ": " + out));
            }
        } catch (IOException e) {
            throw new LeakhoundException("could not run kill to signal process " + pid + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeakhoundException("interrupted while signalling process " + pid);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeakhoundException("interrupted");
        }
    }
}
