package io.recon.mismatch;

import java.time.Instant;

/**
 * A mismatch that has just been opened (first detection, or detected again after it healed), as the
 * alerting side needs it.
 *
 * @param occurrence how many times this mismatch has been opened, this time included (1 for a new one)
 */
public record OpenedMismatch(long id, String task, String key, String type, String severity, String reason, String rule,
                             Instant firstSeen, int occurrence) {
}
