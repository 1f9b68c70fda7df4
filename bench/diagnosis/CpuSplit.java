/*
 * CpuSplit.java: where the diagnosis' CPU goes, in one process: the main thread's CPU time for the
 * diagnosis versus the whole process' (JIT compiler and GC threads included), next to the same for
 * read + analyze. Run from the repository root after a build:
 *
 *   java -Xmx1700m -XX:+UseParallelGC -cp leakhound-cli/target/leakhound.jar bench/diagnosis/CpuSplit.java FILE
 *
 * The process figure for the diagnosis includes 2 s of idling after it, so that background compiles
 * it started are counted.
 */
import dev.leakhound.analysis.SnapshotAnalysis;
import dev.leakhound.analysis.diagnosis.Diagnosis;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.ProgressListener;
import dev.leakhound.core.snapshot.SnapshotParser;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

public class CpuSplit {
    public static void main(String[] args) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        long p0 = os.getProcessCpuTime(), t0 = threads.getCurrentThreadCpuTime(), w0 = System.nanoTime();
        HeapSnapshot s = SnapshotParser.read(Path.of(args[0]), ProgressListener.NONE);
        HeapGraph g = HeapGraph.build(s);
        SnapshotAnalysis a = SnapshotAnalysis.of(g, 20, 0, 0, null);
        long p1 = os.getProcessCpuTime(), t1 = threads.getCurrentThreadCpuTime(), w1 = System.nanoTime();
        Diagnosis d = Diagnosis.run(g, DiagnosisOptions.defaults(), a.classes());
        long w2 = System.nanoTime(), t2 = threads.getCurrentThreadCpuTime();
        Thread.sleep(2000);
        long p2 = os.getProcessCpuTime();
        System.out.printf("read+analyze: %d ms wall, main thread %d ms CPU, process %d ms CPU%n",
                (w1 - w0) / 1_000_000, (t1 - t0) / 1_000_000, (p1 - p0) / 1_000_000);
        System.out.printf("diagnosis:    %d ms wall, main thread %d ms CPU, process %d ms CPU (%d findings)%n",
                (w2 - w1) / 1_000_000, (t2 - t1) / 1_000_000, (p2 - p1) / 1_000_000, d.findings().size());
    }
}
