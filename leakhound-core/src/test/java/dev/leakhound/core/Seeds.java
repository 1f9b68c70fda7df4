package dev.leakhound.core;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * Seeds for property tests run as JUnit parameterized tests: each try gets its own seed, shown in the
 * test's name and in its failure message, so that any failure can be replayed on its own.
 *
 * <p>The seeds are the same on every run (a failure on CI fails the same way locally). Two system
 * properties change that: {@code -Dleakhound.seed=S} runs every property with the single seed S (to replay a
 * failure), and {@code -Dleakhound.seedBase=B} derives a different sequence from B (to explore more cases).
 */
public final class Seeds {
    /** Seeds tried first by every property: the values random generators tend to get wrong. */
    private static final long[] EDGE_CASES = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE};
    private static final long DEFAULT_BASE = 0x6c65616b686f756eL;

    private Seeds() {}

    /** {@code count} seeds for the property {@code name}: the edge cases, then a sequence derived from the name. */
    public static LongStream of(String name, int count) {
        Long only = Long.getLong("leakhound.seed");
        if (only != null) {
            return LongStream.of(only);
        }
        long base = Long.getLong("leakhound.seedBase", DEFAULT_BASE) ^ name.hashCode() * 0x9E3779B97F4A7C15L;
        Random r = new Random(base);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = i < EDGE_CASES.length ? EDGE_CASES[i] : r.nextLong();
        }
        return LongStream.of(out);
    }

    /**
     * {@code count} integers in {@code [min, max]} for the property {@code name}: both ends and their
     * neighbours first, then values drawn from a seeded generator. {@code -Dleakhound.seed=S} replays the
     * single value S.
     */
    public static IntStream ints(String name, int count, int min, int max) {
        Long only = Long.getLong("leakhound.seed");
        if (only != null) {
            return IntStream.of((int) (long) only);
        }
        int[] ends = {min, min + 1, max - 1, max};
        Random r = new Random(Long.getLong("leakhound.seedBase", DEFAULT_BASE) ^ name.hashCode());
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = i < ends.length ? Math.max(min, Math.min(max, ends[i])) : min + r.nextInt(max - min + 1);
        }
        return IntStream.of(out);
    }

    /** A test body that may throw. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body}; a failure is rethrown with the seed and how to replay it in its message. */
    public static void check(long seed, Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            throw new AssertionError("failed with seed " + seed + " (replay it alone with -Dleakhound.seed=" + seed
                    + "): " + t, t);
        }
    }
}
