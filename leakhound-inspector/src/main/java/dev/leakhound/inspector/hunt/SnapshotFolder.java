package dev.leakhound.inspector.hunt;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cleanup.CleanupRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where a hunt's snapshots go: a folder kept for the user, or an owner-only temporary folder that is
 * deleted, with everything in it, on {@link #close()}, and also when leakhound ends early (it is registered
 * with the cleanup registry's {@link CleanupRegistry.Phase#DELETE_FILES} phase while it exists).
 */
public final class SnapshotFolder implements AutoCloseable {
    /** Temporary folders are named {@code leakhound-hunt-<random>}. */
    public static final String TEMPORARY_PREFIX = "leakhound-hunt-";

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path path;
    private final CleanupRegistry.Registration registration;

    private SnapshotFolder(Path path, CleanupRegistry.Registration registration) {
        this.path = path;
        this.registration = registration;
    }

    /** A new temporary folder in {@code parent} (null: the system's temporary directory, java.io.tmpdir). */
    public static SnapshotFolder temporary(Path parent, CleanupRegistry cleanup) {
        if (parent != null && !Files.isDirectory(parent)) {
            throw new LeakhoundException("cannot create a temporary folder in " + parent + ": no such directory");
        }
        Path dir;
        try {
            dir = parent == null ? Files.createTempDirectory(TEMPORARY_PREFIX, OWNER_ONLY)
                    : Files.createTempDirectory(parent, TEMPORARY_PREFIX, OWNER_ONLY);
        } catch (IOException e) {
            throw new LeakhoundException("cannot create a temporary folder in "
                    + (parent == null ? System.getProperty("java.io.tmpdir") : parent) + ": " + reason(e));
        }
        try {
            return new SnapshotFolder(dir, cleanup.register(CleanupRegistry.Phase.DELETE_FILES, "delete " + dir,
                    () -> deleteTree(dir)));
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** {@code dir}, created owner-only if missing; kept. */
    public static SnapshotFolder keep(Path dir) {
        try {
            return new SnapshotFolder(Files.isDirectory(dir) ? dir : Files.createDirectories(dir, OWNER_ONLY), null);
        } catch (IOException e) {
            throw new LeakhoundException("cannot create " + dir + ": " + reason(e));
        }
    }

    public Path path() {
        return path;
    }

    /** Whether the folder is deleted on {@link #close()}. */
    public boolean isTemporary() {
        return registration != null;
    }

    /** Deletes a temporary folder and everything in it; a kept folder stays. */
    @Override
    public void close() {
        if (registration != null) {
            deleteTree(path);
            registration.close();
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a file vanishing or unreadable while walked: what could be deleted was
        }
    }
}
