package dev.leakhound.report;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: left-aligned text columns, right-aligned numeric ones, long cells cut. */
public final class TextTable {
    private final String[] headers;
    private final boolean[] right;
    private final int[] maxWidth;
    private final List<String[]> rows = new ArrayList<>();

    /** Headers ending in '>' are right-aligned (the marker is dropped). */
    public TextTable(String... headers) {
        this.headers = new String[headers.length];
        this.right = new boolean[headers.length];
        this.maxWidth = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            String h = headers[i];
            right[i] = h.endsWith(">");
            this.headers[i] = right[i] ? h.substring(0, h.length() - 1) : h;
            maxWidth[i] = 80;
        }
    }

    public TextTable maxWidth(int column, int width) {
        maxWidth[column] = width;
        return this;
    }

    public TextTable row(Object... cells) {
        String[] r = new String[headers.length];
        for (int i = 0; i < r.length; i++) {
            String c = i < cells.length && cells[i] != null ? cells[i].toString() : "";
            c = c.replace('\n', ' ').replace('\r', ' ');
            if (c.length() > maxWidth[i]) {
                c = c.substring(0, maxWidth[i] - 1) + "…";
            }
            r[i] = c;
        }
        rows.add(r);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public String render(String indent) {
        int[] w = new int[headers.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = headers[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].codePointCount(0, r[i].length()));
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, indent, headers, w);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            if (i > 0) {
                rule.append("  ");
            }
            rule.append("-".repeat(w[i]));
        }
        sb.append(indent).append(rule).append('\n');
        for (String[] r : rows) {
            line(sb, indent, r, w);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, String indent, String[] cells, int[] w) {
        StringBuilder l = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                l.append("  ");
            }
            String c = cells[i];
            int pad = w[i] - c.codePointCount(0, c.length());
            if (right[i]) {
                l.append(" ".repeat(pad)).append(c);
            } else if (i < cells.length - 1) {
                l.append(c).append(" ".repeat(pad));
            } else {
                l.append(c);
            }
        }
        int end = l.length();
        while (end > 0 && l.charAt(end - 1) == ' ') {
            end--;
        }
        sb.append(l, 0, end).append('\n');
    }
}
