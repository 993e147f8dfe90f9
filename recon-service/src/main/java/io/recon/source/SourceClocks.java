package io.recon.source;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per source: the newest event time routed so far, when (wall time) the source last delivered, and
 * whether it has caught up on what was committed before this run of the service started.
 *
 * <p>A source with a stored position (a CDC slot, a consumer group's offsets) starts behind: it may hold
 * records committed while Recon was down. Until it has delivered them its silence means "not read yet",
 * not "nothing happened", so the watermark must not move it by wall time (a window would close on data
 * that exists). Sources without a backlog (HTTP push) are never behind.
 */
@org.springframework.stereotype.Component
public class SourceClocks {

    public record Reading(long newestEventTime, long lastSeenWall) {
    }

    private final Map<String, Reading> readings = new ConcurrentHashMap<>();
    private final Set<String> behind = ConcurrentHashMap.newKeySet();
    private final Set<String> caughtUp = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> provenUpTo = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> holds = new ConcurrentHashMap<>();

    /**
     * Something that will publish a fact of event time {@code eventTime} to the task later (a pending lookup's answer)
     * holds the task's clock there until {@link #release}, so that a window waiting for that fact does not close first.
     */
    public void hold(String task, String holder, long eventTime) {
        holds.computeIfAbsent(task, t -> new ConcurrentHashMap<>()).put(holder, eventTime);
    }

    public void release(String task, String holder) {
        Map<String, Long> of = holds.get(task);
        if (of != null) {
            of.remove(holder);
        }
    }

    /** The earliest event time a holder of the task waits to publish, or Long.MAX_VALUE. */
    public long heldAt(String task) {
        Map<String, Long> of = holds.get(task);
        return of == null ? Long.MAX_VALUE : of.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
    }

    public void saw(String source, long eventTime) {
        long now = System.currentTimeMillis();
        readings.merge(source, new Reading(eventTime, now),
                (old, fresh) -> new Reading(Math.max(old.newestEventTime(), eventTime), now));
    }

    /** The source's adapter starts reading from a stored position: it is behind until {@link #caughtUp}. */
    public void catchingUp(String source) {
        caughtUp.remove(source);
        behind.add(source);
    }

    /** The source's adapter has delivered everything committed before it started. */
    public void caughtUp(String source) {
        behind.remove(source);
        caughtUp.add(source);
    }

    /**
     * The source has delivered everything committed before {@code wallTime} (a CDC marker came back): while it is
     * silent, the watermark uses this proven time instead of wall time, because a stream that lags is not idle.
     * {@code Long.MAX_VALUE} when no proof is possible (then wall time stands in).
     */
    public void caughtUpTo(String source, long wallTime) {
        provenUpTo.merge(source, wallTime, Math::max);
        caughtUp(source);
    }

    /** What stands in for a caught-up source while it is silent: wall time, or less where only less is proven. */
    public long silentStandIn(String source, long wallNow) {
        return Math.min(wallNow, provenUpTo.getOrDefault(source, Long.MAX_VALUE));
    }

    /**
     * Whether wall time may stand in for the source while it is silent. A source that has not told
     * yet ({@code kind} TABLE or TOPIC, adapter not started) counts as behind.
     */
    public boolean isCaughtUp(String source, SourceBinding.Kind kind) {
        if (behind.contains(source)) {
            return false;
        }
        return kind == SourceBinding.Kind.HTTP || kind == null || caughtUp.contains(source);
    }

    /** null while the source has delivered nothing. */
    public Reading reading(String source) {
        return readings.get(source);
    }
}
