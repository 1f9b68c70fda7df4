package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.Timings;
import dev.leakhound.analysis.allocation.AllocationStack;
import dev.leakhound.analysis.allocation.Frame;
import dev.leakhound.analysis.allocation.PackageRef;
import dev.leakhound.analysis.diff.DiffResult;
import dev.leakhound.analysis.memory.MemoryGrowth;
import dev.leakhound.analysis.nodejs.Collections;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;

import java.util.List;

/**
 * What find-leaks concludes from a series of snapshots of one process, as data: the report layer
 * words it (each leak's summary and fix, why a group was dismissed, where a closure variable lives).
 *
 * @param snapshots the snapshots, oldest first
 * @param leaks     the leaks, ranked (most growth first), at most {@link FindLeaks.Options#maxLeaks()} (with a
 *                  baseline: that many new ones, and those in the baseline besides)
 * @param dismissed groups of new objects that were measured and did not pass (at most five; {@code check} adds
 *                  the groups that did not grow by a multiple of its calls)
 * @param classDiff the class comparison of the first and last snapshot, when asked for; else null
 * @param timings   how long each step took (reports show them only when asked)
 * @param baseline  the baseline the leaks were compared with ({@link Baseline#apply}), or null
 * @param scenario  for {@code check}: the scenario run between the snapshots ({@link Rounds}), or null
 * @param memory    for {@code hunt}: where the process's memory grew between the snapshots (resident, JS heap,
 *                  external, native), or null
 */
public record LeakReport(List<SnapshotInfo> snapshots, List<Leak> leaks, List<Leak> dismissed, DiffResult classDiff,
                         Timings timings, Baseline baseline, Scenario scenario, MemoryGrowth memory) {

    public LeakReport {
        snapshots = List.copyOf(snapshots);
        leaks = List.copyOf(leaks);
        dismissed = List.copyOf(dismissed);
    }

    /** A report without a baseline, not of a scenario. */
    public LeakReport(List<SnapshotInfo> snapshots, List<Leak> leaks, List<Leak> dismissed, DiffResult classDiff,
                      Timings timings) {
        this(snapshots, leaks, dismissed, classDiff, timings, null, null, null);
    }

    /** A report without memory figures. */
    public LeakReport(List<SnapshotInfo> snapshots, List<Leak> leaks, List<Leak> dismissed, DiffResult classDiff,
                      Timings timings, Baseline baseline, Scenario scenario) {
        this(snapshots, leaks, dismissed, classDiff, timings, baseline, scenario, null);
    }

    /** Whether any leak was found (accepted ones included). */
    public boolean leak() {
        return !leaks.isEmpty();
    }

    /** The leaks that fail a CI run: new and worse ones (all of them without a baseline). */
    public List<Leak> failing() {
        return leaks.stream().filter(l -> l.status() != Status.ACCEPTED).toList();
    }

    /**
     * {@code no-leak}; {@code leak} when a leak is new or worse; {@code accepted} when every leak found is in the
     * baseline. Without a leak, when the process's resident memory grew outside the JS heap ({@link #memory()}):
     * {@code external-growth} (Buffers, ArrayBuffers) or {@code native-growth} (outside V8's accounting).
     */
    public String verdict() {
        if (!leak() && growsOutsideHeap()) {
            return memory.kind().verdict();
        }
        return !leak() ? "no-leak" : failing().isEmpty() ? "accepted" : "leak";
    }

    /** Whether resident memory grew outside the JS heap (external or native), by {@link #memory()}. */
    public boolean growsOutsideHeap() {
        return memory != null && memory.outsideHeap();
    }

    /** The baseline's leaks that were not found this time (none without a baseline). */
    public List<Baseline.Entry> notSeen() {
        return baseline == null ? List.of() : baseline.notIn(leaks);
    }

    /** The same report with other leaks and dismissed groups. */
    public LeakReport with(List<Leak> leaks, List<Leak> dismissed) {
        return new LeakReport(snapshots, leaks, dismissed, classDiff, timings, baseline, scenario, memory);
    }

    public LeakReport withBaseline(Baseline b) {
        return new LeakReport(snapshots, leaks, dismissed, classDiff, timings, b, scenario, memory);
    }

    /** The same report with the memory figures of the process the snapshots come from. */
    public LeakReport withMemory(MemoryGrowth m) {
        return new LeakReport(snapshots, leaks, dismissed, classDiff, timings, baseline, scenario, m);
    }

    public LeakReport withScenario(Scenario s) {
        return new LeakReport(snapshots, leaks, dismissed, classDiff, timings, baseline, s, memory);
    }

    /** A leak compared with a baseline. Without a baseline every leak is new. */
    public enum Status {
        /** Not in the baseline: fails a CI run. */
        NEW("new"),
        /** In the baseline, growing no faster than {@link Baseline#WORSE_FACTOR} times the growth recorded. */
        ACCEPTED("accepted"),
        /** In the baseline, but growing more than {@link Baseline#WORSE_FACTOR} times faster than recorded: fails a CI run. */
        WORSE("worse");

        private final String id;

        Status(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * What {@code check} ran between the snapshots: {@code warmup} calls of the scenario before the first,
     * then {@code iterations} calls before each of the others.
     *
     * @param file the scenario module
     */
    public record Scenario(String file, int iterations, int warmup) {
        /** Rounds of calls between the snapshots of {@code r}. */
        public int rounds(LeakReport r) {
            return r.snapshots().size() - 1;
        }
    }

    public record SnapshotInfo(String file, int nodes, long totalBytes, long maxJsObjectId) {}

    /**
     * One group of leaked objects: those retained through the same (normalized) path.
     *
     * @param rank              1 for the leak that grew most; 0 for a dismissed group
     * @param pattern           the leak's shape
     * @param culprit           the variable or property that holds the growing set
     * @param leakedClass       the class of the leaked objects
     * @param retainedBytes     bytes the accumulation point keeps alive in the last snapshot (through the leaked objects)
     * @param count             objects of the leaked class it holds in the last snapshot
     * @param growthBytes       retainedBytes minus what it kept in the first snapshot
     * @param newBytes          bytes of objects allocated after the first snapshot (and surviving) kept through this path
     * @param newCount          objects of the leaked class among them
     * @param countsPerSnapshot objects of the leaked class under the accumulation point, per snapshot
     * @param bytesPerSnapshot  bytes kept alive through the accumulation point, per snapshot
     * @param container         the accumulation point (the collection or object that holds the set)
     * @param path              root to a representative leaked object
     * @param pathText          that path as {@link RetainerPath#render} writes it
     * @param location          the source position that best explains the leak, or null
     * @param detail            what the wording of this pattern needs
     * @param dismissal         for a dismissed group, why it is not called a leak; null for a leak
     * @param signature         what identifies the leak from one run to the next ({@link LeakSignature})
     * @param status            compared with a baseline ({@link Baseline#apply}); {@link Status#NEW} without one
     * @param allocations       when the snapshots carry allocation traces, the stacks that allocated the group's new
     *                          objects, most objects first; empty otherwise
     * @param dependency        when the leak's code sits in an npm package, which one and where; else null
     */
    public record Leak(int rank, LeakPattern pattern, String culprit, String leakedClass,
                       long retainedBytes, long count, long growthBytes, long newBytes, long newCount,
                       long[] countsPerSnapshot, long[] bytesPerSnapshot,
                       Container container, List<RetainerPath.Step> path, String pathText,
                       SourceLocator.Location location, Detail detail, Dismissal dismissal,
                       LeakSignature signature, Status status, List<AllocationStack> allocations,
                       Dependency dependency) {
        public Leak {
            path = List.copyOf(path);
            if (status == null) {
                status = Status.NEW;
            }
            allocations = allocations == null ? List.of() : List.copyOf(allocations);
        }

        /** A leak without allocation stacks or package (snapshots without allocation traces). */
        public Leak(int rank, LeakPattern pattern, String culprit, String leakedClass,
                    long retainedBytes, long count, long growthBytes, long newBytes, long newCount,
                    long[] countsPerSnapshot, long[] bytesPerSnapshot,
                    Container container, List<RetainerPath.Step> path, String pathText,
                    SourceLocator.Location location, Detail detail, Dismissal dismissal,
                    LeakSignature signature, Status status) {
            this(rank, pattern, culprit, leakedClass, retainedBytes, count, growthBytes, newBytes, newCount,
                    countsPerSnapshot, bytesPerSnapshot, container, path, pathText, location, detail, dismissal, signature,
                    status, List.of(), null);
        }

        /** The same leak with its allocation stacks and package. */
        public Leak withAllocations(List<AllocationStack> stacks, Dependency dep) {
            return new Leak(rank, pattern, culprit, leakedClass, retainedBytes, count, growthBytes, newBytes, newCount,
                    countsPerSnapshot, bytesPerSnapshot, container, path, pathText, location, detail, dismissal, signature,
                    status, stacks, dep);
        }

        /** The same leak ranked {@code r}. */
        public Leak withRank(int r) {
            return new Leak(r, pattern, culprit, leakedClass, retainedBytes, count, growthBytes, newBytes, newCount,
                    countsPerSnapshot, bytesPerSnapshot, container, path, pathText, location, detail, dismissal, signature, status,
                    allocations, dependency);
        }

        /** The same leak with status {@code s}. */
        public Leak withStatus(Status s) {
            return new Leak(rank, pattern, culprit, leakedClass, retainedBytes, count, growthBytes, newBytes, newCount,
                    countsPerSnapshot, bytesPerSnapshot, container, path, pathText, location, detail, dismissal, signature, s,
                    allocations, dependency);
        }

        /** The same group dismissed (rank 0) for {@code d}. */
        public Leak dismissedFor(Dismissal d) {
            return new Leak(0, pattern, culprit, leakedClass, retainedBytes, count, growthBytes, newBytes, newCount,
                    countsPerSnapshot, bytesPerSnapshot, container, path, pathText, location, detail, d, signature, status,
                    allocations, dependency);
        }

        /** How many objects of the leaked class the accumulation point gained per snapshot interval, on average. */
        public double countPerStep() {
            int k = countsPerSnapshot.length;
            return k < 2 ? 0 : (countsPerSnapshot[k - 1] - countsPerSnapshot[0]) / (double) (k - 1);
        }

        /** How many bytes the accumulation point gained per snapshot interval, on average. */
        public double bytesPerStep() {
            int k = bytesPerSnapshot.length;
            return k < 2 ? 0 : (bytesPerSnapshot[k - 1] - bytesPerSnapshot[0]) / (double) (k - 1);
        }

        /** The objects it holds: those of the last snapshot, or the new ones when more of those were counted. */
        public long heldCount() {
            return Math.max(count, newCount);
        }
    }

    /**
     * A leak whose code sits in an npm package (under {@code node_modules}).
     *
     * @param pkg        the package and its version
     * @param keptAt     what sits in the package: {@code accumulation-point} (the container is a variable of the
     *                   package's code), {@code source} (the position that explains the leak), {@code constructor}
     *                   (the leaked objects' class) or {@code allocation} (the allocating function)
     * @param holder     for {@code accumulation-point}, the package's variable that holds the objects, else null
     * @param keptWhere  a position in the package's code (the leak's source position, the constructor or the
     *                   allocating function), or null when only the script is known ({@code script})
     * @param script     the package's script in question
     * @param calledFrom the first application frame of the biggest allocation stack ("your code calls it here"), or null
     */
    public record Dependency(PackageRef pkg, String keptAt, String holder, SourceLocator.Location keptWhere, String script,
                             Frame calledFrom) {}

    /**
     * The accumulation point.
     *
     * @param pathText how it is reached ({@link RetainerPath#render})
     * @param pattern  the normalized path from it to the leaked objects, repeats folded ({@code [*]}, {@code (.next)+})
     * @param scope    when it is a closure variable, where that variable lives; else null
     */
    public record Container(long id, String className, String pathText, String pattern, Scope scope) {}

    /**
     * A closure variable's scope.
     *
     * @param variable      the variable's name
     * @param script        the script of the functions sharing the scope, or null when unknown
     * @param functions     labels ({@code name()}) of the first functions whose closures hold the scope, in heap order
     * @param functionCount how many functions hold it in all
     */
    public record Scope(String variable, String script, List<String> functions, int functionCount) {
        /** At most this many function labels are kept. */
        public static final int MAX_FUNCTIONS = 10;

        public Scope {
            functions = List.copyOf(functions);
        }
    }

    /** Why a group of new objects is not called a leak, with the numbers behind it. */
    public record Dismissal(Reason reason, long amount, long threshold) {
        public enum Reason {
            /** {@code amount}: the group's new bytes, under {@code threshold} (--min-bytes). */
            TOO_FEW_BYTES("too-few-bytes"),
            /** {@code amount}: how many objects the count grew by, under {@code threshold} (--min-count). */
            TOO_FEW_OBJECTS("too-few-objects"),
            /**
             * Neither the count nor the bytes grew at every step (objects are replaced, not accumulated);
             * {@code amount}: the bytes' growth over the series, {@code threshold}: --min-bytes.
             */
            NOT_GROWING("not-growing"),
            /**
             * {@code check}: the count did not grow by the same positive multiple of the calls in every round
             * ({@link Rounds}); {@code amount}: its growth in the first round, {@code threshold}: the calls per round.
             */
            NOT_PROPORTIONAL("not-proportional");

            private final String id;

            Reason(String id) {
                this.id = id;
            }

            public String id() {
                return id;
            }
        }
    }

    /**
     * A variable a closure's scope captures and the class of the object it holds. A function's captures
     * are listed the variable that best explains the leak first (one holding a new object, the biggest),
     * then the others that hold new objects, in scope order, at most {@link #MAX}.
     */
    public record Captured(String variable, String className) {
        public static final int MAX = 4;
    }

    /** What one pattern's wording needs, read from the last snapshot. */
    public sealed interface Detail permits Listeners, Timers, Chain, Buffers, Callbacks, Queue, Collection, Objects {}

    /**
     * Listeners for one event on one emitter ({@link LeakPattern#LISTENERS}).
     *
     * @param emitter      what the emitter is called (its property or variable name, else its class), or null
     * @param emitterClass its class
     * @param event        the event's name
     * @param listener     the listener function's label ({@code name()}), or null when none was found
     * @param captured     what the listener's scope captures (see {@link Captured}); empty when nothing
     */
    public record Listeners(String emitter, String emitterClass, String event, String listener, List<Captured> captured)
            implements Detail {
        public Listeners {
            captured = List.copyOf(captured);
        }
    }

    /**
     * Timers never cleared ({@link LeakPattern#TIMERS}).
     *
     * @param callback the callback function's label, or null when none was found
     * @param captured what the callback's scope captures (see {@link Captured}); empty when nothing
     */
    public record Timers(String callback, List<Captured> captured) implements Detail {
        public Timers {
            captured = List.copyOf(captured);
        }
    }

    /**
     * A chain: each leaked object keeps the previous one ({@link LeakPattern#CLOSURE_CHAIN}, {@link LeakPattern#CHAIN}).
     *
     * @param holder   the name the chain hangs off (e.g. {@code theThing})
     * @param variable the closure variable the link goes through; null for a plain linked chain
     * @param link     how the link from one member to the next reads ({@code .older}, {@code .someMethod::originalThing})
     */
    public record Chain(String holder, String variable, String link) implements Detail {}

    /**
     * Buffers kept ({@link LeakPattern#BUFFERS}).
     *
     * @param nativeBytes bytes of the group's new native nodes (ArrayBuffer backing stores)
     */
    public record Buffers(String holder, long nativeBytes) implements Detail {}

    /** Functions kept in an Array ({@link LeakPattern#CLOSURES_IN_ARRAY}); {@code captured} as for {@link Listeners}. */
    public record Callbacks(String holder, List<Captured> captured) implements Detail {
        public Callbacks {
            captured = List.copyOf(captured);
        }
    }

    /**
     * A queue that turns over and still grows ({@link LeakPattern#QUEUE}).
     *
     * @param firstMembers members at the first snapshot (ids remembered, at most 100,000)
     * @param stillThere   how many of those are still members at the last one
     */
    public record Queue(String holder, long firstMembers, long stillThere) implements Detail {}

    /**
     * A collection that only gains entries: an Array ({@link LeakPattern#ARRAY}), a Map, a Set or an
     * object used as a dictionary ({@link LeakPattern#MAP}, {@link LeakPattern#SET},
     * {@link LeakPattern#DICTIONARY}), or one of those in a closure's scope named like a cache
     * ({@link LeakPattern#MEMOIZE}).
     */
    public record Collection(String holder, Collections.Kind kind) implements Detail {}

    /**
     * Objects accumulating under something else ({@link LeakPattern#OBJECTS}).
     *
     * @param containerClass the accumulation point's class
     * @param via            how the objects hang below it, as a path reads ({@code .items[3]}; repeats folded)
     */
    public record Objects(String holder, String containerClass, String via) implements Detail {}
}
