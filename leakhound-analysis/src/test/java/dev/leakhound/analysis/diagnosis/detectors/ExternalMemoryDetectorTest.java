package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.core.snapshot.NodeType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The external-memory rule: ArrayBuffer backing stores ({@code system / JSArrayBufferData}, sized by their
 * byte length) attributed to the first non-buffer object above them in the dominator tree, grouped by that
 * owner's class and the owner's own dominator.
 */
class ExternalMemoryDetectorTest {
    static final long MIB = 1 << 20;
    static final DiagnosisOptions DEFAULTS = DiagnosisOptions.defaults();   // minBytes 4 MiB

    /** {@code owner.via = new viewClass(...)}: view (64) -> ArrayBuffer (80) -> backing store of {@code bytes}. */
    private static int backed(NodeHeap h, int owner, String via, String viewClass, long bytes) {
        int view = h.prop(owner, via, h.obj(viewClass, 64));
        int buffer = h.internal(view, "buffer", h.obj("ArrayBuffer", 80));
        return h.internal(buffer, "backing_store", h.b.node(NodeType.NATIVE, "system / JSArrayBufferData", bytes));
    }

    /** global.image (an Image) keeps 5 MiB through .data; global.frames, an Array of 8 Frames, 1 MiB each through .buf. */
    @Test
    void oneOwnerAndManyOwnersInAContainer() {
        NodeHeap h = new NodeHeap();
        int image = h.onGlobal("image", "Image", 80);
        backed(h, image, "data", "Uint8Array", 5 * MIB);
        int frames = h.onGlobal("frames", "Array", 16);
        List<Integer> owners = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int frame = h.element(frames, i, h.obj("Frame", 48));
            owners.add(frame);
            backed(h, frame, "buf", "Buffer", MIB);
        }
        Detector.Result r = h.detect(new ExternalMemoryDetector(), DEFAULTS);
        assertThat(r.check()).isEqualTo(new Check.ExternalMemory(true, 9, 13 * MIB, 2, 2, 4 * MIB));
        assertThat(r.findings()).extracting(Finding::kind).containsOnly(FindingKind.EXTERNAL_MEMORY);

        // biggest first: the frames (8 MiB), reported at their container
        Finding many = r.findings().get(0);
        long framesId = h.id(frames);
        assertThat(many.bytes()).isEqualTo(8 * MIB);
        assertThat(many.count()).isEqualTo(8);
        assertThat(many.id()).isEqualTo(framesId);
        assertThat(many.className()).isEqualTo("Array");
        assertThat(many.pathText()).isEqualTo("global.frames -> Array @" + framesId);
        assertThat(many.location()).isNull();
        assertThat(many.sampleIds()).containsExactlyElementsOf(owners.subList(0, 5).stream().map(h::id).toList());
        assertThat(many.detail()).isEqualTo(new Finding.ExternalMemory(8, 8 * MIB, 13 * MIB, false,
                new Finding.NodeRef(h.id(owners.get(0)), "Frame", "Frame"), ".buf",
                new Finding.NodeRef(framesId, "Array", "Array"), "global.frames -> Array @" + framesId, "frames"));

        // then the image (5 MiB), a single owner reported as itself
        Finding one = r.findings().get(1);
        long imageId = h.id(image);
        assertThat(one.bytes()).isEqualTo(5 * MIB);
        assertThat(one.count()).isEqualTo(1);
        assertThat(one.id()).isEqualTo(imageId);
        assertThat(one.pathText()).isEqualTo("global.image -> Image @" + imageId);
        assertThat(one.sampleIds()).containsExactly(imageId);
        assertThat(one.detail()).isEqualTo(new Finding.ExternalMemory(1, 5 * MIB, 13 * MIB, true,
                new Finding.NodeRef(imageId, "Image", "Image"), ".data", null, "", "image"));

        BitSet claims = new BitSet();
        claims.set(frames);
        claims.set(image);
        assertThat(r.claims()).isEqualTo(claims);
    }

    /** A group below minBytes (inclusive) is not reported; groups are by owner class and container, not summed across. */
    @Test
    void belowMinBytesNothingIsReported() {
        NodeHeap h = new NodeHeap();
        backed(h, h.onGlobal("a", "Image", 80), "data", "Uint8Array", 3 * MIB);
        backed(h, h.onGlobal("b", "Image", 80), "data", "Uint8Array", 3 * MIB);   // same class and container: one group
        backed(h, h.onGlobal("c", "Video", 80), "data", "Uint8Array", 3 * MIB);   // another class: another group
        Detector.Result r = h.detect(new ExternalMemoryDetector(), DEFAULTS.withMinBytes(6 * MIB));
        assertThat(r.findings()).extracting(Finding::bytes).containsExactly(6 * MIB);
        assertThat(((Finding.ExternalMemory) r.findings().get(0).detail()).singleOwner()).isFalse();
        assertThat(r.check()).isEqualTo(new Check.ExternalMemory(true, 3, 9 * MIB, 2, 1, 6 * MIB));
        assertThat(h.detect(new ExternalMemoryDetector(), DEFAULTS.withMinBytes(6 * MIB + 1)).findings()).isEmpty();
    }

    /** Node's own buffers (held under a {@code <symbol node:...>} key) need internalFactor (10) x minBytes. */
    @Test
    void nodeInternalBuffersNeedTenTimesTheBytes() {
        for (long bytes : new long[] {5 * MIB, 40 * MIB - 1, 40 * MIB}) {
            NodeHeap h = new NodeHeap();
            backed(h, h.onGlobal("<symbol node:writeQueue>", "WriteWrap", 64), "buffer", "Buffer", bytes);
            assertThat(h.detect(new ExternalMemoryDetector(), DEFAULTS).findings()).as("%d bytes", bytes)
                    .hasSize(bytes >= 40 * MIB ? 1 : 0);
        }
    }

    /**
     * {@link ExternalMemoryDetector#OWNER_STEPS}: the owner is looked for through at most 16 buffers or V8 arrays
     * above the store. Owner -> {elements} -> {@code levels} arrays -> store: with 16 levels the owner is found;
     * with 17 the search stops at the topmost array, which is then named the owner.
     */
    @Test
    void theOwnerIsLookedForSixteenStepsUp() {
        assertThat(ExternalMemoryDetector.OWNER_STEPS).isEqualTo(16);
        for (int levels : new int[] {16, 17}) {
            NodeHeap h = new NodeHeap();
            int owner = h.onGlobal("pool", "Pool", 48);
            int top = h.internal(owner, "elements", h.b.node(NodeType.ARRAY, "(object elements)", 16));
            int at = top;
            for (int k = 1; k < levels; k++) {
                at = h.internal(at, "next", h.b.node(NodeType.ARRAY, "(object elements)", 16));
            }
            h.internal(at, "backing_store", h.b.node(NodeType.NATIVE, "system / JSArrayBufferData", 5 * MIB));
            Finding f = h.detect(new ExternalMemoryDetector(), DEFAULTS).findings().get(0);
            Finding.ExternalMemory d = (Finding.ExternalMemory) f.detail();
            if (levels == 16) {
                assertThat(d.owner()).isEqualTo(new Finding.NodeRef(h.id(owner), "Pool", "Pool"));
                assertThat(d.via()).isEqualTo("{elements}");
                assertThat(d.holderName()).isEqualTo("pool");
            } else {
                assertThat(d.owner().id()).isEqualTo(h.id(top));
                assertThat(d.owner().className()).isEqualTo("(array)");
                assertThat(d.via()).isEqualTo("{next}");
            }
        }
    }

    /** Without ArrayBuffer backing stores there is nothing to check. */
    @Test
    void noBackingStoresNoCheck() {
        NodeHeap h = new NodeHeap();
        assertThat(h.detect(new ExternalMemoryDetector(), DEFAULTS).check())
                .isEqualTo(new Check.ExternalMemory(false, 0, 0, 0, 0, 4 * MIB));
    }
}
