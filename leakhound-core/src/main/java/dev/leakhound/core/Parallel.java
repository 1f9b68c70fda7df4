package dev.leakhound.core;

import java.util.concurrent.Callable;

/**
 * Runs a piece of work on a second thread while the caller does something else: the graph kernels use
 * it to keep both cores busy. With one available processor the work runs on the caller's thread when it
 * is joined, so results never depend on threading.
 */
public final class Parallel {
    /**
     * Threads the kernels may use: the processors available to the JVM (the JVM option
     * {@code -XX:ActiveProcessorCount=1} makes everything run on one thread).
     */
    public static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private Parallel() {}

    /** A result that another thread may be computing. */
    public static final class Task<T> {
        private final Callable<T> work;
        private final Thread thread;
        private T result;
        private Throwable error;
        private boolean done;

        private Task(String name, Callable<T> work, boolean fork) {
            this.work = work;
            if (fork) {
                thread = new Thread(this::run, "leakhound-" + name);
                thread.setDaemon(true);
                thread.start();
            } else {
                thread = null;
            }
        }

        private void run() {
            try {
                result = work.call();
            } catch (Throwable t) {
                error = t;
            }
        }

        /** Waits for the result; rethrows what the work threw (checked exceptions wrapped). */
        public T join() {
            if (!done) {
                if (thread == null) {
                    run();
                } else {
                    boolean interrupted = false;
                    while (true) {
                        try {
                            thread.join();
                            break;
                        } catch (InterruptedException e) {
                            interrupted = true;   // the work cannot be abandoned half-way: wait, then re-flag
                        }
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
                done = true;
            }
            if (error instanceof RuntimeException) {
                throw (RuntimeException) error;
            }
            if (error instanceof Error) {
                throw (Error) error;
            }
            if (error != null) {
                throw new IllegalStateException(error);
            }
            return result;
        }
    }

    /** Starts {@code work} on a new thread (or, with one thread, defers it to {@link Task#join()}). */
    public static <T> Task<T> fork(String name, Callable<T> work) {
        return new Task<>(name, work, THREADS > 1);
    }

    /** {@link #fork} for work without a result. */
    public static Task<Void> fork(String name, Runnable work) {
        return fork(name, () -> {
            work.run();
            return null;
        });
    }
}
