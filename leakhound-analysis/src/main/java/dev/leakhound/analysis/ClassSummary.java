package dev.leakhound.analysis;

import dev.leakhound.core.Parallel;
import dev.leakhound.core.graph.ClassIndex;
import dev.leakhound.core.graph.DominatedChildren;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Summary view: per class, object count, minimum distance, shallow size and retained size.
 * As in DevTools ({@code buildAggregates}, {@code calculateClassesRetainedSize}): nodes with self
 * size 0 are not counted, and a class's retained size adds a node's retained size only when no
 * dominator above it belongs to the same class, so each byte counts once per class.
 */
public final class ClassSummary {
    /** One class. {@code minDistance} is -1 when no member is reachable. */
    public record Row(int classId, String name, long count, int minDistance, long shallowSize, long retainedSize) {}

    /**
     * Per-class counts, shallow sizes and minimum distances: everything but retained sizes. It needs no
     * dominator tree, so it can be computed while the tree is built (see {@link HeapGraph#build(HeapSnapshot,
     * dev.leakhound.core.snapshot.ProgressListener, java.util.function.Function)}) and handed to
     * {@link #compute(HeapGraph, Counts)}.
     */
    public record Counts(long[] count, long[] shallow, int[] minDist) {}

    private ClassSummary() {}

    public static Counts counts(HeapGraph g) {
        HeapSnapshot s = g.snapshot();
        ClassIndex classes = g.classes();
        int k = classes.classCount();
        long[] count = new long[k];
        long[] shallow = new long[k];
        int[] minDist = new int[k];
        Arrays.fill(minDist, Integer.MAX_VALUE);
        int n = s.nodeCount();
        for (int v = 0; v < n; v++) {
            long size = s.selfSize(v);
            if (size == 0) {
                continue;
            }
            int c = classes.classOf(v);
            count[c]++;
            shallow[c] += size;
            int d = g.distance(v);
            if (d >= 0 && d < minDist[c]) {
                minDist[c] = d;
            }
        }
        return new Counts(count, shallow, minDist);
    }

    public static List<Row> compute(HeapGraph g) {
        return compute(g, counts(g));
    }

    /** The rows, biggest retained size first, from counts computed earlier for this graph. */
    public static List<Row> compute(HeapGraph g, Counts counts) {
        ClassIndex classes = g.classes();
        int k = classes.classCount();
        long[] retained = new ClassRetained(g).run();
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            if (counts.count[c] == 0) {
                continue;
            }
            rows.add(new Row(c, classes.name(c), counts.count[c],
                    counts.minDist[c] == Integer.MAX_VALUE ? -1 : counts.minDist[c], counts.shallow[c], retained[c]));
        }
        rows.sort(Comparator.comparingLong(Row::retainedSize).reversed()
                .thenComparing(Comparator.comparingLong(Row::shallowSize).reversed())
                .thenComparing(Row::name));
        return rows;
    }

    /** Classes counted on the way from the root to a task's subtrees (a shared, immutable list). */
    private record Path(int classId, Path next) {
        static boolean contains(Path p, int c) {
            for (; p != null; p = p.next) {
                if (p.classId == c) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The subtrees of {@code childList[from..to)}, with the classes counted above them. */
    private record Task(int from, int to, Path path, long bytes) {}

    /**
     * Class retained sizes by a depth-first walk of the dominator tree that counts a node only while no
     * counted ancestor shares its class (DevTools' rule). To use both cores the walk is cut into tasks:
     * the nodes above every big subtree (more than 1/64 of the heap) are walked first, and the child lists
     * below them become runs of subtrees of about that size, which the threads take biggest first. Each
     * thread sums into its own arrays; the sums are added at the end, so the result does not depend on
     * how the work was split.
     */
    private static final class ClassRetained {
        private final HeapSnapshot s;
        private final int[] classOf;
        private final long[] ret;
        private final int[] first;
        private final int[] list;
        private final int k;

        ClassRetained(HeapGraph g) {
            this.s = g.snapshot();
            this.classOf = g.classes().classOfArray();
            this.ret = g.retainedSizes();
            DominatedChildren ch = g.dominatedAnyOrder();
            this.first = ch.firstChild();
            this.list = ch.childList();
            this.k = g.classes().classCount();
        }

        long[] run() {
            long[] retained = new long[k];
            int root = s.rootOrdinal();
            List<Task> tasks = new ArrayList<>();
            Path rootPath = null;
            if (s.selfSize(root) > 0) {
                retained[classOf[root]] += ret[root];
                rootPath = new Path(classOf[root], null);
            }
            long threshold = Math.max(1, ret[root] / 64);
            split(first[root], first[root + 1], rootPath, threshold, retained, tasks);
            tasks.sort(Comparator.comparingLong(Task::bytes).reversed());
            AtomicInteger next = new AtomicInteger();
            int helpers = Math.min(Parallel.THREADS, Math.max(1, tasks.size())) - 1;
            List<Parallel.Task<long[]>> forks = new ArrayList<>();
            for (int i = 0; i < helpers; i++) {
                forks.add(Parallel.fork("class-retained", () -> work(tasks, next)));
            }
            long[] mine = work(tasks, next);
            for (int c = 0; c < k; c++) {
                retained[c] += mine[c];
            }
            for (Parallel.Task<long[]> f : forks) {
                long[] theirs = f.join();
                for (int c = 0; c < k; c++) {
                    retained[c] += theirs[c];
                }
            }
            return retained;
        }

        /**
         * Walks the big nodes among {@code list[from..to)} (and below them) itself, adding their retained
         * sizes where counted; every run of small subtrees becomes a task.
         */
        private void split(int from, int to, Path path, long threshold, long[] retained, List<Task> tasks) {
            ArrayList<Task> pending = new ArrayList<>();
            pending.add(new Task(from, to, path, 0));
            while (!pending.isEmpty()) {
                Task range = pending.remove(pending.size() - 1);
                int runStart = range.from;
                long runBytes = 0;
                for (int i = range.from; i < range.to; i++) {
                    int x = list[i];
                    long r = ret[x];
                    if (r > threshold && first[x + 1] > first[x]) {
                        if (i > runStart) {
                            tasks.add(new Task(runStart, i, range.path, runBytes));
                        }
                        runStart = i + 1;
                        runBytes = 0;
                        int c = classOf[x];
                        Path below = range.path;
                        if (s.selfSize(x) > 0 && !Path.contains(range.path, c)) {
                            retained[c] += r;
                            below = new Path(c, range.path);
                        }
                        pending.add(new Task(first[x], first[x + 1], below, 0));
                    } else {
                        runBytes += r;
                        if (runBytes > threshold) {
                            tasks.add(new Task(runStart, i + 1, range.path, runBytes));
                            runStart = i + 1;
                            runBytes = 0;
                        }
                    }
                }
                if (range.to > runStart) {
                    tasks.add(new Task(runStart, range.to, range.path, runBytes));
                }
            }
        }

        /** Takes tasks until none are left; returns this thread's per-class sums. */
        private long[] work(List<Task> tasks, AtomicInteger next) {
            long[] retained = new long[k];
            int[] active = new int[k];
            int[] stack = new int[1024];
            final int[] classOf = this.classOf;
            final int[] first = this.first;
            final int[] list = this.list;
            final long[] ret = this.ret;
            while (true) {
                int t = next.getAndIncrement();
                if (t >= tasks.size()) {
                    return retained;
                }
                Task task = tasks.get(t);
                for (Path p = task.path; p != null; p = p.next) {
                    active[p.classId]++;
                }
                int sp = 0;
                int need = task.to - task.from;
                if (need > stack.length) {
                    stack = Arrays.copyOf(stack, Math.max(stack.length * 2, need));
                }
                for (int i = task.to - 1; i >= task.from; i--) {
                    stack[sp++] = list[i];
                }
                while (sp > 0) {
                    int x = stack[--sp];
                    if (x < 0) {             // leaving a counted node
                        active[classOf[~x]]--;
                        continue;
                    }
                    int c = classOf[x];
                    int lo = first[x];
                    int hi = first[x + 1];
                    if (sp + 1 + (hi - lo) > stack.length) {
                        stack = Arrays.copyOf(stack, Math.max(stack.length * 2, sp + 1 + (hi - lo)));
                    }
                    // as DevTools: only a counted node (size > 0, no counted ancestor of its class) hides its subtree
                    if (active[c] == 0 && s.selfSize(x) > 0) {
                        retained[c] += ret[x];
                        active[c]++;
                        stack[sp++] = ~x;
                    }
                    for (int i = hi - 1; i >= lo; i--) {
                        stack[sp++] = list[i];
                    }
                }
                for (Path p = task.path; p != null; p = p.next) {
                    active[p.classId]--;
                }
            }
        }
    }
}
