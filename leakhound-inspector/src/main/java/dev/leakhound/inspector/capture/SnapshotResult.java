package dev.leakhound.inspector.capture;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A completed capture.
 *
 * @param file      where the snapshot is (final name, mode 0600)
 * @param bytes     its size
 * @param nodeCount {@code snapshot.node_count} from its header
 * @param edgeCount {@code snapshot.edge_count}
 * @param paused    time from requesting the snapshot to the target's answer: the target's JavaScript is
 *                  paused for (about) this long
 * @param gc        time of the HeapProfiler.collectGarbage done first (zero when not asked); also a pause
 * @param chunks    number of chunks received
 */
public record SnapshotResult(Path file, long bytes, long nodeCount, long edgeCount, Duration paused, Duration gc, long chunks) {}
