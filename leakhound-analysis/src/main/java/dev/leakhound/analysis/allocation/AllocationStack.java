package dev.leakhound.analysis.allocation;

import java.util.List;

/**
 * The objects of a group that one call stack allocated.
 *
 * @param count            objects (still alive in the snapshot) this stack allocated
 * @param bytes            their self sizes
 * @param className        the class most of them are (JS objects only, V8's system objects left out), or null
 * @param frames           innermost (the allocating function) first, up to the outermost; V8's {@code (root)} left out
 * @param applicationFrame index in {@code frames} of the first application frame ({@link Frame#isApplication}), -1 when none
 * @param site             the allocation expression ({@code new Class}, a literal, a {@code Buffer.from}, a timer, a
 *                         function expression: {@link AllocationShapes}) found in the source of the frames up to the
 *                         first application frame's caller, or null
 */
public record AllocationStack(long count, long bytes, String className, List<Frame> frames, int applicationFrame, Site site) {
    public AllocationStack {
        frames = List.copyOf(frames);
    }

    /** The first application frame, or null. */
    public Frame application() {
        return applicationFrame < 0 ? null : frames.get(applicationFrame);
    }

    /**
     * Where in a frame's function the objects are created: {@code new Class(} or another allocating expression
     * found in that function's source on disk (V8 only names the function).
     *
     * @param frame  index of the frame in {@link #frames}
     * @param line   1-based line of the expression
     * @param column 1-based column of the expression
     * @param text   the source line, trimmed (at most 160 characters)
     */
    public record Site(int frame, String file, int line, int column, String text) {}
}
