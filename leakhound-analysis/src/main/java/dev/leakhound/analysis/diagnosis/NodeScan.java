package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.nodejs.ChainLinks;
import dev.leakhound.analysis.nodejs.Collections;
import dev.leakhound.analysis.nodejs.V8Layout;
import dev.leakhound.analysis.strings.DuplicateStrings;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.v8.KnownNames;

import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;

/**
 * What one pass over every node and its edges collects for the detectors, plus the closure-chain
 * links: all of it needs distances but no dominator tree, so {@link Diagnosis#prepare} can run it on
 * the second core while the dominator tree is built. Immutable once built; the detectors only read it.
 */
public final class NodeScan {
    /** Collections with fewer entries than this are not listed (nor looked at by the detector). */
    public static final int COLLECTION_MIN_ENTRIES = 100;

    final KnownNames names;
    /** Pairs (emitter, its {@code _events} object). */
    final int[] emitters;
    final int[] timerLists;
    /** Contexts with their ScopeInfo, sorted: scope << 32 | context. */
    final long[] contexts;
    /** Per entry of {@link #contexts}: the context its chain link leads to, or -1 (groups of at least minChain only). */
    final int[] links;
    final int minChain;
    /** Collections with at least {@link #COLLECTION_MIN_ENTRIES} edges that may be entries, and their kind. */
    final int[] collections;
    final Collections.Kind[] collectionKinds;
    /** {@code system / JSArrayBufferData} nodes. */
    final int[] backingStores;
    /** The duplicate-string counts ({@link DuplicateStrings.Counter#info()}); null when the table is too big to count. */
    final int[] stringInfo;
    final long stringNodes;
    final long nodes;
    final long edges;

    private NodeScan(Builder b, int[] links, int minChain) {
        names = b.names;
        emitters = b.emitters.toArray();
        timerLists = b.timerLists.toArray();
        contexts = b.contexts;
        collections = b.collections.toArray();
        collectionKinds = b.kinds.toArray(new Collections.Kind[0]);
        backingStores = b.backingStores.toArray();
        stringInfo = b.stringInfo;
        stringNodes = b.stringNodes;
        nodes = b.s.nodeCount();
        edges = b.s.edgeCount();
        this.links = links;
        this.minChain = minChain;
    }

    // ---- for the detectors: arrays shared, not copied; nothing writes them after the scan ----

    public KnownNames names() {
        return names;
    }

    /** Pairs (emitter, its {@code _events} object). */
    public int[] emitters() {
        return emitters;
    }

    public int[] timerLists() {
        return timerLists;
    }

    /** Contexts with their ScopeInfo, sorted: scope << 32 | context ({@link #scope}, {@link #context}). */
    public long[] contexts() {
        return contexts;
    }

    /** Per entry of {@link #contexts()}: the context its chain link leads to, or -1. */
    public int[] links() {
        return links;
    }

    public int minChain() {
        return minChain;
    }

    public int[] collections() {
        return collections;
    }

    public Collections.Kind collectionKind(int i) {
        return collectionKinds[i];
    }

    public int[] backingStores() {
        return backingStores;
    }

    /** See the field; null when not counted. */
    public int[] stringInfo() {
        return stringInfo;
    }

    public long stringNodes() {
        return stringNodes;
    }

    public long nodes() {
        return nodes;
    }

    public long edges() {
        return edges;
    }

    /** Scans the graph (distances needed, no dominator tree); chains are linked for groups of {@code minChain} contexts. */
    public static NodeScan of(HeapGraph g, int minChain) {
        Builder b = new Builder(g);
        b.scan();
        int[] links = links(new V8Layout(g.snapshot(), b.names), b.contexts, minChain);
        return new NodeScan(b, links, minChain);
    }

    /**
     * For each scope group of at least {@code minChain} contexts, the context each of its contexts links to
     * (-1: none), per entry of {@code byScope}.
     */
    private static int[] links(V8Layout v8, long[] byScope, int minChain) {
        int[] out = new int[byScope.length];
        Arrays.fill(out, -1);
        ChainLinks.ContextLinks search = new ChainLinks.ContextLinks(v8);
        for (int i = 0; i < byScope.length; ) {
            int j = groupEnd(byScope, i);
            if (j - i >= minChain) {
                int scope = scope(byScope[i]);
                search.startGroup(byScope, i, j);
                for (int k = i; k < j; k++) {
                    out[k] = search.next(context(byScope[k]), scope);
                }
                search.endGroup(byScope, i, j);
            }
            i = j;
        }
        return out;
    }

    /** The end of the run of contexts of one ScopeInfo that starts at {@code i}. */
    public static int groupEnd(long[] byScope, int i) {
        int j = i;
        while (j < byScope.length && scope(byScope[j]) == scope(byScope[i])) {
            j++;
        }
        return j;
    }

    public static int scope(long entry) {
        return (int) (entry >>> 32);
    }

    public static int context(long entry) {
        return (int) entry;
    }

    /** A growable int array. */
    static final class IntList {
        private int[] a = new int[16];
        private int size;

        void add(int x) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = x;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    private static final class Builder {
        final HeapGraph g;
        final HeapSnapshot s;
        final KnownNames names;
        final V8Layout v8;
        final IntList emitters = new IntList();
        final IntList timerLists = new IntList();
        final IntList collections = new IntList();
        final List<Collections.Kind> kinds = new ArrayList<>();
        final IntList backingStores = new IntList();
        long[] contexts;
        int[] stringInfo;
        long stringNodes;
        private long pendingContext;

        Builder(HeapGraph g) {
            this.g = g;
            this.s = g.snapshot();
            this.names = KnownNames.of(s.strings());
            this.v8 = new V8Layout(s, names);
        }

        void scan() {
            int n = s.nodeCount();
            DuplicateStrings.Counter strings = new DuplicateStrings.Counter(g);
            long[] ctx = new long[64];
            int nctx = 0;
            for (int v = 0; v < n; v++) {
                int type = s.type(v);
                if (type == NodeType.STRING) {
                    strings.add(v);
                    continue;
                }
                if (type == NodeType.NATIVE) {
                    if (s.nameIndex(v) == names.arrayBufferData) {
                        backingStores.add(v);
                    }
                    continue;
                }
                if (type != NodeType.OBJECT) {
                    continue;
                }
                if (scanObject(v)) {
                    if (nctx == ctx.length) {
                        ctx = Arrays.copyOf(ctx, nctx * 2);
                    }
                    ctx[nctx++] = pendingContext;
                }
            }
            stringInfo = strings.info();
            stringNodes = strings.nodes();
            contexts = Arrays.copyOf(ctx, nctx);
            Arrays.sort(contexts);
            if (names.events >= 0) {
                scanEmitters();
            }
        }

        /** One object node: a context (true, with {@link #pendingContext} set), a timer list, or a collection. */
        private boolean scanObject(int v) {
            int min = COLLECTION_MIN_ENTRIES;
            int name = s.nameIndex(v);
            if (name == names.systemContext) {
                int scope = v8.scopeInfo(v);
                if (scope >= 0) {
                    pendingContext = ((long) scope << 32) | v;
                    return true;
                }
                return false;
            }
            if (name == names.timersList) {
                timerLists.add(v);
            }
            if (name == names.mapClass || name == names.setClass) {
                int tableOf = v8.internal(v, names.table);
                if (tableOf >= 0 && s.edgeCountOf(tableOf) >= min) {
                    collections.add(v);
                    kinds.add(name == names.mapClass ? Collections.Kind.MAP : Collections.Kind.SET);
                }
                return false;
            }
            if (s.edgeCountOf(v) < min) {
                return false;   // too few edges to hold COLLECTION_MIN_ENTRIES entries
            }
            int elements = 0;
            int props = 0;
            for (int e = s.firstEdge(v), end = s.endEdge(v); e < end; e++) {
                int et = s.edgeType(e);
                if (et == EdgeType.ELEMENT) {
                    elements++;
                } else if (et == EdgeType.PROPERTY && s.edgeNameOrIndex(e) != names.proto) {
                    props++;
                }
            }
            if (name == names.array) {
                if (elements >= min) {
                    collections.add(v);
                    kinds.add(Collections.Kind.ARRAY);
                }
            } else if (props >= min && g.distance(v) > 1 && !v8.isSystemObject(v)) {
                collections.add(v);
                kinds.add(Collections.Kind.DICTIONARY);
            }
            return false;
        }

        /** Emitters: property edges named {@code _events}, found by one sequential pass over the edges. */
        private void scanEmitters() {
            for (int e = 0, m = s.edgeCount(); e < m; e++) {
                if (s.edgeNameOrIndex(e) == names.events && s.edgeType(e) == EdgeType.PROPERTY) {
                    int ev = s.edgeTo(e);
                    int from = s.edgeFrom(e);
                    if (s.type(ev) == NodeType.OBJECT && s.type(from) == NodeType.OBJECT) {
                        emitters.add(from);
                        emitters.add(ev);
                    }
                }
            }
        }
    }
}
