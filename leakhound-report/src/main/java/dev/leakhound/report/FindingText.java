package dev.leakhound.report;

import dev.leakhound.analysis.diagnosis.ClassShare;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.nodejs.Collections;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.leakhound.report.Format.code;
import static dev.leakhound.report.Format.count;

/**
 * How a diagnosis finding reads: its title, its evidence lines and its fix, one section per kind of
 * finding. The analysis gives the numbers and names ({@link Finding.Detail}); the sentences are here.
 */
public final class FindingText {
    private FindingText() {}

    /** One piece of evidence: a name and a text, a byte count, a count, or a list of lines. */
    public record Evidence(String name, Type type, Object value) {
        public enum Type { TEXT, BYTES, COUNT, LIST }

        static Evidence text(String name, String value) {
            return new Evidence(name, Type.TEXT, value);
        }

        static Evidence bytes(String name, long value) {
            return new Evidence(name, Type.BYTES, value);
        }

        static Evidence count(String name, long value) {
            return new Evidence(name, Type.COUNT, value);
        }

        static Evidence list(String name, List<String> value) {
            return new Evidence(name, Type.LIST, List.copyOf(value));
        }
    }

    public static String title(Finding f, long heapBytes) {
        Finding.Detail d = f.detail();
        if (d instanceof Finding.Listeners l) {
            String fn = l.functions().get(0).function().label();
            boolean one = l.functions().size() == 1 && l.otherFunctions() == 0;
            return count(l.listeners()) + " listeners for '" + l.event() + "' on " + code(l.emitterName()) + " ("
                    + l.emitter().className() + " @" + l.emitter().id() + "), " + (one ? "all " + fn : fn + " and others")
                    + "; Node's default maxListeners is 10";
        }
        if (d instanceof Finding.Timers t) {
            String fn = t.callback().label();
            String keeps = t.captures().isEmpty() ? "" : ", each keeping " + t.captures().get(0).variable();
            if (t.mostlyRepeating()) {
                return count(t.timers()) + " live setInterval timers run " + fn
                        + (t.delayMs() < 0 ? "" : " every " + t.delayMs() + " ms") + keeps;
            }
            return count(t.timers()) + " pending setTimeout timers will run " + fn
                    + (t.delayMs() < 0 ? "" : " after " + t.delayMs() + " ms") + keeps;
        }
        if (d instanceof Finding.ClosureChain c) {
            return "a chain of " + count(c.links()) + " closure scopes of " + scopeFn(c.scopeFunction(), "one function")
                    + ": each keeps the previous one alive through the variable " + code(c.variable()) + " (" + c.link() + ")";
        }
        if (d instanceof Finding.ClosureScope c) {
            return (c.contexts() == 1 ? "a closure scope of " : count(c.contexts()) + " closure scopes of ")
                    + scopeFn(c.scopeFunction(), "one function") + " keep " + Format.bytes(f.bytes()) + " alive through "
                    + code(c.mainVariable() == null ? "?" : c.mainVariable())
                    + (c.sampleHolder() != null ? ", held by " + c.sampleHolder() : "");
        }
        if (d instanceof Finding.Collection c) {
            String mainClass = c.byClass().isEmpty() ? "?" : c.byClass().get(0).className();
            return code(c.holderName()) + " (" + collectionWord(c.collectionKind()) + ") holds " + count(c.entries())
                    + " entries, mostly " + mainClass + ": " + Format.bytes(f.bytes()) + " ("
                    + Format.percent(f.bytes(), heapBytes) + " of the heap)";
        }
        if (d instanceof Finding.ExternalMemory e) {
            String via = e.via();
            return Format.bytes(e.bytes()) + " of ArrayBuffer memory outside the JS heap in " + count(e.stores())
                    + " backing stores, held by " + (e.singleOwner() ? code(e.holderName()) + " (" + e.owner().className() + ")"
                    : e.owner().className() + " objects" + (via.isEmpty() ? "" : " (" + via + ")") + " in "
                    + code(e.holderName()) + " (" + e.container().className() + ")");
        }
        if (d instanceof Finding.DuplicateStrings s) {
            Finding.Duplicate top = s.top().get(0);
            return Format.bytes(s.wastedBytes()) + " wasted by " + count(s.extraCopies()) + " duplicate copies of "
                    + count(s.texts()) + " strings; the most: " + top.text() + " ×" + count(top.copies());
        }
        throw new IllegalArgumentException("no wording for " + d);
    }

    public static List<Evidence> evidence(Finding f, long heapBytes) {
        List<Evidence> out = new ArrayList<>();
        Finding.Detail d = f.detail();
        if (d instanceof Finding.Listeners l) {
            out.add(Evidence.text("emitter", ref(l.emitter()) + (l.emitterPath().isEmpty() ? "" : "  " + l.emitterPath())));
            out.add(Evidence.text("event", l.event()));
            out.add(Evidence.count("listeners", l.listeners()));
            List<String> fns = functionLines(l.functions());
            if (l.otherFunctions() > 0) {
                fns.add("… " + l.otherFunctions() + " other functions");
            }
            out.add(Evidence.list("functions", fns));
            if (!l.captures().isEmpty()) {
                out.add(Evidence.list("captures", capturedLines(l.captures())));
            }
            if (l.warned()) {
                out.add(Evidence.text("warning", "Node printed MaxListenersExceededWarning for this event"));
            }
        } else if (d instanceof Finding.Timers t) {
            out.add(Evidence.count("timers", t.timers()));
            out.add(Evidence.text("kind", t.repeating() == t.timers() ? "repeating (setInterval)"
                    : t.repeating() == 0 ? "one-shot (setTimeout), pending"
                    : t.repeating() + " repeating, " + (t.timers() - t.repeating()) + " one-shot"));
            if (t.delayMs() >= 0) {
                out.add(Evidence.text("delay", t.delayMs() + " ms (the TimersList they are on)"));
            }
            out.add(Evidence.text("callback", function(t.callback())));
            if (!t.captures().isEmpty()) {
                out.add(Evidence.list("captures", capturedLines(t.captures())));
            }
        } else if (d instanceof Finding.ClosureChain c) {
            out.add(Evidence.count("links", c.links()));
            out.add(Evidence.text("scope", scope(c.scopeFunction(), c.scopeInfoId())));
            out.add(Evidence.text("linking variable", c.variable() + " → " + ref(c.linkTarget())));
            out.add(Evidence.text("link", c.link() + " → the next context"));
            out.add(Evidence.list("held by", holderLines(c.holders())));
            out.add(Evidence.bytes("per link", c.bytesPerLink()));
        } else if (d instanceof Finding.ClosureScope c) {
            out.add(Evidence.text("scope", scope(c.scopeFunction(), c.scopeInfoId())));
            out.add(Evidence.count("contexts", c.contexts()));
            List<String> vars = new ArrayList<>();
            for (Finding.Variable v : c.variables()) {
                vars.add(v.name() + " → " + v.className() + " ×" + count(v.count()) + " (" + Format.bytes(v.retainedBytes()) + ")");
            }
            out.add(Evidence.list("variables", vars));
            out.add(Evidence.list("held by", holderLines(c.holders())));
        } else if (d instanceof Finding.Collection c) {
            out.add(Evidence.text("collection", ref(c.collection()) + " (" + collectionWord(c.collectionKind()) + ")"));
            out.add(Evidence.count("entries", c.entries()));
            List<String> classes = new ArrayList<>();
            for (ClassShare s : c.byClass()) {
                classes.add(s.className() + " ×" + count(s.count()) + " (" + Format.bytes(s.retainedBytes()) + ")");
            }
            out.add(Evidence.list("entries by class", classes));
            if (!c.sampleKeys().isEmpty()) {
                out.add(Evidence.list("sample keys", c.sampleKeys()));
            } else if (c.numericKeys()) {
                out.add(Evidence.text("sample keys", "numbers (V8 does not write small integers into snapshots)"));
            }
            out.add(Evidence.text("share of heap", Format.percent(f.bytes(), heapBytes)));
            if (c.collectionKind() == Collections.Kind.ARRAY) {
                out.add(Evidence.text("if it is a queue", "one snapshot cannot tell whether producers outpace consumers;"
                        + " a second snapshot and `leakhound find-leaks` show whether its count keeps rising"));
            }
        } else if (d instanceof Finding.ExternalMemory e) {
            out.add(Evidence.count("backing stores", e.stores()));
            out.add(Evidence.text("of all external", e.externalBytes() <= 0 ? "-"
                    : String.format(Locale.ROOT, "%.0f%%", 100.0 * e.bytes() / e.externalBytes())));
            String via = e.via();
            out.add(Evidence.text(e.singleOwner() ? "owner" : "owners", e.singleOwner()
                    ? ref(e.owner()) + (via.isEmpty() ? "" : " (through its " + via + ")")
                    : e.owner().className() + (via.isEmpty() ? "" : " (the buffer is its " + via + ")")));
            if (!e.singleOwner()) {
                out.add(Evidence.text("held in", ref(e.container()) + "  " + e.containerPath()));
            }
        } else if (d instanceof Finding.DuplicateStrings s) {
            out.add(Evidence.count("texts", s.texts()));
            out.add(Evidence.count("extra copies", s.extraCopies()));
            List<String> lines = new ArrayList<>();
            for (Finding.Duplicate dup : s.top()) {
                lines.add(dup.text() + " ×" + count(dup.copies()) + ", " + Format.bytes(dup.eachBytes()) + " each, "
                        + Format.bytes(dup.wastedBytes()) + " wasted; e.g. " + dup.holderName() + " @" + dup.sampleId());
            }
            out.add(Evidence.list("top duplicates", lines));
        }
        return out;
    }

    public static String fix(Finding f) {
        Finding.Detail d = f.detail();
        if (d instanceof Finding.Listeners l) {
            return "Listeners are added to " + code(l.emitterName()) + " for '" + l.event() + "' again and again (per request,"
                    + " per connection or reconnect) and never removed, so each one and everything its closure captures stays"
                    + " alive. Remove the listener when its work ends (emitter.off('" + l.event() + "', fn) with the same"
                    + " function), use once() if it should run once, or register one shared listener at start-up.";
        }
        if (d instanceof Finding.Timers t) {
            return t.mostlyRepeating()
                    ? "setInterval is called again and again (per session, per request) and the timers are never cleared; each"
                    + " keeps its callback and everything the callback captures. Keep the handle and call clearInterval(handle)"
                    + " when the work ends (e.g. when the session or connection closes). timer.unref() does not free memory."
                    : "Many one-shot timers are pending at once, each keeping its callback and what it captures until it fires."
                    + " If they are deadlines for work that already finished, clearTimeout(handle) when the work ends; if the"
                    + " delay is long, keep one timer that sweeps expired entries instead of one per entry.";
        }
        if (d instanceof Finding.ClosureChain c) {
            String fn = c.scopeFunction() == null ? "the function" : c.scopeFunction() + "()";
            return "Every call of " + fn + " creates a scope whose variable " + code(c.variable()) + " points at the previous"
                    + " result, and a closure created in the same call (" + (c.sampleHolder() != null ? c.sampleHolder()
                    : "a function") + ") keeps that scope alive although it may never use " + code(c.variable())
                    + ": V8 gives all closures of one call a single shared context. Set " + code(c.variable())
                    + " = null when it is no longer needed, or move the closure that uses it out of that function.";
        }
        if (d instanceof Finding.ClosureScope c) {
            String var = code(c.mainVariable() == null ? "?" : c.mainVariable());
            return "A function created in " + (c.scopeFunction() == null ? "that scope" : c.scopeFunction() + "()")
                    + " is still reachable, so its scope and every variable captured there stay alive (V8 shares one"
                    + " context among all closures of a call). If " + var + " is not needed by the long-lived function,"
                    + " set it to null when done, or create that function outside the scope that holds the data; if it"
                    + " is a cache, bound it.";
        }
        if (d instanceof Finding.Collection c) {
            if (c.collectionKind() == Collections.Kind.ARRAY) {
                return "Entries are added to " + code(c.holderName()) + " and not removed, or more slowly than they arrive. If"
                        + " it is a log or history, cap it (a ring buffer of the last N) or keep only the small part you"
                        + " need; if it is a queue, bound it and apply backpressure. One snapshot cannot show growth: take"
                        + " another in a minute and run `leakhound find-leaks` on both.";
            }
            return "Entries are added to " + code(c.holderName()) + " and not deleted. Delete each entry when its work is done"
                    + " (also on errors and timeouts), or bound it (an LRU with a maximum size, a TTL); with object keys, a"
                    + " WeakMap lets entries go with their keys. If it is a bounded cache that is simply full, raise"
                    + " --min-entries/--min-bytes; a second snapshot and `leakhound find-leaks` tell the two apart.";
        }
        if (d instanceof Finding.ExternalMemory) {
            return "Buffer and typed-array bytes live outside the JS heap (process.memoryUsage().external and"
                    + " arrayBuffers), so heap charts understate them. Drop the references when done and bound what is"
                    + " kept; copy the bytes you need (Buffer.from(buf.subarray(...))) instead of keeping slices, which pin"
                    + " the whole parent buffer.";
        }
        if (d instanceof Finding.DuplicateStrings) {
            return "The same text is built or parsed again and again (JSON.parse of similar payloads, header values,"
                    + " string concatenation) and every copy is kept. Keep one copy (a Map from text to the shared string, or"
                    + " an enum of known values), or keep less: store the parsed fields you need, not whole payloads.";
        }
        throw new IllegalArgumentException("no wording for " + d);
    }

    /** How a collection kind reads. */
    public static String collectionWord(Collections.Kind kind) {
        return switch (kind) {
            case ARRAY -> "Array";
            case MAP -> "Map";
            case SET -> "Set";
            case DICTIONARY -> "object used as a dictionary";
        };
    }

    static String ref(Finding.NodeRef r) {
        return r.label() + " @" + r.id();
    }

    /** {@code onData() at app.js:12:3} */
    static String function(Finding.FunctionRef f) {
        return f.label() + (f.location() == null ? "" : " at " + f.location());
    }

    private static String scopeFn(String fn, String otherwise) {
        return fn == null ? otherwise : fn + "()";
    }

    private static String scope(String fn, long scopeInfoId) {
        return (fn == null ? "a function's scope" : fn + "()'s scope") + " (ScopeInfo @" + scopeInfoId + ")";
    }

    private static List<String> functionLines(List<Finding.FunctionCount> fns) {
        List<String> out = new ArrayList<>();
        for (Finding.FunctionCount fc : fns) {
            out.add(count(fc.count()) + " × " + function(fc.function()));
        }
        return out;
    }

    private static List<String> holderLines(List<Finding.FunctionCount> fns) {
        List<String> out = functionLines(fns);
        if (out.isEmpty()) {
            out.add("(no live closure holds them directly)");
        }
        return out;
    }

    private static List<String> capturedLines(List<Finding.Captured> captured) {
        List<String> out = new ArrayList<>();
        for (Finding.Captured c : captured) {
            out.add(c.variable() + " → " + ref(c.target()) + " (" + Format.bytes(c.retainedBytes()) + ")");
        }
        return out;
    }
}
