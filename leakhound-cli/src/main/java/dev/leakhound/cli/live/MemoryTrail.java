package dev.leakhound.cli.live;

import dev.leakhound.analysis.memory.MemoryPoint;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.SnapshotResult;
import dev.leakhound.inspector.hunt.Hunt;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.watch.MemoryProbe;
import dev.leakhound.inspector.watch.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A hunt listener that reads where the target's memory is ({@link MemoryProbe}) right after each snapshot,
 * when the heap has just been fully collected and the resident size already includes what writing a snapshot
 * costs the target, so that the readings compare like with like; then hands the event on.
 */
final class MemoryTrail implements Hunt.Listener {
    private final Hunt.Listener next;
    private final Consumer<String> notices;
    private final List<MemoryPoint> points = new ArrayList<>();
    private Target target;
    private boolean failed;

    MemoryTrail(Hunt.Listener next, Consumer<String> notices) {
        this.next = next;
        this.notices = notices;
    }

    @Override
    public void started(Target t, Hunt.Plan plan) {
        this.target = t;
        // one reading before the first snapshot, thrown away: the probe's first call loads node:v8 and the modules it
        // needs in the target (a few hundred functions and objects), which would otherwise appear between the first
        // and second snapshots and read as a leak
        try {
            MemoryProbe.read(t.session());
        } catch (LeakhoundException e) {
            // said after the first snapshot, if it fails again there
        }
        next.started(t, plan);
    }

    @Override
    public void snapshotTaken(int index, int count, SnapshotResult result) {
        if (!failed) {
            try {
                points.add(point(MemoryProbe.read(target.session())));
            } catch (LeakhoundException e) {
                failed = true;
                points.clear();
                notices.accept("could not read the target's memory figures (" + e.getMessage() + "); no memory section");
            }
        }
        next.snapshotTaken(index, count, result);
    }

    /** The readings, oldest first (empty when one failed). */
    List<MemoryPoint> points() {
        return List.copyOf(points);
    }

    /** A watch or probe sample as the parts of memory analysis judges. */
    static MemoryPoint point(Sample s) {
        return MemoryPoint.of(s.timeMillis(), s.memory(), s.heap(), s.spacesUsed(), s.status());
    }
}
