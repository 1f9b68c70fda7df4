package dev.leakhound.inspector.live;

import dev.leakhound.inspector.cdp.InspectorEndpoint.HostPort;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where SIGUSR1 makes a process listen, from its command line and NODE_OPTIONS. */
class InspectPortTest {
    @Test
    void defaultsTo9229() {
        assertThat(PidAttach.parseInspectPort(List.of("node", "app.js"))).isEqualTo(new HostPort("127.0.0.1", 9229));
    }

    @Test
    void readsInspectPortFlagsInTheirForms() {
        assertThat(PidAttach.parseInspectPort(List.of("node", "--inspect-port=0", "app.js"))).isEqualTo(new HostPort("127.0.0.1", 0));
        assertThat(PidAttach.parseInspectPort(List.of("node", "--inspect-port", "9400", "app.js"))).isEqualTo(new HostPort("127.0.0.1", 9400));
        assertThat(PidAttach.parseInspectPort(List.of("node", "--inspect-port=0.0.0.0:9401", "a.js"))).isEqualTo(new HostPort("0.0.0.0", 9401));
        assertThat(PidAttach.parseInspectPort(List.of("node", "--debug-port=9402", "a.js"))).isEqualTo(new HostPort("127.0.0.1", 9402));
        assertThat(PidAttach.parseInspectPort(List.of("node", "--inspect=[::1]:9403", "a.js"))).isEqualTo(new HostPort("::1", 9403));
    }
}
