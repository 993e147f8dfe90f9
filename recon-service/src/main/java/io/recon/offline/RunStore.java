package io.recon.offline;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The runs and their findings in Recon's database (tables {@code offline_run}, {@code offline_finding}). */
@Component
class RunStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<Map<String, Object>>> FACTS = new TypeReference<>() { };

    private final JdbcTemplate jdbc;

    RunStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A run as stored; {@code comparison} once it is done. */
    record Row(long id, String kind, String task, Instant from, Instant to, String version, String status, String requestedBy, Instant requestedAt,
               Instant finishedAt, long recordsRead, Long recordsTotal, long rejected, List<String> rejections, Map<String, Long> files,
               String error, Comparison comparison) {
    }

    long create(String task, Instant from, Instant to, String version, String by, Map<String, Long> files, String kind) {
        return jdbc.queryForObject("""
                insert into offline_run (task, period_from, period_to, rules_version, status, requested_by, files, kind)
                values (?, ?, ?, ?, 'RUNNING', ?, ?::jsonb, ?) returning id""", Long.class, task, Timestamp.from(from), Timestamp.from(to), version,
                by, JSON.writeValueAsString(files), kind);
    }

    void progress(long id, long read, long total, long rejected) {
        jdbc.update("update offline_run set records_read = ?, records_total = ?, rejected = ? where id = ?", read, total, rejected, id);
    }

    void finish(long id, String status, RunProgress progress, String error, Comparison comparison) {
        jdbc.update("""
                update offline_run set status = ?, finished_at = now(), records_read = ?, records_total = ?, rejected = ?,
                       rejections = ?::jsonb, error = ?, comparison = ?::jsonb
                where id = ?""", status, progress.read.get(), progress.total < 0 ? null : progress.total, progress.rejectedCount.get(),
                JSON.writeValueAsString(List.copyOf(progress.rejected)), error,
                comparison == null ? null : JSON.writeValueAsString(comparison), id);
    }

    void saveFindings(long id, List<Finding> findings) {
        jdbc.batchUpdate("""
                insert into offline_finding (run_id, correlation_key, type, severity, rule_name, reason, snapshot, detected_at_event_time)
                values (?, ?, ?, ?, ?, ?, ?::jsonb, ?)""", findings, 500, (ps, f) -> {
            ps.setLong(1, id);
            ps.setString(2, f.key());
            ps.setString(3, f.type());
            ps.setString(4, f.severity());
            ps.setString(5, f.rule());
            ps.setString(6, f.reason());
            ps.setString(7, JSON.writeValueAsString(f.facts()));
            ps.setTimestamp(8, Timestamp.from(f.detectedAt()));
        });
    }

    List<Finding> findings(long id) {
        return jdbc.query("""
                select correlation_key, type, severity, rule_name, reason, snapshot, detected_at_event_time
                from offline_finding where run_id = ? order by type, correlation_key""", (rs, n) -> new Finding(rs.getString(1),
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), facts(rs.getString(6)),
                rs.getTimestamp(7).toInstant(), null, null), id);
    }

    /** The live mismatches of a task detected in [from, to) of event time, except those healed by later data. */
    List<Finding> live(String task, Instant from, Instant to) {
        return jdbc.query("""
                select id, correlation_key, type, severity, rule_name, reason, snapshot, detected_at_event_time, status
                from mismatch where task = ? and detected_at_event_time >= ? and detected_at_event_time < ? and status <> 'AUTO_RESOLVED'
                """, (rs, n) -> new Finding(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                facts(rs.getString(7)), rs.getTimestamp(8).toInstant(), rs.getLong(1), rs.getString(9)),
                task, Timestamp.from(from), Timestamp.from(to));
    }

    Optional<Row> find(long id) {
        return jdbc.query("select * from offline_run where id = ?", (rs, n) -> row(rs), id).stream().findFirst();
    }

    List<Row> list(String task, int limit) {
        return task == null ? jdbc.query("select * from offline_run order by id desc limit ?", (rs, n) -> row(rs), limit)
                : jdbc.query("select * from offline_run where task = ? order by id desc limit ?", (rs, n) -> row(rs), task, limit);
    }

    /** Runs left RUNNING by a service that stopped: they cannot go on. */
    int failAbandoned() {
        return jdbc.update("update offline_run set status = 'FAILED', finished_at = now(), error = 'the service stopped during the run;"
                + " start it again' where status = 'RUNNING'");
    }

    private static Row row(ResultSet rs) throws SQLException {
        String comparison = rs.getString("comparison");
        Timestamp finished = rs.getTimestamp("finished_at");
        Long total = rs.getObject("records_total", Long.class);
        return new Row(rs.getLong("id"), rs.getString("kind"), rs.getString("task"), rs.getTimestamp("period_from").toInstant(),
                rs.getTimestamp("period_to").toInstant(), rs.getString("rules_version"), rs.getString("status"), rs.getString("requested_by"),
                rs.getTimestamp("requested_at").toInstant(), finished == null ? null : finished.toInstant(), rs.getLong("records_read"),
                total, rs.getLong("rejected"),
                JSON.readValue(rs.getString("rejections"), new TypeReference<List<String>>() { }),
                JSON.readValue(rs.getString("files"), new TypeReference<Map<String, Long>>() { }), rs.getString("error"),
                comparison == null ? null : JSON.readValue(comparison, Comparison.class));
    }

    private static List<Map<String, Object>> facts(String json) {
        return json == null ? List.of() : JSON.readValue(json, FACTS);
    }
}
