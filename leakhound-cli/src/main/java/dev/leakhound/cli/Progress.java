package dev.leakhound.cli;

import dev.leakhound.core.snapshot.ProgressListener;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line progress indicator on stderr, shown only when stderr is a terminal. */
final class Progress implements ProgressListener, AutoCloseable {
    private final PrintStream err;
    private final boolean enabled;
    private String lastText = "";
    private long lastAt;
    /** LEAKHOUND_TIMINGS=1 prints how long each phase took to stderr (for benchmarking). */
    private final boolean timings = System.getenv("LEAKHOUND_TIMINGS") != null;
    private final long start = System.nanoTime();
    private String phase;
    private long phaseAt = start;

    Progress(boolean enabled) {
        this.err = System.err;
        this.enabled = enabled && stderrIsTerminal();
    }

    static boolean stderrIsTerminal() {
        try {
            Path p = Files.readSymbolicLink(Path.of("/proc/self/fd/2"));
            String s = p.toString();
            return s.startsWith("/dev/pts/") || s.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
    }

    @Override
    public void progress(String phase, double fraction) {
        if (timings && !phase.equals(this.phase)) {
            long now = System.nanoTime();
            if (this.phase != null) {
                err.printf("[timing] %-16s %7d ms%n", this.phase, (now - phaseAt) / 1_000_000);
            }
            this.phase = phase;
            phaseAt = now;
        }
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        String text = phase + " " + (int) Math.round(fraction * 100) + "%";
        if (text.equals(lastText) || now - lastAt < 100_000_000L && fraction < 1) {
            return;
        }
        lastAt = now;
        err.print("\r\033[K" + text);
        err.flush();
        lastText = text;
    }

    /** Notes (such as why the fast reader gave up on a file) go with the timings. */
    @Override
    public void note(String message) {
        if (timings) {
            err.println("[note] " + message);
        }
    }

    @Override
    public void close() {
        if (timings && phase != null) {
            long now = System.nanoTime();
            err.printf("[timing] %-16s %7d ms%n[timing] %-16s %7d ms%n", phase, (now - phaseAt) / 1_000_000, "total",
                    (now - start) / 1_000_000);
            phase = null;
        }
        if (enabled && !lastText.isEmpty()) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
