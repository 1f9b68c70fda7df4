package dev.leakhound.inspector.live;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProcFsTest {
    @Test
    void parsesListeningSocketsOfBothFamilies() throws Exception {
        List<String> tcp = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:2405 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 123456 1 0000000000000000 100 0 0 10 0",
                "   1: 0100007F:2405 0100007F:B3A2 01 00000000:00000000 00:00000000 00000000     0        0 123457 1 0000000000000000 20 4 30 10 -1",
                "   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1 0000000000000000 100 0 0 10 0");
        List<ProcFs.Listener> l = ProcFs.parseNetTcp(tcp);
        assertThat(l).containsExactly(
                new ProcFs.Listener(InetAddress.getByName("127.0.0.1"), 9221, 123456),
                new ProcFs.Listener(InetAddress.getByName("0.0.0.0"), 8080, 777));
        List<String> tcp6 = List.of(
                "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 00000000000000000000000001000000:2405 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 999 1 0000000000000000 100 0 0 10 0");
        assertThat(ProcFs.parseNetTcp(tcp6)).containsExactly(new ProcFs.Listener(InetAddress.getByName("::1"), 9221, 999));
    }

    @Test
    void findsThisJvmsOwnListeningSocket() throws Exception {
        if (!ProcFs.available()) {
            return; // not Linux: nothing to compare with
        }
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long me = ProcessHandle.current().pid();
            assertThat(ProcFs.listeningSocketsOf(me)).extracting(ProcFs.Listener::port).contains(ss.getLocalPort());
        }
    }
}
