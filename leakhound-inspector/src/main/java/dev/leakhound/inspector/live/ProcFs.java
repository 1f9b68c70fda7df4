package dev.leakhound.inspector.live;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Linux /proc lookups used to find a process's inspector port: the socket inodes among its open file
 * descriptors ({@code /proc/PID/fd/N -> socket:[INODE]}) matched against the listening sockets of
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6} (state 0A = LISTEN). Every method returns an empty
 * answer instead of failing when /proc is missing or unreadable.
 */
public final class ProcFs {
    /** A listening TCP socket. */
    public record Listener(InetAddress address, int port, long inode) {}

    private static final Path PROC = Path.of("/proc");

    private ProcFs() {}

    public static boolean available() {
        return Files.isDirectory(PROC.resolve("self/fd"));
    }

    public static boolean exists(long pid) {
        return Files.isDirectory(PROC.resolve(Long.toString(pid)));
    }

    /** Inodes of the sockets the process holds open. */
    public static Set<Long> socketInodes(long pid) {
        Set<Long> out = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC.resolve(pid + "/fd"))) {
            for (Path fd : ds) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[") && link.endsWith("]")) {
                        out.add(Long.parseLong(link.substring(8, link.length() - 1)));
                    }
                } catch (IOException | NumberFormatException ignored) {
                    // the fd closed meanwhile, or is not a socket
                }
            }
        } catch (IOException ignored) {
            // no such process, or not ours to read
        }
        return out;
    }

    /** All listening TCP sockets of the machine (IPv4 and IPv6). */
    public static List<Listener> listeningSockets() {
        List<Listener> out = new ArrayList<>();
        for (String f : new String[] {"net/tcp", "net/tcp6"}) {
            try {
                out.addAll(parseNetTcp(Files.readAllLines(PROC.resolve(f), StandardCharsets.US_ASCII)));
            } catch (IOException ignored) {
                // no IPv6, or no /proc
            }
        }
        return out;
    }

    /** Listening TCP sockets held by one process. */
    public static List<Listener> listeningSocketsOf(long pid) {
        Set<Long> inodes = socketInodes(pid);
        List<Listener> out = new ArrayList<>();
        if (inodes.isEmpty()) {
            return out;
        }
        for (Listener l : listeningSockets()) {
            if (inodes.contains(l.inode())) {
                out.add(l);
            }
        }
        return out;
    }

    /** Parses the lines of /proc/net/tcp or tcp6 (header line included) into its LISTEN sockets. */
    static List<Listener> parseNetTcp(List<String> lines) {
        List<Listener> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
            if (f.length < 10 || !f[0].endsWith(":") || !"0A".equals(f[3])) {
                continue;
            }
            int colon = f[1].indexOf(':');
            if (colon < 0) {
                continue;
            }
            try {
                InetAddress a = decodeAddress(f[1].substring(0, colon));
                int port = Integer.parseInt(f[1].substring(colon + 1), 16);
                long inode = Long.parseLong(f[9]);
                out.add(new Listener(a, port, inode));
            } catch (NumberFormatException | UnknownHostException ignored) {
                // a line we do not understand
            }
        }
        return out;
    }

    /** The kernel prints each 32-bit word of the address in host byte order (little-endian on x86 and arm64). */
    static InetAddress decodeAddress(String hex) throws UnknownHostException {
        if (hex.length() != 8 && hex.length() != 32) {
            throw new UnknownHostException(hex);
        }
        byte[] b = new byte[hex.length() / 2];
        for (int w = 0; w < b.length / 4; w++) {
            for (int i = 0; i < 4; i++) {
                int pos = w * 8 + (3 - i) * 2;
                b[w * 4 + i] = (byte) Integer.parseInt(hex.substring(pos, pos + 2), 16);
            }
        }
        return InetAddress.getByAddress(b);
    }

    /** The process's argv (NUL-separated in /proc/PID/cmdline); empty when unreadable. */
    public static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(pid + "/cmdline"));
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    out.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < raw.length) {
                out.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The process's environment; empty when unreadable. */
    public static Map<String, String> environment(long pid) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(pid + "/environ"));
            int start = 0;
            for (int i = 0; i <= raw.length; i++) {
                if (i == raw.length || raw[i] == 0) {
                    if (i > start) {
                        String kv = new String(raw, start, i - start, StandardCharsets.UTF_8);
                        int eq = kv.indexOf('=');
                        if (eq > 0) {
                            out.put(kv.substring(0, eq), kv.substring(eq + 1));
                        }
                    }
                    start = i + 1;
                }
            }
        } catch (IOException ignored) {
            // not ours to read
        }
        return out;
    }

    /** The executable's path, or null. */
    public static String executable(long pid) {
        try {
            return Files.readSymbolicLink(PROC.resolve(pid + "/exe")).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The "kB" fields of {@code /proc/PID/status} (VmRSS, RssAnon, RssFile, RssShmem, VmData, VmSize, VmSwap...),
     * in bytes; empty when unreadable.
     */
    public static Map<String, Long> status(long pid) {
        return kbFields(PROC.resolve(pid + "/status"));
    }

    /**
     * The "kB" fields of {@code /proc/PID/smaps_rollup} (Rss, Pss, Anonymous, Private_Dirty, Shared_Clean, Swap...),
     * in bytes: the process's mappings summed by the kernel (Linux 4.14+); empty when missing or unreadable.
     */
    public static Map<String, Long> smapsRollup(long pid) {
        return kbFields(PROC.resolve(pid + "/smaps_rollup"));
    }

    /** Lines {@code Name:   1234 kB} of a /proc file, as bytes by name. */
    static Map<String, Long> kbFields(Path file) {
        try {
            return parseKb(Files.readAllLines(file, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    static Map<String, Long> parseKb(List<String> lines) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0 || !line.endsWith(" kB")) {
                continue;
            }
            String v = line.substring(colon + 1, line.length() - 3).trim();
            try {
                out.put(line.substring(0, colon).trim(), Long.parseLong(v) * 1024);
            } catch (NumberFormatException ignored) {
                // not a size
            }
        }
        return out;
    }
}
