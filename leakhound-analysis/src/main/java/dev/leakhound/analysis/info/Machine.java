package dev.leakhound.analysis.info;

import dev.leakhound.core.system.CgroupMemory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The memory this JVM and this machine offer: the JVM's heap limit ({@link Runtime#maxMemory()}), the machine's
 * physical and available memory ({@code /proc/meminfo}: MemTotal, MemAvailable) and the memory limit of the
 * control group the process runs in, if any (cgroup v2 {@code memory.max} or v1 {@code memory.limit_in_bytes},
 * the smallest on the way from the process's group up to the root).
 *
 * @param jvmMaxHeap     the most heap this JVM may use
 * @param physicalBytes  physical memory, -1 when unknown (no /proc/meminfo)
 * @param availableBytes memory available to new processes without swapping, -1 when unknown
 * @param cgroupLimit    the control group's memory limit, -1 when there is none or it is unknown
 * @param processors     processors this JVM may use
 */
public record Machine(long jvmMaxHeap, long physicalBytes, long availableBytes, long cgroupLimit, int processors) {
    /** Limits at or above this are "no limit" (cgroup v1 writes 2^63 rounded down to a page). */
    private static final long NO_LIMIT = 1L << 60;

    /** This JVM on this machine. */
    public static Machine current() {
        Path root = Path.of("/");
        return new Machine(Runtime.getRuntime().maxMemory(), meminfo(root, "MemTotal"), meminfo(root, "MemAvailable"),
                cgroupLimit(root), Runtime.getRuntime().availableProcessors());
    }

    /**
     * The memory a process started here may use: the available memory, at most the cgroup limit; -1 when
     * neither is known.
     */
    public long usableBytes() {
        long u = availableBytes >= 0 ? availableBytes : physicalBytes;
        if (cgroupLimit >= 0) {
            u = u < 0 ? cgroupLimit : Math.min(u, cgroupLimit);
        }
        return u;
    }

    /** A value of {@code proc/meminfo} under {@code root} in bytes, -1 when absent or unreadable. */
    static long meminfo(Path root, String key) {
        try {
            for (String line : Files.readAllLines(root.resolve("proc/meminfo"))) {
                if (line.startsWith(key + ":")) {
                    String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                    long v = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? v * 1024 : v;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unusual file: unknown
        }
        return -1;
    }

    /**
     * The smallest memory limit of the process's control group and its ancestors, under {@code root} (the
     * file system root; tests pass a directory laid out like it); -1 when there is none or it cannot be read.
     */
    static long cgroupLimit(Path root) {
        return CgroupMemory.read(CgroupMemory.local(root), "/proc/self").cgroup().map(CgroupMemory.Limit::limit).orElse(-1L);
    }


}
