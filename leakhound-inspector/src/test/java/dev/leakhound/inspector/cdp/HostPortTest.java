package dev.leakhound.inspector.cdp;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.inspector.cdp.InspectorEndpoint.HostPort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortTest {
    @Test
    void parsesTheUsualForms() {
        assertThat(HostPort.parse("127.0.0.1:9229")).isEqualTo(new HostPort("127.0.0.1", 9229));
        assertThat(HostPort.parse("localhost:9333")).isEqualTo(new HostPort("localhost", 9333));
        assertThat(HostPort.parse("9444")).isEqualTo(new HostPort("127.0.0.1", 9444));
        assertThat(HostPort.parse(":9555")).isEqualTo(new HostPort("127.0.0.1", 9555));
        assertThat(HostPort.parse("[::1]:9229")).isEqualTo(new HostPort("::1", 9229));
        assertThat(HostPort.parse("[::1]")).isEqualTo(new HostPort("::1", 9229));
        assertThat(HostPort.parse("example.org")).isEqualTo(new HostPort("example.org", 9229));
    }

    @Test
    void rejectsBadPortsWithOneLine() {
        assertThatThrownBy(() -> HostPort.parse("127.0.0.1:http")).isInstanceOf(LeakhoundException.class)
                .hasMessage("--inspect: '127.0.0.1:http' is not HOST:PORT (e.g. 127.0.0.1:9229)");
        assertThatThrownBy(() -> HostPort.parse("127.0.0.1:70000")).isInstanceOf(LeakhoundException.class);
    }

    @Test
    void refusesNonLoopbackUnlessAllowed() {
        assertThat(InspectorEndpoint.resolve("127.0.0.1", false)).allMatch(java.net.InetAddress::isLoopbackAddress);
        assertThat(InspectorEndpoint.resolve("::1", false)).allMatch(java.net.InetAddress::isLoopbackAddress);
        assertThatThrownBy(() -> InspectorEndpoint.resolve("192.0.2.7", false)).isInstanceOf(LeakhoundException.class)
                .hasMessageStartingWith("192.0.2.7 is not a loopback address");
        assertThat(InspectorEndpoint.resolve("192.0.2.7", true)).hasSize(1);
    }
}
