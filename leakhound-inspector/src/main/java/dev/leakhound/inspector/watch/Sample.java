package dev.leakhound.inspector.watch;

import java.util.List;
import java.util.Map;

/**
 * One poll of the target.
 *
 * @param timeMillis   the target's clock when polled (epoch ms)
 * @param memory       process.memoryUsage(): rss, heapTotal, heapUsed, external, arrayBuffers
 * @param heap         v8.getHeapStatistics() (snake_case names as Node returns them)
 * @param spaces       v8.getHeapSpaceStatistics()
 * @param gcs          GCs since the previous poll, oldest first
 * @param droppedGcs   GCs lost because the ring in the target was full between two polls
 * @param status       VmSize, VmRSS, VmData, RssAnon, RssFile, RssShmem, VmSwap from the target's /proc/self/status in bytes
 *                     (Linux; else empty)
 * @param uptimeSeconds process.uptime()
 */
public record Sample(long timeMillis, Map<String, Long> memory, Map<String, Long> heap, List<Space> spaces,
                     List<GcEvent> gcs, long droppedGcs, Map<String, Long> status, double uptimeSeconds) {

    /** One V8 heap space. {@code name} is V8's, e.g. "old_space". */
    public record Space(String name, long size, long used, long available, long physical) {}

    public long mem(String key) {
        Long v = memory.get(key);
        return v == null ? 0 : v;
    }

    public long heapStat(String key) {
        Long v = heap.get(key);
        return v == null ? 0 : v;
    }

    /** Bytes in use per heap space, by V8's space name. */
    public Map<String, Long> spacesUsed() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (Space sp : spaces) {
            if (sp.name() != null) {
                out.put(sp.name(), sp.used());
            }
        }
        return out;
    }
}
