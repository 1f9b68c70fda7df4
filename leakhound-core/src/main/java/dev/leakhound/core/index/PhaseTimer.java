package dev.leakhound.core.index;

/**
 * Wall time of the phases of opening a snapshot, printed to stderr when the JVM runs with
 * {@code -Dleakhound.timing=true} (for profiling a command: {@code JAVA_OPTS=-Dleakhound.timing=true
 * ./leakhound path FILE @ID}); otherwise does nothing. Each line is the time since the previous mark.
 */
public final class PhaseTimer {
    private static final boolean ON = Boolean.getBoolean("leakhound.timing");
    private static long last = System.nanoTime();

    private PhaseTimer() {}

    /** Prints the time since the last mark (or since this class was loaded) under {@code phase}. */
    public static synchronized void mark(String phase) {
        if (!ON) {
            return;
        }
        long now = System.nanoTime();
        System.err.printf("leakhound timing: %-28s %6.1f ms (JVM up %d ms)%n", phase, (now - last) / 1e6,
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        last = now;
    }
}
