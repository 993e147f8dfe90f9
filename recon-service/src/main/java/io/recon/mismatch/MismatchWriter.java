package io.recon.mismatch;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores what sessions conclude, idempotently: a finding is one row per (task, key, type) however
 * often it is detected; a healed finding becomes AUTO_RESOLVED, and a healed finding detected again
 * is reopened. Every status change goes to the history. Runs inside the caller's transaction, which
 * also holds the session checkpoint.
 */
@Component
public class MismatchWriter {

    private static final String ACTOR = "rules";

    private final JdbcTemplate jdbc;
    private final List<MismatchOpenedListener> listeners;
    private final JsonMapper json = JsonMapper.builder().build();

    MismatchWriter(JdbcTemplate jdbc, org.springframework.beans.factory.ObjectProvider<MismatchOpenedListener> listeners) {
        this.jdbc = jdbc;
        this.listeners = listeners.orderedStream().toList();
    }

    /** @return the changes that opened a mismatch (new or reopened), for metrics and alerts */
    public List<MismatchChange> apply(String task, int partition, String rulesVersion, List<MismatchChange> changes) {
        List<MismatchChange> opened = new ArrayList<>();
        for (MismatchChange change : changes) {
            boolean opens = switch (change.kind()) {
                case DETECTED -> detected(task, partition, rulesVersion, change);
                case HEALED -> healed(task, change, "healed: the rule no longer holds for the current data");
                case WITHDRAWN -> healed(task, change, "withdrawn: rules version " + rulesVersion + " no longer finds it on the same facts");
            };
            if (opens) {
                opened.add(change);
            }
        }
        return opened;
    }

    private boolean detected(String task, int partition, String rulesVersion, MismatchChange change) {
        var m = change.mismatch();
        String snapshot = json.writeValueAsString(change.evidence());
        Timestamp eventTime = Timestamp.from(Instant.ofEpochMilli(change.sessionTime()));
        List<Row> existing = find(task, m.getKey(), m.getType());
        if (existing.isEmpty()) {
            Long id = jdbc.queryForObject("""
                    insert into mismatch (task, correlation_key, type, status, severity, rule_name, rules_version, reason,
                                          snapshot, first_seen, last_seen, detected_at_event_time, partition_no)
                    values (?, ?, ?, 'OPEN', ?, ?, ?, ?, ?::jsonb, now(), now(), ?, ?) returning id""", Long.class,
                    task, m.getKey(), m.getType(), m.getSeverity().name(), change.rule(), rulesVersion, m.getReason(),
                    snapshot, eventTime, partition);
            history(id, null, MismatchStatus.OPEN, "detected by rule '" + change.rule() + "'");
            notifyOpened(id, 1);
            return true;
        }
        Row row = existing.get(0);
        boolean reopen = row.status() == MismatchStatus.AUTO_RESOLVED;
        jdbc.update("""
                update mismatch set last_seen = now(), severity = ?, rule_name = ?, rules_version = ?, reason = ?,
                       snapshot = ?::jsonb, status = ?, resolved_at = case when ? then null else resolved_at end, partition_no = ?
                where id = ?""",
                m.getSeverity().name(), change.rule(), rulesVersion, m.getReason(), snapshot,
                reopen ? MismatchStatus.OPEN.name() : row.status().name(), reopen, partition, row.id());
        if (reopen) {
            history(row.id(), row.status(), MismatchStatus.OPEN, "detected again by rule '" + change.rule() + "'");
            Integer openings = jdbc.queryForObject("select count(*) from mismatch_history where mismatch_id = ? and to_status = 'OPEN' "
                    + "and (from_status is null or from_status <> 'OPEN')", Integer.class, row.id());
            notifyOpened(row.id(), openings);
        }
        return reopen;
    }

    private boolean healed(String task, MismatchChange change, String note) {
        var m = change.mismatch();
        for (Row row : find(task, m.getKey(), m.getType())) {
            if (row.status().healable()) {
                jdbc.update("update mismatch set status = 'AUTO_RESOLVED', resolved_at = now(), last_seen = now() where id = ?", row.id());
                history(row.id(), row.status(), MismatchStatus.AUTO_RESOLVED, note);
            }
        }
        return false;
    }

    private void notifyOpened(long id, int occurrence) {
        if (listeners.isEmpty()) {
            return;
        }
        OpenedMismatch opened = jdbc.queryForObject(
                "select task, correlation_key, type, severity, reason, rule_name, first_seen from mismatch where id = ?",
                (rs, n) -> new OpenedMismatch(id, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getTimestamp(7).toInstant(), occurrence), id);
        listeners.forEach(l -> l.opened(opened));
    }

    private record Row(long id, MismatchStatus status) {
    }

    private List<Row> find(String task, String key, String type) {
        return jdbc.query("select id, status from mismatch where task = ? and correlation_key = ? and type = ? for update",
                (rs, n) -> new Row(rs.getLong(1), MismatchStatus.valueOf(rs.getString(2))), task, key, type);
    }

    private void history(long id, MismatchStatus from, MismatchStatus to, String note) {
        jdbc.update("insert into mismatch_history (mismatch_id, from_status, to_status, actor, note) values (?, ?, ?, ?, ?)",
                id, from == null ? null : from.name(), to.name(), ACTOR, note);
    }
}
