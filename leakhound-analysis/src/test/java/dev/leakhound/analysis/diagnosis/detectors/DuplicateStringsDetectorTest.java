package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.NodeType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The duplicate-strings rule: string nodes with one text (V8 names a string node by its text, and the
 * snapshot interns names, so equal texts share a string-table index), copies beyond the first wasted.
 */
class DuplicateStringsDetectorTest {
    static final DiagnosisOptions DEFAULTS = DiagnosisOptions.defaults();

    /** {@code n} copies of {@code text} ({@code size} bytes each) in an Array at global[name]; returns the first. */
    private static int copies(NodeHeap h, String name, String text, int n, long size) {
        int a = h.onGlobal(name, "Array", 16);
        int first = -1;
        for (int i = 0; i < n; i++) {
            int s = h.element(a, i, h.string(text, size));
            first = first < 0 ? s : first;
        }
        return first;
    }

    /**
     * 1,000 copies of "application/json" (40 bytes) waste 999 x 40 = 39,960 bytes; 11 of "Content-Type" (32)
     * waste 320: 40,280 in all, over 2 texts and 1,009 extra copies. Not counted: single texts, a text of 1,024
     * characters or more (V8 cuts names there, so equal names may hide different texts), concatenated strings
     * (their text is not in the name), and copies only the engine reaches (50 below the GC roots).
     */
    @Test
    void duplicatesAreCountedAndWastedBytesAddedUp() {
        NodeHeap h = new NodeHeap();
        int json = copies(h, "types", "application/json", 1000, 40);
        int header = copies(h, "headers", "Content-Type", 11, 32);
        h.prop(h.global, "one", h.string("unique-1", 20));
        h.prop(h.global, "two", h.string("unique-2", 20));
        copies(h, "long", "x".repeat(1024), 10, 1100);
        int cons = h.onGlobal("built", "Array", 16);
        for (int i = 0; i < 20; i++) {
            h.element(cons, i, h.b.node(NodeType.CONCATENATED_STRING, "(concatenated string)", 32));
        }
        int gcRoots = h.b.node(NodeType.SYNTHETIC, "(GC roots)", 0);
        h.b.edge(h.root, EdgeType.ELEMENT, 1, gcRoots);
        int handles = h.b.node(NodeType.SYNTHETIC, "(Handle scope)", 0);
        h.b.edge(gcRoots, EdgeType.ELEMENT, 1, handles);
        for (int i = 0; i < 50; i++) {
            h.internal(handles, "h" + i, h.string("secret", 40));
        }

        Detector.Result r = h.detect(new DuplicateStringsDetector(), DEFAULTS.withMinBytes(40_280));
        // user-reachable string nodes: 1,000 + 11 + 2 + 10, and NodeHeap's one ScopeInfo name ("main")
        assertThat(r.check()).isEqualTo(new Check.DuplicateStrings(true, 1_024, 2, 40_280, true, 40_280));
        assertThat(r.findings()).hasSize(1);
        Finding f = r.findings().get(0);
        long jsonId = h.id(json);
        assertThat(f.kind()).isEqualTo(FindingKind.DUPLICATE_STRINGS);
        assertThat(f.bytes()).isEqualTo(40_280);
        assertThat(f.count()).isEqualTo(1_009);
        assertThat(f.id()).isEqualTo(jsonId);
        assertThat(f.className()).isEqualTo("(string)");
        assertThat(f.pathText()).isEqualTo("global.types[0] -> \"application/json\" @" + jsonId);
        assertThat(f.location()).isNull();
        assertThat(f.sampleIds()).containsExactly(jsonId);
        assertThat(f.detail()).isEqualTo(new Finding.DuplicateStrings(2, 1_009, 40_280, List.of(
                new Finding.Duplicate("\"application/json\"", 1000, 40, 39_960, "types", jsonId),
                new Finding.Duplicate("\"Content-Type\"", 11, 32, 320, "headers", h.id(header)))));
        assertThat(r.claims().isEmpty()).isTrue();

        // minBytes is inclusive
        Detector.Result below = h.detect(new DuplicateStringsDetector(), DEFAULTS.withMinBytes(40_281));
        assertThat(below.findings()).isEmpty();
        assertThat(below.check()).isEqualTo(new Check.DuplicateStrings(true, 1_024, 2, 40_280, false, 40_281));
    }

    /** The five texts wasting most are listed, most first; on equal waste the text met first comes first. */
    @Test
    void theTopFiveByWastedBytes() {
        NodeHeap h = new NodeHeap();
        long[] sizes = {10, 20, 30, 40, 50, 60, 70, 50};
        for (int i = 0; i < sizes.length; i++) {
            copies(h, "t" + i, "text-" + i, 2, sizes[i]);
        }
        Finding f = h.detect(new DuplicateStringsDetector(), DEFAULTS.withMinBytes(1)).findings().get(0);
        Finding.DuplicateStrings d = (Finding.DuplicateStrings) f.detail();
        assertThat(d.texts()).isEqualTo(8);
        assertThat(d.wastedBytes()).isEqualTo(330);
        assertThat(d.top()).extracting(Finding.Duplicate::text)
                .containsExactly("\"text-6\"", "\"text-5\"", "\"text-4\"", "\"text-7\"", "\"text-3\"");
        assertThat(d.top()).extracting(Finding.Duplicate::wastedBytes).containsExactly(70L, 60L, 50L, 50L, 40L);
    }

    /** Names are cut at 1,024 characters: a 1,023-character text is counted, a 1,024-character one is not. */
    @Test
    void textsThatMayBeCutAreLeftOut() {
        NodeHeap h = new NodeHeap();
        copies(h, "a", "y".repeat(1023), 2, 1040);
        copies(h, "b", "z".repeat(1024), 2, 1040);
        Finding f = h.detect(new DuplicateStringsDetector(), DEFAULTS.withMinBytes(1)).findings().get(0);
        assertThat(f.bytes()).isEqualTo(1040);
        assertThat(((Finding.DuplicateStrings) f.detail()).texts()).isEqualTo(1);
    }
}
