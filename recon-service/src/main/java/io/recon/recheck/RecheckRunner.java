package io.recon.recheck;

import io.recon.action.MismatchActions;
import io.recon.mismatch.MismatchLifecycle;
import io.recon.mismatch.MismatchStatus;
import io.recon.mismatch.OpenedMismatch;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs due second checks: one thread claims them, {@code recon.recheck.threads} run them side by side (a lookup
 * mostly waits on the target, and one at a time could not reach a target's rate). The lookup runs outside any transaction; its outcome is
 * applied in one that locks the mismatch: still OPEN and still wrong → CONFIRMED and alerted; still
 * OPEN and no longer wrong → AUTO_RESOLVED; changed meanwhile (healed, handled) → left alone. A
 * failing lookup is retried on {@code recon.recheck.retry-schedule}, then the mismatch is confirmed
 * with the failure noted: an unverifiable mismatch must still reach people.
 */
@Component
class RecheckRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RecheckRunner.class);
    static final String ACTOR = "recheck";
    private static final JsonMapper FACTS = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final RecheckProperties config;
    private final LookupTargets lookups;
    private final MismatchActions actions;
    private final MismatchLifecycle lifecycle;
    private volatile boolean running;
    private Thread thread;
    private ExecutorService workers;

    RecheckRunner(JdbcTemplate jdbc, TransactionTemplate tx, RecheckProperties config, LookupTargets lookups, MismatchActions actions,
                  MismatchLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.jdbc = jdbc;
        this.tx = tx;
        this.config = config;
        this.lookups = lookups;
        this.actions = actions;
    }

    private record Due(long mismatchId, String checkName, int attempts, String key, String facts) {
    }

    @Override
    public void start() {
        if (config.checks().isEmpty()) {
            return;
        }
        running = true;
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "recon-recheck-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        thread = new Thread(this::run, "recon-recheck");
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (workers != null) {
            workers.shutdownNow();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private void run() {
        while (running) {
            try {
                List<Due> due = claimDue();
                List<Future<?>> checks = new ArrayList<>();
                for (Due d : due) {
                    checks.add(workers.submit(() -> {
                        check(d);
                        return null;
                    }));
                }
                for (Future<?> f : checks) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        // left leased: it is claimed again when the lease ends
                        log.warn("second checks: one check failed, retrying later: {}", e.getCause().toString());
                    }
                }
                if (due.isEmpty()) {
                    Thread.sleep(config.poll().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("second checks: round failed, retrying: {}", e.toString());
                try {
                    Thread.sleep(config.poll().toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Leases due checks for a minute, so that a crash in the middle only delays them. */
    private List<Due> claimDue() {
        return jdbc.query("""
                update recheck r set due_at = now() + interval '1 minute', attempts = r.attempts + 1, updated_at = now()
                from (select mismatch_id from recheck where status = 'PENDING' and due_at <= now() order by due_at limit 50
                      for update skip locked) d, mismatch m
                where r.mismatch_id = d.mismatch_id and m.id = r.mismatch_id
                returning r.mismatch_id, r.check_name, r.attempts, m.correlation_key, m.snapshot::text""",
                (rs, n) -> new Due(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5)));
    }

    private void check(Due due) throws InterruptedException {
        RecheckProperties.Check check = config.checks().get(due.checkName());
        if (check == null) {
            finish(due, "SKIPPED", "check '" + due.checkName() + "' is no longer configured", null);
            return;
        }
        LookupTargets.Outcome found;
        try {
            found = lookups.lookup(due.checkName(), check, due.key(), facts(due));
        } catch (RuntimeException e) {
            String error = rootMessage(e);
            if (due.attempts() <= config.retrySchedule().size()) {
                Duration wait = config.retrySchedule().get(due.attempts() - 1);
                jdbc.update("update recheck set due_at = ?, last_error = ?, updated_at = now() where mismatch_id = ?",
                        Timestamp.from(Instant.now().plus(wait)), error, due.mismatchId());
                log.info("second check '{}' of mismatch {} failed (attempt {}): {}; next in {} ms", due.checkName(), due.mismatchId(),
                        due.attempts(), error, wait.toMillis());
            } else {
                finish(due, "CONFIRMED", "second check '" + due.checkName() + "' failed " + due.attempts() + " times (last: " + error
                        + "); confirmed without it", error);
            }
            return;
        }
        boolean holds = found.holds();
        String on = check.kind() == RecheckProperties.Kind.SQL ? "database " + check.database() : check.target();
        String evidence = "second check '" + due.checkName() + "' on " + on + " at " + Instant.now()
                + (found.detail() == null ? "" : ", " + found.detail())
                + (holds ? ": the source's current state still shows the mismatch" : ": the source's current state no longer shows the mismatch");
        finish(due, holds ? "CONFIRMED" : "AUTO_RESOLVED", evidence, null);
    }

    private static JsonNode facts(Due due) {
        try {
            return due.facts() == null ? null : FACTS.readTree(due.facts());
        } catch (RuntimeException e) {
            return null; // a check that needs a fact field says the field is missing
        }
    }

    private void finish(Due due, String outcome, String evidence, String error) {
        tx.executeWithoutResult(s -> {
            MismatchStatus status = lifecycle.lock(due.mismatchId()).orElse(null);
            String applied = outcome;
            if (status == MismatchStatus.REPAIRING && !"SKIPPED".equals(outcome)) {
                // the check after a repair: did it work?
                applied = "CONFIRMED".equals(outcome) ? "REPAIR_FAILED" : "AUTO_RESOLVED";
                lifecycle.move(due.mismatchId(), status, MismatchStatus.valueOf(applied), ACTOR, "after the repair, " + evidence);
            } else if (status != MismatchStatus.OPEN || "SKIPPED".equals(outcome)) {
                applied = "SKIPPED";
            } else if ("CONFIRMED".equals(outcome)) {
                lifecycle.move(due.mismatchId(), status, MismatchStatus.CONFIRMED, ACTOR, evidence);
                actions.actOn(opened(due.mismatchId()));
            } else {
                lifecycle.move(due.mismatchId(), status, MismatchStatus.AUTO_RESOLVED, ACTOR, evidence);
            }
            jdbc.update("update recheck set status = 'DONE', outcome = ?, evidence = ?, last_error = ?, updated_at = now() where mismatch_id = ?",
                    applied, "SKIPPED".equals(applied) && !"SKIPPED".equals(outcome) ? "mismatch was already " + status : evidence,
                    error, due.mismatchId());
        });
    }

    private OpenedMismatch opened(long id) {
        return jdbc.queryForObject("""
                select task, correlation_key, type, severity, reason, rule_name, first_seen,
                       (select count(*) from mismatch_history h where h.mismatch_id = m.id and h.to_status = 'OPEN'
                          and h.from_status is distinct from 'OPEN')
                from mismatch m where id = ?""",
                (rs, n) -> new OpenedMismatch(id, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getInt(8)), id);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
