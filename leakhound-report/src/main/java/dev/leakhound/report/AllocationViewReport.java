package dev.leakhound.report;

import dev.leakhound.analysis.allocation.AllocationView;

import java.io.PrintWriter;

/** analyze's Allocation view (DevTools' name): live objects by allocating function, as text and JSON. */
public final class AllocationViewReport {
    private AllocationViewReport() {}

    public static void text(AllocationView v, int top, PrintWriter out) {
        out.println("Allocation view: live objects by allocating function (top " + Math.min(top, v.rows().size()) + " of "
                + Format.count(v.functions()) + "; " + Format.count(v.tracedCount()) + " objects, "
                + Format.bytes(v.tracedBytes()) + " with an allocation stack, " + Format.count(v.untracedCount())
                + " without: allocated before tracking started or by V8 itself)");
        TextTable t = new TextTable("function", "self count>", "self size>", "with callees>", "size>");
        t.maxWidth(0, 90);
        for (int i = 0; i < Math.min(top, v.rows().size()); i++) {
            AllocationView.Row r = v.rows().get(i);
            t.row(AllocationText.frame(r.function()), Format.count(r.selfCount()), Format.bytes(r.selfBytes()),
                    Format.count(r.totalCount()), Format.bytes(r.totalBytes()));
        }
        out.print(t.render("  "));
    }

    /**
     * {@code "allocationView": {"functions","tracedCount","tracedBytes","untracedCount","rows":[{"frame":{...},
     * "selfCount","selfBytes","totalCount","totalBytes"}]}}, or null without allocation traces.
     */
    public static void json(AllocationView v, Json j, Bounds b) {
        if (v == null) {
            j.nullField("allocationView");
            return;
        }
        j.startObject("allocationView").field("functions", v.functions()).field("tracedCount", v.tracedCount())
                .field("tracedBytes", v.tracedBytes()).field("untracedCount", v.untracedCount());
        j.startArray("rows");
        for (int i = 0; i < b.rows(v.rows().size()); i++) {
            AllocationView.Row r = v.rows().get(i);
            j.startObject();
            AllocationJson.frame(j, "function", r.function(), b);
            j.field("selfCount", r.selfCount()).field("selfBytes", r.selfBytes()).field("totalCount", r.totalCount())
                    .field("totalBytes", r.totalBytes()).endObject();
        }
        j.endArray().endObject();
    }
}
