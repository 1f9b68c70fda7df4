package dev.leakhound.inspector.watch;

import dev.leakhound.inspector.cdp.Json;
import dev.leakhound.inspector.cdp.Json.JsonObj;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GcSamplerTest {
    @Test
    void scriptPlaceholdersAreAllReplaced() {
        String js = GcSampler.script(100, 60_000, GcSampler.Mode.OBSERVER);
        assertThat(js).doesNotContain("__MAX__").doesNotContain("__IDLE__").doesNotContain("__MODE__")
                .contains("const MAX = 100, IDLE = 60000, MODE = 'observer'");
    }

    @Test
    void pollReplyBecomesASample() {
        String reply = "{\"t\":1700000000123.5,\"gc\":[1700000000000,1,1.5,4000000,0,1700000000100,4,12.25,3900000,3],"
                + "\"dropped\":2,\"mem\":{\"rss\":50000000,\"heapTotal\":8000000,\"heapUsed\":4000000,\"external\":1000,\"arrayBuffers\":10},"
                + "\"heap\":{\"used_heap_size\":4000000,\"heap_size_limit\":4345298944},"
                + "\"spaces\":[{\"space_name\":\"old_space\",\"space_size\":3,\"space_used_size\":2,\"space_available_size\":1,\"physical_space_size\":3}],"
                + "\"status\":{\"VmRSS\":51200000},\"uptime\":12.5}";
        Sample s = GcSampler.toSample((JsonObj) Json.parse(reply));
        assertThat(s.timeMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(s.gcs()).containsExactly(
                new GcEvent(1_700_000_000_000L, GcKind.MINOR, 1.5, 4_000_000, 0),
                new GcEvent(1_700_000_000_100L, GcKind.MAJOR, 12.25, 3_900_000, 3));
        assertThat(s.droppedGcs()).isEqualTo(2);
        assertThat(s.mem("rss")).isEqualTo(50_000_000);
        assertThat(s.heapStat("heap_size_limit")).isEqualTo(4_345_298_944L);
        assertThat(s.spaces()).containsExactly(new Sample.Space("old_space", 3, 2, 1, 3));
        assertThat(s.status()).containsEntry("VmRSS", 51_200_000L);
        assertThat(s.uptimeSeconds()).isEqualTo(12.5);
    }
}
