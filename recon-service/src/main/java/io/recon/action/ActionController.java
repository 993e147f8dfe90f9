package io.recon.action;

import io.recon.system.security.TaskScope;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/actions}: the outbox and every delivery attempt, for whoever asks why an alert did or did not arrive. */
@RestController
class ActionController {

    private static final Set<String> STATUSES = Set.of("PENDING", "DONE", "FAILED");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate snapshot;

    ActionController(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        // One snapshot for the count, the actions and their attempts: read in separate snapshots, a delivery committing in
        // between showed an action still PENDING next to its successful attempt.
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    record Attempt(Instant at, boolean ok, String detail, int durationMs) {
    }

    record Item(long id, String idempotencyKey, String kind, String task, Long mismatchId, String channel, String severity,
                String status, int attempts, int folded, Instant createdAt, Instant doneAt, String lastError, List<Attempt> attemptLog) {
    }

    record Page(List<Item> items, long total) {
    }

    @GetMapping("/api/actions")
    ResponseEntity<?> list(@RequestParam(required = false) String task, @RequestParam(required = false) String status,
                           @RequestParam(required = false) Long mismatchId, @RequestParam(required = false) String kind,
                           @RequestParam(defaultValue = "100") int size) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" where true");
        if (task != null) {
            where.append(" and task = ?");
            args.add(task);
        }
        List<String> scope = TaskScope.current().tasksOrNull();
        if (scope != null) {
            where.append(" and task = any(?)");
            args.add(scope.toArray(String[]::new));
        }
        if (status != null) {
            String wanted = status.toUpperCase(Locale.ROOT);
            if (!STATUSES.contains(wanted)) {
                return ResponseEntity.badRequest().body(Map.of("error", "unknown status '" + status + "'; use one of " + STATUSES));
            }
            where.append(" and status = ?");
            args.add(wanted);
        }
        if (mismatchId != null) {
            where.append(" and mismatch_id = ?");
            args.add(mismatchId);
        }
        if (kind != null) {
            where.append(" and kind = ?");
            args.add(kind.toUpperCase(Locale.ROOT));
        }
        return ResponseEntity.ok(snapshot.execute(tx -> page(where.toString(), args, size)));
    }

    private Page page(String where, List<Object> args, int size) {
        long total = jdbc.queryForObject("select count(*) from action" + where, Long.class, args.toArray());
        args.add(Math.max(1, Math.min(size, 1000)));
        List<Item> items = jdbc.query("""
                select id, idempotency_key, kind, task, mismatch_id, channel, severity, status, attempts, folded, created_at, done_at, last_error
                from action""" + where + " order by id desc limit ?", (rs, n) -> new Item(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getObject(5) == null ? null : rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getInt(9), rs.getInt(10), instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)), rs.getString(13),
                attempts(rs.getLong(1))), args.toArray());
        return new Page(items, total);
    }

    private List<Attempt> attempts(long id) {
        return jdbc.query("select at, ok, detail, duration_ms from action_attempt where action_id = ? order by id",
                (rs, n) -> new Attempt(instant(rs.getTimestamp(1)), rs.getBoolean(2), rs.getString(3), rs.getInt(4)), id);
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
