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

    @Override
    public void close() {
        if (enabled && !lastText.isEmpty()) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
