package dev.leakhound.mcp;

import dev.leakhound.core.LeakhoundException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveToolsTest {
    @Test
    void inspectorTakesHostPortOrTheUrlNodePrints() {
        assertThat(LiveTools.hostPort("127.0.0.1:9229")).isEqualTo("127.0.0.1:9229");
        assertThat(LiveTools.hostPort(" ws://127.0.0.1:39039/0f2c61a4-1b5e-4d1a-9f3e-3a0d2f1c9b7e ")).isEqualTo("127.0.0.1:39039");
        assertThat(LiveTools.hostPort("http://localhost:9229/json/list")).isEqualTo("localhost:9229");
        assertThat(LiveTools.hostPort("ws://[::1]:9229/abc")).isEqualTo("[::1]:9229");
        assertThat(LiveTools.hostPort("ws://127.0.0.1/abc")).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> LiveTools.hostPort("ws://:9229 x")).isInstanceOf(LeakhoundException.class);
    }
}
