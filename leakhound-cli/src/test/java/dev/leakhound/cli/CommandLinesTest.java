package dev.leakhound.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run naming a command builds only that command's model: its usage, parse errors and version read exactly
 * as under the whole model (`leakhound help CMD`), for every command.
 */
class CommandLinesTest {
    @Test
    void eachCommandAloneReadsAsUnderTheWholeModel() {
        CommandLine whole = new CommandLine(new Main());
        assertThat(whole.getSubcommands()).hasSizeGreaterThan(10);
        for (Map.Entry<String, CommandLine> e : whole.getSubcommands().entrySet()) {
            String name = e.getKey();
            if (name.equals("help")) {
                continue;
            }
            CommandLine alone = CommandLines.forArgs(List.of(name));
            java.util.Set<String> expected = new java.util.HashSet<>(List.of(name));
            expected.addAll(CommandLines.RUNS.getOrDefault(name, List.of()));
            assertThat(alone.getSubcommands().keySet()).as(name).isEqualTo(expected);
            CommandLine sub = alone.getSubcommands().get(name);
            assertThat(usage(sub)).as(name).isEqualTo(usage(e.getValue()));
            assertThat(sub.getCommandSpec().qualifiedName()).isEqualTo(e.getValue().getCommandSpec().qualifiedName());
        }
    }

    /** demo runs hunt through its parent's model (npx leakhound demo failed when only demo was built; NpmPackageIT runs it). */
    @Test
    void aCommandThatRunsAnotherHasItBuiltToo() {
        assertThat(CommandLines.forArgs(List.of("demo")).getSubcommands()).containsKeys("demo", "hunt");
    }

    @Test
    void anythingElseGetsTheWholeModel() {
        int all = new CommandLine(new Main()).getSubcommands().size();
        assertThat(CommandLines.forArgs(List.of()).getSubcommands()).hasSize(all);
        assertThat(CommandLines.forArgs(List.of("--help")).getSubcommands()).hasSize(all);
        assertThat(CommandLines.forArgs(List.of("help", "path")).getSubcommands()).hasSize(all);
        assertThat(CommandLines.forArgs(List.of("no-such-command")).getSubcommands()).hasSize(all);
    }

    @Test
    void errorsAndVersionReadTheSame() {
        CliRun missing = CliRun.of("path");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("Missing required parameters", "Try 'leakhound path --help' for usage.");
        CliRun unknown = CliRun.of("inspect", "--no-such-option", "x", "@1");
        assertThat(unknown.err()).contains("Unknown option: '--no-such-option'", "Try 'leakhound inspect --help'");
        assertThat(CliRun.of("--version").out()).startsWith("leakhound ");
        assertThat(version(CommandLines.forArgs(List.of("path")).getSubcommands().get("path")))
                .isEqualTo(version(new CommandLine(new Main()).getSubcommands().get("path")));
        assertThat(CliRun.of("help", "path").out()).isEqualTo(CliRun.of("path", "--help").out());
    }

    /**
     * No usage text makes picocli print its own warning to the process's stderr (a lone {@code %} in a description
     * once did, on every `leakhound mcp --help`): picocli writes it to System.err, so that is what is captured.
     */
    @Test
    void noCommandsHelpMakesPicocliWarn() throws Exception {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            CommandLine whole = new CommandLine(new Main());
            usage(whole);
            for (CommandLine sub : whole.getSubcommands().values()) {
                usage(sub);
            }
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
    }

    private static String version(CommandLine cl) {
        StringWriter w = new StringWriter();
        cl.printVersionHelp(new PrintWriter(w, true));
        return w.toString();
    }

    private static String usage(CommandLine cl) {
        StringWriter w = new StringWriter();
        cl.usage(new PrintWriter(w), CommandLine.Help.Ansi.OFF);
        return w.toString();
    }
}
