package io.recon.session;

import io.recon.fact.FactPublisher;
import io.recon.source.SourceClocks;
import java.util.List;

/**
 * Moves one task group's event-time clock: the watermark is the oldest source's newest event time
 * minus the allowed lateness; a source silent for longer than the idle timeout counts with wall time,
 * so windows close while traffic pauses. The watermark never goes back. It is written into every
 * partition of the facts topic, behind the facts already sent, which makes the clock part of the log.
 */
final class WatermarkEmitter {

    private final String task;
    private final List<String> sources;
    private final int partitions;
    private final TaskGroupsProperties.TaskGroup config;
    private final SourceClocks clocks;
    private final FactPublisher publisher;
    private long emitted;

    WatermarkEmitter(String task, List<String> sources, int partitions, TaskGroupsProperties.TaskGroup config,
                     SourceClocks clocks, FactPublisher publisher) {
        this.task = task;
        this.sources = sources;
        this.partitions = partitions;
        this.config = config;
        this.clocks = clocks;
        this.publisher = publisher;
    }

    /** Computes and publishes the watermark if it moved. */
    void tick(long wallNow) {
        long watermark = watermark(wallNow);
        if (watermark <= emitted) {
            return;
        }
        emitted = watermark;
        for (int p = 0; p < partitions; p++) {
            publisher.publishWatermark(task, p, watermark);
        }
    }

    long watermark(long wallNow) {
        long oldest = Long.MAX_VALUE;
        for (String source : sources) {
            SourceClocks.Reading reading = clocks.reading(source);
            boolean idle = reading == null || wallNow - reading.lastSeenWall() > config.idleTimeout().toMillis();
            oldest = Math.min(oldest, idle ? wallNow : reading.newestEventTime());
        }
        if (oldest == Long.MAX_VALUE) {
            oldest = wallNow;
        }
        return oldest - config.allowedLateness().toMillis();
    }
}
