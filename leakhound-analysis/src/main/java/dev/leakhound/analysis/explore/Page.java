package dev.leakhound.analysis.explore;

import java.util.List;

/** A page of a longer list: {@code total} rows in all, {@code rows} from {@code offset}. */
public record Page<T>(long total, int offset, List<T> rows) {}
