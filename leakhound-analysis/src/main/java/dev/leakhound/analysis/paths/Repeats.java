package dev.leakhound.analysis.paths;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds runs of a repeating unit of one to three labels in a path, so that linked lists and
 * closure chains read {@code ._idleNext×40} or {@code (.someMethod::originalThing)×12} instead of
 * hundreds of steps, and so that two paths that differ only in how long the chain is compare equal.
 */
public final class Repeats {
    /** {@code labels} repeated {@code times} times (1 when it does not repeat). */
    public record Unit(List<String> labels, int times) {
        public String text() {
            return String.join("", labels);
        }
    }

    private Repeats() {}

    /** Splits {@code parts} into units, folding every run of at least {@code minTimes} repeats. */
    public static List<Unit> collapse(List<String> parts, int minTimes) {
        List<Unit> out = new ArrayList<>();
        int i = 0;
        int n = parts.size();
        while (i < n) {
            int bestLen = 0;
            int bestTimes = 1;
            for (int len = 1; len <= 3 && i + 2 * len <= n; len++) {
                int times = 1;
                while (i + (times + 1) * len <= n && same(parts, i, i + times * len, len)) {
                    times++;
                }
                if (times >= minTimes && times * len > bestTimes * Math.max(bestLen, 1)) {
                    bestLen = len;
                    bestTimes = times;
                }
            }
            if (bestLen > 0) {
                out.add(new Unit(List.copyOf(parts.subList(i, i + bestLen)), bestTimes));
                i += bestLen * bestTimes;
            } else {
                out.add(new Unit(List.of(parts.get(i)), 1));
                i++;
            }
        }
        return out;
    }

    private static boolean same(List<String> p, int a, int b, int len) {
        for (int k = 0; k < len; k++) {
            if (!p.get(a + k).equals(p.get(b + k))) {
                return false;
            }
        }
        return true;
    }

    /** Display form: runs of three or more read {@code X×N}. */
    public static String display(List<String> parts) {
        StringBuilder sb = new StringBuilder();
        for (Unit u : collapse(parts, 3)) {
            if (u.times() == 1) {
                sb.append(u.text());
            } else if (u.labels().size() == 1) {
                sb.append(u.text()).append('×').append(u.times());
            } else {
                sb.append('(').append(u.text()).append(")×").append(u.times());
            }
        }
        return sb.toString();
    }

    /** Key form: any repeat reads {@code (X)+}, whatever its length. */
    public static String key(List<String> parts) {
        return String.join("", keyUnits(parts));
    }

    /** The key form unit by unit: a label, or a repeated run ({@code (X)+}, {@code (XY)+}). */
    public static List<String> keyUnits(List<String> parts) {
        List<String> out = new ArrayList<>();
        for (Unit u : collapse(parts, 2)) {
            if (u.times() == 1) {
                out.add(u.text());
            } else {
                out.add("(" + u.text() + ")+");
            }
        }
        return out;
    }
}
