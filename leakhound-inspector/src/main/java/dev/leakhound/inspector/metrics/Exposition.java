package dev.leakhound.inspector.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Prometheus text exposition (format 0.0.4) being built: samples are grouped under their metric family, so
 * that the series of several processes share one {@code # HELP}/{@code # TYPE} header, as the format requires.
 * Families come out in the order they were first given.
 */
public final class Exposition {
    private static final class Family {
        final String help;
        final String type;
        final StringBuilder samples = new StringBuilder();

        Family(String help, String type) {
            this.help = help;
            this.type = type;
        }
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    /** Declares a family (its header is written even with no sample). */
    public Exposition family(String name, String help, String type) {
        families.computeIfAbsent(name, k -> new Family(help, type));
        return this;
    }

    /**
     * Adds a sample of family {@code family}: {@code name{labels} value}. {@code labels} is the label list without
     * braces (already escaped), or empty.
     */
    public Exposition sample(String family, String name, String labels, String value) {
        Family f = families.get(family);
        if (f == null) {
            throw new IllegalStateException("undeclared metric family " + family);
        }
        f.samples.append(name);
        if (!labels.isEmpty()) {
            f.samples.append('{').append(labels).append('}');
        }
        f.samples.append(' ').append(value).append('\n');
        return this;
    }

    /** A gauge with one sample. */
    public Exposition gauge(String name, String help, String labels, long value) {
        return family(name, help, "gauge").sample(name, name, labels, Long.toString(value));
    }

    /** Two label lists joined: {@code a,b}. */
    public static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "," + b;
    }

    /** {@code name="value"}, the value escaped. */
    public static String label(String name, String value) {
        return name + "=\"" + PromMetrics.escape(value) + "\"";
    }

    public String text() {
        StringBuilder sb = new StringBuilder(4096);
        for (Map.Entry<String, Family> e : families.entrySet()) {
            Family f = e.getValue();
            sb.append("# HELP ").append(e.getKey()).append(' ').append(f.help).append('\n');
            sb.append("# TYPE ").append(e.getKey()).append(' ').append(f.type).append('\n');
            sb.append(f.samples);
        }
        return sb.toString();
    }
}
