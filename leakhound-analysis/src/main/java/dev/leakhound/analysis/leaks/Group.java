package dev.leakhound.analysis.leaks;

/**
 * One group of leak roots in the last snapshot: those whose normalized paths and classes are the same.
 *
 * @param representative the leak root with the most new bytes below it (a node ordinal of the last snapshot)
 * @param roots          how many leak roots the group has
 * @param newBytes       bytes of the new objects below its roots
 * @param nativeBytes    of which native (ArrayBuffer backing stores)
 * @param newCount       new objects of the roots' class below them
 */
record Group(int representative, int roots, long newBytes, long nativeBytes, long newCount) {}
