package dev.leakhound.mcp;

import dev.leakhound.analysis.source.SourceMaps;
import dev.leakhound.analysis.source.SourceRoot;
import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.report.Json;
import dev.leakhound.report.SourceMapText;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code leakhound mcp}: a Model Context Protocol server over stdio, built on the official MCP Java SDK,
 * whose tools ({@link AnalysisTools}, {@link LiveTools}) answer with compact JSON.
 *
 * <p>stdout carries the protocol and nothing else: {@link #serve} takes the process's real stdout for the
 * protocol and points {@code System.out} at stderr, so that nothing printed by any library can corrupt the
 * stream; the SDK's SLF4J logging goes to stderr, warnings only. A failing call (bad arguments, unknown id,
 * missing or broken file) is a tool error with a one-line message; the server stays up. It ends when its
 * stdin closes.
 */
public final class LeakhoundMcpServer {
    /**
     * @param maxSnapshots snapshots kept open at most (also bounded by 70% of the heap)
     * @param snapshotDir  where the snapshot tool writes without an output; null: a private temporary folder
     */
    public record Options(int maxSnapshots, Path snapshotDir, ReadOptions read, Path sourceRoot, boolean sourceMaps) {
        /** Locations mapped through the scripts' source maps found at the recorded paths. */
        public Options(int maxSnapshots, Path snapshotDir, ReadOptions read) {
            this(maxSnapshots, snapshotDir, read, null, true);
        }

        /**
         * Locations mapped through source maps with scripts looked for under {@code root} (null: the recorded
         * paths), or, when {@code on} is false, shown as recorded.
         */
        public Options withSourceMaps(Path root, boolean on) {
            return new Options(maxSnapshots, snapshotDir, read, root, on);
        }

        public static Options defaults() {
            return new Options(4, null, ReadOptions.fromSystemProperties());
        }
    }

    /** The server's name and version, as clients show them. */
    static final String NAME = "leakhound";

    private LeakhoundMcpServer() {}

    /** Serves on this process's stdin and stdout until stdin closes. */
    public static void serve(Options o) {
        quietLogging();
        PrintStream stderr = System.err;
        OutputStream protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        System.setOut(stderr);   // from here on, whatever anyone prints goes to stderr
        serve(new FileInputStream(FileDescriptor.in), protocolOut, stderr, o);
    }

    /** Serves on {@code in}/{@code out} until {@code in} ends; notices go to {@code log}. */
    public static void serve(InputStream in, OutputStream out, PrintStream log, Options o) {
        quietLogging();
        CountDownLatch ended = new CountDownLatch(1);
        InputStream watched = new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                return seen(super.read());
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return seen(super.read(b, off, len));
                } catch (IOException e) {
                    ended.countDown();
                    throw e;
                }
            }

            private int seen(int n) {
                if (n < 0) {
                    ended.countDown();
                }
                return n;
            }
        };
        SnapshotCache cache = SnapshotCache.withHeapBudget(o.maxSnapshots(), o.read());
        LiveTools live = new LiveTools(log, o.snapshotDir(), o.read());
        // a map that cannot be used is one warning per script, on the log (stderr): stdout is the protocol
        SourceMaps maps = !o.sourceMaps() ? SourceMaps.NONE : SourceMaps.reading(SourceRoot.of(o.sourceRoot()), (script, map, reason) -> {
            log.println(SourceMapText.unusable(script, map, reason));
            log.flush();
        });
        List<Tool> tools = new ArrayList<>(new AnalysisTools(cache, maps).tools());
        tools.addAll(live.tools());
        McpJsonMapper mapper = McpJsonDefaults.getMapper();
        StdioServerTransportProvider transport = new StdioServerTransportProvider(mapper, watched, out);
        List<McpServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
        for (Tool t : tools) {
            specs.add(spec(t, cache, log));
        }
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo(NAME, version())
                .instructions("leakhound finds memory leaks in Node.js heap snapshots. Give it .heapsnapshot files "
                        + "(absolute paths): info first, then summary, largest, diagnosis; find_leaks on 2+ snapshots of one "
                        + "growing process; path, inspect and dominators on the ids the others return; search by class or "
                        + "string. Files are read once and kept open for further questions.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .validateToolInputs(false)   // the tools check their arguments themselves, with one-line messages
                .tools(specs)
                .build();
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.closeGracefully();
            live.close();
            cache.clear();
        }
    }

    private static McpServerFeatures.SyncToolSpecification spec(Tool t, SnapshotCache cache, PrintStream log) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(t.name()).title(t.title()).description(t.description())
                .inputSchema(t.schema().build())
                .annotations(new McpSchema.ToolAnnotations(t.title(), t.readOnly(), false, t.readOnly(), false, null))
                .build();
        java.util.Set<String> known = new HashSet<>(t.schema().names());
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> call(t, known, request, cache, log))
                .build();
    }

    /** Runs one call: its JSON, or a tool error with one line saying what went wrong. */
    static McpSchema.CallToolResult call(Tool t, java.util.Set<String> known, McpSchema.CallToolRequest request,
                                         SnapshotCache cache, PrintStream log) {
        try {
            Args args = new Args(t.name(), request.arguments(), known);
            StringWriter text = new StringWriter();
            try (Json j = new Json(text, false)) {
                j.startObject();
                t.handler().answer(args, j);
                j.endObject();
            }
            return McpSchema.CallToolResult.builder().addTextContent(text.toString()).isError(false).build();
        } catch (LeakhoundException e) {
            return error(oneLine(e.getMessage()));
        } catch (OutOfMemoryError e) {
            cache.clear();
            return error("out of memory; the open snapshots were dropped. Give the server more heap: LEAKHOUND_HEAP=16g "
                    + "in its environment (or -Xmx with java)");
        } catch (RuntimeException | StackOverflowError e) {
            e.printStackTrace(log);
            return error("internal error in " + t.name() + ": " + oneLine(String.valueOf(e)));
        }
    }

    private static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }

    private static String oneLine(String s) {
        return s == null ? "(no message)" : s.replace("\r", " ").replace('\n', ' ');
    }

    /**
     * SLF4J (the SDK's logging) to stderr, warnings and errors only, unless the user set otherwise. Must run
     * before the first logger is made.
     */
    static void quietLogging() {
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static String version() {
        String v = LeakhoundMcpServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** {@code java -cp ... dev.leakhound.mcp.LeakhoundMcpServer}: the server with the default options (for tests). */
    public static void main(String[] args) {
        serve(Options.defaults());
        System.exit(0);
    }
}
