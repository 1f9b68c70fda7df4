package dev.leakhound.report;

import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.memory.MemoryGrowth;
import dev.leakhound.analysis.memory.MemoryPoint;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The words for where a process's memory is and which part of it grew ({@link MemoryGrowth}): hunt's
 * "Memory" section and its verdicts {@code external-growth} and {@code native-growth}, and the same figures in
 * JSON.
 */
public final class MemoryText {
    private MemoryText() {}

    /** What a heap snapshot cannot show, and the tools that can. */
    public static final String NATIVE_ADVICE = "A heap snapshot cannot see this memory: it is held by native code"
            + " (addons, OpenSSL, zlib, ICU, worker threads' own heaps) or kept by malloc after being freed."
            + " To tell which: run the process with MALLOC_ARENA_MAX=2 (fewer glibc arenas; if the growth stops, it was"
            + " fragmentation across threads), or with jemalloc (LD_PRELOAD=libjemalloc.so.2; MALLOC_CONF=prof:true gives"
            + " its heap profiles), or under a native heap profiler (heaptrack, valgrind --tool=massif, bytehound).";

    /** The verdict line for a growth outside the JS heap (the report has no leak). */
    public static String verdictLine(MemoryGrowth m) {
        String rate = rate(m.rssGrowth(), m.spanMillis());
        return switch (m.kind()) {
            case EXTERNAL -> "external-growth: the JS heap shows no leak, but resident memory grew by "
                    + Format.bytes(m.rssGrowth()) + rate + ", in Buffers and ArrayBuffers outside the JS heap (external "
                    + Format.signedBytes(m.externalGrowth()) + ")";
            case NATIVE -> "native-growth: the JS heap shows no leak, but resident memory grew by "
                    + Format.bytes(m.rssGrowth()) + rate + " outside anything V8 accounts for (native "
                    + Format.signedBytes(m.nativeGrowth()) + ")";
            default -> throw new IllegalArgumentException("no verdict for " + m.kind());
        };
    }

    /** The "Memory" section of the text report: each part first -> last, then what the growth means. */
    public static void section(MemoryGrowth m, long heapBytes, PrintWriter out) {
        List<MemoryPoint> pts = m.points();
        if (pts.isEmpty()) {
            return;
        }
        MemoryPoint first = pts.get(m.from());
        MemoryPoint last = pts.get(pts.size() - 1);
        out.println();
        out.println("Memory     where the process's memory is, right after each snapshot (" + pts.size() + " readings): "
                + summary(m));
        if (m.from() > 0) {
            out.println("           growth counted from the second reading: the first snapshots leave a few MB of native"
                    + " memory in the target");
        }
        row(out, m.from(), "resident", pts, MemoryPoint::rss, "RSS");
        row(out, m.from(), "JS heap", pts, MemoryPoint::heapUsed, "V8's heap in use (heapUsed); committed "
                + Format.bytes(last.heapPhysical()));
        row(out, m.from(), "external", pts, MemoryPoint::external, "Buffers, ArrayBuffers, WebAssembly memory V8 is told about");
        row(out, m.from(), "  buffers", pts, MemoryPoint::arrayBuffers, "of which ArrayBuffers and Buffers (arrayBuffers)");
        row(out, m.from(), "code", pts, MemoryPoint::code, "V8's code spaces");
        if (last.outsideV8() >= 0) {
            row(out, m.from(), "native", pts, MemoryPoint::outsideV8, "resident outside V8: anonymous RSS - committed heap - external");
        }
        if (last.rssFile() >= 0) {
            row(out, m.from(), "file-backed", pts, MemoryPoint::rssFile, "the node binary, shared libraries, mapped files (RssFile)");
        }
        String spaces = spaces(first.spacesUsed(), last.spacesUsed());
        if (!spaces.isEmpty()) {
            out.println("  spaces       " + spaces);
        }
        switch (m.kind()) {
            case EXTERNAL -> {
                out.println("  meaning      Buffers or ArrayBuffers are kept: their bytes are outside the JS heap, and too few"
                        + " objects hold them for find-leaks to call it a leak (or one Buffer keeps growing).");
                if (m.holders().isEmpty()) {
                    out.println("  held by      (no holder of " + Format.bytes(m.minGrowth() / 2)
                            + " or more in the last snapshot: the memory may be WebAssembly memory or zlib/crypto state)");
                }
                for (Finding f : m.holders()) {
                    out.println("  held by      " + FindingText.title(f, heapBytes));
                    out.println("               path " + f.pathText()
                            + (f.location() == null ? "" : "  (" + f.location() + ")"));
                }
                if (!m.holders().isEmpty()) {
                    out.println("  fix          " + FindingText.fix(m.holders().get(0)));
                }
            }
            case NATIVE -> out.println("  meaning      " + NATIVE_ADVICE);
            case JS_HEAP -> out.println("  meaning      resident memory grew with the JS heap (" + Format.signedBytes(m.heapGrowth())
                    + "), in objects that find-leaks did not see growing in one place");
            default -> { }
        }
    }

    /** "resident +12.0 MB (external +12.0 MB, JS heap +80 KB, native +1.2 MB)" or "resident flat (...)". */
    public static String summary(MemoryGrowth m) {
        String parts = "JS heap " + Format.signedBytes(m.heapGrowth()) + ", external " + Format.signedBytes(m.externalGrowth())
                + ", native " + Format.signedBytes(m.nativeGrowth());
        return (m.kind() == MemoryGrowth.Kind.NONE ? "resident did not grow by " + Format.bytes(m.needed()) + " or more ("
                + Format.signedBytes(m.rssGrowth()) + "; "
                : "resident " + Format.signedBytes(m.rssGrowth()) + rate(m.rssGrowth(), m.spanMillis()) + " (") + parts + ")";
    }

    private static void row(PrintWriter out, int from, String name, List<MemoryPoint> pts, ToLongFunction<MemoryPoint> f,
                            String what) {
        long a = f.applyAsLong(pts.get(from));
        long b = f.applyAsLong(pts.get(pts.size() - 1));
        if (a < 0 || b < 0) {
            return;
        }
        List<String> series = new ArrayList<>();
        for (MemoryPoint p : pts) {
            series.add(Format.bytes(f.applyAsLong(p)));
        }
        out.println(String.format(java.util.Locale.ROOT, "  %-12s %s (%s)  %s", name, String.join(" -> ", series), Format.signedBytes(b - a), what));
    }

    private static String spaces(Map<String, Long> first, Map<String, Long> last) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : last.entrySet()) {
            if (e.getValue() <= 0) {
                continue;
            }
            long d = e.getValue() - first.getOrDefault(e.getKey(), 0L);
            out.add(e.getKey().replaceFirst("_space$", "") + " " + Format.bytes(e.getValue())
                    + (Math.abs(d) >= 64 * 1024 ? " (" + Format.signedBytes(d) + ")" : ""));
        }
        return String.join(", ", out);
    }

    private static String rate(long growth, long spanMillis) {
        if (spanMillis <= 0 || growth <= 0) {
            return "";
        }
        return " in " + Format.millis(spanMillis) + " (" + Format.bytes(Math.round(growth * 60_000.0 / spanMillis)) + "/min)";
    }

    /** The {@code memory} object of the JSON report. */
    public static void json(MemoryGrowth m, long heapBytes, Json j, Bounds b) {
        j.startObject("memory").field("growth", m.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .field("from", m.from()).field("minGrowth", m.minGrowth()).field("spanMillis", m.spanMillis())
                .field("rssGrowth", m.rssGrowth()).field("heapGrowth", m.heapGrowth()).field("externalGrowth", m.externalGrowth())
                .field("arrayBufferGrowth", m.arrayBufferGrowth()).field("nativeGrowth", m.nativeGrowth())
                .field("codeGrowth", m.codeGrowth());
        if (m.kind() == MemoryGrowth.Kind.NATIVE) {
            j.field("advice", NATIVE_ADVICE);
        }
        j.startArray("points");
        for (MemoryPoint p : m.points()) {
            j.startObject().field("time", java.time.Instant.ofEpochMilli(p.timeMillis()).toString()).field("rss", p.rss())
                    .field("rssAnon", p.rssAnon()).field("rssFile", p.rssFile()).field("rssShmem", p.rssShmem())
                    .field("heapUsed", p.heapUsed()).field("heapTotal", p.heapTotal()).field("heapPhysical", p.heapPhysical())
                    .field("external", p.external()).field("arrayBuffers", p.arrayBuffers()).field("code", p.code())
                    .field("nativeOutsideV8", p.outsideV8());
            j.startObject("spaces");
            for (Map.Entry<String, Long> e : p.spacesUsed().entrySet()) {
                j.field(e.getKey(), e.getValue());
            }
            j.endObject().endObject();
        }
        j.endArray();
        j.startArray("holders");
        for (Finding f : m.holders()) {
            DiagnosisReport.finding(f, heapBytes, j, b);
        }
        j.endArray();
        j.endObject();
    }
}
