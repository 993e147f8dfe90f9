package io.recon.mismatch;

import io.recon.rules.Mismatch;
import java.util.List;
import java.util.Map;

/**
 * What a session concluded about a mismatch while it processed one batch.
 *
 * @param kind           DETECTED (a rule inserted it) or HEALED (later data withdrew it)
 * @param mismatch       the finding, with its evidence
 * @param rule           the rule that inserted it (null for HEALED)
 * @param sessionTime    the session's event-time clock when it happened
 * @param lastCommitTime latest source commit time among the evidence, for commit-to-mismatch latency (0 if unknown)
 * @param evidence       the facts involved as a case handler sees them: fact type and field values
 */
public record MismatchChange(Kind kind, Mismatch mismatch, String rule, long sessionTime, long lastCommitTime,
                             List<Map<String, Object>> evidence) {

    public enum Kind { DETECTED, HEALED, WITHDRAWN }
}
