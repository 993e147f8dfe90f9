package io.recon.source;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Per source: the newest event time routed so far and when (wall time) the source last delivered. */
@org.springframework.stereotype.Component
public class SourceClocks {

    public record Reading(long newestEventTime, long lastSeenWall) {
    }

    private final Map<String, Reading> readings = new ConcurrentHashMap<>();

    public void saw(String source, long eventTime) {
        long now = System.currentTimeMillis();
        readings.merge(source, new Reading(eventTime, now),
                (old, fresh) -> new Reading(Math.max(old.newestEventTime(), eventTime), now));
    }

    /** null while the source has delivered nothing. */
    public Reading reading(String source) {
        return readings.get(source);
    }
}
