package dev.leakhound.inspector.capture;

import dev.leakhound.core.LeakhoundException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code snapshot.node_count} and {@code edge_count} from the first bytes of a .heapsnapshot file.
 * V8 writes the {@code snapshot} object (meta, then the counts) first, within the first few KB.
 */
public record SnapshotHeader(long nodeCount, long edgeCount) {
    private static final int HEAD_BYTES = 256 * 1024;
    private static final Pattern NODE_COUNT = Pattern.compile("\"node_count\"\\s*:\\s*(\\d+)");
    private static final Pattern EDGE_COUNT = Pattern.compile("\"edge_count\"\\s*:\\s*(\\d+)");

    public static SnapshotHeader read(Path file) {
        String head;
        try (InputStream in = Files.newInputStream(file)) {
            head = new String(in.readNBytes(HEAD_BYTES), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new LeakhoundException("cannot read " + file + ": " + e.getMessage());
        }
        return parse(head, file.toString());
    }

    static SnapshotHeader parse(String head, String where) {
        if (!head.stripLeading().startsWith("{\"snapshot\"")) {
            throw new LeakhoundException(where + " does not start like a V8 heap snapshot");
        }
        Matcher n = NODE_COUNT.matcher(head);
        Matcher e = EDGE_COUNT.matcher(head);
        if (!n.find() || !e.find()) {
            throw new LeakhoundException(where + ": no snapshot.node_count/edge_count in its first "
                    + (HEAD_BYTES / 1024) + " KB");
        }
        return new SnapshotHeader(Long.parseLong(n.group(1)), Long.parseLong(e.group(1)));
    }
}
