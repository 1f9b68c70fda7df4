package dev.leakhound.analysis.diagnosis;

import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.snapshot.SnapshotBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Leak suspects and accumulation points on small hand-built graphs. */
class SuspectsTest {

    /** Thresholds: {@code minBytes} exactly, whatever the heap (the share is negligible). */
    static DiagnosisOptions exactly(long minBytes) {
        return DiagnosisOptions.defaults().withSuspectShare(1e-9).withMinBytes(minBytes);
    }

    /**
     * global.cache (Cache) -> .items (Array) -> 50 Entry of 1000 B; global.other (Other) -> 40 small objects.
     * The Cache is the suspect; the big drop stops at the Array (each Entry holds 2% of it).
     */
    @Test
    void singleSuspectAndItsAccumulationPoint() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 0);
        int global = b.node(NodeType.OBJECT, "global", 100);
        int cache = b.node(NodeType.OBJECT, "Cache", 50);
        int items = b.node(NodeType.OBJECT, "Array", 32);
        b.edge(root, EdgeType.SHORTCUT, "global", global);
        b.edge(global, EdgeType.PROPERTY, "cache", cache);
        b.edge(cache, EdgeType.PROPERTY, "items", items);
        for (int i = 0; i < 50; i++) {
            int e = b.node(NodeType.OBJECT, "Entry", 1000);
            b.edge(items, EdgeType.ELEMENT, i, e);
        }
        int other = b.node(NodeType.OBJECT, "Other", 40);
        b.edge(global, EdgeType.PROPERTY, "other", other);
        for (int i = 0; i < 40; i++) {
            int x = b.node(NodeType.OBJECT, "Small", 500);
            b.edge(other, EdgeType.PROPERTY, "k" + i, x);
        }
        b.node(NodeType.OBJECT, "Unreachable", 123);   // no edge leads to it: still part of the heap
        HeapSnapshot s = b.build();
        HeapGraph g = HeapGraph.build(s);

        Diagnosis d = Diagnosis.run(g, exactly(15_000), null, null);
        assertThat(d.heapBytes()).isEqualTo(s.totalSelfSize());
        assertThat(d.suspects()).hasSize(2);
        Suspect first = d.suspects().get(0);
        assertThat(first.kind()).isEqualTo(Suspect.Kind.OBJECT);
        assertThat(first.id()).isEqualTo(s.id(cache));
        assertThat(first.retainedBytes()).isEqualTo(50 + 32 + 50 * 1000);
        assertThat(first.pathText()).isEqualTo("global.cache -> Cache @" + s.id(cache));
        Suspect.Accumulation a = first.accumulation();
        assertThat(a.id()).isEqualTo(s.id(items));
        assertThat(a.children()).isEqualTo(50);
        assertThat(a.topChildren().get(0)).isEqualTo(new ClassShare("Entry", 50, 50_000));
        assertThat(a.pathText()).isEqualTo("global.cache.items -> Array @" + s.id(items));
        assertThat(d.suspects().get(1).id()).isEqualTo(s.id(other));
        assertThat(d.suspects().get(1).accumulation().id()).isEqualTo(s.id(other));   // no child holds 70%

        // above the threshold nothing is a suspect, and the global itself never is
        Diagnosis none = Diagnosis.run(g, exactly(60_000), null, null);
        assertThat(none.suspects()).isEmpty();
        assertThat(none.healthy()).isTrue();
    }

    /** MAT's big drop: descend while the biggest child holds at least 70% of its parent. */
    @Test
    void bigDropFollowsTheChainWhileOneChildHoldsMost() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 0);
        int global = b.node(NodeType.OBJECT, "global", 0);
        b.edge(root, EdgeType.SHORTCUT, "global", global);
        // a (100) -> b (keeps 80% of a) -> c (keeps 60% of b: the drop) -> many leaves
        int a = b.node(NodeType.OBJECT, "A", 2_000);
        int bb = b.node(NodeType.OBJECT, "B", 3_200);
        int c = b.node(NodeType.OBJECT, "C", 0);
        b.edge(global, EdgeType.PROPERTY, "a", a);
        b.edge(a, EdgeType.PROPERTY, "b", bb);
        b.edge(bb, EdgeType.PROPERTY, "c", c);
        for (int i = 0; i < 48; i++) {
            int leaf = b.node(NodeType.OBJECT, "Leaf", 100);
            b.edge(c, EdgeType.ELEMENT, i, leaf);
        }
        HeapGraph g = HeapGraph.build(b.build());
        // A retains 10,000; B 8,000 (80%: descend); C 4,800 (60% of B: stop at B)
        Suspect s = Diagnosis.run(g, exactly(5_000), null, null).suspects().get(0);
        assertThat(s.label()).isEqualTo("A");
        assertThat(s.retainedBytes()).isEqualTo(10_000);
        assertThat(s.accumulation().label()).isEqualTo("B");
        assertThat(s.accumulation().retainedBytes()).isEqualTo(8_000);
    }

    /**
     * Objects of Node's own code (a constructor in node:internal/...) are looked through: the suspect is
     * the application object below it. A class defined in application code whose objects are spread over
     * two holders, neither big enough alone, is a group suspect accumulating where most of its paths meet.
     */
    @Test
    void nodeInternalsAreLookedThroughAndClassesMakeGroupSuspects() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.node(NodeType.SYNTHETIC, "", 0);
        int global = b.node(NodeType.OBJECT, "global", 0);
        b.edge(root, EdgeType.SHORTCUT, "global", global);
        // scripts: a closure of each script tells the locator its URL
        int appScript = b.node(NodeType.CODE, "file:///app/server.js", 0);
        int nodeScript = b.node(NodeType.CODE, "node:internal/timers", 0);
        int appFn = closure(b, global, "handler", appScript);
        int nodeFn = closure(b, global, "listOnTimeout", nodeScript);
        b.location(appFn, 7, 0, 0).location(nodeFn, 3, 0, 0);
        // Node's TimersList -> the application's Registry -> 30 Sessions (30,000 B)
        int list = b.node(NodeType.OBJECT, "TimersList", 100);
        b.location(list, 3, 40, 2);
        int registry = b.node(NodeType.OBJECT, "Registry", 100);
        b.edge(global, EdgeType.PROPERTY, "timers", list);
        b.edge(list, EdgeType.PROPERTY, "_idleNext", registry);
        int arrA = b.node(NodeType.OBJECT, "Array", 16);
        b.edge(registry, EdgeType.PROPERTY, "sessions", arrA);
        for (int i = 0; i < 30; i++) {
            int x = b.node(NodeType.OBJECT, "Session", 1000);
            b.location(x, 7, 11, 4);
            b.edge(arrA, EdgeType.ELEMENT, i, x);
        }
        // 10 more Sessions elsewhere (10,000 B)
        int arrB = b.node(NodeType.OBJECT, "Array", 16);
        b.edge(global, EdgeType.PROPERTY, "spare", arrB);
        for (int i = 0; i < 10; i++) {
            int x = b.node(NodeType.OBJECT, "Session", 1000);
            b.location(x, 7, 11, 4);
            b.edge(arrB, EdgeType.ELEMENT, i, x);
        }
        HeapSnapshot s = b.build();
        HeapGraph g = HeapGraph.build(s);

        // single: TimersList (Node's) is looked through; Registry is the suspect
        DiagnosisOptions o = exactly(25_000);
        List<Suspect> single = Diagnosis.run(g, o, null, null).suspects().stream().filter(x -> x.kind() == Suspect.Kind.OBJECT).toList();
        assertThat(single).extracting(Suspect::label).containsExactly("Registry");
        assertThat(single.get(0).accumulation().id()).isEqualTo(s.id(arrA));

        // group: 40 Sessions retain 40,000 B; no holder reaches 35,000 alone; 30 of 40 paths share arrA
        DiagnosisOptions grouped = new DiagnosisOptions(1e-9, 0.70, 0.70, 35_000, 11, 10, 10_000, 10, 10, 10);
        List<Suspect> groups = Diagnosis.run(g, grouped, null, null).suspects();
        assertThat(groups).hasSize(1);
        Suspect gs = groups.get(0);
        assertThat(gs.kind()).isEqualTo(Suspect.Kind.CLASS);
        assertThat(gs.className()).isEqualTo("Session");
        assertThat(gs.count()).isEqualTo(40);
        assertThat(gs.retainedBytes()).isEqualTo(40_000);
        assertThat(gs.location().file()).isEqualTo("/app/server.js");
        assertThat(gs.location().line()).isEqualTo(12);
        assertThat(gs.accumulation().id()).isEqualTo(s.id(arrA));
        assertThat(gs.accumulation().covered()).isEqualTo(30);
        assertThat(gs.accumulation().sampled()).isEqualTo(40);

        // with MAT's 80% cover no node below the global gathers enough paths: the global is where they meet
        DiagnosisOptions mat = new DiagnosisOptions(1e-9, 0.70, 0.80, 35_000, 11, 10, 10_000, 10, 10, 10);
        assertThat(Diagnosis.run(g, mat, null, null).suspects().get(0).accumulation().id()).isEqualTo(s.id(global));
    }

    private static int closure(SnapshotBuilder b, int holder, String name, int script) {
        int f = b.node(NodeType.CLOSURE, name, 32);
        int sfi = b.node(NodeType.CODE, name, 32);
        b.edge(holder, EdgeType.PROPERTY, name, f);
        b.edge(f, EdgeType.INTERNAL, "shared", sfi);
        b.edge(sfi, EdgeType.INTERNAL, "script", script);
        return f;
    }
}
