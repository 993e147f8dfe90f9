package io.recon.session;

import java.time.Instant;
import java.util.Map;

/**
 * What an operator sees of one session.
 *
 * @param state       STARTING, REPLAYING, RUNNING, PAUSED, or after a failure RESTARTING (waiting for {@code nextAttempt})
 * @param lastError   the last failure in words (kept after a recovery, for the record)
 * @param restarts    how often the supervisor restarted this session since the service started
 * @param nextAttempt when a RESTARTING session is started again
 */
public record SessionView(String task, int partition, String state, String rulesVersion,
                          Map<String, Long> liveFactsByType, long rulesFired, Instant watermark,
                          long queueDepth, Instant lastEventTime, long nextOffset, Instant lastCheckpoint,
                          int openMismatchesInSession, String lastError, int restarts, Instant nextAttempt) {

    /** A session's own view, before its supervisor adds restarts. */
    public SessionView(String task, int partition, String state, String rulesVersion,
                       Map<String, Long> liveFactsByType, long rulesFired, Instant watermark,
                       long queueDepth, Instant lastEventTime, long nextOffset, Instant lastCheckpoint,
                       int openMismatchesInSession, String lastError) {
        this(task, partition, state, rulesVersion, liveFactsByType, rulesFired, watermark, queueDepth, lastEventTime, nextOffset,
                lastCheckpoint, openMismatchesInSession, lastError, 0, null);
    }

    SessionView supervised(String supervisedState, String error, int restartCount, Instant next) {
        return new SessionView(task, partition, supervisedState, rulesVersion, liveFactsByType, rulesFired, watermark, queueDepth,
                lastEventTime, nextOffset, lastCheckpoint, openMismatchesInSession, error, restartCount, next);
    }

    /** The session is not finding mismatches because it failed. */
    public boolean failing() {
        return "RESTARTING".equals(state) || "FAILED".equals(state);
    }
}
