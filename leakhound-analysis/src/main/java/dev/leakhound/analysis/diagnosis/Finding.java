package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.RetainerPath;
import dev.leakhound.analysis.SourceLocator;

import java.util.List;

/**
 * One Node.js leak pattern found in a snapshot, with the evidence for it.
 *
 * @param kind      the detector: {@code listeners}, {@code timers}, {@code closure-chain}, {@code closure-scope},
 *                  {@code collection}, {@code external-memory}, {@code duplicate-strings}
 * @param title     one line saying what was found
 * @param bytes     bytes at stake (what ranks findings): retained by the subject, or wasted for duplicates
 * @param count     how many (listeners, timers, links, entries, buffers, duplicate copies)
 * @param id        the snapshot id of the subject object (the emitter's listener array, the collection...), or -1
 * @param className its class
 * @param pathText  a shortest path from a root to the subject, as {@link RetainerPath#render} writes it
 * @param location  the source position that explains it (a listener, a callback, a closure), or null
 * @param evidence  named facts read from the snapshot
 * @param sampleIds ids of sample members (listeners, timers, entries...)
 * @param fix       what to do about it
 */
public record Finding(String kind, String title, long bytes, long count, long id, String className, String pathText,
                      List<RetainerPath.Step> path, SourceLocator.Location location, List<Fact> evidence,
                      List<Long> sampleIds, String fix) {

    /** A named piece of evidence. {@code value} is a String, a Long, or a List of Strings. */
    public record Fact(String name, Type type, Object value) {
        public enum Type { TEXT, BYTES, COUNT, LIST }

        public static Fact text(String name, String value) {
            return new Fact(name, Type.TEXT, value);
        }

        public static Fact bytes(String name, long value) {
            return new Fact(name, Type.BYTES, value);
        }

        public static Fact count(String name, long value) {
            return new Fact(name, Type.COUNT, value);
        }

        public static Fact list(String name, List<String> value) {
            return new Fact(name, Type.LIST, List.copyOf(value));
        }
    }
}
