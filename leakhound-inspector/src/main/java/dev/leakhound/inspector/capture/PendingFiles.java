package dev.leakhound.inspector.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Temporary files being written; a shutdown hook deletes any left when the JVM ends (e.g. on Ctrl-C). */
final class PendingFiles {
    private static final Set<Path> FILES = ConcurrentHashMap.newKeySet();
    private static volatile boolean hooked;

    private PendingFiles() {}

    static void add(Path p) {
        if (!hooked) {
            synchronized (PendingFiles.class) {
                if (!hooked) {
                    Runtime.getRuntime().addShutdownHook(new Thread(PendingFiles::deleteAll, "leakhound-partial-files"));
                    hooked = true;
                }
            }
        }
        FILES.add(p);
    }

    static void remove(Path p) {
        FILES.remove(p);
    }

    private static void deleteAll() {
        for (Path p : FILES) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // nothing more to do at exit
            }
        }
    }
}
