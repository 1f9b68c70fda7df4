package dev.leakhound.cli.serve;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A request's query parameters, decoded, with readers that answer a bad value with a 400. */
final class Query {
    private final Map<String, String> values;

    private Query(Map<String, String> values) {
        this.values = values;
    }

    static Query parse(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String part : raw.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String k = decode(eq < 0 ? part : part.substring(0, eq));
                String v = eq < 0 ? "" : decode(part.substring(eq + 1));
                m.put(k, v);
            }
        }
        return new Query(m);
    }

    static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.bad("malformed %-escape in '" + s + "'");
        }
    }

    String get(String name) {
        return values.get(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String text(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** An integer in [min, max], or {@code dflt} when absent. */
    int integer(String name, int dflt, int min, int max) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        long x;
        try {
            x = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.bad(name + " must be a whole number, got '" + Api.shorten(v) + "'");
        }
        if (x < min || x > max) {
            throw ApiException.bad(name + " must be between " + min + " and " + max + ", got " + x);
        }
        return (int) x;
    }

    boolean bool(String name) {
        String v = values.get(name);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "", "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> throw ApiException.bad(name + " must be true or false, got '" + Api.shorten(v) + "'");
        };
    }
}
