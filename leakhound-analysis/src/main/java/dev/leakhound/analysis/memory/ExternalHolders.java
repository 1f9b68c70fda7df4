package dev.leakhound.analysis.memory;

import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.ReadOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * Who holds a snapshot's Buffers and ArrayBuffers: the external-memory detector's findings
 * ({@link dev.leakhound.analysis.diagnosis.detectors.ExternalMemoryDetector}), for a growth of external memory
 * that find-leaks did not call a leak (too few objects, or one Buffer growing).
 */
public final class ExternalHolders {
    private ExternalHolders() {}

    /** The holders of at least {@code minBytes} of backing stores in {@code snapshot}, biggest first. */
    public static List<Finding> of(Path snapshot, ReadOptions read, long minBytes) {
        DiagnosisOptions d = DiagnosisOptions.defaults().withMinBytes(minBytes);
        SnapshotAnalysis a = SnapshotAnalysis.analyze(snapshot, new SnapshotAnalysis.Options(0, d, false), read,
                ProgressListener.NONE);
        if (a.diagnosis() == null) {
            return List.of();
        }
        return a.diagnosis().findings().stream().filter(f -> f.kind() == FindingKind.EXTERNAL_MEMORY).toList();
    }
}
