package dev.leakhound.report;

import dev.leakhound.analysis.allocation.AllocationStack;
import dev.leakhound.analysis.allocation.Frame;
import dev.leakhound.analysis.allocation.PackageRef;
import dev.leakhound.analysis.leaks.LeakReport;

import java.util.List;

/** The JSON of allocation stacks, frames and npm packages, for find-leaks and analyze. */
public final class AllocationJson {
    private AllocationJson() {}

    /**
     * {@code "allocations": [{"count","bytes","frames":[{"function","file","line","column","package"?}],
     * "applicationFrame", "site"}]}: empty without allocation traces.
     */
    public static void stacks(Json j, List<AllocationStack> stacks, Bounds b) {
        j.startArray("allocations");
        for (int i = 0; i < b.listItems(stacks.size()); i++) {
            AllocationStack st = stacks.get(i);
            j.startObject().field("count", st.count()).field("bytes", st.bytes());
            JsonParts.nullable(j, "class", b.label(st.className()));
            j.startArray("frames");
            int n = st.frames().size();
            int max = b.maxPathSteps() > 0 ? Math.min(n, b.maxPathSteps()) : n;
            for (int k = 0; k < max; k++) {
                frame(j, null, st.frames().get(k), b);
            }
            j.endArray();
            if (max < n) {
                j.field("framesElided", n - max);
            }
            j.field("applicationFrame", st.applicationFrame());
            AllocationStack.Site site = st.site();
            if (site == null) {
                j.nullField("site");
            } else {
                j.startObject("site").field("frame", site.frame()).field("file", b.text(site.file()))
                        .field("line", site.line()).field("column", site.column()).field("text", b.text(site.text()))
                        .endObject();
            }
            j.endObject();
        }
        j.endArray();
    }

    /**
     * One frame: {@code {"function","file","line","column"}}, plus {@code "generated"} when a source map moved it
     * to its original source and {@code "package"} when under node_modules.
     */
    public static void frame(Json j, String field, Frame f, Bounds b) {
        if (field == null) {
            j.startObject();
        } else if (f == null) {
            j.nullField(field);
            return;
        } else {
            j.startObject(field);
        }
        j.field("function", b.label(f.function())).field("file", b.text(f.file())).field("line", f.line())
                .field("column", f.column());
        if (f.generated() != null) {   // mapped through the script's source map: where it ran
            j.startObject("generated").field("file", b.text(f.generated().file())).field("line", f.generated().line())
                    .field("column", f.generated().column()).endObject();
        }
        if (f.pkg() != null) {
            pkg(j, "package", f.pkg(), b);
        }
        j.endObject();
    }

    /** {@code "package": {"name","version"}} (version null when unknown). */
    public static void pkg(Json j, String field, PackageRef p, Bounds b) {
        j.startObject(field).field("name", b.label(p.name()));
        JsonParts.nullable(j, "version", b.label(p.version()));
        j.endObject();
    }

    /**
     * {@code "package": {"name","version","keptAt","holder","script","keptWhere":{location}|null,"calledFrom":{frame}|null}}
     * or null when the
     * leak's code is not in an npm package.
     */
    public static void dependency(Json j, LeakReport.Dependency d, Bounds b) {
        if (d == null) {
            j.nullField("package");
            return;
        }
        j.startObject("package").field("name", b.label(d.pkg().name()));
        JsonParts.nullable(j, "version", b.label(d.pkg().version()));
        j.field("keptAt", d.keptAt());
        JsonParts.nullable(j, "holder", b.text(d.holder()));
        JsonParts.nullable(j, "script", b.text(d.script()));
        JsonParts.location(j, "keptWhere", d.keptWhere());
        frame(j, "calledFrom", d.calledFrom(), b);
        j.endObject();
    }
}
