package io.recon.mismatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a {@link QueueBatchAction} over the mismatches a filter selects: each mismatch in its own
 * transaction (no lock held across the batch), at most {@link BatchLimit} per request, so
 * that one request neither runs for minutes nor queues more work for the source systems than a person
 * meant. A dry run answers how many would be done, for the confirmation that states the count.
 */
@Component
class QueueBatches {

    private static final Logger log = LoggerFactory.getLogger(QueueBatches.class);

    /** Refusals listed in an answer; the count of all of them is given beside. */
    static final int LISTED_REFUSALS = 100;

    private final MismatchQueries queries;
    private final Map<String, QueueBatchAction> actions;
    private final BatchLimit limit;

    QueueBatches(MismatchQueries queries, List<QueueBatchAction> actions, BatchLimit limit) {
        this.queries = queries;
        this.actions = actions.stream().collect(Collectors.toUnmodifiableMap(QueueBatchAction::verb, Function.identity()));
        this.limit = limit;
    }

    /**
     * @param matched  how many mismatches the filter selects
     * @param applied  how many were done (in a dry run: would be)
     * @param refused  the first {@link #LISTED_REFUSALS} refusals
     */
    record Outcome(String action, boolean dryRun, long matched, int applied, int refusedCount, List<CaseWorkflow.Refusal> refused, int limit) {
    }

    Outcome run(String verb, MismatchQueries.Filter filter, boolean dryRun, String actor) {
        QueueBatchAction action = actions.get(verb);
        if (action == null) {
            throw new CaseRefused(CaseRefused.Kind.BAD_REQUEST, "unknown batch action '" + verb + "'; use one of " + actions.keySet().stream().sorted().toList());
        }
        List<QueueBatchAction.Candidate> candidates = queries.candidates(filter, limit.limit() + 1);
        if (candidates.size() > limit.limit()) {
            if (dryRun) {
                return new Outcome(verb, true, queries.count(filter), 0, 0, List.of(), limit.limit());
            }
            throw limit.exceeded(verb, filter);
        }
        int applied = 0;
        int refusedCount = 0;
        List<CaseWorkflow.Refusal> refused = new ArrayList<>();
        for (QueueBatchAction.Candidate c : candidates) {
            String refusal = dryRun ? action.refusal(c) : action.apply(c, actor);
            if (refusal == null) {
                applied++;
            } else {
                refusedCount++;
                if (refused.size() < LISTED_REFUSALS) {
                    refused.add(new CaseWorkflow.Refusal(c.id(), refusal));
                }
            }
        }
        if (!dryRun) {
            log.info("batch {} by {} over {}: {} of {} started, {} refused", verb, actor, filter, applied, candidates.size(), refusedCount);
        }
        return new Outcome(verb, dryRun, candidates.size(), applied, refusedCount, refused, limit.limit());
    }
}
