package io.recon.action;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** An action claimed for delivery: what to send, where, and the key the receiver de-duplicates on. */
record PendingAction(long id, String idempotencyKey, String kind, String task, Long mismatchId, String channel, String severity,
                     JsonNode payload, int folded, int attempt, Instant createdAt) {

    /** How many mismatches this action stands for: one for an alert, the held count for a summary or digest. */
    int count() {
        return payload.has("count") ? payload.get("count").asInt() : 1;
    }
}
