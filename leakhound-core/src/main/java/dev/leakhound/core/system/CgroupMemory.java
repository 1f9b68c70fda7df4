package dev.leakhound.core.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The memory a process may still use: the limit of its memory cgroup (v2 {@code memory.max} and
 * {@code memory.current}, v1 {@code memory.limit_in_bytes} and {@code memory.usage_in_bytes}), found through
 * {@code /proc/self/cgroup} and {@code /proc/self/mountinfo}, and the machine's {@code MemAvailable}.
 *
 * <p>Every level from the process's cgroup up to the root of the hierarchy is read: a parent's limit binds
 * its children (a pod's limit over its container's), and the tightest one is kept. Usage counts the
 * reclaimable page cache ({@code inactive_file} of {@code memory.stat}) as free, as {@code docker stats} does.
 *
 * <p>The files are read through a {@link FileSource}: in production the target process reads its own
 * (so the answer is the target's view also when it runs in a container reached through a port-forward);
 * tests give a fake tree in a temporary folder. Anything missing reads as "unknown", never as an error.
 */
public final class CgroupMemory {
    /** v1 writes a huge number (a page-rounded LONG_MAX) for "no limit"; anything from 2^60 on is treated so. */
    static final long V1_UNLIMITED = 1L << 60;

    /** Reads files by absolute path; a missing or unreadable file is absent from the answer. */
    public interface FileSource {
        Map<String, String> read(List<String> paths);
    }

    /** Files under {@code root} (the real "/" in production, a temporary folder in tests). */
    public static FileSource local(Path root) {
        return paths -> {
            Map<String, String> out = new LinkedHashMap<>();
            for (String p : paths) {
                try {
                    out.put(p, Files.readString(root.resolve(p.substring(1)), StandardCharsets.UTF_8));
                } catch (IOException | RuntimeException ignored) {
                    // absent: unknown
                }
            }
            return out;
        };
    }

    /**
     * The cgroup level whose limit leaves the least room.
     *
     * @param version      1 or 2
     * @param dir          the cgroup's folder as the reader sees it (e.g. /sys/fs/cgroup/kubepods/pod1)
     * @param limit        bytes
     * @param usage        bytes charged to the cgroup, page cache included
     * @param inactiveFile reclaimable page cache in {@code usage} (0 when unknown)
     */
    public record Limit(int version, String dir, long limit, long usage, long inactiveFile) {
        /** Usage without the reclaimable page cache. */
        public long workingSet() {
            return Math.max(0, usage - inactiveFile);
        }

        /** How much more the cgroup may use before its limit. */
        public long free() {
            return Math.max(0, limit - workingSet());
        }
    }

    /**
     * @param cgroup       the binding cgroup limit, if any
     * @param memAvailable the machine's MemAvailable in bytes, or -1 when unknown
     */
    public record Figures(Optional<Limit> cgroup, long memAvailable) {
        /** The room left before either limit, or -1 when neither is known. */
        public long free() {
            long c = cgroup.map(Limit::free).orElse(-1L);
            if (c < 0) {
                return memAvailable;
            }
            return memAvailable < 0 ? c : Math.min(c, memAvailable);
        }
    }

    private record Mount(String root, String point, String fsType, String superOptions) {}

    private CgroupMemory() {}

    /** Reads the figures of the process whose /proc entry is {@code procDir} ("/proc/self" for the reader itself). */
    public static Figures read(FileSource files, String procDir) {
        return read(files, procDir + "/cgroup", procDir + "/mountinfo");
    }

    /**
     * The figures of process {@code pid} seen from this process (leakhound's own mount table, the process's
     * cgroup), as {@code leakhound ps} lists processes on this machine.
     */
    public static Figures of(FileSource files, long pid) {
        return read(files, "/proc/" + pid + "/cgroup", "/proc/self/mountinfo");
    }

    private static Figures read(FileSource files, String cgroupFile, String mountFile) {
        Map<String, String> first = files.read(List.of(cgroupFile, mountFile, "/proc/meminfo"));
        long available = memAvailable(first.get("/proc/meminfo"));
        String cgroups = first.get(cgroupFile);
        String mountinfo = first.get(mountFile);
        if (cgroups == null || mountinfo == null) {
            return new Figures(Optional.empty(), available);
        }
        List<Mount> mounts = parseMountinfo(mountinfo);
        // v1 memory controller first: on a hybrid host the unified hierarchy holds no memory controller
        String v1Path = null;
        String v2Path = null;
        for (String line : cgroups.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2Path = f[2].trim();
            } else if (List.of(f[1].split(",")).contains("memory")) {
                v1Path = f[2].trim();
            }
        }
        if (v1Path != null) {
            for (Mount m : mounts) {
                if (m.fsType().equals("cgroup") && List.of(m.superOptions().split(",")).contains("memory")) {
                    Optional<Limit> l = tightest(files, 1, levels(m, v1Path));
                    if (l.isPresent()) {
                        return new Figures(l, available);
                    }
                }
            }
        }
        if (v2Path != null) {
            for (Mount m : mounts) {
                if (m.fsType().equals("cgroup2")) {
                    Optional<Limit> l = tightest(files, 2, levels(m, v2Path));
                    if (l.isPresent()) {
                        return new Figures(l, available);
                    }
                }
            }
        }
        return new Figures(Optional.empty(), available);
    }

    /** The cgroup's folder under the mount, then each parent up to the mount point. */
    static List<String> levels(Mount m, String cgroupPath) {
        String rel;
        if (m.root().equals("/")) {
            rel = cgroupPath;
        } else if (cgroupPath.equals(m.root()) || cgroupPath.startsWith(m.root() + "/")) {
            rel = cgroupPath.substring(m.root().length());   // a container's own cgroup mounted as its root
        } else {
            rel = "";                                           // a path outside what is mounted: the mount's own level
        }
        String point = m.point().endsWith("/") ? m.point().substring(0, m.point().length() - 1) : m.point();
        List<String> out = new ArrayList<>();
        String r = rel.equals("/") ? "" : rel;
        while (true) {
            out.add(point + r);
            if (r.isEmpty()) {
                break;
            }
            r = r.substring(0, r.lastIndexOf('/'));
        }
        return out;
    }

    private static Optional<Limit> tightest(FileSource files, int version, List<String> dirs) {
        String limitName = version == 2 ? "memory.max" : "memory.limit_in_bytes";
        String usageName = version == 2 ? "memory.current" : "memory.usage_in_bytes";
        List<String> paths = new ArrayList<>();
        for (String d : dirs) {
            paths.add(d + "/" + limitName);
            paths.add(d + "/" + usageName);
            paths.add(d + "/memory.stat");
        }
        Map<String, String> got = files.read(paths);
        Limit best = null;
        for (String d : dirs) {
            long limit = number(got.get(d + "/" + limitName));
            long usage = number(got.get(d + "/" + usageName));
            if (limit < 0 || usage < 0 || (version == 1 && limit >= V1_UNLIMITED)) {
                continue;   // "max", unreadable, or v1's "no limit"
            }
            long inactive = statField(got.get(d + "/memory.stat"), version == 2 ? "inactive_file" : "total_inactive_file");
            if (inactive < 0 && version == 1) {
                inactive = statField(got.get(d + "/memory.stat"), "inactive_file");
            }
            Limit l = new Limit(version, d, limit, usage, Math.max(0, inactive));
            if (best == null || l.free() < best.free()) {
                best = l;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The mounts of /proc/PID/mountinfo: "ID PARENT MAJ:MIN ROOT POINT OPTS [TAGS...] - FSTYPE SOURCE SUPEROPTS". */
    static List<Mount> parseMountinfo(String text) {
        List<Mount> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 5 || dash + 1 >= f.length) {
                continue;
            }
            String superOptions = dash + 3 < f.length ? f[dash + 3] : "";
            out.add(new Mount(unescape(f[3]), unescape(f[4]), f[dash + 1], superOptions));
        }
        return out;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040). */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** MemAvailable of /proc/meminfo in bytes, or -1. */
    static long memAvailable(String meminfo) {
        if (meminfo == null) {
            return -1;
        }
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemAvailable:")) {
                String[] f = line.substring(13).trim().split("\\s+");
                try {
                    return Long.parseLong(f[0]) * 1024;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** A number file's value; -1 for "max", empty, or unreadable. */
    private static long number(String text) {
        if (text == null) {
            return -1;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long statField(String stat, String name) {
        if (stat == null) {
            return -1;
        }
        for (String line : stat.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.substring(0, sp).equals(name)) {
                return number(line.substring(sp + 1));
            }
        }
        return -1;
    }
}
