package dev.leakhound.report;

import dev.leakhound.analysis.info.Estimate;
import dev.leakhound.analysis.info.Machine;
import dev.leakhound.analysis.info.NodeVersions;
import dev.leakhound.analysis.info.SnapshotInfo;
import dev.leakhound.core.snapshot.SnapshotHeader;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/** Renders {@code leakhound info}: what a snapshot's header says, and what analyzing it will take here. */
public final class InfoReport {
    private InfoReport() {}

    private static final int LABEL = 12;

    // ---- text ----

    public static void text(SnapshotInfo info, PrintWriter out) {
        SnapshotHeader h = info.header();
        row(out, "Snapshot", h.file().toString());
        row(out, "File", Format.bytes(h.fileBytes()) + (h.gzip()
                ? " gzip" + (h.jsonBytes() >= 0 ? " (about " + Format.bytes(h.jsonBytes()) + " of JSON)" : "")
                : " of JSON") + "; header ends at byte " + Format.count(h.headerEnd()) + "; read "
                + Format.bytes(h.bytesRead()) + ", " + Format.millis(info.readMillis()));
        row(out, "Counts", Format.count(h.nodeCount()) + " nodes, " + Format.count(h.edgeCount())
                + " edges; the number of strings is not in the header (it is counted when the file is read)");
        row(out, "Node.js", nodeRange(info.node()));
        row(out, "Fields", "nodes: " + String.join(", ", h.nodeFields()));
        row(out, "", "edges: " + String.join(", ", h.edgeFields()));
        row(out, "Traces", traces(h));
        row(out, "Locations", h.locations() ? "yes (source positions of functions and objects)"
                : "no (the meta lists no usable location_fields)");
        if (h.hasExtraNativeBytes()) {
            row(out, "Native", Format.bytes(h.extraNativeBytes()) + " outside the walked heap (extra_native_bytes)");
        }
        if (h.rootOrdinal() != 0) {
            row(out, "Root", "node " + Format.count(h.rootOrdinal()) + " (root_index)");
        }
        out.println();
        Estimate.Memory m = info.memory();
        Estimate.Time t = info.time();
        row(out, "Needs", "about " + Format.bytes(m.heap()) + " of Java heap at the peak ("
                + (m.peak() == Estimate.Peak.DOMINATOR_TREE ? "while the dominator tree is built"
                : "after the dominator tree is built") + ") and about " + seconds(t.totalMillis())
                + " for analyze (times from rates measured on a 2-core machine; longer under load)");
        row(out, "  memory", "columns " + Format.bytes(m.columns()) + ", strings and locations ~"
                + Format.bytes(m.stringTable()) + " (~" + Format.count(twoDigits(m.strings()))
                + " strings, estimated), graph "
                + Format.bytes(m.graph()) + ", dominator tree " + Format.bytes(m.dominators()) + ", analysis "
                + Format.bytes(m.analysis()) + ", room for the garbage collector " + Format.bytes(m.heap() - m.live()));
        row(out, "  time", "start " + seconds(t.startMillis()) + ", read " + seconds(t.readMillis()) + ", graph "
                + seconds(t.graphMillis()) + ", analysis " + seconds(t.analysisMillis()));
        Machine mc = info.machine();
        row(out, "This JVM", Format.bytes(mc.jvmMaxHeap()) + " of heap at most"
                + (m.heap() <= mc.jvmMaxHeap() ? ": enough" : ": too little"));
        row(out, "Machine", machine(mc) + (info.fit() == SnapshotInfo.Fit.MACHINE_TOO_SMALL ? ": too little"
                : mc.usableBytes() < 0 ? "" : ": enough"));
        row(out, "Verdict", verdict(info));
        out.flush();
    }

    /** A label and its value, wrapped under the value's column. */
    private static void row(PrintWriter out, String label, String value) {
        DiagnosisReport.wrap(out, label + " ".repeat(Math.max(1, LABEL - label.length())), " ".repeat(LABEL), value);
    }

    /** "19 to 21: the node types include ... (a snapshot does not name its version; ...)". */
    static String nodeRange(NodeVersions.Range r) {
        String why = switch (r.signature()) {
            case NO_DETACHEDNESS -> "nodes have no detachedness field, which V8 added in 2021";
            case TYPES_END_AT_BIGINT -> "nodes have detachedness and the node types end at \"bigint\"";
            case WASM_OBJECT_TYPE -> "the node types include \"wasm object\"";
            case TYPES_END_AT_OBJECT_SHAPE -> "the node types end at \"object shape\" and the header has no"
                    + " extra_native_bytes";
            case EXTRA_NATIVE_BYTES -> "the header has extra_native_bytes or nodes lack trace_node_id";
            case UNKNOWN_TYPES -> "node types no Node release leakhound knows writes: "
                    + String.join(", ", r.unknownTypes().stream().map(s -> "\"" + s + "\"").toList());
        };
        if (!r.known()) {
            return "unknown: " + why + " (another producer, or a newer V8)";
        }
        String range = r.from() == 0 ? r.to() + " or older" : r.to() == 0 ? r.from() + " or newer"
                : r.from() + " to " + r.to();
        return range + ": " + why + " (a snapshot does not name its version; a Chrome, Electron or Deno of the"
                + " same V8 writes the same)";
    }

    private static String traces(SnapshotHeader h) {
        if (h.hasAllocationTraces()) {
            return "yes: allocation stacks of " + Format.count(h.traceFunctionCount()) + " functions"
                    + (h.hasTraceNodeIds() ? "" : " (but nodes have no trace_node_id)");
        }
        if (h.traceFunctionCount() < 0) {
            return "unknown: the header has no trace_function_count";
        }
        return "none (trace_function_count 0: taken without allocation tracking)";
    }

    private static String machine(Machine mc) {
        StringBuilder sb = new StringBuilder();
        sb.append(mc.physicalBytes() < 0 ? "physical memory unknown" : Format.bytes(mc.physicalBytes()) + " physical");
        if (mc.availableBytes() >= 0) {
            sb.append(", ").append(Format.bytes(mc.availableBytes())).append(" available");
        }
        sb.append(mc.cgroupLimit() < 0 ? ", no cgroup limit" : ", cgroup limit " + Format.bytes(mc.cgroupLimit()));
        sb.append(", ").append(mc.processors()).append(mc.processors() == 1 ? " processor" : " processors");
        return sb.toString();
    }

    private static String verdict(SnapshotInfo info) {
        Estimate.Memory m = info.memory();
        return switch (info.fit()) {
            case FITS -> "analyze fits in this JVM's heap";
            case NEEDS_BIGGER_HEAP -> "give analyze more heap: LEAKHOUND_HEAP=" + heapFlag(info.heapToAskFor())
                    + " ./leakhound analyze " + info.header().file();
            case MACHINE_TOO_SMALL -> "this machine has too little memory: analyze needs about "
                    + Format.bytes(m.process()) + " with the JVM's own, " + Format.bytes(info.machine().usableBytes())
                    + " is available" + (info.machine().cgroupLimit() >= 0 ? " within the cgroup limit" : "")
                    + "; with more memory free, or on a bigger machine: LEAKHOUND_HEAP=" + heapFlag(info.heapToAskFor())
                    + " ./leakhound analyze " + info.header().file();
        };
    }

    /** A heap size as LEAKHOUND_HEAP takes it: {@code 2g}, or {@code 1536m} when not whole GiB. */
    static String heapFlag(long bytes) {
        long mib = (bytes + (1L << 20) - 1) >> 20;
        return mib % 1024 == 0 ? (mib / 1024) + "g" : mib + "m";
    }

    /** {@code n} rounded to two significant digits: an estimate shown as one. */
    static long twoDigits(long n) {
        long scale = 1;
        while (n / scale >= 100) {
            scale *= 10;
        }
        return (n + scale / 2) / scale * scale;
    }

    private static String seconds(long millis) {
        if (millis < 1000) {
            return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
        }
        return millis < 10_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                : String.format(Locale.ROOT, "%.0f s", millis / 1000.0);
    }

    // ---- JSON ----

    /** One document; the shape is in the README. */
    public static void json(SnapshotInfo info, Writer out) {
        SnapshotHeader h = info.header();
        try (Json j = new Json(out, true)) {
            j.startObject().field("file", h.file().toString()).field("fileBytes", h.fileBytes())
                    .field("gzip", h.gzip());
            if (h.jsonBytes() < 0) {
                j.nullField("jsonBytes");
            } else {
                j.field("jsonBytes", h.jsonBytes());
            }
            j.field("jsonBytesExact", !h.gzip()).field("headerBytes", h.headerEnd()).field("bytesRead", h.bytesRead())
                    .field("readMillis", info.readMillis())
                    .field("nodeCount", h.nodeCount()).field("edgeCount", h.edgeCount()).nullField("stringCount");
            if (h.traceFunctionCount() < 0) {
                j.nullField("traceFunctionCount");
            } else {
                j.field("traceFunctionCount", h.traceFunctionCount());
            }
            j.field("allocationTraces", h.hasAllocationTraces());
            strings(j, "nodeFields", h.nodeFields());
            strings(j, "nodeTypes", h.nodeTypes());
            strings(j, "edgeFields", h.edgeFields());
            strings(j, "edgeTypes", h.edgeTypes());
            j.field("traceNodeIds", h.hasTraceNodeIds()).field("detachedness", h.hasDetachedness())
                    .field("locations", h.locations());
            if (h.hasExtraNativeBytes()) {
                j.field("extraNativeBytes", h.extraNativeBytes());
            } else {
                j.nullField("extraNativeBytes");
            }
            j.field("rootOrdinal", h.rootOrdinal());
            NodeVersions.Range r = info.node();
            j.startObject("node");
            bound(j, "from", r.from());
            bound(j, "to", r.to());
            j.field("known", r.known()).field("basis", kebab(r.signature().name()));
            strings(j, "unknownTypes", r.unknownTypes());
            j.endObject();
            Estimate.Memory m = info.memory();
            j.startObject("memory").field("columnsBytes", m.columns()).field("restBytes", m.restBytes())
                    .field("stringsEstimate", m.strings()).field("stringTableBytes", m.stringTable())
                    .field("graphBytes", m.graph()).field("dominatorBytes", m.dominators())
                    .field("analysisBytes", m.analysis()).field("liveBytes", m.live())
                    .field("peak", kebab(m.peak().name())).field("heapBytes", m.heap())
                    .field("processBytes", m.process()).endObject();
            Estimate.Time t = info.time();
            j.startObject("time").field("startMillis", t.startMillis()).field("readMillis", t.readMillis())
                    .field("graphMillis", t.graphMillis()).field("analysisMillis", t.analysisMillis())
                    .field("totalMillis", t.totalMillis()).endObject();
            Machine mc = info.machine();
            j.startObject("machine").field("jvmMaxHeapBytes", mc.jvmMaxHeap());
            known(j, "physicalBytes", mc.physicalBytes());
            known(j, "availableBytes", mc.availableBytes());
            known(j, "cgroupLimitBytes", mc.cgroupLimit());
            j.field("processors", mc.processors()).endObject();
            j.field("fit", kebab(info.fit().name())).field("heapToAskForBytes", info.heapToAskFor())
                    .field("leakhoundHeap", heapFlag(info.heapToAskFor()));
            j.endObject();
        }
    }

    private static void strings(Json j, String name, List<String> values) {
        j.startArray(name);
        for (String v : values) {
            j.value(v);
        }
        j.endArray();
    }

    /** A Node major, or null for "no bound" (0) and "unknown" (-1). */
    private static void bound(Json j, String name, int major) {
        if (major <= 0) {
            j.nullField(name);
        } else {
            j.field(name, major);
        }
    }

    private static void known(Json j, String name, long v) {
        if (v < 0) {
            j.nullField(name);
        } else {
            j.field(name, v);
        }
    }

    private static String kebab(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
