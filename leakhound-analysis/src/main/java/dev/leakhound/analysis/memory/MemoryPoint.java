package dev.leakhound.analysis.memory;

import java.util.Map;

/**
 * Where a process's memory was at one moment, in bytes ({@code -1}: not known, e.g. no /proc on the target's
 * system).
 *
 * @param timeMillis   when (epoch ms)
 * @param rss          resident set size (process.memoryUsage().rss, or VmRSS)
 * @param rssAnon      resident anonymous memory (/proc/PID/status RssAnon): heaps, malloc, stacks
 * @param rssFile      resident file-backed memory (RssFile): the node binary, shared libraries, mapped files
 * @param rssShmem     resident shared memory (RssShmem)
 * @param heapUsed     V8's JS heap in use (memoryUsage().heapUsed)
 * @param heapTotal    V8's JS heap reserved (heapTotal)
 * @param heapPhysical V8's JS heap committed in RAM (v8.getHeapStatistics().total_physical_size; heapTotal when unknown)
 * @param external     memory V8 is told about outside its heap (memoryUsage().external: ArrayBuffer backing
 *                     stores, Buffers, WebAssembly memories, zlib's state...)
 * @param arrayBuffers the part of {@code external} in ArrayBuffers and Buffers (memoryUsage().arrayBuffers)
 * @param code         V8's code spaces in use (code_space and code_large_object_space)
 * @param spacesUsed   bytes in use per V8 heap space ("old_space" -> ...)
 */
public record MemoryPoint(long timeMillis, long rss, long rssAnon, long rssFile, long rssShmem, long heapUsed,
                          long heapTotal, long heapPhysical, long external, long arrayBuffers, long code,
                          Map<String, Long> spacesUsed) {

    public MemoryPoint {
        spacesUsed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(spacesUsed));
    }

    /**
     * A point from what Node reports, by Node's field names.
     *
     * @param memoryUsage process.memoryUsage() (rss, heapUsed, heapTotal, external, arrayBuffers)
     * @param heapStats   v8.getHeapStatistics() (total_physical_size)
     * @param spacesUsed  space_used_size by space_name, from v8.getHeapSpaceStatistics()
     * @param status      /proc/PID/status sizes in bytes (VmRSS, RssAnon, RssFile, RssShmem); empty when unknown
     */
    public static MemoryPoint of(long timeMillis, Map<String, Long> memoryUsage, Map<String, Long> heapStats,
                                 Map<String, Long> spacesUsed, Map<String, Long> status) {
        long code = 0;
        for (Map.Entry<String, Long> e : spacesUsed.entrySet()) {
            if (e.getKey().startsWith("code_")) {
                code += e.getValue();
            }
        }
        long heapTotal = memoryUsage.getOrDefault("heapTotal", -1L);
        return new MemoryPoint(timeMillis, memoryUsage.getOrDefault("rss", status.getOrDefault("VmRSS", -1L)),
                status.getOrDefault("RssAnon", -1L), status.getOrDefault("RssFile", -1L), status.getOrDefault("RssShmem", -1L),
                memoryUsage.getOrDefault("heapUsed", -1L), heapTotal, heapStats.getOrDefault("total_physical_size", heapTotal),
                memoryUsage.getOrDefault("external", -1L), memoryUsage.getOrDefault("arrayBuffers", -1L), code, spacesUsed);
    }

    /**
     * Resident memory that is neither V8's heap nor memory V8 is told about: {@code rssAnon} (or {@code rss} when
     * unknown) minus the committed JS heap and {@code external}, at least 0. It is what native code holds on its
     * own (addons, libuv, OpenSSL, ICU, other threads' isolates, malloc's free lists); an estimate, since
     * external memory is counted when allocated, not when its pages are touched.
     */
    public long outsideV8() {
        long resident = rssAnon >= 0 ? rssAnon : rss;
        if (resident < 0) {
            return -1;
        }
        return Math.max(0, resident - Math.max(0, heapPhysical) - Math.max(0, external));
    }
}
