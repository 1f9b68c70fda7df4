package dev.leakhound.analysis.info;

import dev.leakhound.analysis.ExampleSnapshots;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.core.snapshot.SnapshotHeader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotInfoTest {
    private static final long GIB = 1L << 30;
    private static final SnapshotHeader S530 = EstimateTest.benchmark(7_262_814, 22_105_879, 556_670_303L, 873);

    @Test
    void fitsWhenTheJvmHeapAndTheMachineHoldIt() {
        SnapshotInfo i = SnapshotInfo.of(S530, 3, new Machine(2 * GIB, 24 * GIB, 20 * GIB, -1, 2));
        assertThat(i.fit()).isEqualTo(SnapshotInfo.Fit.FITS);
    }

    @Test
    void aSmallHeapOnABigMachineAsksForMore() {
        SnapshotInfo i = SnapshotInfo.of(S530, 3, new Machine(GIB / 2, 24 * GIB, 20 * GIB, -1, 2));
        assertThat(i.fit()).isEqualTo(SnapshotInfo.Fit.NEEDS_BIGGER_HEAP);
        assertThat(i.heapToAskFor()).isGreaterThanOrEqualTo(i.memory().heap() + i.memory().heap() / 4);
        assertThat(i.heapToAskFor() % (512L << 20)).isZero();
    }

    @Test
    void aMachineWithTooLittleMemoryIsSaidSo() {
        // the cgroup limit is below what the process needs, whatever the JVM's -Xmx says
        SnapshotInfo i = SnapshotInfo.of(S530, 3, new Machine(4 * GIB, 24 * GIB, 20 * GIB, 900L << 20, 2));
        assertThat(i.fit()).isEqualTo(SnapshotInfo.Fit.MACHINE_TOO_SMALL);
        SnapshotInfo j = SnapshotInfo.of(S530, 3, new Machine(GIB / 2, 24 * GIB, GIB / 2, -1, 2));
        assertThat(j.fit()).isEqualTo(SnapshotInfo.Fit.MACHINE_TOO_SMALL);
    }

    @Test
    void whereTheMachineHoldsTheHeapButNotTheMarginTheAskIsTheHeapItself() {
        // usable: the process needs ~1.1 GiB, the usual ask (1.5 GiB + the JVM's own) does not fit in 1.3 GiB
        SnapshotInfo i = SnapshotInfo.of(S530, 3, new Machine(GIB / 2, 24 * GIB, 1300L << 20, -1, 2));
        assertThat(i.fit()).isEqualTo(SnapshotInfo.Fit.NEEDS_BIGGER_HEAP);
        assertThat(i.heapToAskFor()).isGreaterThanOrEqualTo(i.memory().heap())
                .isLessThan(i.memory().heap() + (256L << 20));
    }

    @Test
    void anUnknownMachineIsJudgedByTheHeapAlone() {
        assertThat(SnapshotInfo.of(S530, 3, new Machine(4 * GIB, -1, -1, -1, 1)).fit())
                .isEqualTo(SnapshotInfo.Fit.FITS);
        assertThat(SnapshotInfo.of(S530, 3, new Machine(GIB / 4, -1, -1, -1, 1)).fit())
                .isEqualTo(SnapshotInfo.Fit.NEEDS_BIGGER_HEAP);
    }

    @Test
    void ofAFileReadsItsHeaderOnThisMachine() {
        SnapshotInfo i = SnapshotInfo.of(ExampleSnapshots.root().resolve("testdata/snapshots/node22.heapsnapshot.gz"),
                ReadOptions.defaults());
        assertThat(i.header().nodeCount()).isEqualTo(53755);
        assertThat(i.node().from()).isEqualTo(21);
        assertThat(i.machine().jvmMaxHeap()).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(i.readMillis()).isNotNegative();
    }
}
