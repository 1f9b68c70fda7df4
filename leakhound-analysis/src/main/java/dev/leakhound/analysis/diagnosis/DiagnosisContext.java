package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.nodejs.ClosureScopes;
import dev.leakhound.analysis.nodejs.V8Layout;
import dev.leakhound.analysis.paths.PathNames;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.analysis.source.SourceMaps;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.HeapSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * What every detector reads: the graph with its dominator tree, the options, the node scan, V8's
 * layout, the source locator (positions and provenance) and the heap's total. The detectors share
 * it; they keep their own state to themselves. The locator remembers what it found, so a context is
 * used by one thread at a time.
 */
public final class DiagnosisContext {
    final HeapGraph g;
    final HeapSnapshot s;
    final DiagnosisOptions o;
    final NodeScan scan;
    final V8Layout v8;
    final SourceLocator locator;
    final ClosureScopes scopes;
    /** Every node's self size: the root's retained size (unreachable nodes are attached to it) plus native extras. */
    final long heapBytes;

    public DiagnosisContext(HeapGraph g, DiagnosisOptions o, NodeScan scan) {
        this(g, o, scan, SourceMaps.NONE);
    }

    /** A context whose locator maps sources through {@code maps}. */
    public DiagnosisContext(HeapGraph g, DiagnosisOptions o, NodeScan scan, SourceMaps maps) {
        this.g = g;
        this.s = g.snapshot();
        this.o = o;
        this.scan = scan;
        this.v8 = new V8Layout(s, scan.names);
        this.locator = new SourceLocator(g, maps);
        this.scopes = new ClosureScopes(v8);
        this.heapBytes = g.retainedSize(s.rootOrdinal()) + s.extraNativeBytes();
    }

    public HeapGraph graph() {
        return g;
    }

    public HeapSnapshot snapshot() {
        return s;
    }

    public DiagnosisOptions options() {
        return o;
    }

    public NodeScan scan() {
        return scan;
    }

    public V8Layout v8() {
        return v8;
    }

    public SourceLocator locator() {
        return locator;
    }

    public ClosureScopes scopes() {
        return scopes;
    }

    public long heapBytes() {
        return heapBytes;
    }

    public List<RetainerPath.Step> path(int node) {
        return RetainerPath.shortest(g, node);
    }

    public String render(List<RetainerPath.Step> path) {
        return RetainerPath.render(g, path);
    }

    public String holderName(List<RetainerPath.Step> path) {
        return PathNames.holderName(v8, path);
    }

    public String label(int node) {
        return RetainerPath.label(g, node);
    }

    public Finding.NodeRef ref(int node) {
        return new Finding.NodeRef(s.id(node), g.className(node), label(node));
    }

    public Finding.FunctionRef function(int closure) {
        return new Finding.FunctionRef(label(closure), locator.of(closure));
    }

    /** Whether a node is Node's own by provenance; a node's own code position, when it has one, decides. */
    public boolean isInternal(int node) {
        return locator.isInternal(node);
    }

    /** A closure's captured variables, biggest retained size first, at most {@code max}. */
    public List<Finding.Captured> captured(int closure, int max) {
        List<int[]> vars = scopes.variables(closure);
        vars.sort((a, b) -> Long.compare(g.retainedSize(b[1]), g.retainedSize(a[1])));
        List<Finding.Captured> out = new ArrayList<>();
        for (int i = 0; i < vars.size() && i < max; i++) {
            int t = vars.get(i)[1];
            out.add(new Finding.Captured(v8.variableName(vars.get(i)[0]), ref(t), g.retainedSize(t)));
        }
        return out;
    }

    /** The ids of the first {@code max} of {@code nodes[0..count)}. */
    public List<Long> ids(int[] nodes, int count, int max) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < count && i < max; i++) {
            out.add(s.id(nodes[i]));
        }
        return out;
    }

    /** A finding about {@code subject}: its id, class and shortest path filled in. */
    public Finding finding(FindingKind kind, long bytes, long count, int subject, SourceLocator.Location location,
                           List<Long> sampleIds, Finding.Detail detail) {
        List<RetainerPath.Step> path = path(subject);
        return new Finding(kind, bytes, count, s.id(subject), g.className(subject), path, render(path), location, sampleIds,
                detail);
    }
}
