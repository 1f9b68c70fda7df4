package dev.leakhound.analysis.info;

import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.core.snapshot.SnapshotHeader;
import dev.leakhound.core.snapshot.SnapshotParser;

import java.nio.file.Path;

/**
 * Everything {@code leakhound info} reports about a snapshot, from its header alone: what the header says, the
 * Node versions that write such a header, what {@code analyze} will need, and whether this JVM and machine have it.
 *
 * @param header      the header, as read
 * @param readMillis  how long reading the header took
 * @param node        the Node majors that write a meta like this one
 * @param memory      the memory {@code analyze} needs
 * @param time        the time it takes (calibrated on one machine)
 * @param machine     this JVM and machine
 */
public record SnapshotInfo(SnapshotHeader header, long readMillis, NodeVersions.Range node, Estimate.Memory memory,
                           Estimate.Time time, Machine machine) {

    /** Whether the memory fits: in this JVM's heap, or in this machine with a bigger heap, or not here. */
    public enum Fit {
        /** This JVM's heap holds the analysis. */
        FITS,
        /** The machine has the memory, this JVM's heap is too small: ask for {@link #heapToAskFor()}. */
        NEEDS_BIGGER_HEAP,
        /** The machine's available memory (or its cgroup limit) is below what the analysis needs. */
        MACHINE_TOO_SMALL
    }

    /** Reads the header of {@code file} and estimates for this JVM and machine. */
    public static SnapshotInfo of(Path file, ReadOptions options) {
        long t0 = System.nanoTime();
        SnapshotHeader h = SnapshotParser.readHeader(file, options);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        return of(h, millis, Machine.current());
    }

    /** The estimates for a header already read, on {@code machine}. */
    public static SnapshotInfo of(SnapshotHeader h, long readMillis, Machine machine) {
        return new SnapshotInfo(h, readMillis, NodeVersions.of(h), Estimate.memory(h), Estimate.time(h), machine);
    }

    /**
     * Whether the analysis fits: the machine's usable memory must hold the process (a machine whose memory is
     * unknown is taken to have it), and this JVM's heap the analysis.
     */
    public Fit fit() {
        long usable = machine.usableBytes();
        if (usable >= 0 && memory.process() > usable) {
            return Fit.MACHINE_TOO_SMALL;
        }
        return memory.heap() <= machine.jvmMaxHeap() ? Fit.FITS : Fit.NEEDS_BIGGER_HEAP;
    }

    /**
     * The heap to give {@code analyze} with {@code LEAKHOUND_HEAP}: {@link Estimate#heapToAskFor}; but where this
     * machine holds the process and not that much more, the heap needed rounded up to 256 MiB.
     */
    public long heapToAskFor() {
        long ask = Estimate.heapToAskFor(memory);
        long usable = machine.usableBytes();
        if (fit() != Fit.MACHINE_TOO_SMALL && usable >= 0 && ask + Estimate.JVM_OVERHEAD_BYTES > usable) {
            long step = 256L << 20;
            ask = (memory.heap() + step - 1) / step * step;
        }
        return ask;
    }
}
