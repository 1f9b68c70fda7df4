package dev.leakhound.report;

/**
 * How much of a model a JSON document carries. {@code --json} carries everything ({@link #NONE});
 * an HTML page embeds the same document with bounds ({@link #PAGE}), so a million-deep chain or a
 * heap of a million classes cannot blow up the page: long texts are cut in the middle, long paths keep
 * their ends with {@code {"elided": N}} between them, long lists keep their head and say how many
 * were left out. Field names and shapes are the same either way.
 *
 * @param maxText      characters of one text (paths as text, labels), 0 for no limit
 * @param maxPathSteps steps of a path (the first and last half are kept), 0 for no limit
 * @param maxRows      rows of a long table (classes, diff rows), 0 for no limit
 * @param maxListItems items of an evidence list, 0 for no limit
 */
public record Bounds(int maxText, int maxPathSteps, int maxRows, int maxListItems) {
    public static final Bounds NONE = new Bounds(0, 0, 0, 0);
    public static final Bounds PAGE = new Bounds(2000, 60, 3000, 20);

    /** A long text cut in the middle: {@code head … tail}. */
    public String text(String s) {
        return cut(s, maxText);
    }

    /** A short label (class names, edge names) in a page: cut at 200 characters; whole without bounds. */
    public String label(String s) {
        return maxText == 0 ? s : cut(s, 200);
    }

    public int rows(int size) {
        return maxRows == 0 ? size : Math.min(size, maxRows);
    }

    public int listItems(int size) {
        return maxListItems == 0 ? size : Math.min(size, maxListItems);
    }

    static String cut(String s, int max) {
        if (s == null || max <= 0 || s.length() <= max) {
            return s;
        }
        int half = (max - 1) / 2;
        return s.substring(0, half) + "…" + s.substring(s.length() - half);
    }
}
