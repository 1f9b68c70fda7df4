package dev.leakhound.analysis.diagnosis;

import java.util.BitSet;
import java.util.List;

/**
 * One Node.js leak pattern detector (after memlab's leak-filter rules: each rule a unit). It reads the
 * shared {@link DiagnosisContext} and the nodes earlier detectors claimed, and returns its findings,
 * what it checked, and the nodes it claims; it changes nothing shared. {@link Diagnosis} runs the
 * detectors in its declared order and applies each one's claims before the next runs.
 */
public interface Detector {
    FindingKind kind();

    Result detect(DiagnosisContext context, Claims claimed);

    /** What a detector found, what it looked at, and the nodes its findings explain. */
    record Result(List<Finding> findings, Check check, BitSet claims) {
        public Result {
            findings = List.copyOf(findings);
        }

        public static Result none(Check check) {
            return new Result(List.of(), check, new BitSet());
        }
    }
}
