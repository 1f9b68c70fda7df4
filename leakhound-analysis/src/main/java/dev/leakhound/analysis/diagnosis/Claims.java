package dev.leakhound.analysis.diagnosis;

import java.util.BitSet;

/**
 * Nodes that findings already explain, so that a later detector does not report them again (a
 * listener's scope is not also a "closure scope keeping data alive"). A detector reads the claims of
 * the detectors before it and returns its own ({@link Detector.Result#claims()}); only the
 * {@link Diagnosis} orchestrator adds them, in the order its detector list gives.
 */
public final class Claims {
    private final BitSet earlier;
    private final BitSet mine;

    private Claims(BitSet earlier, BitSet mine) {
        this.earlier = earlier;
        this.mine = mine;
    }

    /** No claims yet. */
    public static Claims none() {
        return new Claims(new BitSet(), null);
    }

    /** Claimed by an earlier detector, or by the one holding this view. */
    public boolean has(int node) {
        return node >= 0 && (earlier.get(node) || mine != null && mine.get(node));
    }

    /** A view for one detector: what earlier ones claimed plus what it claims itself, kept apart. */
    public Claims forDetector() {
        return new Claims(earlier, new BitSet());
    }

    /** Claims a node (only through a detector's view). */
    public void add(int node) {
        if (mine == null) {
            throw new IllegalStateException("claims are added through a detector's view");
        }
        if (node >= 0) {
            mine.set(node);
        }
    }

    /** What the holder of this view claimed. */
    public BitSet added() {
        return mine == null ? new BitSet() : (BitSet) mine.clone();
    }

    /** These claims plus {@code more}: what the next detector sees. */
    public Claims plus(BitSet more) {
        BitSet all = (BitSet) earlier.clone();
        all.or(more);
        return new Claims(all, null);
    }
}
