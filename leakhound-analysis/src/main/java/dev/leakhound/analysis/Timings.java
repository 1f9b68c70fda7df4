package dev.leakhound.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * How long the steps of an analysis took, in milliseconds, in the order they ran. Kept apart from the
 * results: reports print them only when asked ({@code --timings}), so that two runs on one file give
 * the same output.
 */
public record Timings(List<Step> steps) {
    public record Step(String name, long millis) {}

    public Timings {
        steps = List.copyOf(steps);
    }

    public static Timings none() {
        return new Timings(List.of());
    }

    /** The steps' times added up. */
    public long totalMillis() {
        long ms = 0;
        for (Step s : steps) {
            ms += s.millis();
        }
        return ms;
    }

    /** The time of the step with this name, or -1. */
    public long millis(String name) {
        for (Step s : steps) {
            if (s.name().equals(name)) {
                return s.millis();
            }
        }
        return -1;
    }

    /** Records steps as they end: each {@link #lap} closes the step that ran since the previous one. */
    public static final class Clock {
        private final List<Step> steps = new ArrayList<>();
        private long last = System.nanoTime();
        private final long start = last;

        public Clock lap(String name) {
            long now = System.nanoTime();
            steps.add(new Step(name, (now - last) / 1_000_000));
            last = now;
            return this;
        }

        /** Adds a step timed elsewhere. */
        public Clock add(String name, long millis) {
            steps.add(new Step(name, millis));
            return this;
        }

        public long totalMillis() {
            return (System.nanoTime() - start) / 1_000_000;
        }

        public Timings timings() {
            return new Timings(steps);
        }
    }
}
