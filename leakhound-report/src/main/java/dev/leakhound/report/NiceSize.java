package dev.leakhound.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * node-memwatch's byte formatter, the one implementation for every memwatch-compatible output (the
 * {@code size} fields of {@code diff --format memwatch}, the rate in {@code watch}'s leak reason). Checked
 * against 3,242 values printed by memwatch's formula compiled with g++ (NiceSizeTest,
 * {@code niceSize-reference.tsv} and the {@code .cc} that made it).
 */
public final class NiceSize {
    private NiceSize() {}

    /**
     * memwatch's {@code mw_util::niceSize} ({@code src/util.cc}): above 1 MiB (strictly, by absolute
     * value) {@code round(bytes / (1048576 / 100.0)) / 100.0} then " mb"; above 1 KiB the same with
     * 1024 and " kb"; otherwise the integer and " bytes". C's {@code round} rounds halves away from zero,
     * and the double goes through a C++ stream with default settings, i.e. {@code %g} with 6
     * significant digits: "1.5 mb", "2 mb", "12345.7 mb", "1.23457e+06 mb". Takes a long where
     * memwatch took an int (which wrapped above 2 GiB), so sizes and rates of any magnitude print right.
     */
    public static String of(long bytes) {
        long abs = Math.abs(bytes);
        if (abs > 1024L * 1024) {
            return cppDouble(roundHalfAway(bytes / (((double) 1024 * 1024) / 100)) / (double) 100) + " mb";
        } else if (abs > 1024) {
            return cppDouble(roundHalfAway(bytes / (((double) 1024) / 100)) / (double) 100) + " kb";
        }
        return bytes + " bytes";
    }

    /** C's {@code round}: to the nearest integer, halves away from zero. */
    static double roundHalfAway(double x) {
        double a = Math.abs(x);
        double f = Math.floor(a);
        double r = a - f >= 0.5 ? f + 1 : f;
        return Math.copySign(r, x);
    }

    /** A double as {@code std::ostream << double} writes it by default ({@code %g}, precision 6). */
    static String cppDouble(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        // exact binary value rounded to 6 significant digits, ties to even as glibc's printf does
        BigDecimal d = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exp = d.precision() - d.scale() - 1;
        if (exp < -4 || exp >= 6) {
            BigDecimal mantissa = d.movePointLeft(exp);
            String m = stripZeros(mantissa.toPlainString());
            return m + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return stripZeros(d.toPlainString());
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
