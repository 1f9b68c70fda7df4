package dev.leakhound.analysis.leaks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A leak's identity from one run of a program to the next, for baselines and CI reports: what stays the
 * same when the same code leaks again, and nothing that changes between runs (object ids, sizes, counts,
 * which slot of an Array or which key of a Map the representative object sits in).
 *
 * @param pattern     the leak's shape
 * @param path        where it accumulates: the path from the roots to the accumulation point, then
 *                    ({@value #AT}) on to the leaked objects, with element indexes, Map slots and dictionary keys
 *                    folded and repeated links folded ({@link PathKeys}; the global object's property names,
 *                    which are variable names, are kept); only the last {@value #PATH_LABELS} units of the path
 *                    to the accumulation point are kept ({@code …} stands for the rest), since how the roots
 *                    reach a module's variable (which of several equally short routes the search took) is not
 *                    the leak's identity
 * @param leakedClass the class of the leaked objects
 */
public record LeakSignature(LeakPattern pattern, String path, String leakedClass) {
    /** Units (labels, or folded repeats) of the path to the accumulation point kept in {@link #path}. */
    public static final int PATH_LABELS = 4;

    /** Separates the path to the accumulation point from the path below it in {@link #path}. */
    public static final String AT = " @ ";

    public LeakSignature {
        if (pattern == null || path == null || leakedClass == null) {
            throw new IllegalArgumentException("a signature needs a pattern, a path and a class");
        }
    }

    /**
     * A signature from the accumulation point's folded path, unit by unit (root first), and the folded path
     * from it to the leaked objects.
     */
    public static LeakSignature of(LeakPattern pattern, java.util.List<String> containerLabels, String below, String leakedClass) {
        int from = Math.max(0, containerLabels.size() - PATH_LABELS);
        String above = String.join("", containerLabels.subList(from, containerLabels.size()));
        return new LeakSignature(pattern, (from > 0 ? "…" : "") + above + AT + below, leakedClass);
    }

    /**
     * The signature's short form: 16 hex digits of the SHA-256 of its pattern, path and class. Equal
     * signatures have equal ids; baselines and reports use it as the key.
     */
    public String id() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] d = md.digest((pattern.id() + "\n" + path + "\n" + leakedClass).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                sb.append(Character.forDigit((d[i] >> 4) & 0xF, 16)).append(Character.forDigit(d[i] & 0xF, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
