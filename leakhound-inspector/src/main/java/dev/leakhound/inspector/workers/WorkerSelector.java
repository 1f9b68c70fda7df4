package dev.leakhound.inspector.workers;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.NodeWorkers.Worker;

import java.util.function.Predicate;

/**
 * Which worker threads a command works on ({@code --worker ID|URL|all}): one by its id (its
 * {@code threadId}, as {@code leakhound workers} lists it), those running a script, or all of them.
 *
 * @param kind  how workers are chosen
 * @param value the id or the script (null for ALL)
 */
public record WorkerSelector(Kind kind, String value) implements Predicate<Worker> {
    public enum Kind { ID, SCRIPT, ALL }

    public static final WorkerSelector ALL = new WorkerSelector(Kind.ALL, null);

    /**
     * "all", a number (an id), or a script: its file:// URL, its path, or the end of its path
     * ("worker.js", "lib/worker.js"); a named worker's title also matches.
     */
    public static WorkerSelector parse(String s) {
        String v = s == null ? "" : s.strip();
        if (v.isEmpty()) {
            throw new LeakhoundException("--worker wants a worker id, a script URL or path, or all");
        }
        if (v.equals("all")) {
            return ALL;
        }
        if (v.chars().allMatch(Character::isDigit)) {
            return new WorkerSelector(Kind.ID, v.replaceFirst("^0+(?=.)", ""));
        }
        return new WorkerSelector(Kind.SCRIPT, v);
    }

    @Override
    public boolean test(Worker w) {
        return switch (kind) {
            case ALL -> true;
            case ID -> value.equals(w.id());
            case SCRIPT -> matchesScript(w);
        };
    }

    private boolean matchesScript(Worker w) {
        String url = w.url() == null ? "" : w.url();
        if (value.equals(url) || value.equals(w.title())) {
            return true;
        }
        String path = url.startsWith("file://") ? url.substring("file://".length()) : url;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        String v = value.startsWith("file://") ? value.substring("file://".length()) : value;
        return !path.isEmpty() && (path.equals(v) || path.endsWith("/" + v.replaceFirst("^\\./", "")));
    }

    /** "worker 3", "the worker running worker.js", "all workers". */
    public String describe() {
        return switch (kind) {
            case ALL -> "all workers";
            case ID -> "worker " + value;
            case SCRIPT -> "a worker running " + value;
        };
    }
}
