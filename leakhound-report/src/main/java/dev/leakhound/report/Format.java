package dev.leakhound.report;

import java.util.Locale;

/** Number formatting shared by the text renderers. */
public final class Format {
    private Format() {}

    /** Bytes in binary units with three significant digits: 512 B, 1.50 KB, 23.4 MB, 1.21 GB. */
    public static String bytes(long b) {
        long a = Math.abs(b);
        String sign = b < 0 ? "-" : "";
        if (a < 1024) {
            return sign + a + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = a;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        String num = v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        return sign + num + " " + units[u];
    }

    /** Signed bytes: +1.50 MB, -12 B. */
    public static String signedBytes(long b) {
        return (b > 0 ? "+" : "") + bytes(b);
    }

    /** A name from the program, as code: {@code `requests`}. */
    public static String code(String name) {
        return "`" + name + "`";
    }

    /** A count with thousands separators: 7,612,345. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String signedCount(long n) {
        return (n > 0 ? "+" : "") + count(n);
    }

    public static String percent(long part, long whole) {
        if (whole <= 0) {
            return "-";
        }
        double p = 100.0 * part / whole;
        return String.format(Locale.ROOT, p >= 10 ? "%.0f%%" : "%.1f%%", p);
    }

    public static String millis(long ms) {
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
    }
}
