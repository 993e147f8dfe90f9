package io.recon.mismatch;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Case handlers' actions on mismatches. Each action on one mismatch is its own transaction that locks
 * the row, so a session healing the same mismatch at the same moment cannot interleave with it; every
 * status change and every assignment goes to the append-only history under the handler's name.
 */
@Component
class CaseWorkflow {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final MismatchQueries queries;
    private final BatchLimit limit;
    private final MismatchLifecycle lifecycle;

    CaseWorkflow(JdbcTemplate jdbc, TransactionTemplate tx, MismatchQueries queries, BatchLimit limit, MismatchLifecycle lifecycle) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.queries = queries;
        this.limit = limit;
        this.lifecycle = lifecycle;
    }

    record Outcome(long id, MismatchStatus from, MismatchStatus to) {
    }

    record Refusal(long id, String reason) {
    }

    record BatchOutcome(String action, int matched, int applied, List<Refusal> refused) {
    }

    Outcome apply(long id, CaseAction action, CaseRequest request, String actor) {
        request.validateFor(action);
        return tx.execute(status -> {
            MismatchStatus from = lifecycle.lock(id).orElseThrow(() -> new CaseRefused(CaseRefused.Kind.NOT_FOUND, "no mismatch " + id));
            if (!action.allowedFrom.contains(from)) {
                throw new CaseRefused(CaseRefused.Kind.CONFLICT, "cannot " + action.verb() + " mismatch " + id + ": it is " + from
                        + "; " + action.verb() + " is allowed only while it is one of " + action.allowedFrom);
            }
            switch (action) {
                case ASSIGN -> assign(id, from, request, actor);
                case COMMENT -> jdbc.update("insert into case_note (mismatch_id, author, body) values (?, ?, ?)", id, actor, request.text());
                case RESOLVE -> close(id, from, MismatchStatus.RESOLVED, actor, CaseRequest.blank(request.note()) ? "resolved by hand" : request.note());
                case IGNORE -> close(id, from, MismatchStatus.IGNORED, actor, request.reason());
            }
            return new Outcome(id, from, action.target == null ? from : action.target);
        });
    }

    /** Applies the action to every mismatch the filter matches; what cannot be done is listed, the rest is done. */
    BatchOutcome applyAll(MismatchQueries.Filter filter, CaseAction action, CaseRequest request, String actor) {
        request.validateFor(action);
        List<Long> ids = queries.ids(filter, limit.limit() + 1);
        if (ids.size() > limit.limit()) {
            throw limit.exceeded(action.verb(), filter);
        }
        int applied = 0;
        List<Refusal> refused = new ArrayList<>();
        for (long id : ids) {
            try {
                apply(id, action, request, actor);
                applied++;
            } catch (CaseRefused e) {
                refused.add(new Refusal(id, e.getMessage()));
            }
        }
        return new BatchOutcome(action.verb(), ids.size(), applied, refused);
    }

    private void assign(long id, MismatchStatus status, CaseRequest request, String actor) {
        boolean toUser = !CaseRequest.blank(request.user());
        String assignee = (toUser ? request.user() : request.group()).strip();
        String kind = toUser ? "USER" : "GROUP";
        jdbc.update("update mismatch set assignee = ?, assignee_kind = ? where id = ?", assignee, kind, id);
        lifecycle.move(id, status, status, actor, "assigned to " + kind.toLowerCase(java.util.Locale.ROOT) + " '" + assignee + "'");
    }

    private void close(long id, MismatchStatus from, MismatchStatus to, String actor, String note) {
        lifecycle.move(id, from, to, actor, note);
    }
}
