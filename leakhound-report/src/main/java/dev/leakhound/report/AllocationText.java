package dev.leakhound.report;

import dev.leakhound.analysis.allocation.AllocationStack;
import dev.leakhound.analysis.allocation.Frame;
import dev.leakhound.analysis.leaks.LeakReport;

import java.util.ArrayList;
import java.util.List;

/** The sentences of allocation stacks and npm packages, for find-leaks' and hunt's text. */
public final class AllocationText {
    /** Stacks printed per leak in text. */
    public static final int TEXT_STACKS = 3;
    /** Application frames printed after the first one. */
    private static final int MORE_FRAMES = 2;

    private AllocationText() {}

    /** A frame: {@code function file:line:column} ({@code (anonymous)} for a nameless function). */
    public static String frame(Frame f) {
        return f.toString() + (f.pkg() != null ? "  [" + f.pkg() + "]" : "");
    }

    /** The stack's headline: {@code 1,000 objects, 1.2 MB}, and where the objects are created when found. */
    public static String headline(AllocationStack st) {
        String s = Format.count(st.count()) + (st.count() == 1 ? " object, " : " objects, ") + Format.bytes(st.bytes())
                + (st.className() != null ? " (mostly " + st.className() + ")" : "");
        AllocationStack.Site site = st.site();
        if (site != null) {
            s += "  created at " + site.file() + ":" + site.line() + ":" + site.column() + "  " + site.text();
        }
        return s;
    }

    /**
     * The frames to print, innermost first: the allocating function, runs of Node-internal and node_modules
     * frames folded into one line, the first application frame marked {@code <- your code}, then at most
     * {@value #MORE_FRAMES} more frames.
     */
    public static List<String> frames(AllocationStack st) {
        List<String> out = new ArrayList<>();
        List<Frame> fs = st.frames();
        int app = st.applicationFrame();
        int shownAfter = 0;
        int folded = 0;
        for (int k = 0; k < fs.size(); k++) {
            Frame f = fs.get(k);
            boolean show = k == 0 || f.isApplication();
            if (app >= 0 && k > app) {
                if (shownAfter >= MORE_FRAMES) {
                    folded(out, folded);
                    out.add("… " + (fs.size() - k) + " more " + (fs.size() - k == 1 ? "frame" : "frames"));
                    return out;
                }
                show = true;
                shownAfter++;
            }
            if (!show) {
                folded++;
                continue;
            }
            folded(out, folded);
            folded = 0;
            out.add("at " + frame(f) + (k == app ? "   <- your code" : ""));
        }
        folded(out, folded);
        return out;
    }

    private static void folded(List<String> out, int folded) {
        if (folded > 0) {
            out.add("… " + folded + (folded == 1 ? " frame" : " frames") + " in Node internals or node_modules");
        }
    }

    /** The lines find-leaks prints for a leak's stacks, indented by the caller; empty without stacks. */
    public static List<String> leakLines(LeakReport.Leak l) {
        List<String> out = new ArrayList<>();
        List<AllocationStack> stacks = l.allocations();
        for (int i = 0; i < Math.min(TEXT_STACKS, stacks.size()); i++) {
            AllocationStack st = stacks.get(i);
            out.add((i + 1) + ". " + headline(st));
            for (String f : frames(st)) {
                out.add("     " + f);
            }
        }
        if (stacks.size() > TEXT_STACKS) {
            out.add("(" + (stacks.size() - TEXT_STACKS) + " smaller stacks in --json)");
        }
        return out;
    }

    /** The package lines: which package, where it keeps the objects, where your code calls it. */
    public static List<String> packageLines(LeakReport.Dependency d) {
        List<String> out = new ArrayList<>();
        out.add(d.pkg().name() + (d.pkg().version() != null ? " " + d.pkg().version() : " (version unknown: no package.json found)")
                + ", an npm dependency");
        switch (d.keptAt()) {
            case "accumulation-point" -> {
                out.add("the package keeps them here: " + d.holder() + " in " + d.script());
                if (d.keptWhere() != null) {
                    out.add("the package's code: " + d.keptWhere());
                }
            }
            case "source" -> out.add("the package's code keeps them: " + d.keptWhere());
            case "constructor" -> out.add("the leaked objects are the package's class: " + d.keptWhere());
            default -> out.add("the package allocates them here: " + d.keptWhere());
        }
        if (d.calledFrom() != null) {
            out.add("your code calls it here: " + frame(d.calledFrom()));
        }
        return out;
    }
}
