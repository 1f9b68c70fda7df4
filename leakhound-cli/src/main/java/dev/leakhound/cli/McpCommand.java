package dev.leakhound.cli;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.cli.options.IndexOptions;
import dev.leakhound.cli.options.SourceMapOptions;
import dev.leakhound.mcp.LeakhoundMcpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = {"Run a Model Context Protocol server on stdin/stdout, for AI agents (Claude, VS Code, ...): tools "
                + "that answer with compact JSON about heap snapshots (info, summary, largest, diagnosis, find_leaks, diff, "
                + "path, inspect, dominators, search) and, on this machine only, snapshot and hunt a live Node.js process.",
                "Snapshots are opened from their index when they have one (see \"Snapshot indexes\"), and stay open between calls (the least recently used are dropped beyond --max-snapshots or 70%% of "
                        + "the heap). stdout carries only the protocol; notices go to stderr. The server ends when stdin closes.",
                "Source positions (largest, diagnosis, find_leaks, inspect) are mapped to original sources through the scripts' "
                        + "source maps, as the CLI's are; a missing or malformed map is one warning on stderr.",
                "Client configuration: see \"leakhound mcp\" in the README."})
public final class McpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IndexOptions index;

    @Mixin
    SourceMapOptions sources;

    @Option(names = "--max-snapshots", paramLabel = "N", defaultValue = "4",
            description = "snapshots kept open at most (default: ${DEFAULT-VALUE})")
    int maxSnapshots;

    @Option(names = "--snapshot-dir", paramLabel = "DIR",
            description = "where the snapshot tool writes files it is given no output for (default: a private temporary "
                    + "folder deleted when the server exits)")
    Path snapshotDir;

    @Override
    public Integer call() {
        if (maxSnapshots < 1 || maxSnapshots > 100) {
            throw new LeakhoundException("--max-snapshots must be between 1 and 100");
        }
        sources.check();
        LeakhoundMcpServer.serve(new LeakhoundMcpServer.Options(maxSnapshots,
                snapshotDir == null ? null : snapshotDir.toAbsolutePath().normalize(), index.readOptions(spec.commandLine().getErr()))
                .withSourceMaps(sources.root() == null ? null : sources.root().toAbsolutePath().normalize(), sources.enabled()));
        return 0;
    }
}
