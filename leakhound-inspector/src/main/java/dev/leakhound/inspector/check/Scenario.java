package dev.leakhound.inspector.check;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.InspectorTimeoutException;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.inspector.hunt.Hunt;
import dev.leakhound.inspector.live.Target;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The live half of {@code leakhound check}: a scenario module (an exported async function) run in a fresh
 * Node.js process under leakhound's harness ({@code check-harness.cjs}, a resource of this jar, written
 * into the check's owner-only folder). The process is started with {@link Target#launch} like any
 * {@code hunt -- COMMAND}; the scenario is loaded, then run a given number of times between snapshots as
 * a {@link Hunt.Step} ({@link #rounds}). A scenario that cannot be loaded, exports no function, throws,
 * hangs or ends its process is a one-line error.
 */
public final class Scenario {
    /** The harness's file name in the check's folder. */
    public static final String HARNESS = "check-harness.cjs";
    private static final String API = "globalThis[Symbol.for('leakhound.check')]";

    private final Path file;
    private final Duration timeout;

    /**
     * @param file    the scenario module (absolute)
     * @param timeout how long one load or one round of calls may take
     */
    public Scenario(Path file, Duration timeout) {
        this.file = file;
        this.timeout = timeout;
    }

    public Path file() {
        return file;
    }

    /** Writes the harness into {@code dir} (owner-only) and returns its path. */
    public static Path writeHarness(Path dir) {
        Path out = dir.resolve(HARNESS);
        try (InputStream in = Scenario.class.getResourceAsStream(HARNESS)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + HARNESS);
            }
            byte[] code = in.readAllBytes();
            Files.deleteIfExists(out);
            try {
                Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(out);
            }
            Files.write(out, code);
            return out;
        } catch (IOException e) {
            throw new LeakhoundException("cannot write the check harness into " + dir + ": " + e.getMessage());
        }
    }

    /** The command that runs the scenario under the harness. */
    public List<String> command(String node, Path harness) {
        return List.of(node, harness.toString(), file.toString());
    }

    /** Loads the scenario in the target (the harness imports it). */
    public void load(Target t) {
        JsonObj answer = call(t, API + ".load()", "while loading it");
        String problem = answer.str("problem");
        if ("load".equals(problem)) {
            throw new LeakhoundException("scenario " + file + " could not be loaded: " + answer.str("detail"));
        }
        if ("not-a-function".equals(problem)) {
            throw new LeakhoundException("scenario " + file + " exports " + found(answer.str("detail")) + ", not a function: export"
                    + " the scenario as `module.exports = async () => {...}` or `export default async function () {...}`");
        }
        expectOk(answer, "while loading it");
    }

    /** Runs the scenario {@code calls} times, one call after the other; {@code what} says which round, for errors. */
    public void run(Target t, int calls, String what) {
        JsonObj answer = call(t, API + ".run(" + calls + ")", "during " + what);
        if ("threw".equals(answer.str("problem"))) {
            throw new LeakhoundException("scenario " + file + " threw on call " + answer.lng("call", 0) + " of " + calls
                    + " (" + what + "): " + answer.str("detail"));
        }
        expectOk(answer, "during " + what);
    }

    /**
     * The step of a check's hunt: {@code warmup} calls before the first snapshot, {@code iterations} before each
     * of the others.
     */
    public Hunt.Step rounds(int warmup, int iterations) {
        return (index, target) -> {
            if (index == 1) {
                if (warmup > 0) {
                    run(target, warmup, "the warm-up");
                }
            } else {
                run(target, iterations, "round " + (index - 1));
            }
        };
    }

    private JsonObj call(Target t, String expression, String when) {
        Object v;
        try {
            v = t.session().evaluateAwait(expression, timeout);
        } catch (InspectorTimeoutException e) {
            throw new LeakhoundException("scenario " + file + " did not finish " + when + " within "
                    + String.format(Locale.ROOT, "%.0f", timeout.toMillis() / 1000.0) + " s (--timeout)");
        } catch (LeakhoundException e) {
            if (t.finished().isDone() || t.process().map(p -> !p.isAlive()).orElse(false)) {
                throw new LeakhoundException("the node process running scenario " + file + " exited " + when
                        + exitCode(t));
            }
            throw e;
        }
        if (!(v instanceof JsonObj o)) {
            throw new LeakhoundException("the check harness gave no answer " + when + " (got " + v + ")");
        }
        return o;
    }

    /** What the harness found instead of a function ({@code typeof}, or "nothing", "null"), with its article. */
    private static String found(String what) {
        if (what == null || what.equals("nothing") || what.equals("null")) {
            return String.valueOf(what);
        }
        return ("aeiou".indexOf(what.charAt(0)) >= 0 ? "an " : "a ") + what;
    }

    private void expectOk(JsonObj answer, String when) {
        if (!Boolean.TRUE.equals(answer.get("ok"))) {
            throw new LeakhoundException("the check harness answered " + answer + " " + when);
        }
    }

    private static String exitCode(Target t) {
        return t.process().map(p -> {
            try {
                return p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) ? " (code " + p.exitValue() + ")" : "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }).orElse("");
    }
}
