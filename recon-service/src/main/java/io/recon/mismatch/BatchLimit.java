package io.recon.mismatch;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * {@code recon.queue.batch-limit} (10,000): how many mismatches one batch request may act on, for the
 * case actions and for re-check and repair alike; above it the request is refused with the count.
 */
@Component
class BatchLimit {

    private final MismatchQueries queries;
    private final int limit;

    BatchLimit(MismatchQueries queries, @Value("${recon.queue.batch-limit:10000}") int limit) {
        this.queries = queries;
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /** The refusal of a batch over a filter that matches more than the limit, with the exact count. */
    CaseRefused exceeded(String verb, MismatchQueries.Filter filter) {
        return new CaseRefused(CaseRefused.Kind.BAD_REQUEST, "the filter matches " + queries.count(filter) + " mismatches; a batch " + verb
                + " acts on at most " + limit + " at a time: narrow the filter (task, type, status, key, from, to) and repeat");
    }
}
