package dev.leakhound.analysis.diff;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.graph.IdIndex;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Arrays;

/**
 * Whether two snapshots come from one process: the condition for matching objects by id.
 *
 * <p>V8 ids ({@code HeapObjectsMap}) follow a live object for the life of its process. Another
 * process numbers its objects afresh, but Node's start-up is deterministic enough that two processes
 * running the same code hand out nearly the same ids: measured on node 20, two processes of one small
 * script shared 99.8% of their 39,013 ids. The share of common ids therefore cannot tell processes
 * apart on its own. What differs is what the ids name. Within one process a shared id names an object
 * of the same type and, for the types whose name V8 fixes when it creates the object (objects by
 * constructor, functions, strings by value, natives, ...), the same name: 100% of 39,080 shared ids
 * agreed across 19 rounds of heavy allocation and collection between two snapshots. Across processes
 * 22% to 93% agreed in the pairs measured. Internal types ({@code hidden}, {@code array},
 * {@code code}, {@code object shape}) are compared by type only, because V8 names them after the
 * first referrer it happens to find, which can change between snapshots of one process.
 *
 * <p>Rule: one process when the snapshots share at least 20% of the smaller one's node count and at
 * least 98% of the shared ids agree.
 */
public final class SameProcessCheck {
    /** Smallest share of ids (of the smaller snapshot's node count) two snapshots of one process share. */
    public static final double MIN_SHARED = 0.20;
    /** Smallest share of shared ids that must name the same kind of object. */
    public static final double MIN_AGREEING = 0.98;

    /**
     * What the check measured.
     *
     * @param sharedIds        ids present in both snapshots
     * @param smallerNodeCount node count of the smaller snapshot
     * @param agreeingIds      shared ids naming the same type (and name, where names are fixed) in both
     * @param beforeMaxJsId    largest odd id of BEFORE (V8 hands out ids in increasing order)
     * @param afterMaxJsId     largest odd id of AFTER
     */
    public record Result(long sharedIds, long smallerNodeCount, long agreeingIds, long beforeMaxJsId, long afterMaxJsId) {
        public double sharedFraction() {
            return smallerNodeCount == 0 ? 1 : (double) sharedIds / smallerNodeCount;
        }

        public double agreeingFraction() {
            return sharedIds == 0 ? 1 : (double) agreeingIds / sharedIds;
        }

        public boolean enoughShared() {
            return sharedIds >= MIN_SHARED * smallerNodeCount;
        }

        public boolean idsAgree() {
            return agreeingIds >= MIN_AGREEING * sharedIds;
        }

        public boolean sameProcess() {
            return enoughShared() && idsAgree();
        }

        /** AFTER's newest object is older than BEFORE's: the files were probably given in the wrong order. */
        public boolean afterLooksOlder() {
            return afterMaxJsId < beforeMaxJsId;
        }

        /** Why the snapshots do not look like one process, or null when they do. */
        public String problem(String before, String after) {
            if (!enoughShared()) {
                return before + " and " + after + " do not look like snapshots of one process: they share "
                        + sharedIds + " of " + smallerNodeCount + " object ids (" + pct(sharedFraction())
                        + "; ids are only stable within one process)";
            }
            if (!idsAgree()) {
                return before + " and " + after + " do not look like snapshots of one process: only " + agreeingIds
                        + " of the " + sharedIds + " object ids they share (" + pct(agreeingFraction())
                        + ") name the same kind of object in both (ids are only stable within one process)";
            }
            return null;
        }
    }

    private SameProcessCheck() {}

    public static Result of(HeapSnapshot before, HeapSnapshot after) {
        IdIndex a = IdIndex.of(before);
        IdIndex b = IdIndex.of(after);
        // a string of BEFORE equals at most one string of AFTER when V8 interned them; remember matches
        int[] sameName = new int[before.strings().size()];
        Arrays.fill(sameName, -1);
        long shared = 0;
        long agreeing = 0;
        int i = 0;
        int j = 0;
        int na = a.size();
        int nb = b.size();
        while (i < na && j < nb) {
            long x = a.idAt(i);
            long y = b.idAt(j);
            if (x < y) {
                i++;
            } else if (x > y) {
                j++;
            } else {
                shared++;
                if (agree(before, a.ordinalAt(i), after, b.ordinalAt(j), sameName)) {
                    agreeing++;
                }
                i++;
                j++;
            }
        }
        return new Result(shared, Math.min(before.nodeCount(), after.nodeCount()), agreeing,
                before.maxJsObjectId(), after.maxJsObjectId());
    }

    private static boolean agree(HeapSnapshot a, int va, HeapSnapshot b, int vb, int[] sameName) {
        int ta = a.type(va);
        int tb = b.type(vb);
        if (ta >= NodeType.FIRST_UNKNOWN || tb >= NodeType.FIRST_UNKNOWN) {
            return a.typeName(va).equals(b.typeName(vb));
        }
        if (ta != tb) {
            return false;
        }
        if (!nameIsFixed(ta)) {
            return true;
        }
        int na = a.nameIndex(va);
        int nb = b.nameIndex(vb);
        if (sameName[na] == nb) {
            return true;
        }
        if (a.strings().byteLength(na) != b.strings().byteLength(nb) || !a.name(va).equals(b.name(vb))) {
            return false;
        }
        sameName[na] = nb;
        return true;
    }

    /** Types whose node name V8 fixes when the object is created. */
    static boolean nameIsFixed(int type) {
        switch (type) {
            case NodeType.HIDDEN:
            case NodeType.ARRAY:
            case NodeType.CODE:
            case NodeType.OBJECT_SHAPE:
                return false;
            default:
                return true;
        }
    }

    /**
     * Refuses snapshots of two processes unless {@code force} (a one-line error saying why); returns what
     * the user should know: a forced comparison of two processes, AFTER older than BEFORE.
     */
    public static List<DiffResult.Warning> enforce(Result r, String before, String after, boolean force) {
        List<DiffResult.Warning> warnings = new ArrayList<>();
        String problem = r.problem(before, after);
        if (problem != null) {
            if (!force) {
                throw new LeakhoundException(problem + "; use --force to compare them anyway");
            }
            warnings.add(new DiffResult.Warning(DiffResult.Warning.Kind.DIFFERENT_PROCESSES_FORCED, before, after));
        }
        if (r.afterLooksOlder()) {
            warnings.add(new DiffResult.Warning(DiffResult.Warning.Kind.AFTER_LOOKS_OLDER, before, after));
        }
        return warnings;
    }

    static String pct(double f) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * f);
    }
}
