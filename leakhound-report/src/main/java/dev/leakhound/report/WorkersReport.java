package dev.leakhound.report;

import dev.leakhound.inspector.cdp.NodeWorkers.Worker;
import dev.leakhound.inspector.live.Target;
import dev.leakhound.inspector.workers.Workers;

import java.io.PrintWriter;
import java.util.List;

/**
 * Renders {@code leakhound workers}: the worker threads of a process, one row each (id, type, title,
 * script, heap used / total), as text or JSON.
 */
public final class WorkersReport {
    private WorkersReport() {}

    /** "leakhound: working on worker 1 (worker.js) of process 42, not its main thread" (watch, hunt --worker). */
    public static void focused(Target t, Worker w, PrintWriter err) {
        err.println("leakhound: working on " + Workers.name(w) + " of process " + t.pid() + ", not its main thread");
        err.flush();
    }

    /** "leakhound: worker 1 (worker.js) of process 42", before each of snapshot --worker's captures. */
    public static void capturing(Target t, Worker w, PrintWriter err) {
        err.println("leakhound: " + Workers.name(w) + " of process " + t.pid());
        err.flush();
    }

    /** A table, or one line when the process has none. */
    public static void text(Target t, List<Workers.Listed> rows, PrintWriter out) {
        String who = "process " + t.pid() + (t.script() == null || t.script().isEmpty() ? "" : " (" + t.script() + ")");
        if (rows.isEmpty()) {
            out.println(who + " has no worker threads");
            out.flush();
            return;
        }
        out.println(who + ": " + rows.size() + " worker thread" + (rows.size() == 1 ? "" : "s"));
        TextTable table = new TextTable("id>", "type", "title", "script", "heap used>", "heap total>").maxWidth(3, 120);
        for (Workers.Listed r : rows) {
            Worker w = r.worker();
            table.row(w.id(), w.type(), w.title(), w.url(),
                    r.heap() == null ? "?" : Format.bytes(r.heap().used()),
                    r.heap() == null ? "?" : Format.bytes(r.heap().total()));
        }
        out.print(table.render("  "));
        for (Workers.Listed r : rows) {
            if (r.error() != null) {
                out.println("  worker " + r.worker().id() + ": no heap figures: " + r.error());
            }
        }
        out.flush();
    }

    /**
     * {@code {pid, nodeVersion, script, workers: [{id, type, title, url, heapUsed, heapTotal, heapLimit}]}};
     * the heap fields are null (and {@code error} says why) for a worker that did not answer.
     */
    public static void json(Target t, List<Workers.Listed> rows, PrintWriter out) {
        try (Json j = new Json(out, true)) {
            j.startObject().field("pid", t.pid()).field("nodeVersion", t.nodeVersion()).field("script", t.script());
            j.startArray("workers");
            for (Workers.Listed r : rows) {
                Worker w = r.worker();
                j.startObject().field("id", w.id()).field("type", w.type()).field("title", w.title()).field("url", w.url());
                if (r.heap() == null) {
                    j.nullField("heapUsed").nullField("heapTotal").nullField("heapLimit").field("error", r.error());
                } else {
                    j.field("heapUsed", r.heap().used()).field("heapTotal", r.heap().total()).field("heapLimit", r.heap().limit());
                }
                j.endObject();
            }
            j.endArray().endObject();
        }
        out.println();
        out.flush();
    }
}
