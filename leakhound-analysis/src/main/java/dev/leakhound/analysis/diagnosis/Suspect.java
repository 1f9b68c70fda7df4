package dev.leakhound.analysis.diagnosis;

import dev.leakhound.analysis.paths.RetainerPath;
import dev.leakhound.analysis.source.SourceLocator;

import java.util.List;
import java.util.Locale;

/**
 * A leak suspect, as Eclipse MAT's Leak Suspects report defines one: a single object, or all objects
 * of one class, retaining a large share of the heap, with the accumulation point below it.
 *
 * @param kind          a single object, or a class (a group suspect)
 * @param id            the object's id ({@code -1} for a class)
 * @param className     its class
 * @param label         how the object reads ({@link RetainerPath#label})
 * @param count         1 for an object; for a class, how many of its objects no other one of them dominates
 * @param retainedBytes what it retains (for a class: what those objects retain together)
 * @param pathText      a shortest path from a root to the object (for a class: to a sample instance)
 * @param location      the source position of the object's constructor or function, or null
 * @param accumulation  where the memory piles up
 */
public record Suspect(Kind kind, long id, String className, String label, long count, long retainedBytes,
                      String pathText, List<RetainerPath.Step> path, SourceLocator.Location location,
                      Accumulation accumulation) {

    /** A single object, or a class whose objects together retain a lot; {@link #id()} is the name reports use. */
    public enum Kind {
        OBJECT, CLASS;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The accumulation point: for an object, the node reached by descending the dominator tree while
     * one child holds most of its parent; for a class, the deepest node on the merged shortest paths
     * that most of its objects share.
     *
     * @param covered     for a class: how many of its (sampled) objects have this node on their path
     * @param children    dominated children of the node
     * @param topChildren the classes of those children, most bytes first
     */
    public record Accumulation(long id, String className, String label, long retainedBytes, int children,
                               List<ClassShare> topChildren, String pathText, List<RetainerPath.Step> path,
                               int covered, int sampled) {}
}
