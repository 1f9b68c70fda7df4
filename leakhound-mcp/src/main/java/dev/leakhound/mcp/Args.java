package dev.leakhound.mcp;

import dev.leakhound.core.LeakhoundException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A tool call's arguments, checked: each getter returns the value or throws a one-line
 * {@link LeakhoundException} that names the argument and says what it wants. Arguments a tool does not
 * know are refused, so that a misspelt one is not silently ignored.
 */
final class Args {
    /** The most rows any tool returns (a bigger {@code limit} is an error). */
    static final int MAX_ROWS = 200;

    private final String tool;
    private final Map<String, Object> values;

    Args(String tool, Map<String, Object> values, Set<String> known) {
        this.tool = tool;
        this.values = values == null ? Map.of() : values;
        Set<String> unknown = new TreeSet<>(this.values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new LeakhoundException(tool + ": unknown argument" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " (it takes " + String.join(", ", new TreeSet<>(known)) + ")");
        }
    }

    boolean has(String name) {
        return values.get(name) != null;
    }

    String string(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new LeakhoundException(tool + ": argument " + name + " is required");
        }
        if (!(v instanceof String s)) {
            throw new LeakhoundException(tool + ": " + name + " must be a string, got " + shown(v));
        }
        return s;
    }

    /** A string, or null when absent. */
    String optionalString(String name) {
        return has(name) ? string(name) : null;
    }

    /** A file path; relative paths are resolved against the server's working directory. */
    Path path(String name) {
        return toPath(name, string(name));
    }

    Path optionalPath(String name) {
        return has(name) ? path(name) : null;
    }

    /** A list of file paths, at least {@code min}, at most {@code max}. */
    List<Path> paths(String name, int min, int max) {
        Object v = values.get(name);
        if (v == null) {
            throw new LeakhoundException(tool + ": argument " + name + " is required");
        }
        if (!(v instanceof List<?> list)) {
            throw new LeakhoundException(tool + ": " + name + " must be an array of file paths, got " + shown(v));
        }
        if (list.size() < min || list.size() > max) {
            throw new LeakhoundException(tool + ": " + name + " takes " + min + " to " + max + " files, got " + list.size());
        }
        List<Path> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw new LeakhoundException(tool + ": " + name + " must be an array of file paths, got an element " + shown(o));
            }
            out.add(toPath(name, s));
        }
        return out;
    }

    /** An integer in {@code [min, max]}, or {@code dflt} when absent. */
    int integer(String name, int dflt, int min, int max) {
        Object v = values.get(name);
        if (v == null) {
            return dflt;
        }
        long n = wholeNumber(name, v);
        if (n < min || n > max) {
            throw new LeakhoundException(tool + ": " + name + " must be between " + min + " and " + max + ", got " + n);
        }
        return (int) n;
    }

    /** A non-negative number of bytes, or {@code dflt} when absent. */
    long bytes(String name, long dflt) {
        Object v = values.get(name);
        if (v == null) {
            return dflt;
        }
        long n = wholeNumber(name, v);
        if (n < 0) {
            throw new LeakhoundException(tool + ": " + name + " must not be negative, got " + n);
        }
        return n;
    }

    /** A number in {@code [min, max]} (seconds, say), or {@code dflt} when absent. */
    double number(String name, double dflt, double min, double max) {
        Object v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new LeakhoundException(tool + ": " + name + " must be a number, got " + shown(v));
        }
        double d = n.doubleValue();
        if (d < min || d > max) {
            throw new LeakhoundException(tool + ": " + name + " must be between " + fmt(min) + " and " + fmt(max) + ", got " + fmt(d));
        }
        return d;
    }

    boolean bool(String name, boolean dflt) {
        Object v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean b)) {
            throw new LeakhoundException(tool + ": " + name + " must be true or false, got " + shown(v));
        }
        return b;
    }

    /** An object id: a number, or a string {@code "@123"} / {@code "123"} as the other tools print ids. */
    long id(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new LeakhoundException(tool + ": argument " + name + " is required");
        }
        long id;
        if (v instanceof String s) {
            String t = s.startsWith("@") ? s.substring(1) : s;
            if (t.isEmpty() || t.length() > 10 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new LeakhoundException(tool + ": " + name + " must be an object id such as 123 or \"@123\", got " + shown(v));
            }
            id = Long.parseLong(t);
        } else {
            id = wholeNumber(name, v);
        }
        if (id < 0 || id > 0xFFFFFFFFL) {
            throw new LeakhoundException(tool + ": " + name + " must be an object id (0 to 4294967295), got " + id);
        }
        return id;
    }

    private long wholeNumber(String name, Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return (long) d;
            }
            if (!(n instanceof Double || n instanceof Float)) {   // BigInteger and the like
                throw new LeakhoundException(tool + ": " + name + " is out of range, got " + n);
            }
        }
        throw new LeakhoundException(tool + ": " + name + " must be a whole number, got " + shown(v));
    }

    private Path toPath(String name, String s) {
        if (s.isBlank()) {
            throw new LeakhoundException(tool + ": " + name + " must be a file path, got an empty string");
        }
        try {
            return Path.of(s).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new LeakhoundException(tool + ": " + name + " is not a valid path: " + e.getReason());
        }
    }

    /** A value as the caller sent it, shortened, for an error message. */
    private static String shown(Object v) {
        String t = v instanceof String s ? "\"" + s + "\"" : v instanceof Map ? "an object" : v instanceof List ? "an array"
                : String.valueOf(v);
        t = t.replace('\n', ' ');
        return t.length() > 60 ? t.substring(0, 59) + "…" : t;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
