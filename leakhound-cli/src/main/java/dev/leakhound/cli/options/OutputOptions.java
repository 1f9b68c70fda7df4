package dev.leakhound.cli.options;

import dev.leakhound.report.html.HtmlFiles;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * How a command prints (a picocli mixin): text for people by default, {@code --json} for machines, and
 * {@code --html FILE} for a self-contained page besides. What each writes is in the command's description
 * and the README.
 */
public final class OutputOptions {
    @Option(names = "--json", description = "Print JSON instead of text (the shape is documented in the README).")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write a self-contained HTML page to FILE (owner-only; see \"HTML reports\" in the README).")
    Path html;

    public boolean json() {
        return json;
    }

    /** The --html file, or null. */
    public Path html() {
        return html;
    }

    /** Fails (one line) when the --html file could not be written, before anything starts. */
    public void checkHtmlTarget() {
        if (html != null) {
            HtmlFiles.checkTarget(html);
        }
    }
}
