package dev.leakhound.report.html;

import dev.leakhound.core.LeakhoundException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.function.Consumer;

/**
 * Writes a report file: UTF-8, owner-only (0600: heap contents can hold secrets), first to a temporary
 * file beside the target and then moved over it, so a failed run leaves no half-written report.
 */
public final class HtmlFiles {
    private HtmlFiles() {}

    /** Fails early (before a long analysis) when the report could not be written there. */
    public static void checkTarget(Path file) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new LeakhoundException("cannot write " + file + ": no such directory " + dir);
        }
        if (Files.isDirectory(abs)) {
            throw new LeakhoundException("cannot write " + file + ": it is a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new LeakhoundException("cannot write " + file + ": the directory is not writable");
        }
    }

    public static void write(Path file, Consumer<Writer> body) {
        checkTarget(file);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            tmp = posix ? Files.createTempFile(dir, ".leakhound-", ".html.tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".leakhound-", ".html.tmp");
            try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
                 Writer w = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8), 1 << 16)) {
                body.accept(w);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException | UncheckedIOException e) {
            String why = e instanceof UncheckedIOException u ? String.valueOf(u.getCause().getMessage()) : String.valueOf(e.getMessage());
            throw new LeakhoundException("cannot write " + file + ": " + why);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
