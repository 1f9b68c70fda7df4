package dev.leakhound.inspector.watch;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.InspectorSession;
import dev.leakhound.inspector.cdp.Json.JsonObj;

/**
 * Where a target's memory is, read once through its inspector (one {@code Runtime.evaluate}, nothing left in
 * the target): {@code process.memoryUsage()}, {@code v8.getHeapStatistics()}, {@code v8.getHeapSpaceStatistics()}
 * and the target's own {@code /proc/self/status} (RSS split into anonymous, file-backed and shared memory,
 * Linux only). The figures are those of a watch {@link Sample}, without GCs. {@code hunt} reads one after each
 * snapshot.
 */
public final class MemoryProbe {
    /** The probe's expression: the same fields as install.js's poll(), without the GC ring. */
    static final String EXPRESSION = """
            (() => {
              const load = (m) => (process.getBuiltinModule ? process.getBuiltinModule(m) : require(m));
              const v8 = load('v8');
              let status = null;
              if (process.platform === 'linux') {
                try {
                  status = {};
                  for (const line of load('fs').readFileSync('/proc/self/status', 'utf8').split('\\n')) {
                    const m = /^(VmSize|VmRSS|VmData|RssAnon|RssFile|RssShmem|VmSwap):\\s+(\\d+) kB/.exec(line);
                    if (m) status[m[1]] = Number(m[2]) * 1024;
                  }
                } catch (e) { status = null; }
              }
              return { t: Date.now(), gc: [], dropped: 0, mem: process.memoryUsage(), heap: v8.getHeapStatistics(),
                       spaces: v8.getHeapSpaceStatistics(), status, uptime: process.uptime() };
            })()""";

    private MemoryProbe() {}

    /** Reads the target's memory now. */
    public static Sample read(InspectorSession session) {
        Object v = session.evaluate(EXPRESSION);
        if (!(v instanceof JsonObj o)) {
            throw new LeakhoundException(session.label() + ": could not read the target's memory figures");
        }
        return GcSampler.toSample(o);
    }
}
