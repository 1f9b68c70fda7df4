package dev.leakhound.core.snapshot;

import java.util.Arrays;

/**
 * Builds a {@link HeapSnapshot} in memory: for tests and for synthetic graphs. Node 0 is the root
 * unless {@link #root(int)} says otherwise. Edges may be added in any order.
 */
public final class SnapshotBuilder {
    private final StringTable strings = new StringTable();
    private final java.util.HashMap<String, Integer> interned = new java.util.HashMap<>();
    private int n;
    private byte[] type = new byte[16];
    private int[] name = new int[16];
    private int[] id = new int[16];
    private long[] size = new long[16];
    private int e;
    private int[] eFrom = new int[16];
    private byte[] eType = new byte[16];
    private int[] eName = new int[16];
    private int[] eTo = new int[16];
    private int root;
    private int[] locNode = new int[0];
    private int[] locScript = new int[0];
    private int[] locLine = new int[0];
    private int[] locCol = new int[0];
    private int locCount;

    public SnapshotBuilder() {
        intern("<dummy>");
        intern("");
    }

    public int intern(String s) {
        return interned.computeIfAbsent(s, strings::add);
    }

    /** Adds a node with id {@code 2*ordinal+1}; returns its ordinal. */
    public int node(int typeCode, String nodeName, long selfSize) {
        return node(typeCode, nodeName, 2L * n + 1, selfSize);
    }

    public int node(int typeCode, String nodeName, long nodeId, long selfSize) {
        if (n == type.length) {
            int c = n * 2;
            type = Arrays.copyOf(type, c);
            name = Arrays.copyOf(name, c);
            id = Arrays.copyOf(id, c);
            size = Arrays.copyOf(size, c);
        }
        type[n] = (byte) typeCode;
        name[n] = intern(nodeName);
        id[n] = (int) nodeId;
        size[n] = selfSize;
        return n++;
    }

    /** Adds a named edge (context, property, internal, shortcut, weak). */
    public SnapshotBuilder edge(int from, int edgeTypeCode, String edgeName, int to) {
        return rawEdge(from, edgeTypeCode, intern(edgeName), to);
    }

    /** Adds an indexed edge (element, hidden). */
    public SnapshotBuilder edge(int from, int edgeTypeCode, int index, int to) {
        return rawEdge(from, edgeTypeCode, index, to);
    }

    private SnapshotBuilder rawEdge(int from, int t, int nameOrIndex, int to) {
        if (e == eFrom.length) {
            int c = e * 2;
            eFrom = Arrays.copyOf(eFrom, c);
            eType = Arrays.copyOf(eType, c);
            eName = Arrays.copyOf(eName, c);
            eTo = Arrays.copyOf(eTo, c);
        }
        eFrom[e] = from;
        eType[e] = (byte) t;
        eName[e] = nameOrIndex;
        eTo[e] = to;
        e++;
        return this;
    }

    public SnapshotBuilder root(int ordinal) {
        this.root = ordinal;
        return this;
    }

    /** Records a source location (0-based line and column, as V8 writes them). */
    public SnapshotBuilder location(int node, int scriptId, int line, int column) {
        if (locCount == locNode.length) {
            int c = Math.max(4, locCount * 2);
            locNode = Arrays.copyOf(locNode, c);
            locScript = Arrays.copyOf(locScript, c);
            locLine = Arrays.copyOf(locLine, c);
            locCol = Arrays.copyOf(locCol, c);
        }
        locNode[locCount] = node;
        locScript[locCount] = scriptId;
        locLine[locCount] = line;
        locCol[locCount] = column;
        locCount++;
        return this;
    }

    public int nodeCount() {
        return n;
    }

    public HeapSnapshot build() {
        int[] first = new int[n + 1];
        for (int i = 0; i < e; i++) {
            first[eFrom[i] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            first[i + 1] += first[i];
        }
        int[] pos = Arrays.copyOf(first, n);
        byte[] t = new byte[e];
        int[] nm = new int[e];
        int[] to = new int[e];
        for (int i = 0; i < e; i++) {   // stable: keeps insertion order within a node
            int p = pos[eFrom[i]]++;
            t[p] = eType[i];
            nm[p] = eName[i];
            to[p] = eTo[i];
        }
        return new HeapSnapshot(null, n, e, Arrays.copyOf(type, n), Arrays.copyOf(name, n), Arrays.copyOf(id, n),
                Arrays.copyOf(size, n), first, null, null, t, nm, to, strings,
                NodeType.NAMES.clone(), EdgeType.NAMES.clone(), root, 0,
                new SnapshotLocations(locNode, locScript, locLine, locCol, locCount), 7);
    }
}
