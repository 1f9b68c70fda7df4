package dev.leakhound.cli;

import dev.leakhound.cli.options.IndexOptions;
import dev.leakhound.cli.serve.ServeServer;
import dev.leakhound.cli.serve.Served;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.index.SnapshotStore;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.report.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Explore snapshots in the browser: Summary (with DevTools' Duplicated strings filter), instances,"
                + " Retainers, Dominators, Comparison, Containment, Statistics, the object inspector (with the"
                + " allocation stack when the snapshot has traces), Leaks and search, each also a JSON endpoint.",
                "Listens on 127.0.0.1 only and prints the URL with a random access token that every request must carry."
                        + " Ctrl-C stops it."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IndexOptions index;

    @Parameters(paramLabel = "FILE", arity = "1..*",
            description = "the .heapsnapshot (or .heapsnapshot.gz) files, oldest first (Leaks runs find-leaks on 3 or more)")
    List<Path> files;

    @Option(names = "--port", paramLabel = "P", defaultValue = "0",
            description = "port to listen on (default: a free one)")
    int port;

    @Option(names = "--open", description = "open the page in the default browser (without one, a notice; the server keeps running)")
    boolean open;

    @Option(names = "--allow-remote",
            description = "listen on every interface, not only 127.0.0.1. Dangerous: anyone who reaches the port with the token reads the heap.")
    boolean allowRemote;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new LeakhoundException("--port must be between 0 and 65535");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReadOptions read = index.readOptions(err);
        List<Served> served = new ArrayList<>();
        for (Path f : files) {
            long t0 = System.nanoTime();
            HeapGraph g;
            try (Progress progress = new Progress(true)) {
                g = SnapshotStore.open(f, read, progress, true).graph();
                g.withDominators(progress, null);
            }
            long bytes;
            try {
                bytes = Files.size(f);
            } catch (IOException e) {
                throw new LeakhoundException("cannot read " + f + ": " + e.getMessage());
            }
            served.add(new Served(served.size(), f, bytes, g));
            err.println("leakhound serve: [" + (served.size() - 1) + "] " + f + ": " + Format.count(g.snapshot().nodeCount())
                    + " objects, " + Format.bytes(g.snapshot().totalSelfSize()) + ", ready in "
                    + Format.millis((System.nanoTime() - t0) / 1_000_000));
            err.flush();
        }
        InetAddress address = InetAddress.getLoopbackAddress();
        if (allowRemote) {
            try {
                address = InetAddress.getByName("0.0.0.0");
            } catch (UnknownHostException e) {
                throw new LeakhoundException("cannot listen on every interface: " + e.getMessage());
            }
            err.println("leakhound: WARNING: --allow-remote: serving every interface; anyone who can reach port "
                    + (port == 0 ? "(chosen below)" : port) + " and has the token can read these heaps");
        }
        ServeServer server = ServeServer.start(served, new ServeServer.Options(address, port, allowRemote),
                line -> {
                    err.println(line);
                    err.flush();
                });
        // what the views compute on first use, computed now in the background, the last file (shown first) first
        Thread warm = new Thread(() -> {
            for (int i = served.size() - 1; i >= 0; i--) {
                try {
                    served.get(i).warm();
                } catch (RuntimeException | OutOfMemoryError e) {
                    err.println("leakhound serve: preparing " + served.get(i).file() + " failed: " + e);
                    err.flush();
                }
            }
            try {
                server.prepare();   // the Comparison and Leaks views' first answers
            } catch (RuntimeException | OutOfMemoryError e) {
                err.println("leakhound serve: preparing the comparisons failed: " + e);
                err.flush();
            }
        }, "leakhound-serve-warm");
        warm.setDaemon(true);
        warm.setPriority(Thread.MIN_PRIORITY);
        warm.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "leakhound-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("leakhound serve: " + server.url());
        out.println("(the token in the URL is required on every request; Ctrl-C stops the server)");
        out.flush();
        if (open) {
            openBrowser(server.url(), err);
        }
        stopped.await();
        return 0;
    }

    /**
     * Asks the desktop to open the page. Without a browser (no opener program, or it fails: no display, no
     * browser configured) one line says so and the server keeps running; the URL is printed above.
     */
    private static void openBrowser(String url, PrintWriter err) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        List<String> cmd = os.contains("mac") ? List.of("open", url)
                : os.contains("win") ? List.of("rundll32", "url.dll,FileProtocolHandler", url) : List.of("xdg-open", url);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            noBrowser(err, cmd.get(0) + " not found");
            return;
        }
        // the opener returns once the browser has the page (some wait for the browser): its failure is told, not awaited
        Thread watch = new Thread(() -> {
            try {
                int rc = p.waitFor();
                if (rc != 0) {
                    noBrowser(err, cmd.get(0) + " exited with " + rc);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "leakhound-serve-open");
        watch.setDaemon(true);
        watch.start();
    }

    private static void noBrowser(PrintWriter err, String why) {
        synchronized (err) {
            err.println("leakhound serve: no browser opened (" + why + "); open the URL above, the server keeps running");
            err.flush();
        }
    }
}
