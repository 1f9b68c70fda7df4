package dev.leakhound.analysis.leaks;

import dev.leakhound.analysis.nodejs.ChainLinks;
import dev.leakhound.analysis.nodejs.ClosureScopes;
import dev.leakhound.analysis.nodejs.Collections;
import dev.leakhound.analysis.nodejs.EventListeners;
import dev.leakhound.analysis.nodejs.NodeTimers;
import dev.leakhound.analysis.nodejs.V8Layout;
import dev.leakhound.analysis.paths.PathNames;
import dev.leakhound.analysis.paths.Repeats;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;
import dev.leakhound.core.graph.HeapGraph;
import dev.leakhound.core.snapshot.EdgeType;
import dev.leakhound.core.snapshot.HeapSnapshot;
import dev.leakhound.core.snapshot.NodeType;
import dev.leakhound.core.v8.V8Names;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tells a leak group's shape (listeners, timers, a chain, buffers, callbacks in an Array, a queue, an
 * Array, a Map or Set, a dictionary, a memoization cache, or objects under something else), which
 * name holds it and the source position that explains it. The Node patterns are recognized by the
 * recognizers the one-snapshot diagnosis uses ({@link EventListeners}, {@link NodeTimers},
 * {@link ClosureScopes}, {@link ChainLinks}, {@link Collections}); the words are the report's.
 */
final class LeakClassifier {
    /** A chain has at most this many leak roots, each with at least {@value #CHAIN_MEMBERS_PER_ROOT} members. */
    static final int CHAIN_MAX_ROOTS = 3;
    static final int CHAIN_MEMBERS_PER_ROOT = 5;

    /** The shape, the name people know it by, the wording's facts, a path to one object and its source position. */
    record Result(LeakPattern pattern, String culprit, LeakReport.Detail detail, List<RetainerPath.Step> path,
                  String pathText, SourceLocator.Location location) {}

    private final HeapGraph g;
    private final HeapSnapshot s;
    private final SourceLocator locator;
    private final PathKeys keys;
    private final boolean[] isNew;
    private final EventListeners listeners;
    private final ClosureScopes scopes;
    private final NodeTimers timers;

    LeakClassifier(HeapGraph g, V8Layout v8, SourceLocator locator, PathKeys keys, boolean[] isNew) {
        this.g = g;
        this.s = g.snapshot();
        this.locator = locator;
        this.keys = keys;
        this.isNew = isNew;
        this.listeners = new EventListeners(v8);
        this.scopes = new ClosureScopes(v8);
        this.timers = new NodeTimers(v8);
    }

    Result classify(Group group, Accumulation acc, Growth growth) {
        int rep = group.representative();
        List<RetainerPath.Step> path = RetainerPath.shortest(g, rep);
        String pathText = RetainerPath.render(g, path);
        String leakedClass = acc.leakedClass();
        String containerClass = acc.containerClass();
        // the named step nearest the container: the variable or property people know it by
        String holder = PathNames.lastName(s, acc.containerPath());

        // listeners: the accumulation point is an emitter's _events (or the listener array in it)
        int containerAt = -1;
        for (int i = 0; i < path.size(); i++) {
            if (path.get(i).node() == acc.container()) {
                containerAt = i;
            }
        }
        EventListeners.OnPath on = listeners.onPath(path, Math.max(0, containerAt - 1));
        if (on != null) {
            String emitter = on.emitterStep() >= 0 ? PathNames.stepName(s, path.get(on.emitterStep())) : null;
            String emitterClass = g.className(path.get(Math.max(0, on.emitterStep())).node());
            int listener = on.listener();
            LeakReport.Listeners d = new LeakReport.Listeners(emitter, emitterClass, on.event(),
                    listener >= 0 ? RetainerPath.label(g, listener) : null, captured(listener));
            return result(LeakPattern.LISTENERS, emitter != null ? emitter : holder, d, path, pathText, acc, rep, listener);
        }

        // timers: Timeout objects kept by Node's timer lists
        if (NodeTimers.isTimerClass(leakedClass) || NodeTimers.isTimerListClass(containerClass)) {
            int cb = timers.callback(rep);
            String fn = cb >= 0 ? RetainerPath.label(g, cb) : null;
            List<LeakReport.Captured> captured = captured(cb);
            String culprit = !captured.isEmpty() ? captured.get(0).variable() : fn != null ? fn : holder;
            return result(LeakPattern.TIMERS, culprit, new LeakReport.Timers(fn, captured), path, pathText, acc, rep, cb);
        }

        // a chain: each leaked object keeps the previous one (closure scopes, linked lists)
        boolean chainLike = group.roots() <= CHAIN_MAX_ROOTS && group.newCount() >= (long) CHAIN_MEMBERS_PER_ROOT * group.roots();
        List<Integer> link = chainLike ? ChainLinks.repeatingSegment(g, rep, isNew) : null;
        if (link != null) {
            String variable = ChainLinks.linkingVariable(s, link);
            String chainHolder = chainHolder(acc.labels(), holder);
            LeakReport.Chain d = new LeakReport.Chain(chainHolder, variable, ChainLinks.segmentText(s, link));
            return variable != null
                    ? result(LeakPattern.CLOSURE_CHAIN, variable, d, path, pathText, acc, rep, -1)
                    : result(LeakPattern.CHAIN, chainHolder, d, path, pathText, acc, rep, -1);
        }

        if (group.nativeBytes() * 2 > group.newBytes() || V8Names.BUFFER_CLASSES.contains(leakedClass)) {
            return result(LeakPattern.BUFFERS, holder, new LeakReport.Buffers(holder, group.nativeBytes()), path, pathText,
                    acc, rep, -1);
        }

        String labels = acc.labelText();
        boolean arrayish = containerClass.equals(V8Names.ARRAY)
                && (labels.startsWith(PathKeys.ANY_INDEX) || labels.startsWith(PathKeys.ELEMENTS));
        if (arrayish && s.type(rep) == NodeType.CLOSURE) {
            return result(LeakPattern.CLOSURES_IN_ARRAY, holder,
                    new LeakReport.Callbacks(holder, captured(rep)), path, pathText, acc, rep, rep);
        }
        if (arrayish && growth.turnsOver()) {
            return result(LeakPattern.QUEUE, holder, new LeakReport.Queue(holder, growth.firstMembers(),
                    growth.firstMembersKept()), path, pathText, acc, rep, -1);
        }
        if (arrayish) {
            return result(LeakPattern.ARRAY, holder, new LeakReport.Collection(holder, Collections.Kind.ARRAY), path,
                    pathText, acc, rep, -1);
        }

        boolean map = containerClass.equals(V8Names.MAP_CLASS);
        boolean set = containerClass.equals(V8Names.SET_CLASS);
        boolean dictionary = containerClass.equals(V8Names.OBJECT_CLASS) && labels.startsWith(PathKeys.ANY_INDEX)
                && keys.isDictionary(acc.container());
        if (map || set || dictionary) {
            Collections.Kind kind = dictionary ? Collections.Kind.DICTIONARY : set ? Collections.Kind.SET : Collections.Kind.MAP;
            LeakPattern pattern = memoCache(acc, holder) ? LeakPattern.MEMOIZE
                    : dictionary ? LeakPattern.DICTIONARY : set ? LeakPattern.SET : LeakPattern.MAP;
            return result(pattern, holder, new LeakReport.Collection(holder, kind), path, pathText, acc, rep, -1);
        }

        return result(LeakPattern.OBJECTS, holder, new LeakReport.Objects(holder, containerClass,
                Repeats.display(acc.labels())), path, pathText, acc, rep, -1);
    }

    private Result result(LeakPattern pattern, String culprit, LeakReport.Detail detail, List<RetainerPath.Step> path,
                          String pathText, Accumulation acc, int rep, int preferred) {
        return new Result(pattern, culprit, detail, path, pathText, locate(acc, rep, path, preferred));
    }

    /**
     * What a closure's scope captures: the variable that best explains the leak
     * ({@link ClosureScopes#leakingVariable}) first, then the other variables holding new objects.
     */
    private List<LeakReport.Captured> captured(int closure) {
        int main = scopes.leakingVariableEdge(closure, isNew);
        if (main < 0) {
            return List.of();
        }
        List<LeakReport.Captured> out = new ArrayList<>();
        out.add(new LeakReport.Captured(s.edgeName(main), g.className(s.edgeTo(main))));
        for (int[] variable : scopes.variables(closure)) {
            int e = variable[0];
            int t = variable[1];
            if (out.size() < LeakReport.Captured.MAX && e != main && s.edgeType(e) == EdgeType.CONTEXT && isNew[t]
                    && s.type(t) != NodeType.CLOSURE && s.type(t) != NodeType.CODE) {
                out.add(new LeakReport.Captured(s.edgeName(e), g.className(t)));
            }
        }
        return out;
    }

    /** The chain hangs off the first named step below the accumulation point (e.g. {@code ::theThing}). */
    static String chainHolder(List<String> labels, String otherwise) {
        for (String l : labels) {
            if (l.startsWith("::")) {
                return l.substring(2);
            }
            if (l.startsWith(".") && l.length() > 1) {
                return l.substring(1);
            }
        }
        return otherwise;
    }

    /** A collection held by a closure variable whose name says it is a cache. */
    private boolean memoCache(Accumulation acc, String holder) {
        List<RetainerPath.Step> p = acc.containerPath();
        boolean captured = !p.isEmpty() && s.edgeType(p.get(p.size() - 1).edge()) == EdgeType.CONTEXT;
        String lower = holder.toLowerCase(Locale.ROOT);
        return captured && (lower.contains("cache") || lower.contains("memo"));
    }

    /**
     * The source position that best explains the leak: the given function (a listener, a timer's
     * callback, a pushed closure), the leaked object's constructor, the function whose scope holds the
     * accumulation point, or a function in the leaked objects; user code first.
     */
    SourceLocator.Location locate(Accumulation acc, int rep, List<RetainerPath.Step> path, int preferred) {
        List<Integer> options = new ArrayList<>();
        if (preferred >= 0) {
            options.add(preferred);
        }
        options.add(rep);
        // functions on the way down to the container, nearest first
        List<RetainerPath.Step> toContainer = acc.containerPath();
        for (int i = toContainer.size() - 1; i >= 0; i--) {
            int v = toContainer.get(i).node();
            if (s.type(v) == NodeType.CLOSURE) {
                options.add(v);
            }
        }
        // functions inside the leaked object
        for (int e = s.firstEdge(rep), end = s.endEdge(rep); e < end; e++) {
            int t = s.edgeTo(e);
            if (s.type(t) == NodeType.CLOSURE) {
                options.add(t);
            }
        }
        for (RetainerPath.Step st : path) {
            if (s.type(st.node()) == NodeType.CLOSURE) {
                options.add(st.node());
            }
        }
        SourceLocator.Location fallback = null;
        for (int v : options) {
            SourceLocator.Location l = locator.of(v);
            if (l == null) {
                continue;
            }
            if (l.isUserCode()) {
                return l;
            }
            if (fallback == null) {
                fallback = l;
            }
        }
        return fallback;
    }
}
