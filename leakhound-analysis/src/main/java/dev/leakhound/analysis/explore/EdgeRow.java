package dev.leakhound.analysis.explore;

/**
 * An edge and the object at its other end: a retainer (the edge leads from the object to the one asked
 * about) or a child in Containment (the edge leads from the one asked about to the object).
 *
 * @param edgeLabel how the edge reads in a path ({@code .prop}, {@code [3]}, {@code ::var})
 */
public record EdgeRow(String edgeType, String edgeName, String edgeLabel, ObjectRow object) {}
