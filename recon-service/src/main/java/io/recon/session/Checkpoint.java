package io.recon.session;

/**
 * Where a session stands in its partition, stored in the same transaction as the mismatches it produced.
 *
 * @param nextOffset  the first record whose effects are not stored yet
 * @param replayFrom  a watermark record far enough back that replaying from it rebuilds every live fact and timer
 * @param clock       the session's event-time clock at nextOffset
 * @param rulesVersion the kjar version the session ran
 */
public record Checkpoint(long nextOffset, long replayFrom, long clock, String rulesVersion) {
}
