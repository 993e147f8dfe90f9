package io.recon.deadletter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Input that could not become a fact, kept with the reason. Nothing a source sends is dropped
 * silently: it is either a fact or a dead letter. A dead letter can be sent through mapping again
 * ({@link Redrive}); one that then maps is marked REDRIVEN, never deleted.
 */
@Component
public class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    private static final String COLUMNS = "id, source, reason, payload, payload_encoding, payload_bytes, payload_truncated,"
            + " change_kind, committed_at, status, attempts, received_at, last_retry_at, redriven_at";

    private final JdbcTemplate jdbc;
    private final int keepBytes;

    DeadLetters(JdbcTemplate jdbc, @Value("${recon.input.max-kept-payload:256KB}") org.springframework.util.unit.DataSize keep) {
        this.jdbc = jdbc;
        this.keepBytes = (int) Math.min(Integer.MAX_VALUE, keep.toBytes());
    }

    /** What kind of input a dead letter holds, so that a retry knows how to send it again. */
    public enum Kind {
        /** one record meant as an insert or update */
        UPSERT,
        /** one record meant as a delete: a retry retracts */
        DELETE,
        /** a whole message or request body that could not be split into records */
        MESSAGE,
        /** a change that carries nothing to map (a TRUNCATE): kept so that it is seen, never re-driven */
        NOTICE
    }

    public enum Status { NEW, REDRIVEN }

    public void record(String source, String reason, String payload) {
        record(source, reason, Payload.of(payload, keepBytes), Kind.MESSAGE, null);
    }

    public void record(String source, String reason, String payload, Kind kind, Long committedAt) {
        record(source, reason, Payload.of(payload, keepBytes), kind, committedAt);
    }

    public void record(String source, String reason, byte[] payload, long receivedBytes, Kind kind, Long committedAt) {
        record(source, reason, Payload.of(payload, receivedBytes, keepBytes), kind, committedAt);
    }

    private void record(String source, String reason, Payload payload, Kind kind, Long committedAt) {
        String storedReason = reason + (payload.truncated()
                ? " [payload truncated: " + payload.bytes() + " bytes received, the first " + keepBytes + " kept]" : "")
                + (payload.encoding() == Payload.Encoding.BASE64 ? " [payload kept as base64: it is not storable as text]" : "");
        String cleanSource = storable(source);
        log.warn("dead letter from {}: {}", cleanSource, storable(storedReason));
        jdbc.update("insert into dead_letter (source, reason, payload, payload_encoding, payload_bytes, payload_truncated,"
                        + " change_kind, committed_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                cleanSource, storable(storedReason), payload.stored(), payload.encoding().name().toLowerCase(),
                payload.bytes(), payload.truncated(), kind.name(), committedAt);
    }

    /** Source names and reasons may quote user input: never let a NUL or an endless value make the insert fail. */
    static String storable(String text) {
        if (text == null) {
            return "";
        }
        String clean = text.replace("\0", "\\u0000");
        return clean.length() > 4000 ? clean.substring(0, 4000) + "…" : clean;
    }

    public record DeadLetter(long id, String source, String reason, String payload, String payloadEncoding, long payloadBytes,
                             boolean payloadTruncated, Kind kind, Long committedAt, Status status, int attempts,
                             Instant receivedAt, Instant lastRetryAt, Instant redrivenAt) {

        public Payload storedPayload() {
            return new Payload(payload, Payload.Encoding.valueOf(payloadEncoding.toUpperCase()), payloadBytes, payloadTruncated);
        }
    }

    /** Filters of the list and of the batch retry; null or blank means any. */
    public record Filter(String source, String reason, Status status) {

        String where(List<Object> args) {
            List<String> terms = new ArrayList<>();
            if (source != null && !source.isBlank()) {
                terms.add("source = ?");
                args.add(source);
            }
            if (reason != null && !reason.isBlank()) {
                terms.add("position(lower(?) in lower(reason)) > 0");
                args.add(reason);
            }
            if (status != null) {
                terms.add("status = ?");
                args.add(status.name());
            }
            return terms.isEmpty() ? "" : " where " + String.join(" and ", terms);
        }
    }

    public List<DeadLetter> find(Filter filter, int limit, long offset) {
        List<Object> args = new ArrayList<>();
        String where = filter.where(args);
        args.add(limit);
        args.add(offset);
        return jdbc.query("select " + COLUMNS + " from dead_letter" + where + " order by id desc limit ? offset ?",
                (rs, n) -> read(rs), args.toArray());
    }

    /** Ids of matching dead letters, oldest first (the order they arrived in, which a re-drive keeps). */
    public List<Long> ids(Filter filter, int limit) {
        List<Object> args = new ArrayList<>();
        String where = filter.where(args);
        args.add(limit);
        return jdbc.queryForList("select id from dead_letter" + where + " order by id limit ?", Long.class, args.toArray());
    }

    public long count(Filter filter) {
        List<Object> args = new ArrayList<>();
        return jdbc.queryForObject("select count(*) from dead_letter" + filter.where(args), Long.class, args.toArray());
    }

    public Optional<DeadLetter> get(long id) {
        return jdbc.query("select " + COLUMNS + " from dead_letter where id = ?", (rs, n) -> read(rs), id).stream().findFirst();
    }

    /** The dead letter now maps: its facts are on the facts topic. Kept, marked, for the audit trail. */
    public void markRedriven(long id) {
        jdbc.update("update dead_letter set status = 'REDRIVEN', attempts = attempts + 1, last_retry_at = now(), redriven_at = now()"
                + " where id = ?", id);
    }

    /** A retry failed again: the dead letter keeps the reason of this attempt. */
    public void stillFails(long id, String reason) {
        jdbc.update("update dead_letter set reason = ?, attempts = attempts + 1, last_retry_at = now() where id = ?", storable(reason), id);
    }

    private static DeadLetter read(ResultSet rs) throws SQLException {
        long committed = rs.getLong("committed_at");
        Long committedAt = rs.wasNull() ? null : committed;
        return new DeadLetter(rs.getLong("id"), rs.getString("source"), rs.getString("reason"), rs.getString("payload"),
                rs.getString("payload_encoding"), rs.getLong("payload_bytes"), rs.getBoolean("payload_truncated"),
                Kind.valueOf(rs.getString("change_kind")), committedAt,
                Status.valueOf(rs.getString("status")), rs.getInt("attempts"), instant(rs, "received_at"),
                instant(rs, "last_retry_at"), instant(rs, "redriven_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        java.sql.Timestamp ts = rs.getTimestamp(column, UTC);
        return ts == null ? null : ts.toInstant();
    }
}
