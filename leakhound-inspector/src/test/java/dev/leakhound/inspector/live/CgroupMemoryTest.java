package dev.leakhound.inspector.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupMemoryTest {
    @TempDir
    Path root;

    private void write(String path, String text) throws Exception {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void v2TheSmallestLimitOfTheGroupAndItsAncestors() throws Exception {
        write("proc/42/cgroup", "0::/kubepods/pod1/ctr\n");
        write("sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
        write("sys/fs/cgroup/kubepods/memory.max", "max\n");
        write("sys/fs/cgroup/kubepods/pod1/memory.max", "536870912\n");
        write("sys/fs/cgroup/kubepods/pod1/ctr/memory.max", "max\n");
        write("sys/fs/cgroup/kubepods/pod1/ctr/memory.current", "123456\n");
        assertThat(CgroupMemory.of(root, 42)).isEqualTo(new CgroupMemory(536870912L, 123456L, "/kubepods/pod1/ctr", 2));
    }

    @Test
    void v1MemoryControllerAndItsNoLimitValue() throws Exception {
        write("proc/7/cgroup", "9:name=systemd:/\n4:memory:/docker/abc\n0::/\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", "268435456\n");
        write("sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes", "1000\n");
        assertThat(CgroupMemory.of(root, 7)).isEqualTo(new CgroupMemory(268435456L, 1000L, "/docker/abc", 1));
        write("sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", "9223372036854771712\n");
        assertThat(CgroupMemory.of(root, 7).limit()).isEqualTo(-1);
    }

    @Test
    void noCgroupFileOrAnotherNamespacesPathIsNoLimit() throws Exception {
        assertThat(CgroupMemory.of(root, 1)).isEqualTo(CgroupMemory.NONE);
        write("proc/8/cgroup", "0::/elsewhere\n");
        write("sys/fs/cgroup/cgroup.controllers", "memory\n");
        assertThat(CgroupMemory.of(root, 8)).isEqualTo(new CgroupMemory(-1, -1, "/elsewhere", 2));
    }
}
