package dev.leakhound.inspector.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The memory limit of a process's control group (its container's, in Docker or Kubernetes): found through
 * {@code /proc/PID/cgroup}, read from cgroup v2 {@code memory.max} / {@code memory.current} or v1
 * {@code memory.limit_in_bytes} / {@code memory.usage_in_bytes} under {@code /sys/fs/cgroup}. The limit is the
 * smallest of the group and its ancestors (each one caps what is below it). Paths are those of leakhound's own
 * cgroup namespace: a process in another namespace may show a path that does not exist here, and then no limit is
 * known.
 *
 * @param limit   bytes, -1 when there is none or it cannot be read
 * @param current the group's memory use in bytes (page cache included), -1 when unknown
 * @param group   the group's path as /proc/PID/cgroup gives it ("/" for the root), or null
 * @param version 2 or 1, 0 when no memory controller was found
 */
public record CgroupMemory(long limit, long current, String group, int version) {
    /** Limits at or above this mean "no limit" (v1 writes 2^63 rounded down to a page). */
    static final long NO_LIMIT = 1L << 60;

    public static final CgroupMemory NONE = new CgroupMemory(-1, -1, null, 0);

    /** The cgroup memory of process {@code pid} on this machine. */
    public static CgroupMemory of(long pid) {
        return of(Path.of("/"), pid);
    }

    /** Under {@code root} (the file system root; tests pass a directory laid out like it). */
    static CgroupMemory of(Path root, long pid) {
        List<String> lines;
        try {
            lines = Files.readAllLines(root.resolve("proc/" + pid + "/cgroup"));
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
        for (String line : lines) {
            // hierarchy-id:controllers:path; v2 is "0::/path", v1 names "memory" among its controllers
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                Path base = root.resolve("sys/fs/cgroup");
                if (Files.exists(base.resolve("cgroup.controllers"))) {
                    return read(base, f[2], "memory.max", "memory.current", 2);
                }
            } else if (List.of(f[1].split(",")).contains("memory")) {
                return read(root.resolve("sys/fs/cgroup/memory"), f[2], "memory.limit_in_bytes", "memory.usage_in_bytes", 1);
            }
        }
        return NONE;
    }

    private static CgroupMemory read(Path base, String group, String limitFile, String currentFile, int version) {
        List<Path> dirs = ancestors(base, group);
        if (dirs.isEmpty() || !Files.isDirectory(dirs.get(0))) {
            return new CgroupMemory(-1, -1, group, version);
        }
        long limit = -1;
        for (Path d : dirs) {
            long v = number(d.resolve(limitFile));
            if (v >= 0 && v < NO_LIMIT && (limit < 0 || v < limit)) {
                limit = v;
            }
        }
        return new CgroupMemory(limit, number(dirs.get(0).resolve(currentFile)), group, version);
    }

    /** {@code base/group}, then each parent up to {@code base} itself. */
    private static List<Path> ancestors(Path base, String group) {
        List<Path> out = new ArrayList<>();
        Path p = base;
        for (String part : group.split("/")) {
            if (!part.isEmpty() && !part.equals("..") && !part.equals(".")) {
                p = p.resolve(part);
            }
        }
        while (p.startsWith(base)) {
            out.add(p);
            if (p.equals(base)) {
                break;
            }
            p = p.getParent();
        }
        return out;
    }

    /** A file's number; -1 for "max", or a file that is absent or unreadable. */
    private static long number(Path file) {
        try {
            String t = Files.readString(file).trim();
            return t.equals("max") ? -1 : Long.parseLong(t);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
