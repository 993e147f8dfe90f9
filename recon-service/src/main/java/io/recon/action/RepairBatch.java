package io.recon.action;

import io.recon.mismatch.QueueBatchAction;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Repair over the queue's filter: each mismatch as {@code POST /api/mismatches/{id}/repair} does it, in
 * its own transaction: a REPAIR action in the outbox under an idempotency key, the mismatch REPAIRING,
 * the history under the handler's name. A mismatch already REPAIRING is refused, so a repeated batch
 * sends nothing twice; the outbox delivers on its small pool, at its own pace.
 */
@Component
class RepairBatch implements QueueBatchAction {

    private final RepairPlanner planner;
    private final TransactionTemplate tx;

    RepairBatch(RepairPlanner planner, TransactionTemplate tx) {
        this.planner = planner;
        this.tx = tx;
    }

    @Override
    public String verb() {
        return "repair";
    }

    @Override
    public String refusal(Candidate m) {
        return planner.refusal(m.id(), m.task(), m.type(), m.status());
    }

    @Override
    public String apply(Candidate m, String actor) {
        // the cheap refusal first: a batch over closed cases costs no transaction per row
        String refusal = refusal(m);
        return refusal != null ? refusal : tx.execute(s -> planner.planNow(m.id(), actor));
    }
}
