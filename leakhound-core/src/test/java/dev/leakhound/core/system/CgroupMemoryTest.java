package dev.leakhound.core.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Fake /proc and /sys/fs/cgroup trees in a temporary folder, as a container, a pod or a host shows them. */
class CgroupMemoryTest {
    @TempDir
    Path root;

    private static final long MB = 1024 * 1024;

    private void write(String path, String text) throws IOException {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private void meminfo(long availableKb) throws IOException {
        write("/proc/meminfo", "MemTotal:       24683520 kB\nMemFree:        21870000 kB\nMemAvailable:   " + availableKb
                + " kB\nBuffers:          100 kB\n");
    }

    private static final String V2_MOUNT = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
    private static final String V1_MOUNTS = "31 23 0:28 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
            + "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
            + "35 31 0:32 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:9 - cgroup cgroup rw,memory\n";

    private CgroupMemory.Figures read() {
        return CgroupMemory.read(CgroupMemory.local(root), "/proc/self");
    }

    @Test
    void v2ContainerLimitWithReclaimableCacheCountedAsFree() throws IOException {
        meminfo(20_000_000);
        write("/proc/self/cgroup", "0::/system.slice/docker-abc.scope\n");
        write("/proc/self/mountinfo", V2_MOUNT);
        String d = "/sys/fs/cgroup/system.slice/docker-abc.scope";
        write(d + "/memory.max", "536870912\n");
        write(d + "/memory.current", (300 * MB) + "\n");
        write(d + "/memory.stat", "anon 200000000\nfile 104857600\ninactive_file " + (40 * MB) + "\nactive_file 10\n");
        write("/sys/fs/cgroup/system.slice/memory.max", "max\n");
        write("/sys/fs/cgroup/system.slice/memory.current", "999999999\n");

        CgroupMemory.Figures f = read();
        assertThat(f.cgroup()).isPresent();
        CgroupMemory.Limit l = f.cgroup().get();
        assertThat(l.version()).isEqualTo(2);
        assertThat(l.dir()).isEqualTo(d);
        assertThat(l.limit()).isEqualTo(512 * MB);
        assertThat(l.workingSet()).isEqualTo(260 * MB);
        assertThat(l.free()).isEqualTo(252 * MB);
        assertThat(f.memAvailable()).isEqualTo(20_000_000L * 1024);
        assertThat(f.free()).isEqualTo(252 * MB);
    }

    @Test
    void nestedV2LimitsTheTightestLevelBinds() throws IOException {
        meminfo(20_000_000);
        write("/proc/self/cgroup", "0::/kubepods/pod1/ctr\n");
        write("/proc/self/mountinfo", V2_MOUNT);
        write("/sys/fs/cgroup/kubepods/pod1/ctr/memory.max", (1024 * MB) + "\n");
        write("/sys/fs/cgroup/kubepods/pod1/ctr/memory.current", (100 * MB) + "\n");
        // the pod allows less than its container, and a sibling container already uses part of it
        write("/sys/fs/cgroup/kubepods/pod1/memory.max", (600 * MB) + "\n");
        write("/sys/fs/cgroup/kubepods/pod1/memory.current", (350 * MB) + "\n");
        write("/sys/fs/cgroup/kubepods/memory.max", "max\n");
        write("/sys/fs/cgroup/kubepods/memory.current", (5000 * MB) + "\n");

        CgroupMemory.Limit l = read().cgroup().orElseThrow();
        assertThat(l.dir()).isEqualTo("/sys/fs/cgroup/kubepods/pod1");
        assertThat(l.free()).isEqualTo(250 * MB);
    }

    @Test
    void v1MemoryControllerWithHierarchicalInactiveFile() throws IOException {
        meminfo(8_000_000);
        write("/proc/self/cgroup", "12:pids:/docker/abc\n4:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n0::/\n");
        write("/proc/self/mountinfo", V1_MOUNTS + "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n");
        String d = "/sys/fs/cgroup/memory/docker/abc";
        write(d + "/memory.limit_in_bytes", (256 * MB) + "\n");
        write(d + "/memory.usage_in_bytes", (200 * MB) + "\n");
        write(d + "/memory.stat", "cache 1000\ninactive_file 5\ntotal_inactive_file " + (20 * MB) + "\n");
        write("/sys/fs/cgroup/memory/docker/memory.limit_in_bytes", "9223372036854771712\n");
        write("/sys/fs/cgroup/memory/docker/memory.usage_in_bytes", "1\n");
        write("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("/sys/fs/cgroup/memory/memory.usage_in_bytes", "1\n");

        CgroupMemory.Figures f = read();
        CgroupMemory.Limit l = f.cgroup().orElseThrow();
        assertThat(l.version()).isEqualTo(1);
        assertThat(l.dir()).isEqualTo(d);
        assertThat(l.free()).isEqualTo(76 * MB);
        assertThat(f.free()).isEqualTo(76 * MB);
    }

    @Test
    void v1InsideAContainerWhoseOwnCgroupIsMountedAsTheRoot() throws IOException {
        meminfo(8_000_000);
        // no cgroup namespace: the path is the host's, the mount's root is that same path
        write("/proc/self/cgroup", "4:memory:/docker/abc\n");
        write("/proc/self/mountinfo", "35 31 0:32 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n");
        write("/sys/fs/cgroup/memory/memory.limit_in_bytes", (128 * MB) + "\n");
        write("/sys/fs/cgroup/memory/memory.usage_in_bytes", (28 * MB) + "\n");

        CgroupMemory.Limit l = read().cgroup().orElseThrow();
        assertThat(l.dir()).isEqualTo("/sys/fs/cgroup/memory");
        assertThat(l.free()).isEqualTo(100 * MB);
    }

    @Test
    void noLimitAnywhereLeavesTheMachinesAvailableMemory() throws IOException {
        meminfo(1_000_000);
        write("/proc/self/cgroup", "4:memory:/user.slice\n0::/user.slice/session-1.scope\n");
        write("/proc/self/mountinfo", V1_MOUNTS + "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n");
        write("/sys/fs/cgroup/memory/user.slice/memory.limit_in_bytes", "9223372036854771712\n");
        write("/sys/fs/cgroup/memory/user.slice/memory.usage_in_bytes", "123\n");
        write("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("/sys/fs/cgroup/memory/memory.usage_in_bytes", "123\n");
        // the unified hierarchy of a hybrid host holds no memory files

        CgroupMemory.Figures f = read();
        assertThat(f.cgroup()).isEmpty();
        assertThat(f.free()).isEqualTo(1_000_000L * 1024);
    }

    @Test
    void v2MaxEverywhereIsNoLimit() throws IOException {
        meminfo(1_000_000);
        write("/proc/self/cgroup", "0::/a/b\n");
        write("/proc/self/mountinfo", V2_MOUNT);
        write("/sys/fs/cgroup/a/b/memory.max", "max\n");
        write("/sys/fs/cgroup/a/b/memory.current", "5\n");
        write("/sys/fs/cgroup/a/memory.max", "max\n");
        write("/sys/fs/cgroup/a/memory.current", "5\n");
        assertThat(read().cgroup()).isEmpty();
    }

    @Test
    void missingProcIsUnknownNotAnError() {
        CgroupMemory.Figures f = read();
        assertThat(f.cgroup()).isEmpty();
        assertThat(f.memAvailable()).isEqualTo(-1);
        assertThat(f.free()).isEqualTo(-1);
    }

    @Test
    void theMachinesOwnFilesRead() {
        // whatever this machine is, reading its real files gives an answer and no error
        CgroupMemory.Figures f = CgroupMemory.read(CgroupMemory.local(Path.of("/")), "/proc/self");
        if (Files.exists(Path.of("/proc/meminfo"))) {
            assertThat(f.memAvailable()).isPositive();
        }
        f.cgroup().ifPresent(l -> assertThat(l.limit()).isPositive());
    }
}
