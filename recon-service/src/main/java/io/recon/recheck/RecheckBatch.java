package io.recon.recheck;

import io.recon.mismatch.QueueBatchAction;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Re-check over the queue's filter: plans each mismatch's second check for now, as the single
 * {@code POST /api/mismatches/{id}/recheck} does. The lookups then run on the recheck runner at the
 * target's {@code rate} (lookups per second, shared by its checks), so a batch of thousands does not
 * flood the source database or service: 10,000 at the default 20/s take about eight minutes.
 */
@Component
class RecheckBatch implements QueueBatchAction {

    private final RecheckProperties config;
    private final RecheckScheduler scheduler;

    RecheckBatch(RecheckProperties config, RecheckScheduler scheduler) {
        this.config = config;
        this.scheduler = scheduler;
    }

    @Override
    public String verb() {
        return "recheck";
    }

    @Override
    public String refusal(Candidate m) {
        if (config.checkFor(m.task(), m.type()).isEmpty()) {
            return noCheck(m.task(), m.type());
        }
        return "OPEN".equals(m.status()) ? null : notOpen(m.id(), m.status());
    }

    @Override
    public String apply(Candidate m, String actor) {
        String refusal = refusal(m);
        if (refusal == null) {
            // a mismatch closed meanwhile is left alone by the runner (SKIPPED), as after a single re-check
            scheduler.schedule(m.id(), config.checkFor(m.task(), m.type()).orElseThrow().getKey(), Instant.now());
        }
        return refusal;
    }

    static String noCheck(String task, String type) {
        return "no second check is configured for task " + task + " and type " + type + " (recon.recheck.checks)";
    }

    static String notOpen(long id, String status) {
        return "cannot recheck mismatch " + id + ": it is " + status + "; a second check decides only OPEN mismatches";
    }
}
