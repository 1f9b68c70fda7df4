package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.ClassShare;
import dev.leakhound.analysis.diagnosis.Claims;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.analysis.nodejs.Collections;
import dev.leakhound.core.snapshot.NodeType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.NODE_TIMERS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The large-collection rule on Arrays (element edges), Maps and Sets (the entries of their OrderedHashMap /
 * OrderedHashSet {@code table}) and objects used as dictionaries (property edges).
 */
class CollectionsDetectorTest {
    static final DiagnosisOptions DEFAULTS = DiagnosisOptions.defaults();
    /** 150 entries are "very high fan-out" in most of these tests. */
    static final DiagnosisOptions AT_150 = DEFAULTS.withMinEntries(150);
    /** 128 buckets: capacity 256, enough for 150 entries. */
    static final int BUCKETS = 128;

    /** An Array (16 bytes) of {@code n} objects of {@code className}, {@code each} bytes. */
    private static int array(NodeHeap h, int n, String className, long each, List<Integer> members) {
        int a = h.obj("Array", 16);
        for (int i = 0; i < n; i++) {
            int m = h.element(a, i, h.obj(className, each));
            if (members != null) {
                members.add(m);
            }
        }
        return a;
    }

    private static Finding only(NodeHeap h, DiagnosisOptions o) {
        List<Finding> found = h.detect(new CollectionsDetector(), o).findings();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void anArrayWithMinEntriesIsReported() {
        NodeHeap h = new NodeHeap();
        List<Integer> requests = new ArrayList<>();
        int a = h.prop(h.global, "requests", array(h, 150, "Request", 100, requests));
        Detector.Result r = h.detect(new CollectionsDetector(), AT_150);
        assertThat(r.check()).isEqualTo(new Check.Collections(1, 100, 150, 1, 150, 4L << 20));
        Finding f = r.findings().get(0);
        long id = h.id(a);
        assertThat(f.kind()).isEqualTo(FindingKind.COLLECTION);
        assertThat(f.bytes()).isEqualTo(16 + 150 * 100);
        assertThat(f.count()).isEqualTo(150);
        assertThat(f.id()).isEqualTo(id);
        assertThat(f.className()).isEqualTo("Array");
        assertThat(f.pathText()).isEqualTo("global.requests -> Array @" + id);
        assertThat(f.location()).isNull();
        assertThat(f.sampleIds()).containsExactlyElementsOf(requests.subList(0, 5).stream().map(h::id).toList());
        assertThat(f.detail()).isEqualTo(new Finding.Collection(new Finding.NodeRef(id, "Array", "Array"),
                Collections.Kind.ARRAY, "requests", 150, List.of(new ClassShare("Request", 150, 15_000)), List.of(), false));
        BitSet claims = new BitSet();
        claims.set(a);
        assertThat(r.claims()).isEqualTo(claims);
    }

    /** With fewer than minEntries, minBytes retained decides (inclusive); below both, nothing. */
    @Test
    void entriesOrBytesDecide() {
        NodeHeap h = new NodeHeap();
        h.prop(h.global, "requests", array(h, 150, "Request", 100, null));
        DiagnosisOptions fewer = DEFAULTS.withMinEntries(151);
        assertThat(h.detect(new CollectionsDetector(), fewer.withMinBytes(15_016)).findings()).hasSize(1);
        Detector.Result none = h.detect(new CollectionsDetector(), fewer.withMinBytes(15_017));
        assertThat(none.findings()).isEmpty();
        assertThat(none.check()).isEqualTo(new Check.Collections(1, 100, 150, 0, 151, 15_017));
    }

    /**
     * A Map: its table is an OrderedHashMap of 128 buckets (3 + 128 + 3 x 256 slots of 8 bytes, plus a 16-byte
     * header: 7,208 bytes); entry i's key is slot 131 + 3i, its value 132 + 3i. 150 string keys "sess-i" (24
     * bytes) to Sessions (200 bytes): the Map retains 40 + 7,208 + 150 x 224 = 40,848.
     */
    @Test
    void aMapCountsTheEntriesOfItsTable() {
        NodeHeap h = new NodeHeap();
        int map = h.onGlobal("sessions", "Map", 40);
        int table = h.internal(map, "table", h.b.node(NodeType.ARRAY, "system / OrderedHashMap",
                NodeHeap.tableSize(BUCKETS, true)));
        assertThat(NodeHeap.tableSize(BUCKETS, true)).isEqualTo(7_208);
        for (int i = 0; i < 150; i++) {
            int slot = NodeHeap.entrySlot(BUCKETS, true, i);
            h.internal(table, Integer.toString(slot), h.string("sess-" + i, 24));
            h.internal(table, Integer.toString(slot + 1), h.obj("Session", 200));
        }
        Finding f = only(h, AT_150);
        assertThat(f.bytes()).isEqualTo(40_848);
        assertThat(f.count()).isEqualTo(150);
        assertThat(f.detail()).isEqualTo(new Finding.Collection(new Finding.NodeRef(h.id(map), "Map", "Map"),
                Collections.Kind.MAP, "sessions", 150, List.of(new ClassShare("Session", 150, 30_000)),
                List.of("\"sess-0\"", "\"sess-1\"", "\"sess-2\"", "\"sess-3\"", "\"sess-4\""), false));
    }

    /** A Map keyed by numbers: V8 writes no edge for a small-integer key, so only values show: numericKeys. */
    @Test
    void aMapOfNumbersHasNumericKeys() {
        NodeHeap h = new NodeHeap();
        int map = h.onGlobal("byId", "Map", 40);
        int table = h.internal(map, "table", h.b.node(NodeType.ARRAY, "system / OrderedHashMap",
                NodeHeap.tableSize(BUCKETS, true)));
        for (int i = 0; i < 150; i++) {
            h.internal(table, Integer.toString(NodeHeap.entrySlot(BUCKETS, true, i) + 1), h.obj("User", 100));
        }
        Finding.Collection d = (Finding.Collection) only(h, AT_150).detail();
        assertThat(d.entries()).isEqualTo(150);
        assertThat(d.numericKeys()).isTrue();
        assertThat(d.sampleKeys()).isEmpty();
        assertThat(d.byClass()).containsExactly(new ClassShare("User", 150, 15_000));
    }

    /** A Set: 2 slots an entry (key, chain), the keys are the members; 16 + 8 x (3 + 128 + 512) = 5,160 bytes of table. */
    @Test
    void aSetCountsItsKeys() {
        NodeHeap h = new NodeHeap();
        int set = h.onGlobal("seen", "Set", 40);
        int table = h.internal(set, "table", h.b.node(NodeType.ARRAY, "system / OrderedHashSet",
                NodeHeap.tableSize(BUCKETS, false)));
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            items.add(h.internal(table, Integer.toString(NodeHeap.entrySlot(BUCKETS, false, i)), h.obj("Item", 50)));
        }
        Finding f = only(h, AT_150);
        assertThat(f.bytes()).isEqualTo(40 + 5_160 + 150 * 50);
        Finding.Collection d = (Finding.Collection) f.detail();
        assertThat(d.collectionKind()).isEqualTo(Collections.Kind.SET);
        assertThat(d.byClass()).containsExactly(new ClassShare("Item", 150, 7_500));
        assertThat(d.sampleKeys()).containsExactlyElementsOf(items.subList(0, 5).stream().map(i -> "Item @" + h.id(i)).toList());
        assertThat(d.numericKeys()).isFalse();
        assertThat(f.sampleIds()).containsExactlyElementsOf(items.subList(0, 5).stream().map(h::id).toList());
    }

    /** An object used as a dictionary: its properties but {@code __proto__} are entries, their names the keys. */
    @Test
    void anObjectWithManyPropertiesIsADictionary() {
        NodeHeap h = new NodeHeap();
        int proto = h.onGlobal("ObjectPrototype", "Object", 0);
        int users = h.onGlobal("users", "Object", 64);
        h.prop(users, "__proto__", proto);
        for (int i = 0; i < 150; i++) {
            h.prop(users, "u" + i, h.obj("User", 100));
        }
        Finding f = only(h, AT_150);
        assertThat(f.bytes()).isEqualTo(64 + 150 * 100);
        assertThat(f.detail()).isEqualTo(new Finding.Collection(new Finding.NodeRef(h.id(users), "Object", "Object"),
                Collections.Kind.DICTIONARY, "users", 150, List.of(new ClassShare("User", 150, 15_000)),
                List.of("u0", "u1", "u2", "u3", "u4"), false));
    }

    /**
     * A full but bounded collection (an LRU cache at its 5,000-entry capacity, 80 KB) is below both thresholds:
     * examined, not reported. Fewer than 100 entries are not a collection finding whatever they retain (a leak
     * suspect reports those).
     */
    @Test
    void boundedAndSmallCollectionsAreNotReported() {
        NodeHeap h = new NodeHeap();
        h.prop(h.global, "lru", array(h, 5_000, "CacheEntry", 16, null));
        h.prop(h.global, "few", array(h, 99, "Blob", 1 << 20, null));
        Detector.Result r = h.detect(new CollectionsDetector(), DEFAULTS);
        assertThat(r.findings()).isEmpty();
        assertThat(r.check()).isEqualTo(new Check.Collections(1, 100, 5_000, 0, 10_000, 4L << 20));
    }

    /**
     * Node's own collections (by provenance: below a node: function on the shortest path, or keyed by a
     * {@code <symbol node:...>}) need internalFactor (10) x the thresholds: 150 entries no, 1,500 yes.
     */
    @Test
    void nodeInternalCollectionsNeedTenTimesAsMany() {
        for (int n : new int[] {150, 1_499, 1_500}) {
            NodeHeap h = new NodeHeap();
            NodeHeap.Fn processTimers = h.function("processTimers", NODE_TIMERS, 500);
            int ctx = h.context(h.scopeInfo("getTimerCallbacks", "queue"), h.nativeContext);
            h.prop(h.global, "processTimers", h.closure(processTimers, ctx));
            h.variable(ctx, "queue", array(h, n, "Task", 10, null));
            h.prop(h.global, "<symbol node:pending>", array(h, n, "Task", 10, null));
            assertThat(h.detect(new CollectionsDetector(), AT_150).findings()).as("%d entries", n)
                    .hasSize(n >= 1_500 ? 2 : 0);
        }
    }

    /** A claimed collection (a listener Array) is skipped, not even examined. */
    @Test
    void claimedCollectionsAreSkipped() {
        NodeHeap h = new NodeHeap();
        int a = h.prop(h.global, "requests", array(h, 150, "Request", 100, null));
        BitSet claimed = new BitSet();
        claimed.set(a);
        Detector.Result r = h.detect(new CollectionsDetector(), AT_150, Claims.none().plus(claimed));
        assertThat(r.findings()).isEmpty();
        assertThat(r.check()).isEqualTo(new Check.Collections(0, 100, 0, 0, 150, 4L << 20));
    }

    /**
     * {@link CollectionsDetector#NESTING_STEPS}: a collection within 64 dominators of a reported one is left to it;
     * one nested deeper is reported on its own (the cap bounds the climb). Outer Array of 150: element 0 leads
     * through {@code depth - 1} objects to an inner Array of 150 Items, {@code depth} dominator steps below.
     */
    @Test
    void nestedCollectionsWithinSixtyFourStepsAreLeftToTheOuterOne() {
        assertThat(CollectionsDetector.NESTING_STEPS).isEqualTo(64);
        for (int depth : new int[] {1, 64, 65}) {
            NodeHeap h = new NodeHeap();
            int outer = h.onGlobal("outer", "Array", 16);
            int inner = array(h, 150, "Item", 10, null);
            if (depth == 1) {
                h.element(outer, 0, inner);
            } else {
                int at = h.element(outer, 0, h.obj("Node", 16));
                for (int k = 2; k < depth; k++) {
                    at = h.prop(at, "child", h.obj("Node", 16));
                }
                h.prop(at, "items", inner);
            }
            for (int i = 1; i < 150; i++) {
                h.element(outer, i, h.obj("Item", 10));
            }
            var g = h.graph();
            int steps = 0;
            for (int d = inner; d != outer; d = g.idom(d)) {
                steps++;
            }
            assertThat(steps).isEqualTo(depth);
            List<Long> reported = h.detect(new CollectionsDetector(), AT_150).findings().stream().map(Finding::id).toList();
            if (depth <= 64) {
                assertThat(reported).as("nested %d steps", depth).containsExactly(h.id(outer));
            } else {
                assertThat(reported).as("nested %d steps", depth).containsExactly(h.id(outer), h.id(inner));
            }
        }
    }
}
