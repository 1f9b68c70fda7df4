package dev.leakhound.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: `leakhound <command> ...`. Commands are thin; the work lives in the library modules. */
@Command(name = "leakhound",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Finds memory leaks in Node.js applications from V8 heap snapshots and live processes.",
        subcommands = {
                dev.leakhound.cli.live.HuntCommand.class,
                dev.leakhound.cli.live.CheckCommand.class,
                dev.leakhound.cli.live.PsCommand.class,
                DemoCommand.class,
                AnalyzeCommand.class,
                InfoCommand.class,
                PathCommand.class,
                InspectCommand.class,
                DominatorsCommand.class,
                FindLeaksCommand.class,
                DiffCommand.class,
                IndexCommand.class,
                RedactCommand.class,
                McpCommand.class,
                ServeCommand.class,
                dev.leakhound.cli.live.SnapshotCommand.class,
                dev.leakhound.cli.live.WatchCommand.class,
                dev.leakhound.cli.live.ProfileCommand.class,
                dev.leakhound.cli.live.ArmCommand.class,
                dev.leakhound.cli.live.WorkersCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        // a worker thread that runs out of memory hands the error to the thread waiting for it, which prints
        // the one line; the JVM's own report of it (a stack trace, or "thrown from the UncaughtExceptionHandler")
        // would only add lines
        int end = java.util.Arrays.asList(args).indexOf("--");
        boolean debug = java.util.Arrays.asList(args).subList(0, end < 0 ? args.length : end).contains("--debug");
        dev.leakhound.core.index.PhaseTimer.mark("main");
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (debug) {
                e.printStackTrace();
            } else if (!(e instanceof OutOfMemoryError)) {
                System.err.println("leakhound: internal error in thread " + t.getName() + ": " + e
                        + " (run with --debug for a stack trace)");
            }
        });
        int code = Cli.execute(args);
        dev.leakhound.core.index.PhaseTimer.mark("command done");
        System.exit(code);
    }

    /** leakhound's version (the jar's), or "dev" when run from classes. */
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"leakhound " + version()};
        }
    }
}
