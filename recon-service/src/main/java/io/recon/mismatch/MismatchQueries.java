package io.recon.mismatch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the mismatch queue for people and for the API. */
@Component
public class MismatchQueries {

    private final JdbcTemplate jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    MismatchQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @param scope the tasks the caller may see, null for all (see TaskScope) */
    public record Filter(String task, String type, MismatchStatus status, String key, Instant from, Instant to, List<String> scope) {

        /** Whether the caller chose nothing (the scope is not a choice). */
        boolean isEmpty() {
            return task == null && type == null && status == null && key == null && from == null && to == null;
        }
    }

    public record Item(long id, String task, String key, String type, MismatchStatus status, String severity, String reason,
                       String rule, String rulesVersion, Instant firstSeen, Instant lastSeen, Instant resolvedAt,
                       String assignee, String assigneeKind) {
    }

    public record Note(String author, String text, Instant at) {
    }

    public record HistoryEntry(String from, String to, String actor, String note, Instant at) {
    }

    public record Detail(Item mismatch, JsonNode snapshot, List<HistoryEntry> history, List<Note> notes) {
    }

    public record Page(List<Item> items, long total, int page, int size) {
    }

    private static final String COLUMNS = "id, task, correlation_key, type, status, severity, reason, rule_name, rules_version, first_seen, last_seen, resolved_at, assignee, assignee_kind";

    public Page find(Filter filter, int page, int size) {
        return find(filter, QueueOrder.DEFAULT, page, size);
    }

    Page find(Filter filter, QueueOrder order, int page, int size) {
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        long total = jdbc.queryForObject("select count(*) from mismatch" + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(size);
        pageArgs.add((long) page * size);
        List<Item> items = jdbc.query("select " + COLUMNS + " from mismatch" + where + order.sql() + " limit ? offset ?",
                (rs, n) -> item(rs), pageArgs.toArray());
        return new Page(items, total, page, size);
    }

    /** Ids of the mismatches the filter matches, oldest first, at most {@code limit}. */
    List<Long> ids(Filter filter, int limit) {
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        args.add(limit);
        return jdbc.queryForList("select id from mismatch" + where + " order by id limit ?", Long.class, args.toArray());
    }

    /** How many mismatches the filter matches. */
    long count(Filter filter) {
        List<Object> args = new ArrayList<>();
        return jdbc.queryForObject("select count(*) from mismatch" + where(filter, args), Long.class, args.toArray());
    }

    /** What a queue batch action needs to know of each mismatch the filter matches, oldest first, at most {@code limit}. */
    List<QueueBatchAction.Candidate> candidates(Filter filter, int limit) {
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        args.add(limit);
        return jdbc.query("select id, task, type, status from mismatch" + where + " order by id limit ?",
                (rs, n) -> new QueueBatchAction.Candidate(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)), args.toArray());
    }

    /** Streams the filtered list, newest first, at most {@code limit} rows, without holding it in memory. */
    void forEach(Filter filter, QueueOrder order, int limit, java.util.function.Consumer<Item> consumer) {
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        args.add(limit);
        jdbc.query("select " + COLUMNS + " from mismatch" + where + order.sql() + " limit ?",
                rs -> {
                    consumer.accept(item(rs));
                }, args.toArray());
    }

    private static String where(Filter filter, List<Object> args) {
        StringBuilder where = new StringBuilder(" where true");
        if (filter.task() != null) {
            where.append(" and task = ?");
            args.add(filter.task());
        }
        if (filter.scope() != null) {
            where.append(" and task in (").append(String.join(", ", java.util.Collections.nCopies(Math.max(1, filter.scope().size()), "?")))
                    .append(")");
            args.addAll(filter.scope().isEmpty() ? List.of("") : filter.scope());
        }
        if (filter.type() != null) {
            where.append(" and type = ?");
            args.add(filter.type());
        }
        if (filter.status() != null) {
            where.append(" and status = ?");
            args.add(filter.status().name());
        }
        if (filter.key() != null) {
            where.append(" and correlation_key = ?");
            args.add(filter.key());
        }
        if (filter.from() != null) {
            where.append(" and first_seen >= ?");
            args.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            where.append(" and first_seen < ?");
            args.add(Timestamp.from(filter.to()));
        }
        return where.toString();
    }

    /** What the sessions of one facts partition did to mismatches since a moment: opened (new or again) and healed. */
    public record PartitionChanges(int partition, long opened, long healed) {
    }

    /** Per facts partition of a task group, the mismatches its sessions opened and healed since {@code since}. */
    public Map<Integer, PartitionChanges> changesByPartition(String task, Instant since) {
        Map<Integer, PartitionChanges> changes = new java.util.TreeMap<>();
        jdbc.query("""
                select m.partition_no, count(*) filter (where h.to_status = 'OPEN'), count(*) filter (where h.to_status = 'AUTO_RESOLVED')
                from mismatch_history h join mismatch m on m.id = h.mismatch_id
                where m.task = ? and h.actor = 'rules' and h.at >= ? and m.partition_no is not null
                group by m.partition_no""", rs -> {
            changes.put(rs.getInt(1), new PartitionChanges(rs.getInt(1), rs.getLong(2), rs.getLong(3)));
        }, task, Timestamp.from(since));
        return changes;
    }

    public Optional<Detail> get(long id) {
        return jdbc.query("select " + COLUMNS + ", snapshot::text from mismatch where id = ?", (rs, n) -> {
            Item item = item(rs);
            JsonNode snapshot = json.readTree(rs.getString(15));
            return new Detail(item, snapshot, history(id), notes(id));
        }, id).stream().findFirst();
    }

    private List<HistoryEntry> history(long id) {
        return jdbc.query("select from_status, to_status, actor, note, at from mismatch_history where mismatch_id = ? order by at, id",
                (rs, n) -> new HistoryEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5)), id);
    }

    private List<Note> notes(long id) {
        return jdbc.query("select author, body, at from case_note where mismatch_id = ? order by at, id",
                (rs, n) -> new Note(rs.getString(1), rs.getString(2), instant(rs, 3)), id);
    }

    private static Item item(ResultSet rs) throws SQLException {
        return new Item(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), MismatchStatus.valueOf(rs.getString(5)),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), instant(rs, 10), instant(rs, 11), instant(rs, 12),
                rs.getString(13), rs.getString(14));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
