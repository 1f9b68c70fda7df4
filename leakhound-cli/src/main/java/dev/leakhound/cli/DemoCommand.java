package dev.leakhound.cli;

import dev.leakhound.analysis.leaks.FindLeaks;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.report.LeakReportRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Hunt the leak in a bundled Node.js example (examples/): `leakhound hunt --interval 3 -- node "
                + "examples/FILE`. Needs `node` on the PATH."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--example", paramLabel = "FILE", defaultValue = "http-map-of-requests.js",
            description = "which example under examples/ to run (default: ${DEFAULT-VALUE})")
    String example;

    @Option(names = "--keep", paramLabel = "DIR", description = "keep the snapshots in DIR instead of a temporary folder")
    Path keep;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path examples = home().resolve("examples");
        Path script = examples.resolve(example).normalize();
        if (!script.startsWith(examples) || !Files.isRegularFile(script)) {
            throw new LeakhoundException("no example " + example + " in " + examples);
        }
        out.println("Hunting a leak in " + examples.getParent().relativize(script) + ": leakhound starts it with node,"
                + " takes 3 heap snapshots 3 s apart, and names what grows (about 15 s).");
        out.println("Same as: ./leakhound hunt --interval 3 -- node " + examples.getParent().relativize(script));
        out.flush();
        List<String> args = new ArrayList<>(List.of("--interval", "3"));
        if (keep != null) {
            args.add("--keep");
            args.add(keep.toString());
        }
        args.add("--");
        args.add("node");
        args.add(script.toString());
        return spec.commandLine().getParent().getSubcommands().get("hunt").execute(args.toArray(new String[0]));
    }

    static Path home() {
        String h = System.getProperty("leakhound.home");
        if (h == null) {
            throw new LeakhoundException("cannot find the leakhound folder (run ./leakhound from a clone of the repository)");
        }
        return Path.of(h).toAbsolutePath().normalize();
    }
}
