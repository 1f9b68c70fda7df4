package dev.leakhound.report;

import dev.leakhound.analysis.leaks.LeakPattern;
import dev.leakhound.analysis.leaks.LeakReport;
import dev.leakhound.analysis.leaks.LeakSignature;
import dev.leakhound.analysis.nodejs.Collections;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The words of find-leaks, from the data alone. */
class LeakTextTest {
    static final LeakReport.Container ARRAY = new LeakReport.Container(101, "Array", "global.store -> Array @101", "[*]", null);

    static LeakReport.Leak leak(LeakPattern p, LeakReport.Detail d, LeakReport.Dismissal dismissal) {
        return new LeakReport.Leak(dismissal == null ? 1 : 0, p, "store", "Item", 200 * 1048L, 200, 180 * 1048L, 80 * 1048L, 80,
                new long[] {20, 100, 200}, new long[] {20 * 1048L, 100 * 1048L, 200 * 1048L}, ARRAY, List.of(),
                "global.store[7] -> Item @1029", null, d, dismissal,
                new LeakSignature(p, "{global}.store @ [*]", "Item"), LeakReport.Status.NEW);
    }

    @Test
    void anArrayLeakReadsAsBefore() {
        LeakReport.Leak l = leak(LeakPattern.ARRAY, new LeakReport.Collection("store", Collections.Kind.ARRAY), null);
        assertThat(LeakText.summary(l)).isEqualTo("`store` (Array) keeps 200 Item objects that are pushed and never removed"
                + " (20 → 100 → 200 across the snapshots, +184 KB)");
        assertThat(LeakText.hint(l)).startsWith("Entries are added to the array `store` and never removed.");
        assertThat(LeakText.reason(l)).isNull();
    }

    @Test
    void everyShapeHasItsSummaryAndFix() {
        List<LeakReport.Captured> ctx = List.of(new LeakReport.Captured("ctx", "RequestContext"),
                new LeakReport.Captured("socket", "Socket"));
        Map<LeakPattern, LeakReport.Detail> details = new EnumMap<>(LeakPattern.class);
        details.put(LeakPattern.ARRAY, new LeakReport.Collection("store", Collections.Kind.ARRAY));
        details.put(LeakPattern.QUEUE, new LeakReport.Queue("jobs", 100, 30));
        details.put(LeakPattern.MAP, new LeakReport.Collection("requests", Collections.Kind.MAP));
        details.put(LeakPattern.SET, new LeakReport.Collection("seen", Collections.Kind.SET));
        details.put(LeakPattern.DICTIONARY, new LeakReport.Collection("sessions", Collections.Kind.DICTIONARY));
        details.put(LeakPattern.LISTENERS, new LeakReport.Listeners("eventBus", "EventBus", "config-changed", "onConfig()", ctx));
        details.put(LeakPattern.TIMERS, new LeakReport.Timers("poll()", ctx));
        details.put(LeakPattern.CLOSURE_CHAIN, new LeakReport.Chain("theThing", "originalThing", ".someMethod::originalThing"));
        details.put(LeakPattern.CHAIN, new LeakReport.Chain("head", null, ".older"));
        details.put(LeakPattern.CLOSURES_IN_ARRAY, new LeakReport.Callbacks("pending", ctx));
        details.put(LeakPattern.BUFFERS, new LeakReport.Buffers("chunks", 3 * 1024 * 1024));
        details.put(LeakPattern.MEMOIZE, new LeakReport.Collection("cache", Collections.Kind.MAP));
        details.put(LeakPattern.OBJECTS, new LeakReport.Objects("registry", "Registry", ".items.list"));
        assertThat(details.keySet()).containsExactlyInAnyOrder(LeakPattern.values());
        Map<LeakPattern, String> names = Map.ofEntries(Map.entry(LeakPattern.ARRAY, "`store`"), Map.entry(LeakPattern.QUEUE, "`jobs`"),
                Map.entry(LeakPattern.MAP, "`requests` (Map)"), Map.entry(LeakPattern.SET, "`seen` (Set)"),
                Map.entry(LeakPattern.DICTIONARY, "`sessions` (object used as a dictionary)"),
                Map.entry(LeakPattern.LISTENERS, "'config-changed' are added to `eventBus` (EventBus)"),
                Map.entry(LeakPattern.TIMERS, "each callback poll() keeps `ctx` (RequestContext) and `socket` (Socket) alive"),
                Map.entry(LeakPattern.CLOSURE_CHAIN, "through the closure variable `originalThing` (.someMethod::originalThing)"),
                Map.entry(LeakPattern.CHAIN, "hangs off `head` (.older)"),
                Map.entry(LeakPattern.CLOSURES_IN_ARRAY, "pile up in `pending`"),
                Map.entry(LeakPattern.BUFFERS, "holding 3.00 MB of Buffer memory outside the JS heap"),
                Map.entry(LeakPattern.MEMOIZE, "the memoization cache `cache` (Map)"),
                Map.entry(LeakPattern.OBJECTS, "accumulate under `registry` (Registry, via .items.list)"));
        for (var e : details.entrySet()) {
            LeakReport.Leak l = leak(e.getKey(), e.getValue(), null);
            assertThat(LeakText.summary(l)).as(e.getKey().id()).contains(names.get(e.getKey()));
            assertThat(LeakText.hint(l)).as(e.getKey().id()).isNotEmpty().doesNotContain("`null`");
            assertThat(LeakText.summary(l)).as(e.getKey().id()).doesNotContain("null");
        }
        LeakReport.Leak queue = leak(LeakPattern.QUEUE, details.get(LeakPattern.QUEUE), null);
        assertThat(LeakText.summary(queue)).isEqualTo("the queue `jobs` grows: items are taken off it (70 of the 100 it held"
                + " at the first snapshot are gone), but more are added than removed (Item: 20 → 100 → 200)");
        assertThat(LeakText.hint(leak(LeakPattern.CHAIN, details.get(LeakPattern.CHAIN), null)))
                .startsWith("Objects are linked to one another through .older and the chain is never cut.");
    }

    @Test
    void unknownNamesReadAsWhatTheyAre() {
        LeakReport.Leak l = leak(LeakPattern.LISTENERS, new LeakReport.Listeners(null, "EventEmitter", "data", null, List.of()), null);
        assertThat(LeakText.summary(l)).startsWith("200 listeners for 'data' are added to an emitter (EventEmitter) and never removed (");
        LeakReport.Leak t = leak(LeakPattern.TIMERS, new LeakReport.Timers(null, List.of()), null);
        assertThat(LeakText.summary(t)).startsWith("200 timers (Item) are scheduled and never cleared; each callback stays alive (");
    }

    @Test
    void dismissalsSayWhyWithTheNumbers() {
        LeakReport.Detail d = new LeakReport.Collection("store", Collections.Kind.ARRAY);
        assertThat(LeakText.reason(leak(LeakPattern.ARRAY, d,
                new LeakReport.Dismissal(LeakReport.Dismissal.Reason.TOO_FEW_BYTES, 20 * 1048L, 65536))))
                .isEqualTo("only 20.5 KB of new objects (threshold 64.0 KB, --min-bytes)");
        assertThat(LeakText.reason(leak(LeakPattern.ARRAY, d,
                new LeakReport.Dismissal(LeakReport.Dismissal.Reason.TOO_FEW_OBJECTS, 3, 5))))
                .isEqualTo("grew by only 3 objects (threshold 5, --min-count)");
        assertThat(LeakText.reason(leak(LeakPattern.ARRAY, d,
                new LeakReport.Dismissal(LeakReport.Dismissal.Reason.NOT_GROWING, 0, 65536))))
                .isEqualTo("does not keep growing: count 20 → 100 → 200, bytes 20.5 KB → 102 KB → 205 KB"
                        + " (objects are replaced, not accumulated)");
    }

    @Test
    void aScopeNamesItsScriptAndFunctions() {
        assertThat(LeakText.scope(null)).isNull();
        assertThat(LeakText.scope(new LeakReport.Scope("requests", "/app/server.js", List.of("handle()"), 1)))
                .isEqualTo("variable `requests` in /app/server.js (in the scope of handle())");
        assertThat(LeakText.scope(new LeakReport.Scope("requests", "/app/server.js",
                List.of("a()", "b()", "c()", "d()", "e()"), 12)))
                .isEqualTo("variable `requests` in /app/server.js (in the scope of a(), b(), c() and 9 more)");
        assertThat(LeakText.scope(new LeakReport.Scope("cache", null, List.of("render()"), 1)))
                .isEqualTo("variable `cache` of a closure scope");
    }
}
