package io.recon.deadletter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Input that could not become a fact, kept whole with the reason. Nothing a source sends is dropped
 * silently: it is either a fact or a dead letter.
 */
@Component
public class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final JdbcTemplate jdbc;

    DeadLetters(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String source, String reason, String payload) {
        log.warn("dead letter from {}: {}", source, reason);
        jdbc.update("insert into dead_letter (source, reason, payload) values (?, ?, ?)", source, reason, payload);
    }

    public record DeadLetter(long id, String source, String reason, String payload, Instant receivedAt) {
    }

    public List<DeadLetter> find(String source, int limit, int offset) {
        List<Object> args = new ArrayList<>();
        String where = "";
        if (source != null && !source.isBlank()) {
            where = " where source = ?";
            args.add(source);
        }
        args.add(limit);
        args.add(offset);
        return jdbc.query("select id, source, reason, payload, received_at from dead_letter" + where
                        + " order by id desc limit ? offset ?",
                (rs, n) -> new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5, java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC"))).toInstant()),
                args.toArray());
    }

    public long count(String source) {
        if (source == null || source.isBlank()) {
            return jdbc.queryForObject("select count(*) from dead_letter", Long.class);
        }
        return jdbc.queryForObject("select count(*) from dead_letter where source = ?", Long.class, source);
    }

}
