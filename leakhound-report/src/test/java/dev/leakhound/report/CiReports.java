package dev.leakhound.report;

import dev.leakhound.analysis.Timings;
import dev.leakhound.analysis.leaks.Baseline;
import dev.leakhound.analysis.leaks.LeakPattern;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.leaks.LeakSignature;
import dev.leakhound.analysis.nodejs.Collections;
import dev.leakhound.analysis.source.SourceLocator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Leak reports for the CI formats' tests: leaks with the given names, growth and source positions. */
final class CiReports {
    private CiReports() {}

    /** A leak of {@code cls} objects in an Array {@code holder}, growing by {@code perStep} between 3 snapshots. */
    static LeakReport.Leak leak(int rank, LeakPattern p, String holder, String cls, long perStep, SourceLocator.Location loc) {
        long[] counts = {10, 10 + perStep, 10 + 2 * perStep};
        long[] bytes = {counts[0] * 64, counts[1] * 64, counts[2] * 64};
        LeakReport.Detail d = switch (p) {
            case MAP -> new LeakReport.Collection(holder, Collections.Kind.MAP);
            case OBJECTS -> new LeakReport.Objects(holder, "Holder", ".items[*]");
            default -> new LeakReport.Collection(holder, Collections.Kind.ARRAY);
        };
        LeakSignature sig = new LeakSignature(p, "{global}." + holder + " @ [*]", cls);
        return new LeakReport.Leak(rank, p, holder, cls, bytes[2], counts[2], bytes[2] - bytes[0], bytes[2] - bytes[0],
                counts[2] - counts[0], counts, bytes, new LeakReport.Container(rank * 100L + 1, "Array",
                "global." + holder + " -> Array @" + (rank * 100 + 1), "[*]", null), List.of(),
                "global." + holder + "[3] -> " + cls + " @" + (rank * 100 + 7), loc, d, null, sig, LeakReport.Status.NEW);
    }

    static LeakReport report(List<LeakReport.Leak> leaks) {
        List<LeakReport.SnapshotInfo> infos = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            infos.add(new LeakReport.SnapshotInfo("/tmp/s" + (i + 1) + ".heapsnapshot", 1000, 100_000, 1000L * (i + 1)));
        }
        List<LeakReport.Leak> ranked = new ArrayList<>();
        for (int i = 0; i < leaks.size(); i++) {
            ranked.add(leaks.get(i).withRank(i + 1));
        }
        return new LeakReport(infos, ranked, List.of(), null, Timings.none());
    }

    /**
     * Four leaks under {@code root}: {@code cache} (new, in {@code src/cache dir/a.js}), {@code sessions} (accepted), {@code
     * queue} (worse, grows 30 per snapshot against 10 recorded; outside the root), {@code pending} (new, no source
     * position); the baseline lists sessions, queue and one leak that is not found.
     */
    static LeakReport withBaseline(Path root) {
        LeakReport r = report(List.of(
                leak(1, LeakPattern.ARRAY, "cache", "CacheEntry", 20, new SourceLocator.Location(root.resolve("src/cache dir/a.js").toString(), 12, 5)),
                leak(2, LeakPattern.MAP, "sessions", "Session", 10, new SourceLocator.Location(root.resolve("lib/sessions.js").toString(), 3, 1)),
                leak(3, LeakPattern.OBJECTS, "queue", "Job", 30, new SourceLocator.Location("/elsewhere/queue.js", 40, 2)),
                leak(4, LeakPattern.ARRAY, "pending", "Request", 5, null)));
        LeakReport.Leak sessions = r.leaks().get(1);
        LeakReport.Leak queue = r.leaks().get(2);
        Baseline b = new Baseline("leak-baseline.json", List.of(
                Baseline.Entry.of(sessions),
                new Baseline.Entry(queue.signature().id(), "objects", queue.signature().path(), "Job", 10, 640),
                new Baseline.Entry("00112233445566ff", "array", "{global}.gone @ [*]", "Gone", 3, 100)));
        return b.apply(r, 10);
    }
}
