package dev.leakhound.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the CLI in-process and captures what it prints. */
record CliRun(int exit, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    static Path root() {
        return Path.of(System.getProperty("leakhound.root", "..")).toAbsolutePath().normalize();
    }

    static Path fixture(String name) {
        return root().resolve("testdata/snapshots").resolve(name);
    }
}
