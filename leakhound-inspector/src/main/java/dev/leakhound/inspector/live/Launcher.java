package dev.leakhound.inspector.live;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.CdpConnection;
import dev.leakhound.inspector.cdp.CdpException;
import dev.leakhound.inspector.cdp.InspectorEndpoint;
import dev.leakhound.inspector.cdp.InspectorEndpoint.TargetInfo;
import dev.leakhound.inspector.cdp.InspectorSession;
import dev.leakhound.inspector.cdp.InspectorTimeoutException;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import dev.leakhound.inspector.cdp.TargetGoneException;
import dev.leakhound.inspector.cleanup.CleanupRegistry;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Starts a command with its inspector on a free loopback port ({@link LaunchedProcess}) and attaches to its
 * first Node.js process. Package managers ({@code npm start}, yarn, pnpm, nodemon...) also get an inspector
 * through NODE_OPTIONS: those are skipped and leakhound attaches to the first other Node.js process the
 * command starts.
 *
 * <p>A program may finish at any moment of the attach. The launcher then waits for what comes next, the
 * command's exit or the next inspector announced (a short-lived helper ran first), and reports the exit with
 * its code rather than the connection it lost on the way.
 */
final class Launcher {
    private static final Pattern PACKAGE_MANAGER = Pattern.compile(
            "(/(npm|npx|yarn|pnpm|corepack|nodemon)(/|$)|npm-cli\\.js$|npx-cli\\.js$|yarn\\.c?js$|pnpm\\.c?js$|corepack(\\.c?js)?$|nodemon\\.js$)");

    private Launcher() {}

    static Target launch(List<String> command, Target.Options o) {
        LaunchedProcess lp = LaunchedProcess.start(command, o.nodeOptions(), o.childStdout(), o.childStderr());
        // until a target owns the command, ending it is the launcher's job, also if leakhound ends meanwhile
        CleanupRegistry.Registration ending;
        try {
            ending = o.cleanup().register(CleanupRegistry.Phase.END_TARGETS, "end `" + lp.commandLine() + "`",
                    () -> lp.destroyTree(Duration.ofSeconds(3)));
        } catch (RuntimeException e) {
            lp.destroyTree(Duration.ofSeconds(3));
            throw e;
        }
        try {
            Target t = attachFirstNode(lp, o);
            o.notices().accept("started `" + lp.commandLine() + "` (pid " + lp.pid() + "); attached to node "
                    + t.nodeVersion() + " pid " + t.pid() + " on " + t.label()
                    + " (loopback only); leakhound ends the command when it finishes");
            return t;
        } catch (RuntimeException e) {
            lp.destroyTree(Duration.ofSeconds(3));
            throw e;
        } finally {
            ending.close();
        }
    }

    private static Target attachFirstNode(LaunchedProcess lp, Target.Options o) {
        long deadline = System.nanoTime() + o.startTimeout().toNanos();
        boolean announced = false;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new LeakhoundException("`" + lp.commandLine() + "` started no Node.js inspector within "
                        + o.startTimeout().toSeconds() + " s (is it a Node.js program?)");
            }
            LaunchedProcess.Event ev;
            try {
                ev = lp.nextEvent(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LeakhoundException("interrupted while starting `" + lp.commandLine() + "`");
            }
            if (ev instanceof LaunchedProcess.Exited x) {
                throw exited(lp, x.code(), announced);
            }
            if (!(ev instanceof LaunchedProcess.Announced a)) {
                continue; // timed out: the deadline check above says so
            }
            announced = true;
            InspectorEndpoint ep = endpoint(a.uri(), o);
            if (ep == null) {
                continue; // not ours: we asked for 127.0.0.1
            }
            List<TargetInfo> list = ep.probe();
            if (list == null || list.isEmpty()) {
                continue; // a process that announced and exited already
            }
            TargetInfo info = list.get(0);
            if (info.url() != null && PACKAGE_MANAGER.matcher(info.url()).find()) {
                continue; // npm itself: wait for the program it runs
            }
            // asked before connecting, so that Node's "waiting for the debugger" cannot come unseen
            CompletableFuture<Void> programEnding = lp.nextDebuggerWait();
            Target t = null;
            try {
                t = Target.connect(Target.Kind.LAUNCHED, ep, info, o, lp, programEnding, false);
                awaitMainScript(t, o.startTimeout());
                return t;
            } catch (LeakhoundException e) {
                boolean ending = e instanceof TargetGoneException || programEnding.isDone()
                        || (t != null && t.finished().isDone());
                if (t != null) {
                    t.disconnect(); // a program that waits for leakhound to go can now exit
                }
                if (!ending && lp.process().isAlive()) {
                    throw e;
                }
                // The program (or a helper the command ran first) finished while leakhound attached: what
                // comes next tells which, the command's exit or another inspector.
            }
        }
    }

    private static LeakhoundException exited(LaunchedProcess lp, int code, boolean announced) {
        return new LeakhoundException("`" + lp.commandLine() + "` exited (code " + code + ") before "
                + (announced ? "leakhound could attach" : "its inspector started"));
    }

    /** The endpoint of an announced loopback inspector, or null for another address. */
    private static InspectorEndpoint endpoint(URI ws, Target.Options o) {
        InetAddress addr;
        try {
            addr = InetAddress.getByName(ws.getHost().replace("[", "").replace("]", ""));
        } catch (UnknownHostException e) {
            return null;
        }
        return addr.isLoopbackAddress() ? new InspectorEndpoint(o.http(), addr, ws.getPort(), o.connectTimeout()) : null;
    }

    /**
     * Waits until the target's event loop turns once. A launched process announces its inspector during
     * Node's bootstrap, before the main script runs; code evaluated that early can break Node's own module
     * loading ("Class extends value undefined"), and a snapshot would show a half-started program. A
     * setImmediate callback runs only once the main script's synchronous part is done. A program that
     * finishes meanwhile never turns its loop again: the wait ends with {@link Target#finished()}.
     */
    static void awaitMainScript(Target t, Duration timeout) {
        InspectorSession session = t.session();
        CdpConnection conn = session.connection();
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObj params = InspectorSession.evaluateParams("new Promise(r => setImmediate(() => r(true)))").put("awaitPromise", true);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new InspectorTimeoutException(t.label() + ": the launched program did not get to its event loop within "
                        + timeout.toSeconds() + " s");
            }
            if (t.finished().isDone()) {
                throw new TargetGoneException(t.label() + ": the program finished before it got to its event loop");
            }
            CompletableFuture<JsonObj> reply = conn.send("Runtime.evaluate", params);
            try {
                CompletableFuture.anyOf(reply, t.finished()).get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                conn.abandon(reply);
                continue; // the deadline check above says so
            } catch (ExecutionException e) {
                // the reply failed: conn.await below says how
            } catch (InterruptedException e) {
                conn.abandon(reply);
                Thread.currentThread().interrupt();
                throw new LeakhoundException("interrupted while waiting for the launched program to start");
            }
            if (!reply.isDone()) {
                conn.abandon(reply);
                continue; // finished: the check above says so
            }
            try {
                if (Boolean.TRUE.equals(session.valueOf(conn.await(reply, "Runtime.evaluate", Duration.ZERO)))) {
                    return;
                }
            } catch (CdpException e) {
                // setImmediate not defined yet: still bootstrapping
            }
            try {
                t.finished().get(50, TimeUnit.MILLISECONDS); // before asking again; returns early if the program finishes
            } catch (TimeoutException | ExecutionException e) {
                // still running: ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LeakhoundException("interrupted while waiting for the launched program to start");
            }
        }
    }
}
