package io.recon.session;

import java.time.Instant;
import java.util.Map;

/** What an operator sees of one session. */
public record SessionView(String task, int partition, String state, String rulesVersion,
                          Map<String, Long> liveFactsByType, long rulesFired, Instant watermark,
                          long queueDepth, Instant lastEventTime, long nextOffset, Instant lastCheckpoint,
                          int openMismatchesInSession, String lastError) {
}
