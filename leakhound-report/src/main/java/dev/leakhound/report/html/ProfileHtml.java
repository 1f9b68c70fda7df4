package dev.leakhound.report.html;

import dev.leakhound.analysis.profile.AllocationSites;
import dev.leakhound.analysis.profile.ProfileDiff;
import dev.leakhound.report.Bounds;
import dev.leakhound.report.ProfileReport;

import java.io.Writer;

/**
 * The profile page: headline numbers, an allocation flame graph (zoom, search, tooltips) and the tables of
 * the functions that allocate most; for two profiles, also the allocation sites that grew. Its data:
 * {@code profile} ({@code profile --json}'s document with page bounds), {@code tree} (the call tree as
 * flat columns, see {@link ProfileReport#tree}) and, for two profiles, {@code diff}.
 */
public final class ProfileHtml {
    /** Call-tree nodes a page carries at most (the biggest subtrees are kept). */
    public static final int MAX_NODES = 50_000;

    private ProfileHtml() {}

    public static void write(AllocationSites s, ProfileReport.Source src, int top, Writer out) {
        HtmlPage.write(out, "profile", "leakhound profile: " + name(src.description()), j -> {
            j.startObject("profile");
            ProfileReport.fields(s, src, Bounds.PAGE.rows(Math.max(top, 200)), j, Bounds.PAGE);
            j.endObject();
            ProfileReport.tree(s.profile(), MAX_NODES, j, Bounds.PAGE);
        });
    }

    public static void writeDiff(ProfileDiff.Result r, String before, String after, int top, Writer out) {
        HtmlPage.write(out, "profile", "leakhound profile: " + name(before) + " \u2192 " + name(after), j -> {
            j.startObject("profile");
            ProfileReport.fields(r.after(), ProfileReport.Source.file(after), Bounds.PAGE.rows(Math.max(top, 200)), j, Bounds.PAGE);
            j.endObject();
            ProfileReport.tree(r.after().profile(), MAX_NODES, j, Bounds.PAGE);
            j.startObject("diff");
            ProfileReport.diffFields(r, before, after, Bounds.PAGE.rows(Math.max(top, 200)), j, Bounds.PAGE);
            j.endObject();
        });
    }

    private static String name(String source) {
        int i = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
        return i >= 0 && i < source.length() - 1 && !source.startsWith("node ") ? source.substring(i + 1) : source;
    }
}
