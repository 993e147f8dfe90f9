package io.recon.recheck;

import io.recon.action.AlertDeferral;
import io.recon.mismatch.MismatchOpenedListener;
import io.recon.mismatch.OpenedMismatch;
import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Schedules the second check of a mismatch that opens, in the transaction that opens it, and holds
 * its alert back until the check has confirmed it.
 */
@Component
class RecheckScheduler implements MismatchOpenedListener, AlertDeferral {

    private final JdbcTemplate jdbc;
    private final RecheckProperties config;

    RecheckScheduler(JdbcTemplate jdbc, RecheckProperties config) {
        this.jdbc = jdbc;
        this.config = config;
    }

    @Override
    public boolean defers(OpenedMismatch m) {
        return config.checkFor(m.task(), m.type()).isPresent();
    }

    @Override
    public void opened(OpenedMismatch m) {
        config.checkFor(m.task(), m.type()).ifPresent(check -> schedule(m.id(), check.getKey(),
                Instant.now().plus(check.getValue().delay())));
    }

    /** After a repair was delivered, check at once whether it worked (when the task and type have a check). */
    @org.springframework.context.event.EventListener
    void repairDelivered(io.recon.action.RepairDelivered delivered) {
        jdbc.query("select task, type from mismatch where id = ?", rs -> {
            config.checkFor(rs.getString(1), rs.getString(2)).ifPresent(check -> schedule(delivered.mismatchId(), check.getKey(), Instant.now()));
        }, delivered.mismatchId());
    }

    /** Plans (or re-plans) the check of a mismatch; a reopened mismatch is checked again. */
    void schedule(long mismatchId, String checkName, Instant due) {
        jdbc.update("""
                insert into recheck (mismatch_id, check_name, due_at) values (?, ?, ?)
                on conflict (mismatch_id) do update set check_name = excluded.check_name, status = 'PENDING', due_at = excluded.due_at,
                    attempts = 0, outcome = null, evidence = null, last_error = null, updated_at = now()""",
                mismatchId, checkName, Timestamp.from(due));
    }
}
