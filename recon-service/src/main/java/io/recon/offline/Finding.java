package io.recon.offline;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A mismatch a run found (or, in a comparison, one only the live path reported), with the facts involved.
 *
 * @param liveId     the live mismatch's id, for one only the live path reported; null for a run's finding
 * @param status     the live mismatch's status; null for a run's finding
 * @param detectedAt the event time at which it was detected: it decides which period a finding belongs to
 */
public record Finding(String key, String type, String severity, String rule, String reason, List<Map<String, Object>> facts,
                      Instant detectedAt, Long liveId, String status) {

    String identity() {
        return key + " " + type;
    }
}
