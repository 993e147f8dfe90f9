package io.recon.action;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns held alerts into one summary per task: a throttle SUMMARY once the window in which they were
 * held has closed, a DIGEST once the oldest held low-severity mismatch has waited the digest interval.
 * Each held mismatch is counted in exactly one summary: the rows are locked, stamped with the
 * summary's key and the summary actions are inserted in one transaction.
 */
@Component
class HeldAlertSummaries {

    /** How many keys a summary names; the counts cover all of them. */
    static final int SAMPLE_KEYS = 10;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AlertsProperties config;
    private final JsonMapper json = JsonMapper.builder().build();

    HeldAlertSummaries(JdbcTemplate jdbc, TransactionTemplate tx, AlertsProperties config) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.config = config;
    }

    /** @return how many summaries were written */
    int summarizeDue() {
        // Throttled: one summary per task for every throttle window that has closed.
        long window = config.throttle().window().toMillis();
        Timestamp currentWindow = new Timestamp(System.currentTimeMillis() / window * window);
        int written = 0;
        for (String task : jdbc.queryForList("select distinct task from alert_held where held_for = 'THROTTLED' and summary_key is null "
                + "and held_at < ?", String.class, currentWindow)) {
            written += Boolean.TRUE.equals(tx.execute(s -> summarizeTask(task, "THROTTLED", "SUMMARY", currentWindow))) ? 1 : 0;
        }
        // Digest: everything held so far, once the oldest has waited the digest interval.
        for (String task : jdbc.queryForList("""
                select task from alert_held where held_for = 'DIGEST' and summary_key is null
                group by task having min(held_at) <= now() - make_interval(secs => ?)""",
                String.class, config.digest().interval().toMillis() / 1000.0)) {
            written += Boolean.TRUE.equals(tx.execute(s -> summarizeTask(task, "DIGEST", "DIGEST", null))) ? 1 : 0;
        }
        return written;
    }

    private record Held(long id, String key, String type, String severity, Timestamp heldAt) {
    }

    private boolean summarizeTask(String task, String heldFor, String kind, Timestamp heldBefore) {
        List<Held> held = jdbc.query("""
                select id, correlation_key, type, severity, held_at from alert_held
                where task = ? and held_for = ? and summary_key is null and held_at < coalesce(?, 'infinity'::timestamptz)
                order by id for update skip locked""",
                (rs, n) -> new Held(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5)),
                task, heldFor, heldBefore);
        if (held.isEmpty()) {
            return false;
        }
        String summaryKey = kind.toLowerCase(java.util.Locale.ROOT) + "-" + task + "-" + held.get(0).id() + "-" + held.get(held.size() - 1).id();
        Map<String, Integer> byType = new TreeMap<>();
        Map<String, Integer> bySeverity = new TreeMap<>();
        Set<String> channels = new TreeSet<>();
        for (Held h : held) {
            byType.merge(h.type(), 1, Integer::sum);
            bySeverity.merge(h.severity(), 1, Integer::sum);
            channels.addAll(config.channelsFor(task, h.severity()));
        }
        String highest = bySeverity.keySet().iterator().next(); // P1 sorts first
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("task", task);
        payload.put("count", held.size());
        payload.put("byType", byType);
        payload.put("bySeverity", bySeverity);
        payload.put("since", held.get(0).heldAt().toInstant().toString());
        payload.put("until", held.get(held.size() - 1).heldAt().toInstant().toString());
        payload.put("sampleKeys", held.stream().limit(SAMPLE_KEYS).map(Held::key).toList());
        payload.put("reason", "THROTTLED".equals(heldFor)
                ? held.size() + " more mismatches in task " + task + " than the alert limit of " + config.throttle().limit()
                        + " per " + config.throttle().window().toSeconds() + " s"
                : held.size() + " low-severity mismatches in task " + task);
        payload.put("link", config.baseUrl() + "/api/mismatches?task=" + task + "&status=OPEN");
        String body = json.writeValueAsString(payload);
        List<Object[]> ids = held.stream().map(h -> new Object[] {summaryKey, h.id()}).toList();
        jdbc.batchUpdate("update alert_held set summary_key = ? where id = ?", ids);
        for (String channel : channels) {
            jdbc.update("""
                    insert into action (idempotency_key, kind, task, channel, severity, payload)
                    values (?, ?, ?, ?, ?, ?::jsonb) on conflict (idempotency_key) do nothing""",
                    summaryKey + "-" + channel, kind, task, channel, highest, body);
        }
        return true;
    }
}
