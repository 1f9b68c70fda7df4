package dev.leakhound.mcp;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.snapshot.ReadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotCacheTest {
    @TempDir
    Path tmp;

    static Path fixture(String name) {
        return McpServerTest.root().resolve("testdata/snapshots").resolve(name);
    }

    @Test
    void keepsTheMostRecentlyUsedWithinItsCount() {
        SnapshotCache cache = new SnapshotCache(2, Long.MAX_VALUE, ReadOptions.defaults());
        OpenSnapshot a = cache.open(fixture("node18.heapsnapshot.gz"));
        OpenSnapshot b = cache.open(fixture("node20.heapsnapshot.gz"));
        assertThat(cache.open(fixture("node18.heapsnapshot.gz"))).isSameAs(a);   // a is now the most recent
        OpenSnapshot c = cache.open(fixture("node22.heapsnapshot.gz"));           // b goes
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.open(fixture("node18.heapsnapshot.gz"))).isSameAs(a);
        assertThat(cache.open(fixture("node22.heapsnapshot.gz"))).isSameAs(c);
        assertThat(cache.open(fixture("node20.heapsnapshot.gz"))).isNotSameAs(b);
    }

    @Test
    void keepsWithinItsMemoryBudget() {
        // a budget smaller than any snapshot: only the last one opened stays
        SnapshotCache cache = new SnapshotCache(10, 1, ReadOptions.defaults());
        OpenSnapshot a = cache.open(fixture("node18.heapsnapshot.gz"));
        cache.open(fixture("node20.heapsnapshot.gz"));
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.open(fixture("node18.heapsnapshot.gz"))).isNotSameAs(a);
    }

    @Test
    void aRewrittenFileIsReadAgainAndConcurrentCallersShareOneRead() throws Exception {
        Path copy = tmp.resolve("copy.heapsnapshot.gz");
        Files.copy(fixture("node20.heapsnapshot.gz"), copy);
        SnapshotCache cache = new SnapshotCache(4, Long.MAX_VALUE, ReadOptions.defaults());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<OpenSnapshot>> all = new ArrayList<>();
            Callable<OpenSnapshot> open = () -> cache.open(copy);
            for (int i = 0; i < 4; i++) {
                all.add(pool.submit(open));
            }
            OpenSnapshot first = all.get(0).get();
            for (Future<OpenSnapshot> f : all) {
                assertThat(f.get()).isSameAs(first);
            }
            Files.setLastModifiedTime(copy, FileTime.fromMillis(Files.getLastModifiedTime(copy).toMillis() + 5000));
            assertThat(cache.open(copy)).isNotSameAs(first);
            assertThat(cache.size()).as("the old version is dropped").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFileThatIsNotASnapshotIsAOneLineErrorAndNotKept() throws Exception {
        Path junk = tmp.resolve("junk.heapsnapshot");
        Files.writeString(junk, "{\"nodes\": [1, 2, 3]}");
        SnapshotCache cache = new SnapshotCache(4, Long.MAX_VALUE, ReadOptions.defaults());
        assertThatThrownBy(() -> cache.open(junk)).isInstanceOf(LeakhoundException.class)
                .hasMessageContaining(junk.toString()).matches(e -> !e.getMessage().contains("\n"));
        assertThat(cache.size()).isZero();
    }
}
