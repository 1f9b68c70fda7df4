package dev.leakhound.inspector.live;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProcFsMemoryTest {
    @Test
    void parsesKilobyteFieldsAsBytes() {
        Map<String, Long> m = ProcFs.parseKb(List.of("Name:\tnode", "VmRSS:\t   51200 kB", "RssAnon:\t   10240 kB",
                "Threads:\t11", "Rss:                 123 kB", "Bad:   x kB"));
        assertThat(m).containsExactly(Map.entry("VmRSS", 51200L * 1024), Map.entry("RssAnon", 10240L * 1024),
                Map.entry("Rss", 123L * 1024));
    }

    @Test
    void readsThisJvmsStatusAndSmapsRollup() {
        if (!ProcFs.available()) {
            return; // not Linux
        }
        long me = ProcessHandle.current().pid();
        Map<String, Long> status = ProcFs.status(me);
        assertThat(status.get("VmRSS")).isPositive();
        assertThat(status.get("RssAnon") + status.get("RssFile") + status.get("RssShmem")).isEqualTo(status.get("VmRSS"));
        Map<String, Long> rollup = ProcFs.smapsRollup(me);
        if (!rollup.isEmpty()) {   // Linux 4.14+
            assertThat(rollup.get("Rss")).isPositive();
            assertThat(rollup.get("Anonymous")).isPositive();
        }
        assertThat(ProcFs.status(Long.MAX_VALUE)).isEmpty();
    }
}
