package dev.leakhound.cli;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.index.SnapshotStore;
import dev.leakhound.report.Format;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the command line and turns failures into one line on stderr.
 * Exit codes: 0 success, 1 a finding the user asked to fail on (e.g. --fail-on-leak), 2 an error.
 * A stack trace is printed only with --debug (leakhound's own: an argument after {@code --} is the launched command's).
 */
public final class Cli {
    public static final int EXIT_ERROR = 2;

    private Cli() {}

    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        // --debug is leakhound's only before "--": what follows belongs to the command it launches
        int end = Arrays.asList(args).indexOf("--");
        List<String> own = Arrays.asList(args).subList(0, end < 0 ? args.length : end);
        boolean debug = own.contains("--debug");
        List<String> rest = new ArrayList<>();
        for (String a : own) {
            if (!a.equals("--debug")) {
                rest.add(a);
            }
        }
        if (end >= 0) {
            rest.addAll(Arrays.asList(args).subList(end, args.length));
        }
        CommandLine cl = CommandLines.forArgs(rest);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (debug) {
                ex.printStackTrace(err);
            }
            if (ex instanceof LeakhoundException) {
                err.println("leakhound: " + ex.getMessage());
            } else {
                err.println("leakhound: internal error: " + ex + (debug ? "" : " (run with --debug for a stack trace)"));
            }
            err.flush();
            return ex instanceof LeakhoundException le ? le.exitCode() : EXIT_ERROR;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("leakhound: " + ex.getMessage());
            err.println("Try 'leakhound " + commandPath(ex.getCommandLine()) + "--help' for usage.");
            err.flush();
            return EXIT_ERROR;
        });
        try {
            return cl.execute(rest.toArray(new String[0]));
        } catch (OutOfMemoryError oom) {
            err.println("leakhound: out of memory in a " + Format.bytes(Runtime.getRuntime().maxMemory()) + " Java heap;"
                    + " `leakhound info FILE` says how much a snapshot needs, LEAKHOUND_HEAP=SIZE sets the heap");
            err.flush();
            return EXIT_ERROR;
        } finally {
            SnapshotStore.awaitWrites();   // indexes being written behind the command's back
        }
    }

    private static String commandPath(CommandLine cl) {
        String q = cl.getCommandSpec().qualifiedName(" ");
        int sp = q.indexOf(' ');
        return sp < 0 ? "" : q.substring(sp + 1) + " ";
    }
}
