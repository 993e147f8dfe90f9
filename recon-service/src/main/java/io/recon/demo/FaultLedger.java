package io.recon.demo;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** Ground truth: every fault the generator injected, by correlation key and mismatch type. */
public class FaultLedger {

    public record Fault(String key, String type, Instant injectedAt) {
    }

    private final JdbcTemplate jdbc;

    public FaultLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void injected(String key, String type) {
        jdbc.update("insert into demo_fault (correlation_key, type) values (?, ?)", key, type);
    }

    public List<Fault> list(String type, int limit, int offset) {
        String where = type == null ? "" : " where type = ?";
        Object[] args = type == null ? new Object[] {limit, offset} : new Object[] {type, limit, offset};
        return jdbc.query("select correlation_key, type, injected_at from demo_fault" + where + " order by id desc limit ? offset ?",
                (rs, n) -> new Fault(rs.getString(1), rs.getString(2), toInstant(rs.getTimestamp(3))), args);
    }

    public long count(String type) {
        return type == null
                ? jdbc.queryForObject("select count(*) from demo_fault", Long.class)
                : jdbc.queryForObject("select count(*) from demo_fault where type = ?", Long.class, type);
    }

    private static Instant toInstant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
