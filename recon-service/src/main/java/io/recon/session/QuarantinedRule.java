package io.recon.session;

import java.time.Instant;

/** A quarantined rule as operators see it: since when, the last fault in words, and how many faults it had. */
public record QuarantinedRule(String task, String rule, Instant since, String reason, long faults) {
}
