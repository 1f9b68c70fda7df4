package dev.leakhound.cli.options;

import dev.leakhound.core.LeakhoundException;
import picocli.CommandLine.Option;

/**
 * What find-leaks reports as a leak, and the exit code it gives one (a picocli mixin for find-leaks and hunt,
 * which runs find-leaks on the snapshots it takes): {@code --min-bytes}, {@code --min-count},
 * {@code --max-leaks}, {@code --fail-on-leak}. Names, defaults and descriptions are find-leaks'.
 */
public final class LeakThresholdOptions {
    @Option(names = "--fail-on-leak", description = "exit with code 1 on a leak that is new (not in --baseline) or worse (for CI)")
    boolean failOnLeak;

    @Option(names = "--min-bytes", paramLabel = "BYTES", defaultValue = "65536",
            description = "smallest growth (new bytes kept) reported as a leak (default: ${DEFAULT-VALUE})")
    long minBytes;

    @Option(names = "--min-count", paramLabel = "N", defaultValue = "5",
            description = "smallest growth in objects reported as a leak (default: ${DEFAULT-VALUE})")
    long minCount;

    @Option(names = "--max-leaks", paramLabel = "N", defaultValue = "10",
            description = "report at most N leaks, the ones that grew most (all are ranked first; default: ${DEFAULT-VALUE})")
    int maxLeaks;

    public boolean failOnLeak() {
        return failOnLeak;
    }

    public long minBytes() {
        return minBytes;
    }

    public long minCount() {
        return minCount;
    }

    public int maxLeaks() {
        return maxLeaks;
    }

    /** Fails (one line, exit 2) on values find-leaks cannot use. */
    public void validate() {
        if (minBytes < 0 || minCount < 0 || maxLeaks < 1) {
            throw new LeakhoundException("--min-bytes and --min-count must be >= 0 and --max-leaks >= 1");
        }
    }

    /** The exit code for a verdict: 1 for a leak that fails the run (new or worse) with --fail-on-leak, else 0. */
    public int exitCode(boolean failingLeak) {
        return failingLeak && failOnLeak ? 1 : 0;
    }
}
