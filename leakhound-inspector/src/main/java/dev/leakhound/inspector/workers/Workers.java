package dev.leakhound.inspector.workers;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.CdpException;
import dev.leakhound.inspector.cdp.InspectorSession;
import dev.leakhound.inspector.cdp.InspectorTimeoutException;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.inspector.cdp.NodeWorkers;
import dev.leakhound.inspector.cdp.NodeWorkers.Worker;
import dev.leakhound.inspector.cdp.TargetGoneException;
import dev.leakhound.inspector.live.Target;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The worker threads of a {@link Target}: lists them, finds those a {@link WorkerSelector} names, measures
 * their heaps, and gives each an {@link InspectorSession} of its own ({@link #session}) that the live
 * commands use as they use the main thread's: {@link Target#focus} points the target at it. Opening it
 * enables the inspector's NodeWorker domain ({@link NodeWorkers}); the target detaches from the workers
 * when it is closed.
 */
public final class Workers implements AutoCloseable {
    /** A worker's V8 heap (v8.getHeapStatistics() inside it), in bytes. */
    public record Heap(long used, long total, long limit) {}

    /**
     * One row of {@code leakhound workers}.
     *
     * @param heap  its heap, or null when it did not answer
     * @param error why not (one line), or null
     */
    public record Listed(Worker worker, Heap heap, String error) {}

    private static final String HEAP_EXPR = "(() => { const s = (process.getBuiltinModule ? process.getBuiltinModule('v8')"
            + " : require('v8')).getHeapStatistics(); return {used: s.used_heap_size, total: s.total_heap_size,"
            + " limit: s.heap_size_limit}; })()";

    private final Target target;
    private final NodeWorkers nodeWorkers;
    private final Set<String> started = ConcurrentHashMap.newKeySet();   // sessionIds of workers seen running

    private Workers(Target target, NodeWorkers nodeWorkers) {
        this.target = target;
        this.nodeWorkers = nodeWorkers;
    }

    /** Enables the NodeWorker domain on the target's main thread; the target detaches from its workers when closed. */
    public static Workers open(Target target) {
        InspectorSession main = target.mainSession();
        NodeWorkers nw = NodeWorkers.enable(main.connection(), main.callTimeout(), target.nodeVersion());
        Workers w = new Workers(target, nw);
        target.addCleanup("detach from the worker threads", nw::close);
        return w;
    }

    public Target target() {
        return target;
    }

    /** The workers attached now, by id. */
    public List<Worker> list() {
        return nodeWorkers.list();
    }

    /**
     * For a target leakhound started, whose program may not have started its workers yet: when none is
     * attached, waits (up to the call timeout) for the first. Returns the workers attached then, possibly none.
     */
    public List<Worker> awaitFirstIfLaunched() {
        if (target.kind() != Target.Kind.LAUNCHED || !list().isEmpty()) {
            return list();
        }
        return nodeWorkers.awaitWorker(w -> true, target.mainSession().callTimeout());
    }

    /** The workers with their heaps (each asked in turn; one that does not answer has an error instead). */
    public List<Listed> listWithHeap() {
        List<Listed> rows = new ArrayList<>();
        for (Worker w : list()) {
            try {
                rows.add(new Listed(w, heap(w), null));
            } catch (LeakhoundException e) {
                rows.add(new Listed(w, null, e.getMessage()));
            }
        }
        return rows;
    }

    /** The worker's heap, from v8.getHeapStatistics() evaluated inside it. */
    public Heap heap(Worker w) {
        Object v = session(w).evaluate(HEAP_EXPR);
        if (!(v instanceof JsonObj o)) {
            throw new LeakhoundException("worker " + w.id() + " gave no heap statistics");
        }
        return new Heap(o.lng("used", -1), o.lng("total", -1), o.lng("limit", -1));
    }

    /**
     * A session inside the worker (same call timeout as the main thread's), once the worker has started
     * ({@link #awaitStarted}).
     */
    public InspectorSession session(Worker w) {
        InspectorSession s = new InspectorSession(nodeWorkers.connect(w), target.mainSession().callTimeout());
        awaitStarted(w, s);
        return s;
    }

    /**
     * Waits until the worker has run its script's synchronous part: a worker is announced before it boots,
     * and a snapshot taken then shows none of its program, while the command-line API that
     * {@link InspectorSession#evaluate} asks for fails during the boot ("CJSModule is not a constructor", seen
     * under load). A setImmediate callback runs only once the worker's event loop turns; it is asked without the
     * command-line API, and again while {@code setImmediate} is not defined yet, up to the call timeout.
     */
    private void awaitStarted(Worker w, InspectorSession s) {
        if (started.contains(w.sessionId())) {
            return;
        }
        Duration timeout = s.callTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObj params = JsonObj.of("expression", "new Promise(r => setImmediate(() => r(true)))", "awaitPromise", true,
                "returnByValue", true, "silent", true);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new InspectorTimeoutException(s.label() + ": " + name(w) + " did not get to its event loop within "
                        + timeout.toSeconds() + " s");
            }
            try {
                if (Boolean.TRUE.equals(s.valueOf(s.connection().call("Runtime.evaluate", params, Duration.ofNanos(left))))) {
                    started.add(w.sessionId());
                    return;
                }
            } catch (CdpException stillBooting) {
                // setImmediate not defined yet: ask again
            }
            try {
                s.connection().closedFuture().get(50, TimeUnit.MILLISECONDS); // returns at once if the worker ends
            } catch (TimeoutException e) {
                // still there: ask again
            } catch (ExecutionException e) {
                // closedFuture does not fail
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LeakhoundException("interrupted while waiting for " + name(w) + " to start");
            }
            if (s.connection().isClosed()) {
                throw new TargetGoneException(s.label() + ": " + name(w) + " ended before it started ("
                        + s.connection().closedFuture().getNow("") + ")");
            }
        }
    }

    /**
     * The workers {@code sel} names, by id; at least one, or a one-line error that lists the workers there
     * are. For a target leakhound started, whose workers may not have started yet, waits for one up to the
     * call timeout (--timeout); an attached process's workers are those running now.
     */
    public List<Worker> select(WorkerSelector sel) {
        Duration wait = target.kind() == Target.Kind.LAUNCHED ? target.mainSession().callTimeout() : Duration.ZERO;
        List<Worker> all = wait.isZero() ? list() : nodeWorkers.awaitWorker(sel, wait);
        List<Worker> chosen = all.stream().filter(sel).toList();
        if (!chosen.isEmpty()) {
            return chosen;
        }
        if (!target.isConnected()) {
            throw new TargetGoneException(target.label() + ": the target exited before " + sel.describe() + " could be found");
        }
        if (all.isEmpty()) {
            throw new LeakhoundException("process " + target.pid() + scriptSuffix() + " has no worker threads"
                    + (wait.isZero() ? "" : " (none started within " + wait.toSeconds() + " s)"));
        }
        String none = switch (sel.kind()) {
            case ID -> "no worker " + sel.value();
            case SCRIPT -> "no worker runs " + sel.value();
            case ALL -> "no worker";
        };
        throw new LeakhoundException(none + (wait.isZero() ? "" : " (waited " + wait.toSeconds() + " s for it to start)")
                + "; workers: " + describe(all));
    }

    /** As {@link #select}, for a command that works on one worker: several matches are an error. */
    public Worker selectOne(WorkerSelector sel) {
        if (sel.kind() == WorkerSelector.Kind.ALL) {
            throw new LeakhoundException("--worker all is for snapshot; this command works on one worker: give its id"
                    + " (leakhound workers lists them)");
        }
        List<Worker> chosen = select(sel);
        if (chosen.size() > 1) {
            throw new LeakhoundException(chosen.size() + " workers run " + sel.value() + ": give one id; workers: " + describe(chosen));
        }
        return chosen.get(0);
    }

    /** Points the target at {@code w}: its session() and snapshots are the worker's from now on. */
    public void focus(Worker w) {
        target.focus(session(w), name(w));
    }

    /** "worker 1 (worker.js)". */
    public static String name(Worker w) {
        return "worker " + w.id() + (w.script().isEmpty() ? "" : " (" + w.script() + ")");
    }

    /** "1 (worker.js), 2 (other.js)". */
    static String describe(List<Worker> ws) {
        return ws.stream().map(w -> w.id() + (w.script().isEmpty() ? "" : " (" + w.script() + ")")).collect(Collectors.joining(", "));
    }

    private String scriptSuffix() {
        String s = target.script();
        return s == null || s.isEmpty() ? "" : " (" + s + ")";
    }

    /** Detaches from the workers now (also done when the target closes). */
    @Override
    public void close() {
        target.focus(null, null);
        nodeWorkers.close();
    }
}
