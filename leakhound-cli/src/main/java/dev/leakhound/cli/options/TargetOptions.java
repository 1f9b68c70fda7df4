package dev.leakhound.cli.options;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.capture.Headroom;
import dev.leakhound.inspector.live.Target;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a live command reaches its target (a picocli mixin shared by snapshot, watch and hunt):
 * {@code --inspect HOST:PORT} (default 127.0.0.1:9229), {@code --pid PID}, or {@code -- COMMAND ...}, with
 * {@code --allow-remote}, {@code --connect-timeout} and {@code --timeout}.
 */
public final class TargetOptions {
    @Option(names = "--inspect", paramLabel = "HOST:PORT",
            description = "Attach to an inspector already listening there (default 127.0.0.1:9229).")
    String inspect;

    @Option(names = "--pid", paramLabel = "PID",
            description = "Attach to a running Node.js process: turns its inspector on with SIGUSR1 (Linux) and off again afterwards."
                    + " watch takes it more than once.")
    List<Long> pid = new ArrayList<>();

    @Option(names = "--allow-remote",
            description = "Allow a non-loopback inspector address. Dangerous: the inspector runs any code it is sent.")
    boolean allowRemote;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "Timeout for reaching the inspector (default ${DEFAULT-VALUE}).")
    double connectTimeout;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Timeout for the target's answers, and for --pid or -- COMMAND to open an inspector (default ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--force",
            description = "Take heap snapshots even when the target seems to lack the memory to write them (a snapshot"
                    + " needs several times the heap in extra memory while it is written; without --force leakhound"
                    + " refuses when that does not fit in the target's cgroup limit or the machine's available memory).")
    boolean force;

    /** Tests: the folder the target reads /proc and /sys/fs/cgroup under, for a fake cgroup tree. */
    @Option(names = "--proc-root", hidden = true, paramLabel = "DIR")
    String procRoot;

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "After --: a command to start with its inspector on a free loopback port (e.g. -- node app.js,"
                    + " -- npm start); leakhound ends it (and what it started) when it finishes, also on Ctrl-C.")
    List<String> command = new ArrayList<>();

    /** --allow-remote: also for other addresses the command uses (hunt's --load URL). */
    public boolean allowRemote() {
        return allowRemote;
    }

    /** The positional arguments (after {@code --}: the command to launch); {@code profile} reads files from them. */
    public List<String> command() {
        return command;
    }

    /** Reaches the target; notices (what leakhound does to the target) go to {@code err}. */
    public Target open(PrintWriter err) {
        return open(err, null);
    }

    /** As {@link #open(PrintWriter)}; a launched command's stdout goes to {@code childStdout} (null: ours). */
    public Target open(PrintWriter err, OutputStream childStdout) {
        return open(err, childStdout, List.of());
    }

    /** As {@link #open(PrintWriter, OutputStream)}; a launched command gets {@code nodeOptions} in NODE_OPTIONS too. */
    public Target open(PrintWriter err, OutputStream childStdout, List<String> nodeOptions) {
        int ways = (inspect != null ? 1 : 0) + (pid.isEmpty() ? 0 : 1) + (command.isEmpty() ? 0 : 1);
        if (ways > 1) {
            throw new LeakhoundException("give only one of --inspect HOST:PORT, --pid PID or -- COMMAND");
        }
        if (pid.size() > 1) {
            throw new LeakhoundException("give one --pid (only watch follows several processes)");
        }
        Target.Options o = options(err).withChildStdout(childStdout).withNodeOptions(nodeOptions);
        Target t;
        if (!pid.isEmpty()) {
            t = Target.attachPid(pid.get(0), o);
        } else if (!command.isEmpty()) {
            t = Target.launch(command, o);
        } else {
            t = Target.attach(inspect == null ? "127.0.0.1:9229" : inspect, o);
        }
        t.headroom(headroomPolicy());
        return t;
    }

    /** --force and --proc-root as the check before each snapshot. */
    public Headroom.Policy headroomPolicy() {
        return new Headroom.Policy(force, procRoot == null ? "" : procRoot);
    }

    /** Whether a command to launch was given after --. */
    public boolean hasCommand() {
        return !command.isEmpty();
    }

    /** The processes named with --pid (watch follows several). */
    public List<Long> pids() {
        return List.copyOf(pid);
    }

    /** Whether --inspect or -- COMMAND was given. */
    public boolean inspectOrCommand() {
        return inspect != null || !command.isEmpty();
    }

    /** How to reach a target, from the options; notices go to {@code err}. */
    public Target.Options options(PrintWriter err) {
        if (connectTimeout <= 0 || timeout <= 0) {
            throw new LeakhoundException("timeouts must be positive");
        }
        return Target.Options.defaults()
                .withAllowRemote(allowRemote)
                .withTimeouts(seconds(connectTimeout), seconds(timeout), seconds(timeout))
                .withNotices(s -> {
                    err.println("leakhound: " + s);
                    err.flush();
                });
    }

    /** A duration from an option given in (possibly fractional) seconds. */
    public static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
