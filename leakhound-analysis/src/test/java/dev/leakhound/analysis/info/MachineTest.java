package dev.leakhound.analysis.info;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** /proc/meminfo and cgroup limits, read from directories laid out like a file system root. */
class MachineTest {
    @TempDir
    Path root;

    private void write(String path, String text) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void meminfoInBytes() throws IOException {
        write("proc/meminfo", "MemTotal:       24683664 kB\nMemFree:         1000 kB\nMemAvailable:   22516756 kB\n");
        assertThat(Machine.meminfo(root, "MemTotal")).isEqualTo(24683664L * 1024);
        assertThat(Machine.meminfo(root, "MemAvailable")).isEqualTo(22516756L * 1024);
        assertThat(Machine.meminfo(root, "SwapTotal")).isEqualTo(-1);
        assertThat(Machine.meminfo(root.resolve("nowhere"), "MemTotal")).isEqualTo(-1);
    }

    @Test
    void cgroupV2LimitIsTheSmallestOnThePathUp() throws IOException {
        write("proc/self/cgroup", "0::/user.slice/app.scope\n");
        write("proc/self/mountinfo", "30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw\n");
        write("sys/fs/cgroup/memory.max", "max\n");
        write("sys/fs/cgroup/user.slice/memory.max", "8589934592\n");
        write("sys/fs/cgroup/user.slice/memory.current", "1048576\n");
        write("sys/fs/cgroup/user.slice/app.scope/memory.current", "1048576\n");
        write("sys/fs/cgroup/user.slice/app.scope/memory.max", "max\n");
        assertThat(Machine.cgroupLimit(root)).isEqualTo(8L << 30);
        write("sys/fs/cgroup/user.slice/app.scope/memory.max", "2147483648\n");
        assertThat(Machine.cgroupLimit(root)).isEqualTo(2L << 30);
    }

    @Test
    void cgroupV1LimitAndTheUnlimitedValue() throws IOException {
        write("proc/self/cgroup", "9:name=systemd:/\n4:memory:/process_api/abc\n1:cpu:/\n");
        write("proc/self/mountinfo", "35 25 0:30 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes", "9223372036854771712\n");
        assertThat(Machine.cgroupLimit(root)).isEqualTo(-1);
        write("sys/fs/cgroup/memory/process_api/memory.limit_in_bytes", "4294967296\n");
        write("sys/fs/cgroup/memory/process_api/memory.usage_in_bytes", "1048576\n");
        assertThat(Machine.cgroupLimit(root)).isEqualTo(4L << 30);
    }

    @Test
    void noCgroupFilesMeansNoLimit() throws IOException {
        assertThat(Machine.cgroupLimit(root)).isEqualTo(-1);
        write("proc/self/cgroup", "0::/\n");
        assertThat(Machine.cgroupLimit(root)).isEqualTo(-1);
    }

    @Test
    void usableIsTheAvailableMemoryWithinTheLimit() {
        assertThat(new Machine(1L << 30, 24L << 30, 20L << 30, -1, 2).usableBytes()).isEqualTo(20L << 30);
        assertThat(new Machine(1L << 30, 24L << 30, 20L << 30, 4L << 30, 2).usableBytes()).isEqualTo(4L << 30);
        assertThat(new Machine(1L << 30, 24L << 30, -1, -1, 2).usableBytes()).isEqualTo(24L << 30);
        assertThat(new Machine(1L << 30, -1, -1, -1, 2).usableBytes()).isEqualTo(-1);
        assertThat(new Machine(1L << 30, -1, -1, 3L << 30, 2).usableBytes()).isEqualTo(3L << 30);
    }

    @Test
    void currentReadsThisMachine() {
        Machine m = Machine.current();
        assertThat(m.jvmMaxHeap()).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(m.processors()).isPositive();
        if (Files.exists(Path.of("/proc/meminfo"))) {
            assertThat(m.physicalBytes()).isPositive();
            assertThat(m.availableBytes()).isPositive().isLessThanOrEqualTo(m.physicalBytes());
        }
    }
}
