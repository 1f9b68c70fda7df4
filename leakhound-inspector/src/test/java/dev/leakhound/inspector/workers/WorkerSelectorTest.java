package dev.leakhound.inspector.workers;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.NodeWorkers.Worker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerSelectorTest {
    static final Worker W1 = new Worker("1", "worker", "[worker 1]", "file:///srv/app/lib/pricing.js", "s1");
    static final Worker W12 = new Worker("12", "worker", "images", "file:///srv/app/resize.mjs?v=2", "s2");

    @Test
    void idsScriptsAndAll() {
        assertThat(WorkerSelector.parse("1")).isEqualTo(new WorkerSelector(WorkerSelector.Kind.ID, "1"));
        assertThat(WorkerSelector.parse("01").test(W1)).isTrue();
        assertThat(WorkerSelector.parse("1").test(W12)).isFalse();
        assertThat(WorkerSelector.parse("all")).isSameAs(WorkerSelector.ALL);
        assertThat(WorkerSelector.ALL.test(W1) && WorkerSelector.ALL.test(W12)).isTrue();
        for (String s : new String[] {"pricing.js", "lib/pricing.js", "./lib/pricing.js", "/srv/app/lib/pricing.js",
                "file:///srv/app/lib/pricing.js"}) {
            assertThat(WorkerSelector.parse(s).test(W1)).as(s).isTrue();
            assertThat(WorkerSelector.parse(s).test(W12)).as(s).isFalse();
        }
        assertThat(WorkerSelector.parse("ricing.js").test(W1)).as("a whole file name, not a suffix of one").isFalse();
        assertThat(WorkerSelector.parse("images").test(W12)).as("a named worker's title").isTrue();
        assertThat(W12.script()).isEqualTo("resize.mjs");
        assertThat(WorkerSelector.parse("resize.mjs").test(W12)).as("without the URL's query").isTrue();
        assertThatThrownBy(() -> WorkerSelector.parse("  ")).isInstanceOf(LeakhoundException.class)
                .hasMessage("--worker wants a worker id, a script URL or path, or all");
    }
}
