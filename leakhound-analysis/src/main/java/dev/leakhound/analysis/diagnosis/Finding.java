package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.nodejs.Collections;
import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;

import java.util.List;

/**
 * One Node.js leak pattern found in a snapshot, with the evidence for it, as data: the report layer
 * words it (title, evidence lines, fix).
 *
 * @param kind      the detector
 * @param bytes     bytes at stake (what ranks findings): retained by the subject, or wasted for duplicates
 * @param count     how many (listeners, timers, links, contexts, entries, backing stores, duplicate copies)
 * @param id        the snapshot id of the subject object (the emitter's listener array, the collection...), or -1
 * @param className its class
 * @param path      a shortest path from a root to the subject
 * @param pathText  that path as {@link RetainerPath#render} writes it
 * @param location  the source position that explains it (a listener, a callback, a closure), or null
 * @param sampleIds ids of sample members (listeners, timers, entries...)
 * @param detail    what the detector read, by kind
 */
public record Finding(FindingKind kind, long bytes, long count, long id, String className, List<RetainerPath.Step> path,
                      String pathText, SourceLocator.Location location, List<Long> sampleIds, Detail detail) {

    public Finding {
        path = List.copyOf(path);
        sampleIds = List.copyOf(sampleIds);
    }

    /** Another object, briefly: its id, class and label ({@link RetainerPath#label}). */
    public record NodeRef(long id, String className, String label) {}

    /** A function: its label ({@code name()}) and source position (null when unknown). */
    public record FunctionRef(String label, SourceLocator.Location location) {}

    /** How many of something one function accounts for. */
    public record FunctionCount(long count, FunctionRef function) {}

    /** A variable a closure's scope captures, the object it holds and what that retains. */
    public record Captured(String variable, NodeRef target, long retainedBytes) {}

    /** What each detector read from the snapshot. */
    public sealed interface Detail permits Listeners, Timers, ClosureChain, ClosureScope, Collection, ExternalMemory,
            DuplicateStrings {}

    /**
     * Listeners for one event on one emitter.
     *
     * @param emitterName    what the emitter is called ({@link dev.leakhound.analysis.paths.PathNames#holderName})
     * @param emitterPath    how it is reached ({@link RetainerPath#render}; empty when it is a root)
     * @param functions      the listeners' functions, most listeners first (at most three)
     * @param otherFunctions how many more functions there are
     * @param captures       what the main function's scope captures, biggest first
     * @param warned         Node printed MaxListenersExceededWarning for the event
     */
    public record Listeners(NodeRef emitter, String emitterName, String emitterPath, String event, long listeners,
                            List<FunctionCount> functions, int otherFunctions, List<Captured> captures, boolean warned)
            implements Detail {}

    /**
     * Live timers running one callback function.
     *
     * @param repeating how many repeat (setInterval)
     * @param delayMs   the delay of their TimersList, or -1 when unknown
     */
    public record Timers(long timers, long repeating, long delayMs, FunctionRef callback, List<Captured> captures)
            implements Detail {
        /** Called setInterval when at least half of them repeat. */
        public boolean mostlyRepeating() {
            return repeating * 2 >= timers;
        }
    }

    /**
     * A chain of one function's closure scopes, each keeping the previous one through a variable.
     *
     * @param scopeFunction the function whose scopes they are, or null when unknown
     * @param scopeInfoId   the ScopeInfo's id
     * @param variable      the variable the link starts from
     * @param linkTarget    what the variable holds
     * @param link          how the link reads, from one context to the next
     * @param holders       the functions whose closures hold a context of the chain, most first (at most four)
     * @param sampleHolder  a closure holding one, or null
     * @param bytesPerLink  bytes / links
     */
    public record ClosureChain(long links, String scopeFunction, long scopeInfoId, String variable, NodeRef linkTarget,
                               String link, List<FunctionCount> holders, String sampleHolder, long bytesPerLink)
            implements Detail {}

    /**
     * Closure scopes of one function that together keep a lot alive.
     *
     * @param variables    what the variables hold on their own, biggest first (at most four)
     * @param mainVariable the variable holding most, or null
     * @param sampleHolder a closure holding one of the contexts, or null
     */
    public record ClosureScope(String scopeFunction, long scopeInfoId, long contexts, List<Variable> variables,
                               String mainVariable, List<FunctionCount> holders, String sampleHolder)
            implements Detail {}

    /** A variable of a group of scopes: its name, the class of a sample value, how many contexts hold it and what. */
    public record Variable(String name, String className, long count, long retainedBytes) {}

    /**
     * A collection with very high fan-out.
     *
     * @param holderName  what it is called
     * @param byClass     its entries by class, most bytes first (at most three)
     * @param sampleKeys  up to five keys
     * @param numericKeys a Map whose keys are numbers (which V8 does not write)
     */
    public record Collection(NodeRef collection, Collections.Kind collectionKind, String holderName, long entries,
                             List<ClassShare> byClass, List<String> sampleKeys, boolean numericKeys)
            implements Detail {}

    /**
     * ArrayBuffer memory outside the JS heap held by objects of one class in one place.
     *
     * @param singleOwner     one owner (else many owners of one class in a container)
     * @param via             how the owner reaches its buffer ({@code .data}), or empty
     * @param container       the owners' holder (null for a single owner)
     * @param containerPath   how the container is reached (empty for a single owner)
     * @param externalBytes   all backing stores' bytes in the snapshot
     */
    public record ExternalMemory(long stores, long bytes, long externalBytes, boolean singleOwner, NodeRef owner,
                                 String via, NodeRef container, String containerPath, String holderName)
            implements Detail {}

    /** Strings held in more than one copy. */
    public record DuplicateStrings(long texts, long extraCopies, long wastedBytes, List<Duplicate> top) implements Detail {}

    /** One duplicated text: how it reads, its copies, the size of one, the bytes wasted, and who holds a sample copy. */
    public record Duplicate(String text, long copies, long eachBytes, long wastedBytes, String holderName, long sampleId) {}
}
