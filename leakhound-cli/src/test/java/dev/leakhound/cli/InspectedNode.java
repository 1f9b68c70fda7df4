package dev.leakhound.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node process a test starts itself with its inspector on a free loopback port, as a user's process that
 * leakhound attaches to: its announced {@code host:port}, its output drained; closing kills it.
 */
public record InspectedNode(Process process, String hostPort) implements AutoCloseable {
    private static final Pattern ANNOUNCED = Pattern.compile("ws://(127\\.0\\.0\\.1:[0-9]+)/");

    /** {@code node --inspect=127.0.0.1:0 ARGS...}, once it has announced its inspector. */
    public static InspectedNode start(String... nodeArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("node", "--inspect=127.0.0.1:0"));
        cmd.addAll(List.of(nodeArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String hostPort = null;
        String line;
        while (hostPort == null && (line = lines.readLine()) != null) {
            Matcher m = ANNOUNCED.matcher(line);
            if (m.find()) {
                hostPort = m.group(1);
            }
        }
        assertThat(hostPort).as("node announced its inspector").isNotNull();
        Thread drain = new Thread(() -> {
            try {
                lines.transferTo(Writer.nullWriter());
            } catch (IOException ignored) {
                // node ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new InspectedNode(p, hostPort);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
