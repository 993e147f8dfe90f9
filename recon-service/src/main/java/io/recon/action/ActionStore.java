package io.recon.action;

import io.recon.mismatch.MismatchLifecycle;
import io.recon.mismatch.MismatchStatus;
import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The outbox table as the dispatcher uses it: claim due actions under a lease, record each attempt and its outcome. */
@Component
class ActionStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final MismatchLifecycle lifecycle;
    private final JsonMapper json = JsonMapper.builder().build();

    ActionStore(JdbcTemplate jdbc, TransactionTemplate tx, MismatchLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Takes up to {@code limit} due actions; other dispatchers skip them until the lease runs out. */
    List<PendingAction> claimDue(int limit, Duration lease) {
        return jdbc.query("""
                update action a set attempts = a.attempts + 1, next_attempt_at = now() + make_interval(secs => ?)
                from (select id from action where status = 'PENDING' and next_attempt_at <= now()
                      order by next_attempt_at, id limit ? for update skip locked) due
                where a.id = due.id
                returning a.id, a.idempotency_key, a.kind, a.task, a.mismatch_id, a.channel, a.severity, a.payload::text,
                          a.folded, a.attempts, a.created_at""",
                (rs, n) -> new PendingAction(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5) == null ? null : rs.getLong(5), rs.getString(6), rs.getString(7), json.readTree(rs.getString(8)),
                        rs.getInt(9), rs.getInt(10), rs.getTimestamp(11).toInstant()),
                lease.toMillis() / 1000.0, limit);
    }

    record Delivered(PendingAction action, String answer, int millis) {
    }

    /** Marks a round's delivered actions done, with their attempts, in one transaction. */
    void deliveredAll(List<Delivered> delivered) {
        if (delivered.isEmpty()) {
            return;
        }
        tx.executeWithoutResult(s -> {
            jdbc.batchUpdate("insert into action_attempt (action_id, ok, detail, duration_ms) values (?, true, ?, ?)",
                    delivered.stream().map(d -> new Object[] {d.action().id(), d.answer(), d.millis()}).toList());
            jdbc.batchUpdate("update action set status = 'DONE', done_at = now(), last_error = null where id = ?",
                    delivered.stream().map(d -> new Object[] {d.action().id()}).toList());
        });
    }

    void delivered(PendingAction action, String answer, int millis) {
        tx.executeWithoutResult(s -> {
            attempt(action, true, answer, millis);
            jdbc.update("update action set status = 'DONE', done_at = now(), last_error = null where id = ?", action.id());
            if ("REPAIR".equals(action.kind())) {
                repairHistory(action, "REPAIRING", "repair '" + action.channel() + "' delivered: " + answer);
            }
        });
    }

    void failed(PendingAction action, String reason, int millis, boolean giveUp, Duration wait) {
        tx.executeWithoutResult(s -> {
            attempt(action, false, reason, millis);
            if (giveUp) {
                jdbc.update("update action set status = 'FAILED', last_error = ? where id = ?", reason, action.id());
                if ("REPAIR".equals(action.kind())) {
                    repairHistory(action, "REPAIR_FAILED", "repair '" + action.channel() + "' failed after " + action.attempt()
                            + " attempts: " + reason);
                }
            } else {
                jdbc.update("update action set next_attempt_at = now() + make_interval(secs => ?), last_error = ? where id = ?",
                        wait.toMillis() / 1000.0, reason, action.id());
            }
        });
    }

    /**
     * Records a repair's outcome in the mismatch's history. Only a mismatch still REPAIRING moves (to
     * {@code to}); one healed or closed meanwhile keeps its status and gets the note.
     */
    private void repairHistory(PendingAction action, String to, String note) {
        MismatchStatus status = lifecycle.lock(action.mismatchId()).orElse(null);
        if (status == null) {
            return;
        }
        MismatchStatus next = status == MismatchStatus.REPAIRING ? MismatchStatus.valueOf(to) : status;
        lifecycle.move(action.mismatchId(), status, next, "repair", note);
    }

    private void attempt(PendingAction action, boolean ok, String detail, int millis) {
        jdbc.update("insert into action_attempt (action_id, ok, detail, duration_ms) values (?, ?, ?, ?)", action.id(), ok, detail, millis);
    }
}
