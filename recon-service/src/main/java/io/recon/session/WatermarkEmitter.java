package io.recon.session;

import io.recon.fact.FactPublisher;
import io.recon.source.SourceBinding;
import io.recon.source.SourceClocks;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Moves one task group's event-time clock: the watermark is the oldest source's newest event time
 * minus the allowed lateness; a source silent for longer than the idle timeout counts with wall time,
 * so windows close while traffic pauses. The watermark never goes back. It is written into every
 * partition of the facts topic, behind the facts already sent, which makes the clock part of the log.
 *
 * <p>A silent CDC source stands in with the time up to which its last catch-up marker proved it complete, not with
 * wall time: a change stream that lags (a busy machine) is silent but not idle.
 *
 * <p>Wall time stands in only for a source that has caught up on what was committed before this run
 * started (see {@link SourceClocks#isCaughtUp}): after a restart a source that is still reading its
 * backlog holds the clock at its newest event time, or where it stood if it delivered nothing yet.
 * Otherwise a window would close on records that exist but are not read yet: a false MISSING that
 * heals seconds later.
 *
 * <p>A pending lookup holds the clock at its answer's event time ({@link SourceClocks#hold}): the answer is a fact
 * like any other, and a window that waits for it must not close while the other system is being asked.
 *
 * <p>The task's sources are read from the catalog at every tick: a source added while the service runs holds the
 * clock like the others from its first tick on (until it has caught up), instead of being left out of the clock
 * until a restart, which would close windows on records it has not read yet.
 */
final class WatermarkEmitter {

    private final String task;
    private final Supplier<Map<String, SourceBinding.Kind>> sources;
    private final int partitions;
    private final TaskGroupsProperties.TaskGroup config;
    private final SourceClocks clocks;
    private final FactPublisher publisher;
    private long emitted;

    WatermarkEmitter(String task, Map<String, SourceBinding.Kind> sources, int partitions, TaskGroupsProperties.TaskGroup config,
                     SourceClocks clocks, FactPublisher publisher) {
        this(task, () -> sources, partitions, config, clocks, publisher);
    }

    /** @param sources the task's sources and their kinds as the catalog has them now */
    WatermarkEmitter(String task, Supplier<Map<String, SourceBinding.Kind>> sources, int partitions, TaskGroupsProperties.TaskGroup config,
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

    /** Long.MIN_VALUE while a source that has not caught up has delivered nothing yet: the clock stays. */
    long watermark(long wallNow) {
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<String, SourceBinding.Kind> source : sources.get().entrySet()) {
            SourceClocks.Reading reading = clocks.reading(source.getKey());
            if (!clocks.isCaughtUp(source.getKey(), source.getValue())) {
                if (reading == null) {
                    return Long.MIN_VALUE;
                }
                oldest = Math.min(oldest, reading.newestEventTime());
                continue;
            }
            boolean idle = reading == null || wallNow - reading.lastSeenWall() > config.idleTimeout().toMillis();
            long standIn = clocks.silentStandIn(source.getKey(), wallNow);
            oldest = Math.min(oldest, idle ? Math.max(standIn, reading == null ? Long.MIN_VALUE : reading.newestEventTime())
                    : reading.newestEventTime());
        }
        long held = clocks.heldAt(task); // a pending lookup's answer: its window must not close before it comes
        if (oldest == Long.MAX_VALUE) {
            oldest = wallNow;
        }
        oldest = Math.min(oldest, held);
        return oldest - config.allowedLateness().toMillis();
    }
}
