package io.recon.bench;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where a baseline stores its findings: a table of the mismatch table's shape (columns, identity
 * constraint, indexes), written idempotently per (task, key, type) in one batch per call as the
 * sessions write theirs.
 */
final class FindingTable {

    /** One finding: a mismatch of {@code type} for correlation key {@code key}. */
    record Finding(String key, String type, String reason, String snapshotJson, long eventTime) {
    }

    private final JdbcTemplate jdbc;
    private final String table;

    FindingTable(JdbcTemplate jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
        jdbc.execute("drop table if exists " + table);
        jdbc.execute("create table " + table + " (like mismatch including all)");
    }

    void store(List<Finding> findings) {
        if (findings.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.batchUpdate("insert into " + table + " (task, correlation_key, type, status, severity, rule_name, rules_version, reason,"
                        + " snapshot, first_seen, last_seen, detected_at_event_time) values ('trade', ?, ?, 'OPEN', 'P2', ?, 'baseline', ?,"
                        + " cast(? as jsonb), ?, ?, ?) on conflict (task, correlation_key, type) do nothing", findings, 500,
                (ps, f) -> {
                    ps.setString(1, f.key());
                    ps.setString(2, f.type());
                    ps.setString(3, f.type() + " check");
                    ps.setString(4, f.reason());
                    ps.setString(5, f.snapshotJson());
                    ps.setTimestamp(6, now);
                    ps.setTimestamp(7, now);
                    ps.setTimestamp(8, new Timestamp(f.eventTime()));
                });
    }

    long count(String type) {
        return jdbc.queryForObject("select count(*) from " + table + " where type = ?", Long.class, type);
    }
}
