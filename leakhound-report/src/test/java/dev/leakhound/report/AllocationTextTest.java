package dev.leakhound.report;

import dev.leakhound.analysis.allocation.AllocationStack;
import dev.leakhound.analysis.allocation.Frame;
import dev.leakhound.analysis.allocation.PackageRef;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a stack is printed: internals and packages folded before the first application frame, which is marked. */
class AllocationTextTest {
    static final Frame SLICE = new Frame("slice", "node:buffer", 662, 12, null);
    static final Frame TO_STRING = new Frame("toString", "node:buffer", 834, 46, null);
    static final Frame PKG = new Frame("subscribe", "/app/node_modules/reg/index.js", 20, 19, new PackageRef("reg", "1.0.0"));
    static final Frame APP = new Frame("handle", "/app/server.js", 10, 16, null);
    static final Frame CALLER = new Frame("", "/app/server.js", 30, 13, null);
    static final Frame TIMERS = new Frame("listOnTimeout", "node:internal/timers", 524, 25, null);
    static final Frame MORE = new Frame("processTimers", "node:internal/timers", 504, 25, null);

    @Test
    void foldsWhatComesBeforeYourCodeAndMarksIt() {
        AllocationStack st = new AllocationStack(1200, 4_000_000, "Subscription",
                List.of(SLICE, TO_STRING, PKG, APP, CALLER, TIMERS, MORE), 3,
                new AllocationStack.Site(3, "/app/server.js", 11, 5, "return new Subscription(id);"));
        assertThat(AllocationText.frames(st)).containsExactly(
                "at slice node:buffer:662:12",
                "… 2 frames in Node internals or node_modules",
                "at handle /app/server.js:10:16   <- your code",
                "at (anonymous) /app/server.js:30:13",
                "at listOnTimeout node:internal/timers:524:25",
                "… 1 more frame");
        assertThat(AllocationText.headline(st)).isEqualTo(
                "1,200 objects, " + Format.bytes(4_000_000) + " (mostly Subscription)  created at /app/server.js:11:5  return new Subscription(id);");
        assertThat(AllocationText.frame(PKG)).isEqualTo("subscribe /app/node_modules/reg/index.js:20:19  [reg@1.0.0]");
    }

    @Test
    void aStackWithoutApplicationCodeKeepsItsAllocatingFrame() {
        AllocationStack st = new AllocationStack(3, 90, null, List.of(new Frame("(V8 API)", "", 0, 0, null), TIMERS), -1, null);
        assertThat(AllocationText.frames(st)).containsExactly("at (V8 API)", "… 1 frame in Node internals or node_modules");
    }

    @Test
    void jsonCarriesEveryFrameTheApplicationIndexAndTheSite() {
        AllocationStack st = new AllocationStack(2, 64, "Job", List.of(PKG, APP), 1,
                new AllocationStack.Site(1, "/app/server.js", 11, 5, "new Job()"));
        StringWriter w = new StringWriter();
        try (Json j = new Json(w, false)) {
            j.startObject();
            AllocationJson.stacks(j, List.of(st), Bounds.NONE);
            j.endObject();
        }
        assertThat(w.toString()).isEqualTo("{\"allocations\":[{\"count\":2,\"bytes\":64,\"class\":\"Job\",\"frames\":["
                + "{\"function\":\"subscribe\",\"file\":\"/app/node_modules/reg/index.js\",\"line\":20,\"column\":19,"
                + "\"package\":{\"name\":\"reg\",\"version\":\"1.0.0\"}},"
                + "{\"function\":\"handle\",\"file\":\"/app/server.js\",\"line\":10,\"column\":16}],"
                + "\"applicationFrame\":1,\"site\":{\"frame\":1,\"file\":\"/app/server.js\",\"line\":11,\"column\":5,"
                + "\"text\":\"new Job()\"}}]}");
    }
}
