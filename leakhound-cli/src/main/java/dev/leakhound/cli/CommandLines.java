package dev.leakhound.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Arrays;
import java.util.List;

/**
 * The picocli command line for one run. picocli builds the model of every subcommand up front, by
 * reflection over their fields and mixins (about 0.1 s of a one-object question on a snapshot); when the
 * first argument names a subcommand, only that one's model is built, under a top level that reads as
 * {@link Main}'s. Anything else (no command, an option first, {@code help}) gets the whole model.
 */
final class CommandLines {
    /** Commands that run another one through their parent's model (demo runs hunt): it is built with them. */
    static final java.util.Map<String, List<String>> RUNS = java.util.Map.of("demo", List.of("hunt"));

    private CommandLines() {}

    static CommandLine forArgs(List<String> args) {
        Command top = Main.class.getAnnotation(Command.class);
        if (!args.isEmpty() && !args.get(0).startsWith("-")) {
            String first = args.get(0);
            for (Class<?> c : top.subcommands()) {
                Command sub = c.getAnnotation(Command.class);
                if (c == CommandLine.HelpCommand.class || sub == null) {
                    continue;
                }
                if (sub.name().equals(first) || Arrays.asList(sub.aliases()).contains(first)) {
                    CommandSpec spec = CommandSpec.create().name(top.name()).mixinStandardHelpOptions(true)
                            .versionProvider(new Main.Version());
                    spec.usageMessage().description(top.description());
                    CommandLine cl = new CommandLine(spec);
                    cl.addSubcommand(sub.name(), new CommandLine(c), sub.aliases());
                    for (String other : RUNS.getOrDefault(sub.name(), List.of())) {
                        for (Class<?> o : top.subcommands()) {
                            Command os = o.getAnnotation(Command.class);
                            if (os != null && os.name().equals(other)) {
                                cl.addSubcommand(os.name(), new CommandLine(o), os.aliases());
                            }
                        }
                    }
                    return cl;
                }
            }
        }
        return new CommandLine(new Main());
    }
}
