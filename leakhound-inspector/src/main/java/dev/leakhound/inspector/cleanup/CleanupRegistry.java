package dev.leakhound.inspector.cleanup;

import dev.leakhound.core.LeakhoundException;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one owner of what must be undone when leakhound ends early (Ctrl-C, SIGTERM, an error that skips a
 * finally block): each resource registers how to clean it up, in one of three ordered phases, and
 * unregisters once it cleaned up by itself.
 *
 * <p>{@link #runAll()} runs the phases in order ({@link Phase#STOP_WORK}, then {@link Phase#END_TARGETS},
 * then {@link Phase#DELETE_FILES}) and, within a phase, the latest registration first. The order matters:
 * load and loops stop before the targets they use are released, and a snapshot's temporary file is deleted
 * only once nothing writes it any more. Each action runs at most once, and one that fails does not stop the
 * others. Once {@code runAll} started, new registrations are refused: leakhound is ending.
 *
 * <p>{@link #jvm()} is the registry whose {@code runAll} is the JVM's single shutdown hook, added on first
 * use; independent shutdown hooks would run in an order the JVM does not define. A registry made with the
 * constructor is not hooked to anything (tests run it themselves).
 */
public final class CleanupRegistry {
    /** When an action runs, relative to the others. */
    public enum Phase {
        /** Stop what drives or reads a target: HTTP load, the watch loop, the hunt. */
        STOP_WORK,
        /** Release targets: undo what leakhound did in them, disconnect, end the processes leakhound started. */
        END_TARGETS,
        /** Delete temporary files and folders: partial snapshots, hunt's snapshot folder. */
        DELETE_FILES
    }

    /** A registered action; {@link #close()} unregisters it without running it. Idempotent. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** An action that threw while running. */
    public record Failure(String what, RuntimeException error) {}

    private record Entry(String what, Runnable action) {}

    private static CleanupRegistry jvm;

    private final Map<Phase, List<Entry>> entries = new EnumMap<>(Phase.class);
    private boolean running;

    public CleanupRegistry() {
        for (Phase p : Phase.values()) {
            entries.put(p, new ArrayList<>());
        }
    }

    /** The registry run by the JVM's shutdown hook (added once, on the first call). */
    public static synchronized CleanupRegistry jvm() {
        if (jvm == null) {
            CleanupRegistry r = new CleanupRegistry();
            Runtime.getRuntime().addShutdownHook(new Thread(r::runAll, "leakhound-cleanup"));
            jvm = r;
        }
        return jvm;
    }

    /**
     * Registers {@code action} to run in {@code phase} if leakhound ends before the registration is closed.
     * {@code what} names it (for {@link Failure}s).
     *
     * @throws LeakhoundException when the registry already runs: leakhound is ending
     */
    public synchronized Registration register(Phase phase, String what, Runnable action) {
        if (running) {
            throw new LeakhoundException("leakhound is ending: not starting to " + what);
        }
        Entry e = new Entry(what, action);
        entries.get(phase).add(e);
        return () -> remove(phase, e);
    }

    private synchronized void remove(Phase phase, Entry e) {
        entries.get(phase).remove(e);
    }

    /** Whether {@link #runAll()} has started. */
    public synchronized boolean isRunning() {
        return running;
    }

    /** Actions registered and not yet run or closed. */
    public synchronized int size() {
        int n = 0;
        for (List<Entry> l : entries.values()) {
            n += l.size();
        }
        return n;
    }

    /**
     * Runs every registered action, phase by phase, latest first within a phase; returns those that failed.
     * The actions run on the calling thread, without the registry's lock (an action may close other
     * registrations). The JVM's hook ignores the failures: there is nobody left to tell.
     */
    public List<Failure> runAll() {
        synchronized (this) {
            running = true;
        }
        List<Failure> failures = new ArrayList<>();
        for (Phase p : Phase.values()) {
            while (true) {
                Entry e;
                synchronized (this) {
                    List<Entry> l = entries.get(p);
                    if (l.isEmpty()) {
                        break;
                    }
                    e = l.remove(l.size() - 1);
                }
                try {
                    e.action().run();
                } catch (RuntimeException ex) {
                    failures.add(new Failure(e.what(), ex));
                }
            }
        }
        return failures;
    }
}
