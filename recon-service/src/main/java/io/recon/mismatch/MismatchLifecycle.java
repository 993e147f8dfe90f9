package io.recon.mismatch;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The one way a mismatch's status changes outside the sessions' store: case handlers, second checks and repairs all
 * lock the row, then move it here, so every change stamps {@code resolved_at} the same way and leaves one history
 * row under its actor. Callers run inside their own transaction (the lock lasts until it commits).
 */
@Component
public class MismatchLifecycle {

    /** Statuses that end a case: they carry the time it ended. */
    private static final Set<MismatchStatus> CLOSED = EnumSet.of(MismatchStatus.RESOLVED, MismatchStatus.IGNORED, MismatchStatus.AUTO_RESOLVED);

    private final JdbcTemplate jdbc;

    public MismatchLifecycle(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks the mismatch for the caller's transaction; @return its status, empty for an unknown id. */
    public Optional<MismatchStatus> lock(long id) {
        return jdbc.query("select status from mismatch where id = ? for update", (rs, n) -> MismatchStatus.valueOf(rs.getString(1)), id)
                .stream().findFirst();
    }

    /**
     * Moves a locked mismatch from {@code from} to {@code to} and records it; with {@code from == to} only the note is
     * recorded (an assignment, a repair's outcome on a mismatch that healed meanwhile).
     */
    public void move(long id, MismatchStatus from, MismatchStatus to, String actor, String note) {
        if (from != to) {
            jdbc.update("update mismatch set status = ?, resolved_at = case when ? then now() end where id = ?",
                    to.name(), CLOSED.contains(to), id);
        }
        jdbc.update("insert into mismatch_history (mismatch_id, from_status, to_status, actor, note) values (?, ?, ?, ?, ?)",
                id, from.name(), to.name(), actor, note);
    }
}
