package dev.leakhound.analysis.diagnosis.detectors;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.Detector;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.APP;
import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.APP_FILE;
import static dev.leakhound.analysis.diagnosis.detectors.NodeHeap.NODE_TIMERS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timers rule on Node's timer lists: {@code timerListMap[ms]} -> TimersList -> {@code _idleNext} ring of
 * Timeouts, each with its {@code _onTimeout} closure; {@code _repeat} is an edge to {@code null} for a
 * one-shot timer and absent (a number) for an interval.
 */
class TimersDetectorTest {
    static final DiagnosisOptions DEFAULTS = DiagnosisOptions.defaults();

    /** Each Timeout retains itself 120 + its closure 32 + the closure's scope 40 + the Entry it captures 8 = 200 bytes. */
    static final long PER_TIMER = 120 + 32 + 40 + 8;

    /** A heap with {@code n} timers of one callback {@code expire} on the list of {@code delay} ms; the first {@code repeating} repeat. */
    private static final class Timers {
        final NodeHeap h = new NodeHeap();
        final NodeHeap.Fn expire;
        final int list;
        final List<Integer> timeouts = new ArrayList<>();
        final List<Integer> callbacks = new ArrayList<>();
        final List<Integer> contexts = new ArrayList<>();
        final List<Integer> entries = new ArrayList<>();

        Timers(int n, int repeating, int delay, String url) {
            expire = h.function("expire", url, 20);
            int scope = h.scopeInfo("schedule", "entry");
            list = h.timerList(delay);
            for (int i = 0; i < n; i++) {
                int ctx = h.context(scope, h.module);
                entries.add(h.variable(ctx, "entry", h.obj("Entry", 8)));
                int cb = h.closure(expire, ctx);
                contexts.add(ctx);
                callbacks.add(cb);
                timeouts.add(h.timeout(list, cb, i < repeating));
            }
        }

        Timers(int n, int repeating, int delay) {
            this(n, repeating, delay, APP);
        }

        Detector.Result detect(DiagnosisOptions o) {
            return h.detect(new TimersDetector(), o);
        }
    }

    /** Ten intervals of one callback every 50 ms: reported, with everything the finding says read off the heap. */
    @Test
    void tenIntervalsOfOneCallbackAreReported() {
        Timers t = new Timers(10, 10, 50);
        Detector.Result r = t.detect(DEFAULTS);
        assertThat(r.check()).isEqualTo(new Check.Timers(true, 10, 1, 1, 10, 1, 10));
        assertThat(r.findings()).hasSize(1);
        Finding f = r.findings().get(0);
        NodeHeap h = t.h;
        long first = h.id(t.timeouts.get(0));
        assertThat(f.kind()).isEqualTo(FindingKind.TIMERS);
        assertThat(f.bytes()).isEqualTo(10 * PER_TIMER);
        assertThat(f.count()).isEqualTo(10);
        assertThat(f.id()).isEqualTo(first);
        assertThat(f.className()).isEqualTo("Timeout");
        assertThat(f.pathText()).isEqualTo("global.timerListMap[50]._idleNext -> Timeout @" + first);
        assertThat(f.location()).isEqualTo(t.expire.location(APP_FILE));
        assertThat(f.sampleIds()).containsExactlyElementsOf(t.timeouts.subList(0, 5).stream().map(h::id).toList());
        Finding.Timers d = (Finding.Timers) f.detail();
        assertThat(d).isEqualTo(new Finding.Timers(10, 10, 50, new Finding.FunctionRef("expire()", t.expire.location(APP_FILE)),
                List.of(new Finding.Captured("entry", new Finding.NodeRef(h.id(t.entries.get(0)), "Entry", "Entry"), 8))));
        assertThat(d.mostlyRepeating()).isTrue();

        BitSet claims = new BitSet();
        t.callbacks.forEach(claims::set);
        t.contexts.forEach(claims::set);
        assertThat(r.claims()).isEqualTo(claims);
    }

    /**
     * Defect 7: ten pending 50 ms setTimeouts keeping 2,000 bytes are normal churn, not a finding. The old rule
     * ("ten live timers of one function") reported exactly this heap; the same ten as setIntervals, with a long
     * delay, or keeping minBytes, are reported.
     */
    @Test
    void tenShortOneShotTimersKeepingLittleAreNotReported() {
        Timers churn = new Timers(10, 0, 50);
        Detector.Result r = churn.detect(DEFAULTS);
        assertThat(r.findings()).isEmpty();
        // the old rule's inputs are all there: ten live timers of one function, at minTimers
        assertThat(r.check()).isEqualTo(new Check.Timers(true, 10, 1, 1, 10, 0, 10));
        assertThat(r.claims().isEmpty()).isTrue();

        // the same as intervals
        assertThat(new Timers(10, 10, 50).detect(DEFAULTS).findings()).hasSize(1);
        // a long delay: pending long enough to pile up (LONG_DELAY_MS is inclusive)
        assertThat(TimersDetector.LONG_DELAY_MS).isEqualTo(600_000);
        Finding longOnes = new Timers(10, 0, 600_000).detect(DEFAULTS).findings().get(0);
        assertThat(((Finding.Timers) longOnes.detail()).delayMs()).isEqualTo(600_000);
        assertThat(((Finding.Timers) longOnes.detail()).repeating()).isZero();
        assertThat(new Timers(10, 0, 599_999).detect(DEFAULTS).findings()).isEmpty();
        // bytes at stake: minBytes is inclusive
        assertThat(new Timers(10, 0, 50).detect(DEFAULTS.withMinBytes(10 * PER_TIMER)).findings())
                .extracting(Finding::bytes).containsExactly(10 * PER_TIMER);
        assertThat(new Timers(10, 0, 50).detect(DEFAULTS.withMinBytes(10 * PER_TIMER + 1)).findings()).isEmpty();
    }

    /**
     * One function's one-shot timers spread over a short and a long timer list are judged by the longest
     * delay, whichever list the snapshot lists first.
     */
    @Test
    void timersOnSeveralListsAreJudgedByTheLongestDelay() {
        for (boolean longFirst : new boolean[] {true, false}) {
            NodeHeap h = new NodeHeap();
            NodeHeap.Fn expire = h.function("expire", APP, 20);
            int scope = h.scopeInfo("schedule", "entry");
            int first = h.timerList(longFirst ? 3_600_000 : 50);
            int second = h.timerList(longFirst ? 50 : 3_600_000);
            for (int i = 0; i < 10; i++) {
                int ctx = h.context(scope, h.module);
                h.variable(ctx, "entry", h.obj("Entry", 8));
                h.timeout(i % 2 == 0 ? first : second, h.closure(expire, ctx), false);
            }
            Detector.Result r = h.detect(new TimersDetector(), DEFAULTS);
            assertThat(r.findings()).as("long list first: %s", longFirst).hasSize(1);
            assertThat(((Finding.Timers) r.findings().get(0).detail()).delayMs()).isEqualTo(3_600_000);
        }
    }

    /** "Intervals" means at least half repeat: 5 of 10 do (reported), 4 of 10 do not (short one-shots: not reported). */
    @Test
    void halfRepeatingCountsAsIntervals() {
        Finding half = new Timers(10, 5, 50).detect(DEFAULTS).findings().get(0);
        assertThat(((Finding.Timers) half.detail()).repeating()).isEqualTo(5);
        assertThat(((Finding.Timers) half.detail()).mostlyRepeating()).isTrue();
        assertThat(new Timers(10, 4, 50).detect(DEFAULTS).findings()).isEmpty();
    }

    /** Fewer than minTimers (10) live timers of one function are never reported, even as long intervals. */
    @Test
    void belowMinTimersNothingIsReported() {
        Detector.Result r = new Timers(9, 9, 3_600_000).detect(DEFAULTS);
        assertThat(r.findings()).isEmpty();
        assertThat(r.check()).isEqualTo(new Check.Timers(true, 9, 1, 1, 9, 0, 10));
    }

    /** Node's own callbacks (node:internal/...) need internalFactor x minTimers: 99 intervals no, 100 yes. */
    @Test
    void nodeInternalTimersNeedTenTimesAsMany() {
        assertThat(new Timers(99, 99, 1000, NODE_TIMERS).detect(DEFAULTS).findings()).isEmpty();
        assertThat(new Timers(100, 100, 1000, NODE_TIMERS).detect(DEFAULTS).findings()).hasSize(1);
    }

    /**
     * Only timers on a list are live: clearInterval unlinks a Timeout from the ring, so 10 cleared Timeouts
     * still held by the application (global.old) are not counted, and the ring's 9 live ones are too few.
     */
    @Test
    void clearedTimersOffTheRingAreNotLive() {
        Timers t = new Timers(9, 9, 50);
        int old = t.h.onGlobal("old", "Array", 16);
        for (int i = 0; i < 10; i++) {
            int timeout = t.h.obj("Timeout", NodeHeap.TIMEOUT);
            t.h.prop(timeout, "_onTimeout", t.h.closure(t.expire, -1));
            t.h.element(old, i, timeout);
        }
        Detector.Result r = t.detect(DEFAULTS);
        assertThat(r.findings()).isEmpty();
        assertThat(r.check()).isEqualTo(new Check.Timers(true, 9, 1, 1, 9, 0, 10));
    }

    /** Without TimersList in the snapshot there is nothing to check. */
    @Test
    void noTimerListsNoCheck() {
        NodeHeap h = new NodeHeap();
        assertThat(h.detect(new TimersDetector(), DEFAULTS).check()).isEqualTo(new Check.Timers(false, 0, 0, 0, 0, 0, 10));
    }
}
