package dev.leakhound.analysis;

import dev.leakhound.core.graph.IdIndex;
import dev.leakhound.core.snapshot.HeapSnapshot;

/**
 * Tells whether two snapshots come from one process. Ids are stable only within a process, but two
 * runs of the same program can hand out the same ids to different objects, so sharing ids is not
 * enough: in one process an id keeps its object, so the shared ids must also keep their type and
 * name. Checked on up to 20,000 shared ids spread over the id range.
 */
public final class SameProcess {
    private SameProcess() {}

    /** Null when they look like one process, else the reason they do not. */
    public static String check(HeapSnapshot a, HeapSnapshot b) {
        IdIndex ia = IdIndex.of(a);
        IdIndex ib = IdIndex.of(b);
        long common = ia.commonIds(ib);
        if (common == 0) {
            return "they share no object ids";
        }
        long step = Math.max(1, ia.size() / 40_000);
        long checked = 0;
        long same = 0;
        for (int i = 0; i < ia.size() && checked < 20_000; i += step) {
            long id = ia.idAt(i);
            int ob = ib.ordinalOf(id);
            if (ob < 0) {
                continue;
            }
            int oa = ia.ordinalAt(i);
            checked++;
            if (a.type(oa) == b.type(ob) && a.strings().get(a.nameIndex(oa)).equals(b.strings().get(b.nameIndex(ob)))) {
                same++;
            }
        }
        if (checked >= 20 && same * 10 < checked * 9) {
            return "of " + checked + " object ids they share, " + (checked - same) + " name different objects";
        }
        if (common * 100 < Math.min(a.nodeCount(), b.nodeCount())) {
            return "they share only " + common + " of " + Math.min(a.nodeCount(), b.nodeCount()) + " object ids";
        }
        return null;
    }
}
