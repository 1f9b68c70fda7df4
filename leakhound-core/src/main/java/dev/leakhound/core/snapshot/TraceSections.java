package dev.leakhound.core.snapshot;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code trace_function_infos} (a flat array, {@code trace_function_info_fields} values per function) and
 * {@code trace_tree} (nested: {@code [id, function_info_index, count, size, [children…], id, …]}) for both
 * readers, and builds {@link AllocationTraces} once the strings are known. Fields are looked up by name in
 * {@code meta}; V8's layout is assumed when {@code meta} does not list them.
 */
final class TraceSections {
    /** Positions of the fields of one function info and one trace node. */
    record Layout(int fnStride, int fnId, int fnName, int fnScript, int fnScriptId, int fnLine, int fnColumn,
                  int nodeStride, int nodeId, int nodeFunction, int nodeCount, int nodeSize) {
        static final List<String> V8_FUNCTION_FIELDS = List.of("function_id", "name", "script_name", "script_id", "line", "column");
        static final List<String> V8_NODE_FIELDS = List.of("id", "function_info_index", "count", "size", "children");

        /** The layout {@code meta} describes, or null when it lists fields without the ones needed (traces are then skipped). */
        static Layout of(Map<String, Object> meta) {
            List<String> f = strings(meta == null ? null : meta.get("trace_function_info_fields"), V8_FUNCTION_FIELDS);
            List<String> n = strings(meta == null ? null : meta.get("trace_node_fields"), V8_NODE_FIELDS);
            if (f == null || n == null) {
                return null;
            }
            int children = n.indexOf("children");
            Layout l = new Layout(f.size(), f.indexOf("function_id"), f.indexOf("name"), f.indexOf("script_name"),
                    f.indexOf("script_id"), f.indexOf("line"), f.indexOf("column"),
                    n.size() - 1, n.indexOf("id"), n.indexOf("function_info_index"), n.indexOf("count"), n.indexOf("size"));
            if (children != n.size() - 1 || l.fnName < 0 || l.fnScript < 0 || l.fnLine < 0 || l.fnColumn < 0
                    || l.nodeId < 0 || l.nodeFunction < 0) {
                return null;
            }
            return l;
        }

        private static List<String> strings(Object v, List<String> dflt) {
            if (v == null) {
                return dflt;
            }
            if (!(v instanceof List)) {
                return null;
            }
            for (Object o : (List<?>) v) {
                if (!(o instanceof String)) {
                    return null;
                }
            }
            @SuppressWarnings("unchecked")
            List<String> l = (List<String>) v;
            return l;
        }
    }

    private final Layout layout;
    private long[] functions;   // raw values, fnStride per function
    private int functionValues;
    private int[] nodeId = new int[16];
    private int[] nodeFunction = new int[16];
    private int[] nodeParent = new int[16];
    private long[] nodeCount = new long[16];
    private long[] nodeSize = new long[16];
    private int nodes;
    private boolean haveFunctions;
    private boolean haveTree;
    /** Where the first function index out of range was found, for the message (-1: none). */
    private long badFunctionAt = -1;
    private long badFunctionIndex;

    TraceSections(Layout layout) {
        this.layout = layout;
    }

    boolean haveFunctions() {
        return haveFunctions;
    }

    boolean haveTree() {
        return haveTree;
    }

    /** {@code trace_function_infos}, the scanner just past its ':'. */
    void readFunctions(ByteScanner sc) {
        sc.expect('[', "at the start of 'trace_function_infos'");
        long[] v = new long[Math.max(16, layout.fnStride() * 64)];
        int k = 0;
        for (boolean first = true; ; first = false) {
            long x = sc.nextArrayNumber(first, "trace_function_infos");
            if (x < 0) {
                break;
            }
            if (x > 0xFFFFFFFFL) {
                throw sc.error("value " + x + " in 'trace_function_infos' is larger than 32 bits");
            }
            if (k == v.length) {
                if (k >= Integer.MAX_VALUE / 2) {
                    throw sc.error("'trace_function_infos' is larger than leakhound supports");
                }
                v = Arrays.copyOf(v, 2 * k);
            }
            v[k++] = x;
        }
        if (k % layout.fnStride() != 0) {
            throw sc.error("'trace_function_infos' holds " + k + " values, not a multiple of its "
                    + layout.fnStride() + " fields");
        }
        functions = v;
        functionValues = k;
        haveFunctions = true;
    }

    /** {@code trace_tree}, the scanner just past its ':'. */
    void readTree(ByteScanner sc) {
        sc.expect('[', "at the start of 'trace_tree'");
        int stride = layout.nodeStride();
        long[] v = new long[stride];
        int[] parents = new int[16];
        int depth = 1;
        parents[0] = -1;
        boolean atStart = true;
        while (depth > 0) {
            int c = sc.peek();
            if (c == ']') {
                sc.next();
                depth--;
                atStart = false;
                continue;
            }
            if (!atStart) {
                sc.expect(',', "between trace nodes in 'trace_tree'");
            }
            for (int f = 0; f < stride; f++) {
                long x = sc.nextArrayNumber(f == 0, "trace_tree");
                if (x < 0) {
                    throw sc.error("a trace node in 'trace_tree' ends after " + f + " of its " + (stride + 1) + " fields");
                }
                v[f] = x;
            }
            sc.expect(',', "before a trace node's children in 'trace_tree'");
            sc.expect('[', "at the start of a trace node's children in 'trace_tree'");
            long id = v[layout.nodeId()];
            long fn = v[layout.nodeFunction()];
            if (id > 0xFFFFFFFFL) {
                throw sc.error("trace node id " + id + " is larger than 32 bits");
            }
            if (fn > Integer.MAX_VALUE && badFunctionAt < 0) {
                badFunctionAt = sc.offset();
                badFunctionIndex = fn;
            }
            add((int) id, (int) Math.min(fn, Integer.MAX_VALUE), parents[depth - 1],
                    layout.nodeCount() < 0 ? 0 : v[layout.nodeCount()], layout.nodeSize() < 0 ? 0 : v[layout.nodeSize()]);
            if (depth == parents.length) {
                parents = Arrays.copyOf(parents, 2 * depth);
            }
            parents[depth++] = nodes - 1;
            atStart = true;
        }
        haveTree = true;
    }

    private void add(int id, int fn, int parent, long count, long size) {
        if (nodes == nodeId.length) {
            if (nodes >= Integer.MAX_VALUE / 2) {
                throw new IllegalStateException("trace tree too large");
            }
            int c = 2 * nodes;
            nodeId = Arrays.copyOf(nodeId, c);
            nodeFunction = Arrays.copyOf(nodeFunction, c);
            nodeParent = Arrays.copyOf(nodeParent, c);
            nodeCount = Arrays.copyOf(nodeCount, c);
            nodeSize = Arrays.copyOf(nodeSize, c);
        }
        nodeId[nodes] = id;
        nodeFunction[nodes] = fn;
        nodeParent[nodes] = parent;
        nodeCount[nodes] = count;
        nodeSize[nodes] = size;
        nodes++;
    }

    /**
     * The traces, checked against the strings and the function infos; null when the file has no trace tree or
     * an empty one (no allocation tracking).
     */
    AllocationTraces build(StringTable strings, String file) {
        if (!haveTree || nodes == 0) {
            return null;
        }
        int st = layout.fnStride();
        int fns = haveFunctions ? functionValues / st : 0;
        int[] id = new int[fns];
        int[] name = new int[fns];
        int[] script = new int[fns];
        int[] scriptId = new int[fns];
        int[] line = new int[fns];
        int[] column = new int[fns];
        for (int i = 0; i < fns; i++) {
            int o = i * st;
            id[i] = layout.fnId() < 0 ? 0 : (int) functions[o + layout.fnId()];
            name[i] = stringIndex(functions[o + layout.fnName()], strings, file, "name");
            script[i] = stringIndex(functions[o + layout.fnScript()], strings, file, "script name");
            scriptId[i] = layout.fnScriptId() < 0 ? 0 : (int) functions[o + layout.fnScriptId()];
            line[i] = (int) Math.min(functions[o + layout.fnLine()], Integer.MAX_VALUE);
            column[i] = (int) Math.min(functions[o + layout.fnColumn()], Integer.MAX_VALUE);
        }
        for (int t = 0; t < nodes; t++) {
            if (nodeFunction[t] >= fns) {
                throw new SnapshotFormatException(file, badFunctionAt, "trace node " + Integer.toUnsignedLong(nodeId[t])
                        + " points at function info " + (badFunctionAt >= 0 ? badFunctionIndex : nodeFunction[t])
                        + ", but 'trace_function_infos' holds " + fns);
            }
        }
        return new AllocationTraces(strings, id, name, script, scriptId, line, column, Arrays.copyOf(nodeId, nodes),
                Arrays.copyOf(nodeFunction, nodes), Arrays.copyOf(nodeParent, nodes), Arrays.copyOf(nodeCount, nodes),
                Arrays.copyOf(nodeSize, nodes));
    }

    private static int stringIndex(long v, StringTable strings, String file, String what) {
        if (v >= strings.size()) {
            throw new SnapshotFormatException(file, -1, "a function's " + what + " in 'trace_function_infos' is string "
                    + v + ", outside the strings table (" + strings.size() + " strings)");
        }
        return (int) v;
    }
}
