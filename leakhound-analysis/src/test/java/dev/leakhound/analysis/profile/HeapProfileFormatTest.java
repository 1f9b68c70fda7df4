package dev.leakhound.analysis.profile;

import dev.leakhound.core.LeakhoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeapProfileFormatTest {
    @TempDir
    Path dir;

    static CallFrame frame(String fn, String url, int line) {
        return new CallFrame(fn, "1", url, line, 4);
    }

    /** A random tree (some deep chains, repeated frames) with samples that add up to each node's self size. */
    static HeapProfile random(long seed, int nodes) {
        Random r = new Random(seed);
        HeapProfile.Builder b = new HeapProfile.Builder();
        b.node(-1, 1, new CallFrame("(root)", "0", "", -1, -1), 0);
        int ordinal = 0;
        int[] parents = new int[nodes];
        parents[0] = -1;
        for (int i = 1; i < nodes; i++) {
            // pre-order: the parent is the previous node or one of its ancestors (chains and bushes)
            int parent = i - 1;
            for (int up = r.nextInt(4) == 0 ? 0 : r.nextInt(6); up > 0 && parents[parent] >= 0; up--) {
                parent = parents[parent];
            }
            parents[i] = parent;
            String fn = r.nextInt(10) == 0 ? "" : "f" + r.nextInt(12) + (r.nextInt(30) == 0 ? "\"<\\u2028\u2028>" : "");
            int samples = r.nextInt(3);
            long self = 0;
            for (int s = 0; s < samples; s++) {
                long size = 16 + r.nextInt(100_000);
                b.sample(size, i + 1, ++ordinal);
                self += size;
            }
            b.node(parent, i + 1, frame(fn, "file:///app/m" + r.nextInt(3) + ".js", r.nextInt(50) - 1), self);
        }
        return b.build();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234567})
    void writeThenReadGivesTheSameProfile(long seed) {
        HeapProfile p = random(seed, 1 + (int) (seed % 700));
        StringWriter w = new StringWriter();
        HeapProfileFormat.write(p, w);
        HeapProfile q = HeapProfileFormat.parse(w.toString(), "seed " + seed);
        assertThat(q.nodeCount()).as("seed %d", seed).isEqualTo(p.nodeCount());
        assertThat(q.totalBytes()).as("seed %d", seed).isEqualTo(p.totalBytes());
        assertThat(q.sampleCount()).as("seed %d", seed).isEqualTo(p.sampleCount());
        for (int i = 0; i < p.nodeCount(); i++) {
            assertThat(q.frame(i)).as("seed %d node %d", seed, i).isEqualTo(p.frame(i));
            assertThat(q.parent(i)).as("seed %d node %d", seed, i).isEqualTo(p.parent(i));
            assertThat(q.selfBytes(i)).as("seed %d node %d", seed, i).isEqualTo(p.selfBytes(i));
            assertThat(q.id(i)).as("seed %d node %d", seed, i).isEqualTo(p.id(i));
        }
        long sampled = 0;
        for (int i = 0; i < q.sampleCount(); i++) {
            sampled += q.sampleSize(i);
            assertThat(q.sampleOrdinal(i)).isEqualTo(p.sampleOrdinal(i));
        }
        assertThat(sampled).as("seed %d", seed).isEqualTo(p.totalBytes());
        // a second write is byte-identical
        StringWriter w2 = new StringWriter();
        HeapProfileFormat.write(q, w2);
        assertThat(w2.toString()).isEqualTo(w.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8, 9})
    void totalsCountEachSubtreeOnceUnderRecursionAndSelfSumsToTheWhole(long seed) {
        HeapProfile p = random(seed, 400);
        AllocationSites a = AllocationSites.of(p);
        long self = a.bySelf().stream().mapToLong(AllocationSites.Site::selfBytes).sum();
        assertThat(self).as("seed %d", seed).isEqualTo(p.totalBytes());
        for (AllocationSites.Site s : a.bySelf()) {
            // brute force: bytes of samples whose stack contains the site at least once
            long expect = 0;
            for (int n = 1; n < p.nodeCount(); n++) {
                for (int x = n; x > 0; x = p.parent(x)) {
                    if (p.frame(x).siteKey().equals(s.frame().siteKey())) {
                        expect += p.selfBytes(n);
                        break;
                    }
                }
            }
            assertThat(s.totalBytes()).as("seed %d site %s", seed, s.frame()).isEqualTo(expect);
            assertThat(s.totalBytes()).isLessThanOrEqualTo(p.totalBytes());
        }
    }

    @Test
    void aDeepChainReadsWithoutRecursion() {
        HeapProfile.Builder b = new HeapProfile.Builder();
        b.node(-1, 1, new CallFrame("(root)", "0", "", -1, -1), 0);
        for (int i = 1; i < 20_000; i++) {
            b.node(i - 1, i + 1, frame("f" + (i % 3), "file:///a.js", i % 3), 8);
        }
        HeapProfile p = b.build();
        StringWriter w = new StringWriter();
        HeapProfileFormat.write(p, w);
        HeapProfile q = HeapProfileFormat.parse(w.toString(), "deep");
        assertThat(q.nodeCount()).isEqualTo(20_000);
        assertThat(q.depth(19_999)).isEqualTo(19_999);
        assertThat(AllocationSites.of(q).bySelf()).hasSize(3);
        assertThat(AllocationSites.of(q).bySelf().get(0).totalBytes()).isLessThanOrEqualTo(q.totalBytes());
    }

    @Test
    void diffNamesTheSiteThatGrew() {
        CallFrame root = new CallFrame("(root)", "0", "", -1, -1);
        HeapProfile.Builder a = new HeapProfile.Builder();
        a.node(-1, 1, root, 0);
        a.node(0, 2, frame("steady", "file:///x.js", 3), 1000);
        a.node(0, 3, frame("leaky", "file:///x.js", 9), 500);
        HeapProfile.Builder b = new HeapProfile.Builder();
        b.node(-1, 1, root, 0);
        b.node(0, 2, new CallFrame("steady", "77", "file:///x.js", 3, 4), 1000);   // another script id: same site
        b.node(0, 3, frame("leaky", "file:///x.js", 9), 5500);
        b.node(0, 4, frame("fresh", "file:///x.js", 20), 100);
        ProfileDiff.Result r = ProfileDiff.compare(a.build(), b.build());
        assertThat(r.grown()).extracting(c -> c.frame().functionName()).containsExactly("leaky", "fresh");
        assertThat(r.grown().get(0).deltaBytes()).isEqualTo(5000);
        assertThat(r.deltaBytes()).isEqualTo(5100);
        assertThat(r.shrunk()).isEmpty();
    }

    @Test
    void badInputsSayWhatIsWrongInOneLine() throws Exception {
        assertThatThrownBy(() -> HeapProfileFormat.parse("[1,2]", "x.heapprofile"))
                .isInstanceOf(LeakhoundException.class).hasMessage("x.heapprofile: not a heap profile (.heapprofile): it is not a JSON object");
        assertThatThrownBy(() -> HeapProfileFormat.parse("{\"samples\":[]}", "x"))
                .hasMessageContaining("no \"head\" call tree");
        assertThatThrownBy(() -> HeapProfileFormat.parse("{\"snapshot\":{\"meta\":{}},\"nodes\":[]}", "s.heapsnapshot"))
                .hasMessageContaining("is a heap snapshot, not a heap profile");
        assertThatThrownBy(() -> HeapProfileFormat.parse("{\"nodes\":[],\"startTime\":1}", "c.cpuprofile"))
                .hasMessageContaining("CPU profile");
        assertThatThrownBy(() -> HeapProfileFormat.parse("{\"head\":{\"selfSize\":1,\"id\":1,\"children\":[]}}", "x"))
                .hasMessageContaining("call-tree node 1 has no \"callFrame\"");
        assertThatThrownBy(() -> HeapProfileFormat.parse("{\"head\":{\"callFrame\":{}, \"selfSize\":1, \"children\":[{\"callFrame\":{}", "t"))
                .hasMessageStartingWith("t: not a heap profile (.heapprofile): invalid JSON at line 1").hasMessageNotContaining("\n");
        Path missing = dir.resolve("nope.heapprofile");
        assertThatThrownBy(() -> HeapProfileFormat.read(missing)).hasMessage(missing + ": no such file");
        Path text = Files.writeString(dir.resolve("t.heapprofile"), "hello");
        assertThatThrownBy(() -> HeapProfileFormat.read(text)).hasMessageContaining("not a heap profile").hasMessageNotContaining("\n");
    }
}
