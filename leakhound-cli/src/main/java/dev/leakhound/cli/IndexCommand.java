package dev.leakhound.cli;

import dev.leakhound.cli.options.IndexOptions;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.index.IndexSettings;
import dev.leakhound.core.index.IndexStore;
import dev.leakhound.core.index.SnapshotStore;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.report.IndexReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "index", mixinStandardHelpOptions = true,
        description = {"Builds, lists or clears snapshot indexes. The first command that reads a snapshot writes its"
                + " index into the cache folder; later commands on the same, unchanged file open the index instead of"
                + " parsing (see \"Snapshot indexes\" in the README).",
                "With FILE...: indexes them now (dominator tree included), so the first question is fast too."})
public final class IndexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IndexOptions index;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "snapshots to index now")
    List<Path> files;

    @Option(names = "--list", description = "List the indexes in the cache folder, most recently used first.")
    boolean list;

    @Option(names = "--clear", description = "Delete every index in the cache folder.")
    boolean clear;

    @Option(names = "--json", description = "With --list: print JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean build = files != null && !files.isEmpty();
        int actions = (list ? 1 : 0) + (clear ? 1 : 0) + (build ? 1 : 0);
        if (actions != 1) {
            throw new LeakhoundException("index: give snapshot files to index, or --list, or --clear (one of them)");
        }
        IndexSettings settings = index.settings(err);
        if (!settings.enabled()) {
            throw new LeakhoundException("index: --no-index leaves nothing to do");
        }
        IndexStore store = new IndexStore(settings);
        if (list) {
            if (json) {
                IndexReport.listJson(store.dir(), store.list(), out);
            } else {
                IndexReport.list(store.dir(), store.list(), out);
            }
        } else if (clear) {
            IndexReport.cleared(store.dir(), store.clear(), out);
        } else {
            ReadOptions read = ReadOptions.fromSystemProperties().withIndex(settings);
            for (Path f : files) {
                long t0 = System.nanoTime();
                SnapshotStore.Opened o;
                try (Progress progress = new Progress(true)) {
                    o = SnapshotStore.open(f, read, progress, true);
                    o.graph().withDominators(progress, null);
                }
                IndexReport.built(f, o.fromIndex(), (System.nanoTime() - t0) / 1_000_000, out);
            }
        }
        out.flush();
        return 0;
    }
}
